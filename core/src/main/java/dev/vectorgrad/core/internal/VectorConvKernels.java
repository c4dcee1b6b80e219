package dev.vectorgrad.core.internal;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link ConvKernels} on the Vector API: a 4-row by 2-vector register tile of C, each step of p
 * broadcasting four elements of A against two vectors of one row of B, read in place (no packing:
 * with k or n this small the packed copies would cost as much as the product).
 */
final class VectorConvKernels implements ConvKernels {

    private static final VectorSpecies<Float> S = VectorMatmul.S;
    private static final int L = S.length();
    private static final boolean FMA = Kernels.FAST_FMA;

    VectorConvKernels() {}

    @Override
    public void smallMatmul(int m, int n, int k,
                            float[] a, int aOff, int ars, int acs,
                            float[] b, int bOff, int brs,
                            float[] c, int cOff, int crs, boolean accumulate) {
        int j = 0;
        for (; j + 2 * L <= n; j += 2 * L) {
            int i = 0;
            for (; i + 4 <= m; i += 4) {
                tile4x2(k, a, aOff + i * ars, ars, acs, b, bOff + j, brs, c, cOff + i * crs + j, crs, accumulate);
            }
            if (i + 2 <= m) {
                tile2x2(k, a, aOff + i * ars, ars, acs, b, bOff + j, brs, c, cOff + i * crs + j, crs, accumulate);
                i += 2;
            }
            for (; i < m; i++) {
                tile1x2(k, a, aOff + i * ars, acs, b, bOff + j, brs, c, cOff + i * crs + j, accumulate);
            }
        }
        for (; j + L <= n; j += L) {
            for (int i = 0; i < m; i++) {
                tile1x1(k, a, aOff + i * ars, acs, b, bOff + j, brs, c, cOff + i * crs + j, accumulate);
            }
        }
        if (j < n) {
            ScalarConvKernels.INSTANCE.smallMatmul(m, n - j, k, a, aOff, ars, acs, b, bOff + j, brs,
                    c, cOff + j, crs, accumulate);
        }
    }

    /*
     * Trick: every index in the loop is p times a constant plus an invariant, the form C2's
     * range-check elimination needs, so the loads keep no bounds check inside the loop. The
     * multiply-adds are written out (FMA is a constant, so C2 keeps one branch): with a shared
     * madd(FloatVector, ...) helper, about one JVM in three left tile1x2 in C1 code for good and
     * a small convolution boxed 37 KB of vectors a call (ConvolutionAllocationTest).
     */
    private static void tile4x2(int k, float[] a, int ai, int ars, int acs, float[] b, int bi, int brs,
                                float[] c, int ci, int crs, boolean load) {
        FloatVector c00;
        FloatVector c01;
        FloatVector c10;
        FloatVector c11;
        FloatVector c20;
        FloatVector c21;
        FloatVector c30;
        FloatVector c31;
        if (load) {
            c00 = FloatVector.fromArray(S, c, ci);
            c01 = FloatVector.fromArray(S, c, ci + L);
            c10 = FloatVector.fromArray(S, c, ci + crs);
            c11 = FloatVector.fromArray(S, c, ci + crs + L);
            c20 = FloatVector.fromArray(S, c, ci + 2 * crs);
            c21 = FloatVector.fromArray(S, c, ci + 2 * crs + L);
            c30 = FloatVector.fromArray(S, c, ci + 3 * crs);
            c31 = FloatVector.fromArray(S, c, ci + 3 * crs + L);
        } else {
            c00 = FloatVector.zero(S);
            c01 = c00;
            c10 = c00;
            c11 = c00;
            c20 = c00;
            c21 = c00;
            c30 = c00;
            c31 = c00;
        }
        int a1 = ai + ars;
        int a2 = ai + 2 * ars;
        int a3 = ai + 3 * ars;
        for (int p = 0; p < k; p++) {
            FloatVector b0 = FloatVector.fromArray(S, b, bi + p * brs);
            FloatVector b1 = FloatVector.fromArray(S, b, bi + p * brs + L);
            FloatVector x = FloatVector.broadcast(S, a[ai + p * acs]);
            c00 = FMA ? x.fma(b0, c00) : x.mul(b0).add(c00);
            c01 = FMA ? x.fma(b1, c01) : x.mul(b1).add(c01);
            x = FloatVector.broadcast(S, a[a1 + p * acs]);
            c10 = FMA ? x.fma(b0, c10) : x.mul(b0).add(c10);
            c11 = FMA ? x.fma(b1, c11) : x.mul(b1).add(c11);
            x = FloatVector.broadcast(S, a[a2 + p * acs]);
            c20 = FMA ? x.fma(b0, c20) : x.mul(b0).add(c20);
            c21 = FMA ? x.fma(b1, c21) : x.mul(b1).add(c21);
            x = FloatVector.broadcast(S, a[a3 + p * acs]);
            c30 = FMA ? x.fma(b0, c30) : x.mul(b0).add(c30);
            c31 = FMA ? x.fma(b1, c31) : x.mul(b1).add(c31);
        }
        c00.intoArray(c, ci);
        c01.intoArray(c, ci + L);
        c10.intoArray(c, ci + crs);
        c11.intoArray(c, ci + crs + L);
        c20.intoArray(c, ci + 2 * crs);
        c21.intoArray(c, ci + 2 * crs + L);
        c30.intoArray(c, ci + 3 * crs);
        c31.intoArray(c, ci + 3 * crs + L);
    }

