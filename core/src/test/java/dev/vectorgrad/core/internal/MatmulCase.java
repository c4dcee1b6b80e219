package dev.vectorgrad.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.vectorgrad.core.Rng;

/**
 * One matmul problem laid out the awkward ways a kernel must accept: either operand stored
 * transposed, rows padded beyond their length, data starting at an offset, and C padded too,
 * its padding filled with sentinels that must survive the call.
 */
final class MatmulCase {

    final int m;
    final int n;
    final int k;
    final float[] a;
    final int aOff;
    final int aRowStride;
    final int aColStride;
    final float[] b;
    final int bOff;
    final int bRowStride;
    final int bColStride;
    final float[] c0;
    final int cOff;
    final int cRowStride;
    final boolean accumulate;

    MatmulCase(int m, int n, int k, boolean transA, boolean transB, int pad, boolean accumulate, long seed) {
        this.m = m;
        this.n = n;
        this.k = k;
        this.accumulate = accumulate;
        Rng rng = new Rng(seed);
        aOff = pad;
        bOff = 2 * pad;
        cOff = 3 * pad;
        // A transposed is stored k × m: element (i, p) at p*ld + i, which is what a.t() hands over.
        int lda = (transA ? m : k) + pad;
        aRowStride = transA ? 1 : lda;
        aColStride = transA ? lda : 1;
        a = random(rng, aOff + (transA ? k : m) * lda);
        int ldb = (transB ? k : n) + pad;
        bRowStride = transB ? 1 : ldb;
        bColStride = transB ? ldb : 1;
        b = random(rng, bOff + (transB ? n : k) * ldb);
        cRowStride = n + pad;
        c0 = random(rng, cOff + m * cRowStride + pad);
    }

    private static float[] random(Rng rng, int size) {
        float[] x = new float[Math.max(size, 0)];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rng.nextGaussian();
        }
        return x;
    }

    float a(int i, int p) {
        return a[aOff + i * aRowStride + p * aColStride];
    }

    float b(int p, int j) {
        return b[bOff + p * bRowStride + j * bColStride];
    }

    int cIndex(int i, int j) {
        return cOff + i * cRowStride + j;
    }

    /**
     * C computed the way the vector kernel promises for all but a last panel of dot products
     * ({@link VectorMatmul#orderedChainColumns}), bit for bit: each element starts from C
     * (or 0) and takes one multiply-add of A[i][p]·B[p][j] for p = 0..k-1 in order, fused when
     * {@link Kernels#FAST_FMA}, else a multiply then an add.
     */
    float[] orderedChain() {
        float[] expected = c0.clone();
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float acc = accumulate ? c0[cIndex(i, j)] : 0f;
                for (int p = 0; p < k; p++) {
                    acc = Kernels.FAST_FMA ? Math.fma(a(i, p), b(p, j), acc) : a(i, p) * b(p, j) + acc;
                }
                expected[cIndex(i, j)] = acc;
            }
        }
        return expected;
    }

    /** Runs the kernel on a fresh copy of C and returns that copy. */
    float[] run(MatmulKernel kernel) {
        float[] c = c0.clone();
        kernel.matmul(m, n, k, a, aOff, aRowStride, aColStride, b, bOff, bRowStride, bColStride,
                c, cOff, cRowStride, accumulate);
        return c;
    }

    /** Whether index {@code idx} of C's array lies inside the m × n result. */
    boolean inResult(int idx) {
        int rel = idx - cOff;
        return rel >= 0 && rel < m * cRowStride && rel % cRowStride < n;
    }

    /**
     * Asserts {@code actual} agrees with {@code expected} within a rounding bound scaled by k:
     * |diff| <= 4 k u sum_p |a_ip b_pj| (+ |c| for accumulate), u = 2^-24; outside the result the
     * arrays must be untouched.
     */
    void assertClose(float[] expected, float[] actual, String what) {
        assertCloseFrom(0, expected, actual, what);
    }

    /**
     * The vector kernel's contract: the first {@code chainColumns} columns bit for bit
     * {@link #orderedChain()}, the others (a last panel of dot products) within the rounding
     * bound of {@link #assertClose}, nothing outside the result touched.
     */
    void assertOrderedChain(int chainColumns, float[] actual, String what) {
        float[] expected = orderedChain();
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < chainColumns; j++) {
                int idx = cIndex(i, j);
                if (Float.floatToIntBits(expected[idx]) != Float.floatToIntBits(actual[idx])) {
                    fail(what + " " + this + ": C[" + i + "][" + j + "] = " + actual[idx]
                            + ", not the ordered chain's " + expected[idx]);
                }
            }
        }
        assertCloseFrom(chainColumns, expected, actual, what);
    }

    private void assertCloseFrom(int firstColumn, float[] expected, float[] actual, String what) {
        for (int idx = 0; idx < actual.length; idx++) {
            if (!inResult(idx)) {
                assertEquals(c0[idx], actual[idx], 0f, what + ": wrote outside the result at index " + idx);
            }
        }
        double u = Math.ulp(1f) / 2;
        for (int i = 0; i < m; i++) {
            for (int j = firstColumn; j < n; j++) {
                double mag = accumulate ? Math.abs(c0[cIndex(i, j)]) : 0;
                for (int p = 0; p < k; p++) {
                    mag += Math.abs((double) a(i, p) * b(p, j));
                }
                double bound = 4 * (k + 1) * u * mag + Float.MIN_NORMAL;
                double diff = Math.abs(expected[cIndex(i, j)] - actual[cIndex(i, j)]);
                if (!(diff <= bound)) {
                    fail(what + " " + this + ": C[" + i + "][" + j + "] = " + actual[cIndex(i, j)] + ", expected "
                            + expected[cIndex(i, j)] + " within " + bound);
                }
            }
        }
    }

    @Override
    public String toString() {
        return "[" + m + ", " + k + "] @ [" + k + ", " + n + "] strides A (" + aRowStride + ", " + aColStride
                + ") B (" + bRowStride + ", " + bColStride + ") C row " + cRowStride + " offsets " + aOff + "/" + bOff
                + "/" + cOff + (accumulate ? " accumulate" : "");
    }
}
