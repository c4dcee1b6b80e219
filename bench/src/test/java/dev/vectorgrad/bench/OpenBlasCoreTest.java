package dev.vectorgrad.bench;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The decision of which OpenBLAS core is fair, from CPU flags alone: no OpenBLAS runs here. */
class OpenBlasCoreTest {

    /** A Zen 5 (AVX-512 with bf16, as Linux lists it), shortened. */
    private static final Set<String> ZEN5 = Set.of("fpu", "sse2", "avx", "avx2", "fma", "avx512f", "avx512dq",
            "avx512cd", "avx512bw", "avx512vl", "avx512_bf16", "avx512_vnni");
    /** The project's AMD EPYC VM: AVX2 and FMA, no AVX-512. */
    private static final Set<String> ZEN_AVX2 = Set.of("fpu", "sse2", "avx", "avx2", "fma", "f16c");
    /** Sandy Bridge: AVX without AVX2 or FMA. */
    private static final Set<String> SANDY = Set.of("sse2", "sse4_2", "avx");

    @Test
    void avx512CpusExpectOpenBlasAvx512Kernels() {
        OpenBlasCore.Expectation e = OpenBlasCore.expectedFor(ZEN5);
        assertEquals("AVX-512", e.tier());
        assertEquals(List.of("SkylakeX", "Cooperlake", "SapphireRapids"), e.cores());
        assertTrue(e.accepts("SkylakeX") && e.accepts("cooperlake") && e.accepts("SapphireRapids "));
        assertFalse(e.accepts("Haswell"), "256-bit kernels on a 512-bit core");
        assertFalse(e.accepts("Zen"), "Zen's kernels are Haswell's");
    }

    @Test
    void avx512FoundationAloneIsNotEnoughForSkylakeXKernels() {
        // Knights Landing has avx512f without bw/vl/dq; OpenBLAS's SkylakeX kernels need all four.
        Set<String> knl = Set.of("avx", "avx2", "fma", "avx512f", "avx512cd", "avx512er", "avx512pf");
        assertEquals("AVX2", OpenBlasCore.expectedFor(knl).tier());
    }

    @Test
    void avx2CpusExpectHaswellOrZenAndOlderOnesLess() {
        OpenBlasCore.Expectation avx2 = OpenBlasCore.expectedFor(ZEN_AVX2);
        assertEquals(List.of("Haswell", "Zen"), avx2.cores());
        assertFalse(avx2.accepts("Sandybridge"));
        assertFalse(avx2.accepts("Prescott"));
        assertEquals(List.of("Sandybridge"), OpenBlasCore.expectedFor(SANDY).cores());
        assertEquals(List.of(), OpenBlasCore.expectedFor(Set.of("sse2")).cores());
        assertTrue(OpenBlasCore.expectedFor(Set.of("sse2")).accepts("Core2"), "no expectation below AVX");
    }

    @Test
    void aHaswellCoreOnAnAvx512CpuFailsSayingWhatWasExpectedWhatCameAndTheFix() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> OpenBlasCore.check("Haswell", ZEN5));
        String m = e.getMessage();
        assertTrue(m.contains("avx512f, avx512bw, avx512vl, avx512dq"), m);
        assertTrue(m.contains("SkylakeX, Cooperlake or SapphireRapids"), m);
        assertTrue(m.contains("picked Haswell"), m);
        assertTrue(m.contains("env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE"), m);
        assertThrows(IllegalStateException.class, () -> OpenBlasCore.check("Zen", ZEN5));
        assertThrows(IllegalStateException.class, () -> OpenBlasCore.check("Sandybridge", ZEN_AVX2));
    }

    @Test
    void theBestCoreOfEachTierPasses() {
        assertEquals("Cooperlake (best for AVX-512: SkylakeX, Cooperlake or SapphireRapids)",
                OpenBlasCore.check("Cooperlake", ZEN5));
        assertEquals("Zen (best for AVX2: Haswell or Zen)", OpenBlasCore.check("Zen", ZEN_AVX2));
        assertEquals("Haswell (best for AVX2: Haswell or Zen)", OpenBlasCore.check("Haswell", ZEN_AVX2));
    }

    @Test
    void refusesEitherSteeringVariableNamingItsValue() {
        assertDoesNotThrow(() -> OpenBlasCore.checkEnvironment(Map.of("PATH", "/usr/bin")));
        IllegalStateException core = assertThrows(IllegalStateException.class,
                () -> OpenBlasCore.checkEnvironment(Map.of("OPENBLAS_CORETYPE", "Haswell")));
        assertTrue(core.getMessage().contains("OPENBLAS_CORETYPE=Haswell"), core.getMessage());
        assertTrue(core.getMessage().contains("env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE"), core.getMessage());
        IllegalStateException both = assertThrows(IllegalStateException.class, () -> OpenBlasCore.checkEnvironment(
                Map.of("OPENBLAS_CORETYPE", "", "OPENBLAS_L2_SIZE", "262144")));
        assertTrue(both.getMessage().contains("OPENBLAS_L2_SIZE=262144"), both.getMessage());
        assertTrue(both.getMessage().contains("OPENBLAS_CORETYPE="), "set but empty counts as set: " + both.getMessage());
    }

    @Test
    void readsTheFlagsOfLinuxCpuinfo(@TempDir Path dir) throws Exception {
        Path cpuinfo = dir.resolve("cpuinfo");
        Files.writeString(cpuinfo, """
                processor\t: 0
                vendor_id\t: AuthenticAMD
                model name\t: AMD EPYC
                flags\t\t: fpu sse2 avx AVX2 fma
                
                processor\t: 1
                flags\t\t: fpu sse2 avx avx2 fma avx512f
                """);
        assertEquals(Set.of("fpu", "sse2", "avx", "avx2", "fma"), OpenBlasCore.cpuFlags(cpuinfo), "the first processor's, lower case");
        Path arm = dir.resolve("arm");
        Files.writeString(arm, "processor\t: 0\nFeatures\t: fp asimd\n");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> OpenBlasCore.cpuFlags(arm));
        assertTrue(e.getMessage().contains("expected a 'flags' line"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> OpenBlasCore.cpuFlags(dir.resolve("missing")));
    }
}
