package dev.vectorgrad.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import jdk.incubator.vector.VectorSpecies;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * The SIMD fused kernels against their scalar twins. VectorFusedKernels is built here
 * explicitly, so the comparison also runs in the Surefire run that forces the scalar kernels.
 * Offsets are non-zero and a sentinel surrounds every output, so a kernel that ignores an
 * offset or writes past its range fails. Where the per-element arithmetic is the same (bias,
 * relu, masks, column sums, the squared error's gradient) the bits must be equal; where a sum
 * runs in another order or exp comes from the Vector API, the tolerance grows with the size.
 */
class FusedKernelsProperties {

    private static final VectorSpecies<Float> SPECIES = VectorMatmul.S;
    private static final int LANES = SPECIES.length();
    private static final FusedKernels SCALAR = ScalarFusedKernels.INSTANCE;
    private static final float SENTINEL = 12345.678f;

    private static FusedKernels vector(boolean fma) {
        return new VectorFusedKernels(SPECIES, fma);
    }

    @Provide
    Arbitrary<Integer> sizes() {
        int l = LANES;
        return Arbitraries.of(0, 1, 2, l - 1, l, l + 1, 2 * l + 1, 4 * l - 1, 4 * l, 4 * l + 1, 8 * l + 3,
                13, 31, 97, 784, 1021);
    }

    @Provide
    Arbitrary<Integer> rowCounts() {
        return Arbitraries.of(0, 1, 2, 3, 7, 64);
    }

    /** Ordinary values, exact small integers (ties, zeros) and signed zeros. */
    private static float[] data(long seed, int length) {
        return VectorKernelsProperties.data(seed, length, false);
    }

    private static float[] sentinels(int length) {
        float[] out = new float[length];
        Arrays.fill(out, SENTINEL);
        return out;
    }

    private static void assertClose(float[] expected, float[] actual, double tol, String what) {
        for (int i = 0; i < expected.length; i++) {
            if (expected[i] == SENTINEL || actual[i] == SENTINEL) {
                assertEquals(expected[i], actual[i], what + ": sentinel at " + i);
                continue;
            }
            if (!(Math.abs(expected[i] - actual[i]) <= tol * Math.max(1, Math.abs(expected[i])))) {
                throw new AssertionError(what + ": at " + i + " expected " + expected[i] + " but was " + actual[i]
                        + " (tolerance " + tol + ")");
            }
        }
    }

    private static void assertSentinels(float[] out, int from, int to, String what) {
        for (int i = 0; i < out.length; i++) {
            if (i < from || i >= to) {
                assertEquals(SENTINEL, out[i], what + " wrote outside its range at " + i);
            }
        }
    }

    @Property(tries = 120)
    void biasReluIsBitIdentical(@ForAll("rowCounts") int rows, @ForAll("sizes") int cols,
                                @ForAll @IntRange(min = 1, max = 9) int off, @ForAll long seed,
                                @ForAll boolean withBias, @ForAll boolean relu) {
        int stride = cols + 3; // a gap between rows that must stay untouched
        float[] init = data(seed, off + rows * stride + 2);
        for (int i = 0; i < rows; i++) {
            for (int j = cols; j < stride; j++) {
                init[off + i * stride + j] = SENTINEL;
            }
        }
        float[] bias = withBias ? data(seed + 1, cols + off) : null;
        float[] expected = init.clone();
        float[] actual = init.clone();
        SCALAR.biasRelu(expected, off, stride, rows, cols, bias, off, relu);
        vector(true).biasRelu(actual, off, stride, rows, cols, bias, off, relu);
        KernelAssertions.assertSameBits(expected, actual, "biasRelu rows=" + rows + " cols=" + cols);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < stride; j++) {
                int at = off + i * stride + j;
                if (j >= cols) {
                    assertEquals(SENTINEL, expected[at], "biasRelu wrote into the gap at " + at);
                    continue;
                }
                float v = bias == null ? init[at] : init[at] + bias[off + j];
                assertEquals(relu ? Math.max(v, 0f) : v, expected[at], "biasRelu definition at " + at);
            }
        }
    }

    @Property(tries = 120)
    void reluBackwardIsBitIdentical(@ForAll("sizes") int n, @ForAll @IntRange(min = 1, max = 9) int off,
                                    @ForAll long seed, @ForAll boolean accumulate) {
        float[] g = data(seed, n + off);
        float[] o = data(seed + 1, n + 2 * off);
        if (n > 0) {
            g[off] = Float.POSITIVE_INFINITY; // where the relu is off this must give 0, not NaN
            o[2 * off] = -0f;
        }
        float[] expected = sentinels(n + 3 * off + 1);
        float[] init = data(seed + 2, n);
        System.arraycopy(init, 0, expected, 3 * off, n);
        float[] actual = expected.clone();
        SCALAR.reluBackward(g, off, o, 2 * off, expected, 3 * off, n, accumulate);
        vector(true).reluBackward(g, off, o, 2 * off, actual, 3 * off, n, accumulate);
        KernelAssertions.assertSameBits(expected, actual, "reluBackward n=" + n);
        assertSentinels(expected, 3 * off, 3 * off + n, "reluBackward");
        for (int i = 0; i < n; i++) {
            float sel = o[2 * off + i] > 0 ? g[off + i] : 0f;
            assertEquals(accumulate ? init[i] + sel : sel, expected[3 * off + i], "reluBackward definition at " + i);
        }
    }

    @Property(tries = 60)
    void reluBackwardMayMaskInPlace(@ForAll("sizes") int n, @ForAll long seed) {
        float[] g = data(seed, n + 2);
        float[] o = data(seed + 1, n + 2);
        float[] expected = g.clone();
        SCALAR.reluBackward(expected, 2, o, 2, expected, 2, n, false);
        vector(true).reluBackward(g, 2, o, 2, g, 2, n, false);
        KernelAssertions.assertSameBits(expected, g, "reluBackward in place n=" + n);
    }

    @Property(tries = 120)
    void columnSumsAreBitIdentical(@ForAll("rowCounts") int rows, @ForAll("sizes") int cols,
                                   @ForAll @IntRange(min = 1, max = 9) int off, @ForAll long seed,
                                   @ForAll boolean accumulate) {
        int stride = cols + 1;
        float[] src = data(seed, off + rows * stride);
        float[] expected = sentinels(cols + 2 * off);
        float[] init = data(seed + 3, cols);
        System.arraycopy(init, 0, expected, off, cols);
        float[] actual = expected.clone();
        SCALAR.columnSums(src, off, stride, rows, cols, expected, off, accumulate);
        vector(true).columnSums(src, off, stride, rows, cols, actual, off, accumulate);
        KernelAssertions.assertSameBits(expected, actual, "columnSums rows=" + rows + " cols=" + cols);
        assertSentinels(expected, off, off + cols, "columnSums");
        for (int j = 0; j < cols; j++) {
            double s = 0;
            for (int i = 0; i < rows; i++) {
                s += src[off + i * stride + j];
            }
            double want = accumulate ? init[j] + s : s;
            assertEquals(want, expected[off + j], 1e-5 * (1 + rows) * (1 + Math.abs(want)), "columnSums definition");
        }
    }

    @Property(tries = 120)
    void rowSumsAgree(@ForAll("rowCounts") int rows, @ForAll("sizes") int cols,
                      @ForAll @IntRange(min = 1, max = 9) int off, @ForAll long seed, @ForAll boolean accumulate) {
        int stride = cols + 2;
        float[] src = data(seed, off + rows * stride);
        float[] expected = sentinels(rows + 2 * off);
        float[] init = data(seed + 5, rows);
        System.arraycopy(init, 0, expected, off, rows);
        float[] actual = expected.clone();
        SCALAR.rowSums(src, off, stride, rows, cols, expected, off, accumulate);
        vector(true).rowSums(src, off, stride, rows, cols, actual, off, accumulate);
        assertSentinels(actual, off, off + rows, "rowSums");
        for (int i = 0; i < rows; i++) {
            double s = 0;
            double abs = Math.abs(init[i]);
            for (int j = 0; j < cols; j++) {
                s += src[off + i * stride + j];
                abs += Math.abs(src[off + i * stride + j]);
            }
            double want = accumulate ? init[i] + s : s;
            // Float sums in any order are within n ulps of the sum of magnitudes.
            double tol = (cols + 2) * Math.ulp(1f) * abs + 1e-30;
            assertEquals(want, expected[off + i], tol, "rowSums scalar, row " + i);
            assertEquals(want, actual[off + i], tol, "rowSums vector, row " + i);
        }
    }

    @Property(tries = 150)
    void softmaxCrossEntropyRowAgrees(@ForAll("sizes") int c, @ForAll @IntRange(min = 1, max = 9) int off,
                                      @ForAll long seed, @ForAll boolean withGrad, @ForAll boolean accumulate,
                                      @ForAll @IntRange(max = 1000) int targetPick) {
        if (c == 0) {
            return; // the facade refuses rows of no classes
        }
        float[] logits = data(seed, c + off);
        for (int j = 0; j < c; j++) {
            logits[off + j] *= 10; // spread enough that the row's maximum matters
        }
        int target = targetPick % c;
        float scale = 0.37f;
        float[] init = data(seed + 9, c);
        float[] expected = sentinels(c + 2 * off);
        System.arraycopy(init, 0, expected, off, c);
        float[] actual = expected.clone();
        float[] before = expected.clone();
        double le = SCALAR.softmaxCrossEntropyRow(logits, off, c, target, withGrad ? expected : null, off,
                scale, accumulate);
        double la = vector(true).softmaxCrossEntropyRow(logits, off, c, target, withGrad ? actual : null, off,
                scale, accumulate);

        // The reference in double: log-sum-exp shifted by the maximum.
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < c; j++) {
            max = Math.max(max, logits[off + j]);
        }
        double sum = 0;
        for (int j = 0; j < c; j++) {
            sum += Math.exp(logits[off + j] - max);
        }
        double ref = Math.log(sum) + max - logits[off + target];
        double tol = 1e-6 * (1 + Math.abs(ref)) + 1e-6 * Math.log(c + 1);
        assertEquals(ref, le, tol, "scalar loss c=" + c);
        assertEquals(ref, la, tol, "vector loss c=" + c);
        if (withGrad) {
            assertSentinels(actual, off, off + c, "softmax grad");
            assertClose(expected, actual, 1e-6, "softmax grad c=" + c);
            for (int j = 0; j < c; j++) {
                double p = Math.exp(logits[off + j] - max) / sum;
                double g = scale * (p - (j == target ? 1 : 0)) + (accumulate ? init[j] : 0);
                assertEquals(g, expected[off + j], 1e-6 * (1 + Math.abs(g)), "softmax grad definition at " + j);
            }
        } else {
            KernelAssertions.assertSameBits(before, actual, "softmax without grad wrote");
        }
    }

    @Property(tries = 80)
    void smoothedCrossEntropyRowAgrees(@ForAll("sizes") int c, @ForAll @IntRange(min = 1, max = 9) int off,
                                       @ForAll long seed, @ForAll boolean accumulate,
                                       @ForAll @IntRange(max = 1000) int targetPick,
                                       @ForAll @IntRange(min = 0, max = 100) int epsPercent) {
        if (c == 0) {
            return;
        }
        float eps = epsPercent / 100f;
        float[] logits = data(seed, c + off);
        for (int j = 0; j < c; j++) {
            logits[off + j] *= 10;
        }
        int target = targetPick % c;
        float scale = 0.37f;
        float[] init = data(seed + 9, c);
        float[] expected = sentinels(c + 2 * off);
        System.arraycopy(init, 0, expected, off, c);
        float[] actual = expected.clone();
        double le = SCALAR.softmaxCrossEntropyRow(logits, off, c, target, eps, expected, off, scale, accumulate);
        double la = vector(true).softmaxCrossEntropyRow(logits, off, c, target, eps, actual, off, scale, accumulate);
        assertSentinels(actual, off, off + c, "smoothed grad");
        assertClose(expected, actual, 1e-6, "smoothed grad c=" + c + " eps=" + eps);
        assertEquals(le, la, 1e-6 * (1 + Math.abs(le)) + 1e-6 * Math.log(c + 1), "smoothed loss c=" + c);
        if (eps == 0f) { // the plain kernel, bit for bit
            float[] plain = sentinels(c + 2 * off);
            System.arraycopy(init, 0, plain, off, c);
            double lp = vector(true).softmaxCrossEntropyRow(logits, off, c, target, plain, off, scale, accumulate);
            KernelAssertions.assertSameBits(plain, actual, "eps 0 vs plain");
            assertEquals(lp, la);
        }
    }

    @Property(tries = 150)
    void squaredErrorAgrees(@ForAll("sizes") int n, @ForAll @IntRange(min = 1, max = 9) int off,
                            @ForAll long seed, @ForAll boolean withGrad, @ForAll boolean accumulate,
                            @ForAll boolean fma) {
        float[] in = data(seed, n + off);
        float[] tg = data(seed + 1, n + 2 * off);
        float[] init = data(seed + 2, n);
        float[] expected = sentinels(n + 3 * off);
        System.arraycopy(init, 0, expected, 3 * off, n);
        float[] actual = expected.clone();
        float scale = 2f / Math.max(n, 1);
        double se = SCALAR.squaredError(in, off, tg, 2 * off, n, withGrad ? expected : null, 3 * off, scale, accumulate);
        double sa = vector(fma).squaredError(in, off, tg, 2 * off, n, withGrad ? actual : null, 3 * off, scale,
                accumulate);
        double ref = 0;
        for (int i = 0; i < n; i++) {
            double d = in[off + i] - tg[2 * off + i];
            ref += d * d;
        }
        // The differences are rounded to float in both kernels; the vector one sums squares in
        // float over blocks of BLOCK floats, each lane adding BLOCK / (4 lanes) of them.
        double rel = Math.ulp(1f) * (2 + VectorFusedKernels.BLOCK / (4.0 * LANES) + 4);
        assertEquals(ref, se, rel * ref + 1e-30, "scalar sum n=" + n);
        assertEquals(ref, sa, rel * ref + 1e-30, "vector sum n=" + n);
        if (withGrad) {
            KernelAssertions.assertSameBits(expected, actual, "squared error gradient n=" + n);
            for (int i = 0; i < n; i++) {
                float d = in[off + i] - tg[2 * off + i];
                assertEquals(accumulate ? init[i] + d * scale : d * scale, expected[3 * off + i], "gradient at " + i);
            }
        }
        if (withGrad) {
            assertSentinels(actual, 3 * off, 3 * off + n, "squared error");
        } else {
            KernelAssertions.assertSameBits(expected, actual, "squared error without a gradient wrote");
        }
    }

    @Example
    void largeLogitsStayFinite() {
        float[] logits = {1e4f, -1e4f, 3e4f, 2.9999e4f, 0f};
        for (FusedKernels k : new FusedKernels[] {SCALAR, vector(true)}) {
            float[] grad = new float[logits.length];
            double loss = k.softmaxCrossEntropyRow(logits, 0, logits.length, 0, grad, 0, 1f, false);
            assertEquals(2e4 + Math.log(1 + Math.exp(-1) + Math.exp(-2e4)), loss, 1e-6, k.describe());
            for (float g : grad) {
                assertTrue(Float.isFinite(g), k.describe() + ": " + Arrays.toString(grad));
            }
        }
    }

    @Example
    void describeNamesTheWidth() {
        assertTrue(vector(true).describe().contains(SPECIES.vectorBitSize() + " bits"), vector(true).describe());
    }
}
