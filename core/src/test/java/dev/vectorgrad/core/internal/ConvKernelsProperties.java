package dev.vectorgrad.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link VectorConvKernels} against {@link ScalarConvKernels}, the vector kernels built here
 * explicitly so that the comparison runs in the scalar Surefire pass too. Sizes straddle the
 * 4-row and 2-vector tile and the vector length (0, 1, lanes±1, primes, 784); A is read with
 * both layouts (rows or columns contiguous); offsets are non-zero and a sentinel around C catches
 * writes out of range.
 */
class ConvKernelsProperties {

    private static final int L = VectorMatmul.S.length();
    private static final float SENTINEL = 12345.678f;
    private static final ConvKernels VECTOR = new VectorConvKernels();
    private static final ConvKernels SCALAR = ScalarConvKernels.INSTANCE;

    @Provide
    Arbitrary<Integer> sizes() {
        return Arbitraries.of(0, 1, 2, 3, 4, 5, 7, 9, 13, 16, L - 1, L, L + 1, 2 * L - 1, 2 * L, 2 * L + 1, 4 * L + 3);
    }

    @Provide
    Arbitrary<Integer> longSizes() {
        return Arbitraries.of(0, 1, 9, 31, 97, 196, 784);
    }

    private static float[] data(SplittableRandom r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = r.nextInt(4) == 0 ? r.nextInt(-3, 4) : (float) r.nextGaussian();
        }
        return a;
    }

    @Property(tries = 80)
    void smallMatmulMatchesTheScalarTwin(@ForAll("sizes") int m, @ForAll("longSizes") int n, @ForAll("sizes") int k,
                                         @ForAll boolean aTransposed, @ForAll boolean accumulate, @ForAll long seed) {
        check(m, n, k, aTransposed, accumulate, seed);
        check(m, k, n, aTransposed, accumulate, seed + 1); // a long inner dimension: the weight gradient's shape
    }

    private static void check(int m, int n, int k, boolean aTransposed, boolean accumulate, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int aOff = 3;
        int bOff = 5;
        int cOff = 2;
        int bRowStride = n + 3;
        int cRowStride = n + 1;
        float[] a = data(r, aOff + m * k + 1);
        int ars = aTransposed ? 1 : k;
        int acs = aTransposed ? m : 1;
        float[] b = data(r, bOff + k * bRowStride + 1);
        float[] c0 = data(r, cOff + m * cRowStride + 2);
        for (int i = 0; i < m; i++) {
            for (int j = n; j < cRowStride; j++) {
                c0[cOff + i * cRowStride + j] = SENTINEL; // the gap between rows
            }
        }
        c0[0] = SENTINEL;
        c0[c0.length - 1] = SENTINEL;
        float[] cv = c0.clone();
        float[] cs = c0.clone();
        VECTOR.smallMatmul(m, n, k, a, aOff, ars, acs, b, bOff, bRowStride, cv, cOff, cRowStride, accumulate);
        SCALAR.smallMatmul(m, n, k, a, aOff, ars, acs, b, bOff, bRowStride, cs, cOff, cRowStride, accumulate);
        double tol = 1e-5 * Math.sqrt(k + 1);
        for (int i = 0; i < cv.length; i++) {
            if (cs[i] == SENTINEL) {
                assertEquals(SENTINEL, cv[i], "wrote outside C at " + i);
            } else {
                assertEquals(cs[i], cv[i], tol * (1 + Math.abs(cs[i])), "C at " + i + " for " + m + "x" + k + "x" + n);
            }
        }
        // Against the definition, in double.
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double e = accumulate ? c0[cOff + i * cRowStride + j] : 0;
                for (int p = 0; p < k; p++) {
                    e += (double) a[aOff + i * ars + p * acs] * b[bOff + p * bRowStride + j];
                }
                assertEquals(e, cs[cOff + i * cRowStride + j], tol * (1 + Math.abs(e)));
            }
        }
    }

    @Property(tries = 40)
    void transposeMatchesTheScalarTwin(@ForAll("sizes") int rows, @ForAll("longSizes") int cols, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] src = data(r, 1 + rows * (cols + 2));
        int ds = rows + 1;
        float[] dv = new float[3 + cols * ds];
        java.util.Arrays.fill(dv, SENTINEL);
        float[] dsc = dv.clone();
        VECTOR.transpose(src, 1, cols + 2, rows, cols, dv, 3, ds);
        SCALAR.transpose(src, 1, cols + 2, rows, cols, dsc, 3, ds);
        for (int i = 0; i < dv.length; i++) {
            assertEquals(Float.floatToIntBits(dsc[i]), Float.floatToIntBits(dv[i]), "element " + i);
        }
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                assertEquals(src[1 + i * (cols + 2) + j], dsc[3 + j * ds + i]);
            }
        }
    }
}
