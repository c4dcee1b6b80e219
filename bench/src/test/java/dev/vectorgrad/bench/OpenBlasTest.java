package dev.vectorgrad.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class OpenBlasTest {

    @Test
    void pinsTheThreadCountThroughTheForeignFunctionApi() {
        OpenBlas.setNumThreads(1);
        assertEquals(1, OpenBlas.numThreads());
        OpenBlas.setNumThreads(2);
        int two = OpenBlas.numThreads();
        assertTrue(two >= 1 && two <= 2, "threads after asking for 2: " + two); // capped at the cores OpenBLAS saw
        OpenBlas.setNumThreads(1);
        assertEquals(1, OpenBlas.numThreads());
    }

    @Test
    void eachContenderReclaimsItsThreadCountBeforeARound() {
        MatmulShape shape = MatmulShape.parse("2x2x2");
        float[] x = {1, 2, 3, 4};
        try (MatmulImpl one = MatmulImpl.create("openblas-1t", shape, x, x);
             MatmulImpl two = MatmulImpl.create("openblas-2t", shape, x, x)) {
            one.claimSettings();
            assertEquals(1, OpenBlas.numThreads());
            two.claimSettings();
            assertEquals(Math.min(2, Runtime.getRuntime().availableProcessors()), OpenBlas.numThreads());
            one.claimSettings();
            assertEquals(1, OpenBlas.numThreads());
        }
    }

    @Test
    void reportsItsBuildAndCoreType() {
        assertFalse(OpenBlas.coreName().isBlank());
        assertTrue(OpenBlas.config().contains("OpenBLAS"), OpenBlas.config());
    }

    @Test
    void theLoadedOpenBlasRunsTheBestCoreForThisCpu() {
        // Surefire starts this JVM without OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE (bench/pom.xml).
        String verdict = OpenBlas.requireBestCore();
        assertTrue(verdict.startsWith(OpenBlas.coreName() + " ("), verdict);
    }

    @Test
    void rejectsNonPositiveThreadCounts() {
        assertThrows(IllegalArgumentException.class, () -> OpenBlas.setNumThreads(0));
    }
}
