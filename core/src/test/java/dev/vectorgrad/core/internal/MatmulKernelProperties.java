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
     * then an add without FMA), whatever tile or block the element falls in; except a narrow
     * last panel of dot products, which must still be within rounding of it.
     */
    @Property(tries = 120)
    void everyElementIsOneOrderedChainOfMultiplyAdds(
            @ForAll("sizes") int m, @ForAll("sizes") int n, @ForAll("sizes") int k,
            @ForAll boolean transA, @ForAll boolean transB,
            @ForAll @IntRange(min = 0, max = 2) int pad, @ForAll boolean accumulate, @ForAll long seed) {
        Assume.that((long) m * n * k <= MAX_WORK && (long) m * n <= 200_000);
        MatmulCase problem = new MatmulCase(m, n, k, transA, transB, pad, accumulate, seed);
        problem.assertOrderedChain(VectorMatmul.orderedChainColumns(n, k), problem.run(vectorKernel(1)), "1 thread");
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
                        problem.assertOrderedChain(VectorMatmul.orderedChainColumns(n, k),
                                problem.run(vectorKernel(1)), "1 thread");
                    }
                }
            }
        }
    }

    /**
     * The last panel of dot products on every path that reaches it: in-place and packed A
     * (row-major, transposed, a partial row tile, m <= 8 with B read in place), B either way,
     * one or two inner blocks with and without a scalar tail, an odd column left alone; against
     * the scalar twin, and on 1, 2 and 3 threads the same bits.
     */
    @Example
    void narrowLastPanelsAreDotProductsOnEveryPath() {
        int nr = VectorMatmul.NR;
        int minK = VectorMatmul.DOT_EDGE_MIN_K;
        long seed = 21;
        for (int cols : new int[] {1, 2, VectorMatmul.DOT_EDGE_MAX_COLS}) {
            for (int n : new int[] {cols, nr + cols, 3 * nr + cols}) {
                for (int k : new int[] {minK - 1, minK, minK + 3, 784, 2 * VectorMatmul.KC + 1}) {
                    boolean dot = k >= minK;
                    assertEquals(dot ? n - cols : n, VectorMatmul.orderedChainColumns(n, k),
                            "ordered-chain columns of n = " + n + ", k = " + k);
                    for (int m : new int[] {1, 7, 64, 101}) {
                        for (int layout = 0; layout < 8; layout++) {
                            MatmulCase problem = new MatmulCase(m, n, k, (layout & 1) != 0, (layout & 2) != 0,
                                    layout == 3 ? 2 : 0, (layout & 4) != 0, seed++);
                            float[] one = problem.run(vectorKernel(1));
                            problem.assertClose(problem.run(ScalarMatmul.INSTANCE), one, "1 thread");
                            problem.assertOrderedChain(VectorMatmul.orderedChainColumns(n, k), one, "1 thread");
                            if (2L * m * n * k >= VectorMatmul.PARALLEL_MIN_FLOPS) {
                                assertArrayEquals(one, problem.run(vectorKernel(2)), "2 threads, " + problem);
                                assertArrayEquals(one, problem.run(vectorKernel(3)), "3 threads, " + problem);
                            }
                        }
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
        // Split by rows over threads sharing each packed block of B, with two column blocks.
        MatmulCase split = new MatmulCase(40, VectorMatmul.NC + 2 * LANES + 3, 32, false, false, 1, true, 9);
        assertTrue(2L * 40 * split.n * 32 >= VectorMatmul.PARALLEL_MIN_FLOPS, "the shape must be big enough to be split");
        float[] one = split.run(vectorKernel(1));
        split.assertClose(split.run(ScalarMatmul.INSTANCE), one, "n > NC");
        assertArrayEquals(one, split.run(vectorKernel(2)), "n > NC, 2 threads");
    }

    @Example
    void rowSplitOverSeveralRoundsOfPackedB() {
        // k × n larger than one round's share of B, so the threads pack and hand over more than once
        int m = 24;
        int n = 4096;
        int k = 1200;
        // k = 1200 is three inner blocks of exactly KC; a round holds as many as fit in SHARED_B_FLOATS
        long blocksPerRound = VectorMatmul.SHARED_B_FLOATS / ((long) VectorMatmul.KC * n);
        assertTrue(k % VectorMatmul.KC == 0 && k > blocksPerRound * VectorMatmul.KC, "B must need more than one round");
        MatmulCase problem = new MatmulCase(m, n, k, false, false, 0, true, 11);
        float[] one = problem.run(vectorKernel(1));
        problem.assertClose(problem.run(ScalarMatmul.INSTANCE), one, "several rounds");
        assertArrayEquals(one, problem.run(vectorKernel(2)), "several rounds, 2 threads");
    }

    @Example
    void rowMajorABlocksPackedOrReadInPlaceAgreeWithScalar() {
        // Either side of the width from which blocks of row-major A are packed; rows of a
        // power-of-two length, MC + 5 rows (a partial row tile in the second row block) and
        // k = 1021 (three inner blocks).
        for (int n : new int[] {VectorMatmul.PACK_A_MIN_N - 1, VectorMatmul.PACK_A_MIN_N}) {
            for (int pad : new int[] {0, 3}) {
                MatmulCase problem = new MatmulCase(VectorMatmul.MC + 5, n, 1021, false, false, pad, pad > 0, 12);
                float[] one = problem.run(vectorKernel(1));
                problem.assertClose(problem.run(ScalarMatmul.INSTANCE), one, "n = " + n + ", pad " + pad);
                assertArrayEquals(one, problem.run(vectorKernel(2)), "n = " + n + ", pad " + pad + ", 2 threads");
            }
        }
    }

    @Property(tries = 200)
    void guidedChunksCoverEveryUnitOnceLargestFirst(@ForAll @IntRange(min = 0, max = 5000) int units,
                                                    @ForAll @IntRange(min = 1, max = 64) int maxChunk,
                                                    @ForAll @IntRange(min = 1, max = 8) int threads) {
        int[] bounds = VectorMatmul.guidedChunks(units, maxChunk, threads);
        assertEquals(0, bounds[0], "first bound");
        assertEquals(units, bounds[bounds.length - 1], "last bound");
        int minChunk = Math.max(1, maxChunk / 4);
        for (int t = 0; t + 1 < bounds.length; t++) {
            int size = bounds[t + 1] - bounds[t];
            boolean last = t + 2 == bounds.length;
            assertTrue(size >= 1 && size <= maxChunk, "chunk " + t + " of " + size + " units");
            assertTrue(last || size >= minChunk, "chunk " + t + " of " + size + " units, below " + minChunk);
            if (t > 0) {
                int previous = bounds[t] - bounds[t - 1];
                assertTrue(size <= previous, "chunk " + t + " (" + size + ") larger than the one before (" + previous + ")");
            }
        }
        // never more than one thread's share of what is left: the tail stays short
        for (int t = 0; t + 1 < bounds.length; t++) {
            int left = units - bounds[t];
            int size = bounds[t + 1] - bounds[t];
            assertTrue(size <= Math.max(minChunk, (left + 2 * threads - 1) / (2 * threads)),
                    "chunk " + t + " of " + size + " with " + left + " units left");
        }
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
