package dev.vectorgrad.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Whether OpenBLAS runs its best kernels on this CPU, the condition for it to be the yardstick.
 *
 * <p>A {@code DYNAMIC_ARCH} OpenBLAS picks a core type (a kernel family) at load time from the
 * CPU, unless the environment variable {@code OPENBLAS_CORETYPE} names one; {@code
 * OPENBLAS_L2_SIZE} overrides the cache size its blocking assumes. Either can make it slower
 * than it is: {@code OPENBLAS_CORETYPE=Haswell} on an AVX-512 core runs 256-bit kernels, at
 * about half speed. So the contender refuses both variables, and refuses a core below the best
 * tier the CPU's flags allow. The tiers are OpenBLAS's x86-64 sgemm kernels:
 * <ul>
 * <li>AVX-512 ({@code avx512f}, {@code avx512bw}, {@code avx512vl}, {@code avx512dq}, as its
 *     SkylakeX kernels need): {@code SkylakeX}, {@code Cooperlake} (the same plus bf16) or
 *     {@code SapphireRapids}; OpenBLAS gives these to Intel and to AMD Zen 4 and 5 alike;</li>
 * <li>AVX2 with FMA: {@code Haswell} or {@code Zen} (Zen 1-3 get Haswell's kernels under that name);</li>
 * <li>AVX: {@code Sandybridge}.</li>
 * </ul>
 * Below AVX nothing is expected: the benchmarks are not about such machines.
 */
public final class OpenBlasCore {

    /** The environment variables that steer OpenBLAS's kernels or blocking away from its own choice. */
    public static final List<String> STEERING_VARIABLES = List.of("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE");

    /** How to start a JVM without them, for messages. */
    static final String HOW_TO_UNSET = "start the JVM with them unset: env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE java ..."
            + " (bench/run.sh and bench/interleaved.sh do)";

    private OpenBlasCore() {}

    /**
     * The core types OpenBLAS should pick on a CPU.
     *
     * @param tier what the flags allow, e.g. {@code AVX-512}
     * @param cores the acceptable {@code openblas_get_corename} values, any of which runs the tier's kernels;
     *     empty when nothing is expected
     * @param flags the flags that decided it
     */
    public record Expectation(String tier, List<String> cores, List<String> flags) {

        /** @return e.g. {@code SkylakeX, Cooperlake or SapphireRapids} */
        String coresText() {
            if (cores.size() == 1) {
                return cores.get(0);
            }
            return String.join(", ", cores.subList(0, cores.size() - 1)) + " or " + cores.get(cores.size() - 1);
        }

        /**
         * @param core a core name as OpenBLAS reports it
         * @return whether it runs this tier's kernels (always, when nothing is expected)
         */
        public boolean accepts(String core) {
            return cores.isEmpty() || cores.stream().anyMatch(c -> c.equalsIgnoreCase(core.trim()));
        }
    }

    /**
     * @param cpuFlags the CPU's feature flags, as Linux lists them in {@code /proc/cpuinfo}
     * @return the core types OpenBLAS's best kernels for them go by
     */
    public static Expectation expectedFor(Set<String> cpuFlags) {
        List<String> avx512 = List.of("avx512f", "avx512bw", "avx512vl", "avx512dq");
        if (cpuFlags.containsAll(avx512)) {
            return new Expectation("AVX-512", List.of("SkylakeX", "Cooperlake", "SapphireRapids"), avx512);
        }
        if (cpuFlags.containsAll(List.of("avx2", "fma"))) {
            return new Expectation("AVX2", List.of("Haswell", "Zen"), List.of("avx2", "fma"));
        }
        if (cpuFlags.contains("avx")) {
            return new Expectation("AVX", List.of("Sandybridge"), List.of("avx"));
        }
        return new Expectation("pre-AVX", List.of(), List.of());
    }

    /**
     * Refuses a core below the CPU's best.
     *
     * @param picked what {@code openblas_get_corename} returned
     * @param cpuFlags the CPU's flags
     * @return a line for reports, e.g. {@code Zen (best for AVX2: Haswell or Zen)}
     * @throws IllegalStateException naming the core expected, the one that came, and how to fix it
     */
    public static String check(String picked, Set<String> cpuFlags) {
        Expectation e = expectedFor(cpuFlags);
        if (e.cores().isEmpty()) {
            return picked + " (no expectation for a CPU without AVX)";
        }
        if (!e.accepts(picked)) {
            throw new IllegalStateException("OpenBLAS: this CPU has " + String.join(", ", e.flags())
                    + ", so its best core type is " + e.coresText() + " (" + e.tier() + " kernels), but OpenBLAS picked "
                    + picked + "; it would run below its speed and is no fair yardstick. Fix: if OPENBLAS_CORETYPE was"
                    + " set when the library loaded, " + HOW_TO_UNSET + "; otherwise this OpenBLAS does not know the CPU:"
                    + " use a newer one (openblas.version in the parent pom)");
        }
        return picked + " (best for " + e.tier() + ": " + e.coresText() + ")";
    }

    /**
     * Refuses an environment that steers OpenBLAS.
     *
     * @param environment the process's environment, e.g. {@link System#getenv()}
     * @throws IllegalStateException naming each steering variable set, its value, and how to unset it
     */
    public static void checkEnvironment(Map<String, String> environment) {
        StringBuilder set = new StringBuilder();
        for (String name : STEERING_VARIABLES) {
            if (environment.containsKey(name)) {
                set.append(set.isEmpty() ? "" : ", ").append(name).append('=').append(environment.get(name));
            }
        }
        if (!set.isEmpty()) {
            throw new IllegalStateException("OpenBLAS: expected " + String.join(" and ", STEERING_VARIABLES)
                    + " unset, so that OpenBLAS picks its own best kernels and blocking, but this JVM has " + set
                    + "; " + HOW_TO_UNSET);
        }
    }

    /**
     * @param cpuinfo a file in the format of Linux's {@code /proc/cpuinfo}
     * @return the flags of its first processor
     * @throws IllegalStateException if it cannot be read or has no {@code flags} line (not x86-64 Linux)
     */
    public static Set<String> cpuFlags(Path cpuinfo) {
        try (Stream<String> lines = Files.lines(cpuinfo)) {
            String line = lines.filter(l -> l.startsWith("flags")).findFirst().orElseThrow(() ->
                    new IllegalStateException("OpenBLAS core check: expected a 'flags' line in " + cpuinfo
                            + " (x86-64 Linux, where the bench's OpenBLAS natives run), found none"));
            Set<String> flags = new TreeSet<>();
            for (String f : line.substring(line.indexOf(':') + 1).trim().split("\\s+")) {
                flags.add(f.toLowerCase(Locale.ROOT));
            }
            return flags;
        } catch (IOException e) {
            throw new IllegalStateException("OpenBLAS core check: cannot read " + cpuinfo + ": " + e.getMessage(), e);
        }
    }
}