    /** Two leftover rows (m = 10 = 4 + 4 + 2: a first layer's 9 taps and the bias row) share each load of B. */
    private static void tile2x2(int k, float[] a, int ai, int ars, int acs, float[] b, int bi, int brs,
                                float[] c, int ci, int crs, boolean load) {
        FloatVector c00 = load ? FloatVector.fromArray(S, c, ci) : FloatVector.zero(S);
        FloatVector c01 = load ? FloatVector.fromArray(S, c, ci + L) : FloatVector.zero(S);
        FloatVector c10 = load ? FloatVector.fromArray(S, c, ci + crs) : FloatVector.zero(S);
        FloatVector c11 = load ? FloatVector.fromArray(S, c, ci + crs + L) : FloatVector.zero(S);
        int a1 = ai + ars;
        for (int p = 0; p < k; p++) {
            FloatVector b0 = FloatVector.fromArray(S, b, bi + p * brs);
            FloatVector b1 = FloatVector.fromArray(S, b, bi + p * brs + L);
            FloatVector x = FloatVector.broadcast(S, a[ai + p * acs]);
            c00 = FMA ? x.fma(b0, c00) : x.mul(b0).add(c00);
            c01 = FMA ? x.fma(b1, c01) : x.mul(b1).add(c01);
            x = FloatVector.broadcast(S, a[a1 + p * acs]);
            c10 = FMA ? x.fma(b0, c10) : x.mul(b0).add(c10);
            c11 = FMA ? x.fma(b1, c11) : x.mul(b1).add(c11);
        }
        c00.intoArray(c, ci);
        c01.intoArray(c, ci + L);
        c10.intoArray(c, ci + crs);
        c11.intoArray(c, ci + crs + L);
    }

    private static void tile1x2(int k, float[] a, int ai, int acs, float[] b, int bi, int brs,
                                float[] c, int ci, boolean load) {
        FloatVector c0 = load ? FloatVector.fromArray(S, c, ci) : FloatVector.zero(S);
        FloatVector c1 = load ? FloatVector.fromArray(S, c, ci + L) : FloatVector.zero(S);
        for (int p = 0; p < k; p++) {
            FloatVector x = FloatVector.broadcast(S, a[ai + p * acs]);
            FloatVector b0 = FloatVector.fromArray(S, b, bi + p * brs);
            FloatVector b1 = FloatVector.fromArray(S, b, bi + p * brs + L);
            c0 = FMA ? x.fma(b0, c0) : x.mul(b0).add(c0);
            c1 = FMA ? x.fma(b1, c1) : x.mul(b1).add(c1);
        }
        c0.intoArray(c, ci);
        c1.intoArray(c, ci + L);
    }

    private static void tile1x1(int k, float[] a, int ai, int acs, float[] b, int bi, int brs,
                                float[] c, int ci, boolean load) {
        FloatVector c0 = load ? FloatVector.fromArray(S, c, ci) : FloatVector.zero(S);
        for (int p = 0; p < k; p++) {
            FloatVector x = FloatVector.broadcast(S, a[ai + p * acs]);
            FloatVector b0 = FloatVector.fromArray(S, b, bi + p * brs);
            c0 = FMA ? x.fma(b0, c0) : x.mul(b0).add(c0);
        }
        c0.intoArray(c, ci);
    }

    @Override
    public void transpose(float[] src, int sOff, int srcRowStride, int rows, int cols, float[] dst, int dOff,
                          int dstRowStride) {
        // Register blocks of lanes x lanes (the matmul packing's transpose), scalar at the edges.
        Transpose.copy(src, sOff, srcRowStride, rows, cols, dst, dOff, dstRowStride);
    }

    @Override
    public String describe() {
        return "Vector API conv kernels, " + S.vectorBitSize() + " bits, 4x" + 2 * L + " tile";
    }
}
