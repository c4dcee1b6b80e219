package dev.vectorgrad.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The peak loop does the arithmetic it claims, at the matmul's width, and counts it right. */
class FmaPeakTest {

    /**
     * The same chains one float at a time: {@code acc = ½·½ + acc} with a fast FMA (the kernels'
     * form, accumulator as the addend), {@code acc = acc·½ + 1} without. Every value here is a
     * short dyadic, so each step is exact and the sums are exact in any order.
     */
    private static float scalarChains(int rounds, float start) {
        float total = 0;
        for (int i = 0; i < FmaPeak.ACCUMULATORS; i++) {
            float v = start + i;
            for (int r = 0; r < rounds; r++) {
                v = Kernels.FAST_FMA ? Math.fma(0.5f, 0.5f, v) : v * 0.5f + 1f;
            }
            total += v * FmaPeak.lanes();
        }
        return total;
    }

    @Test
    void computesTheMultiplyAddChainsOfEveryAccumulatorAndLane() {
        for (int rounds : new int[] {0, 1, 2, 5, 1000}) {
            assertEquals(scalarChains(rounds, 0.25f), FmaPeak.run(rounds, 0.25f), "rounds " + rounds);
        }
    }

    @Test
    void longRunsFromLargeStartsStayFinite() {
        // a quarter is far below half an ulp of 1e30 (FMA), or the chain falls to 2 (no FMA)
        float sum = FmaPeak.run(100_000, 1e30f);
        assertTrue(Float.isFinite(sum), "sum " + sum);
        assertEquals(scalarChains(100_000, 1e30f), sum);
    }

    @Test
    void runsAtTheMatmulKernelsWidthAndCountsTwoFlopsPerLane() {
        assertEquals(VectorMatmul.S.vectorBitSize(), FmaPeak.vectorBitSize());
        assertEquals(FmaPeak.vectorBitSize() / 32, FmaPeak.lanes());
        if (Kernels.VECTOR_BIT_SIZE != 0) {
            assertEquals(Kernels.VECTOR_BIT_SIZE, FmaPeak.vectorBitSize(), "the kernels' chosen width");
        }
        assertEquals(2L * 12 * FmaPeak.lanes() * 1000, FmaPeak.flops(1000));
        assertTrue(FmaPeak.describe().startsWith(FmaPeak.vectorBitSize() + "-bit vectors"), FmaPeak.describe());
    }

    @Test
    void rejectsNegativeRounds() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FmaPeak.run(-1, 0f));
        assertTrue(e.getMessage().contains("got -1"), e.getMessage());
    }
}
