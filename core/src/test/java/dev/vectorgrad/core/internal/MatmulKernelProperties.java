package dev.vectorgrad.core.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * The Vector API matmul against {@link ScalarMatmul}, over the sizes where blocked kernels go
 * wrong: 0, 1, around the vector length, primes, and sizes that cross the cache blocks, with
 * every transpose combination, padded and offset operands, and both write modes.
 */
class MatmulKernelProperties {

    private static final int LANES = VectorMatmul.S.length();
    /** Keeps the scalar oracle cheap: big sizes come with small partners. */
    private static final long MAX_WORK = 1_500_000;

    private static MatmulKernel vectorKernel(int threads) {
        Assume.that(Kernels.vectorMatmulSupported()); // skipped only where the hardware has < 128-bit vectors
        return Kernels.vectorMatmul(threads);
    }

    @Provide
    Arbitrary<Integer> sizes() {
        List<Integer> sizes = new ArrayList<>(List.of(0, 1, LANES - 1, LANES, LANES + 1, 2 * LANES + 1,
                13, 31, 97, 784, 1021));
        return Arbitraries.of(sizes);
    }

    @Property(tries = 250)
    void vectorAgreesWithScalar(@ForAll("sizes") int m, @ForAll("sizes") int n, @ForAll("sizes") int k,
                                @ForAll boolean transA, @ForAll boolean transB,
                                @ForAll @IntRange(min = 0, max = 3) int pad, @ForAll boolean accumulate,
                                @ForAll long seed) {
        Assume.that((long) m * n * k <= MAX_WORK && (long) m * n <= 200_000);
        MatmulCase problem = new MatmulCase(m, n, k, transA, transB, pad, accumulate, seed);
        float[] expected = problem.run(ScalarMatmul.INSTANCE);
        problem.assertClose(expected, problem.run(vectorKernel(1)), "vector kernel");
    }

    /**
     * The kernel's own contract, bit for bit: every element starts from C (or 0) and adds
     * A[i][p]·B[p][j] for p = 0..k-1 in order, each step one fused multiply-add (or a multiply
     * then an add without FMA), whatever tile or block the element falls in.
     */
    @Property(tries = 120)
    void everyElementIsOneOrderedChainOfMultiplyAdds(
            @ForAll("sizes") int m, @ForAll("sizes") int n, @ForAll("sizes") int k,
            @ForAll boolean transA, @ForAll boolean transB,
            @ForAll @IntRange(min = 0, max = 2) int pad, @ForAll boolean accumulate, @ForAll long seed) {
        Assume.that((long) m * n * k <= MAX_WORK && (long) m * n <= 200_000);
        MatmulCase problem = new MatmulCase(m, n, k, transA, transB, pad, accumulate, seed);
        float[] expected = problem.orderedChain();
        assertArrayEquals(expected, problem.run(vectorKernel(1)), problem.toString());
    }

    /**
     * A fixed grid that reaches every kernel variant for sure: row counts giving 8-row pairs,
     * a lone full 4-row tile and partial tiles, on both sides of the in-place-B limit (8) and
     * of the row block (96); column counts giving full, one-vector and partial panels.
     */
    @Example
    void everyKernelVariantKeepsTheOrderedChain() {
        long seed = 11;
        for (int m : new int[] {1, 5, 12, 100, 157}) {
            for (int n : new int[] {LANES, 2 * LANES + 1, 3 * LANES + 1, 4 * LANES + 1}) {
                for (int k : new int[] {3, VectorMatmul.KC + 1}) {
                    for (int layout = 0; layout < 8; layout++) {
                        MatmulCase problem = new MatmulCase(m, n, k, (layout & 1) != 0, (layout & 2) != 0, 1,
                                (layout & 4) != 0, seed++);
                        assertArrayEquals(problem.orderedChain(), problem.run(vectorKernel(1)), problem.toString());
                    }
                }
            }
        }
    }

    @Provide
    Arbitrary<Integer> bigM() {
        return Arbitraries.of(1, 5, 13, 97, 200);
    }

    @Provide
    Arbitrary<Integer> bigN() {
        return Arbitraries.of(31, 97, 300, 784);
    }

    @Provide
    Arbitrary<Integer> bigK() {
        return Arbitraries.of(97, 784, 1021);
    }

    /** Large enough to be split over threads, by rows or (small m) by columns. */
    @Property(tries = 40)
    void threadCountDoesNotChangeABit(@ForAll("bigM") int m, @ForAll("bigN") int n, @ForAll("bigK") int k,
                                      @ForAll boolean transA, @ForAll boolean transB,
                                      @ForAll boolean accumulate, @ForAll long seed) {
        MatmulCase problem = new MatmulCase(m, n, k, transA, transB, 1, accumulate, seed);
        float[] one = problem.run(vectorKernel(1));
        assertArrayEquals(one, problem.run(vectorKernel(2)), "2 threads, " + problem);
        assertArrayEquals(one, problem.run(vectorKernel(3)), "3 threads, " + problem);
    }

    @Example
    void splitProductsAgreeWithScalar() {
        // Row split (m large) and column split (m small, n large), both above the thread threshold.
        for (int[] shape : new int[][] {{200, 97, 784}, {5, 1021, 1021}}) {
            assertTrue(2L * shape[0] * shape[1] * shape[2] >= VectorMatmul.PARALLEL_MIN_FLOPS,
                    "the shape must be big enough to be split");
            MatmulCase problem = new MatmulCase(shape[0], shape[1], shape[2], false, true, 2, true, 42);
            problem.assertClose(problem.run(ScalarMatmul.INSTANCE), problem.run(vectorKernel(3)), "3 threads");
        }
    }

    @Example
    void columnsBeyondOneColumnBlock() {
        MatmulCase problem = new MatmulCase(6, VectorMatmul.NC + 2 * LANES + 3, 3, false, false, 1, false, 7);
        problem.assertClose(problem.run(ScalarMatmul.INSTANCE), problem.run(vectorKernel(1)), "n > NC");
        MatmulCase transposed = new MatmulCase(VectorMatmul.MC + 5, VectorMatmul.NC + 1, 2, true, true, 0, true, 8);
        transposed.assertClose(transposed.run(ScalarMatmul.INSTANCE), transposed.run(vectorKernel(2)), "n > NC");
    }

    @Example
    void emptyInnerDimensionZeroesOrKeepsC() {
        MatmulCase overwrite = new MatmulCase(5, 9, 0, false, false, 1, false, 3);
        float[] c = overwrite.run(vectorKernel(1));
        for (int i = 0; i < 5; i++) {
            for (int j = 0; j < 9; j++) {
                assertEquals(0f, c[overwrite.cIndex(i, j)], "C[" + i + "][" + j + "]");
            }
        }
        MatmulCase keep = new MatmulCase(5, 9, 0, true, true, 1, true, 3);
        assertArrayEquals(keep.c0, keep.run(vectorKernel(2)));
    }
}
