package dev.vectorgrad.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The log-softmax kernels on the Vector API against their scalar twin, bit for bit (every exp,
 * log and sum is the twin's, in its order), and the twin against the definition in double.
 * VectorSoftmaxKernels is built explicitly, so the comparison also runs in the Surefire run that
 * forces the scalar kernels. Arrays sit at a non-zero offset between sentinels. The awkward size
 * goes into each position of the {@code [outer, n, inner]} block in turn: the slice length along
 * the last dim (vectorised along the slice), the number of neighbouring columns (vectorised across
 * them, with leftover columns), and the slice length of columns.
 */
class SoftmaxKernelsProperties {

    private static final int LANES = VectorMatmul.S.length();
    private static final SoftmaxKernels SCALAR = ScalarSoftmaxKernels.INSTANCE;
    private static final SoftmaxKernels VECTOR = new VectorSoftmaxKernels(VectorMatmul.S);
    private static final float SENTINEL = -98765.43f;

    @Provide
    Arbitrary<Integer> sizes() {
        int l = LANES;
        return Arbitraries.of(0, 1, l - 1, l, l + 1, 2 * l + 1, 13, 31, 97, 784, 1021);
    }

    private record Block(int outer, int n, int inner) {
        int numel() {
            return outer * n * inner;
        }
    }

    private static Block block(int size, int where, SplittableRandom r) {
        return switch (where) {
            case 0 -> new Block(1 + r.nextInt(3), size, 1);
            case 1 -> new Block(1 + r.nextInt(2), 1 + r.nextInt(5), size);
            default -> new Block(1 + r.nextInt(2), size, 2 + r.nextInt(LANES + 2));
        };
    }

    /**
     * Gaussian logits at a scale of 1, 30 or 1e4 (where float spacing is 1e-3), at offset
     * {@code off} between sentinels; with {@code specials}, some -inf, +inf and NaN elements too.
     */
    private static float[] logits(SplittableRandom r, int off, int n, boolean specials) {
        float[] a = new float[off + n + 3];
        Arrays.fill(a, SENTINEL);
        double scale = new double[] {1, 30, 1e4}[r.nextInt(3)];
        for (int i = 0; i < n; i++) {
            a[off + i] = (float) (r.nextGaussian() * scale);
            if (specials && r.nextInt(40) == 0) {
                a[off + i] = new float[] {Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, Float.NaN}[r.nextInt(3)];
            }
        }
        return a;
    }

    private static int at(Block b, int o, int k, int j) {
        return (o * b.n() + k) * b.inner() + j;
    }

    @Property(tries = 80)
    void forwardIsTheScalarTwinsBitsAndTheDefinition(@ForAll("sizes") int size,
            @ForAll @IntRange(min = 0, max = 2) int where, @ForAll @IntRange(min = 1, max = 7) int off,
            @ForAll boolean specials, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Block b = block(size, where, r);
        int m = b.numel();
        float[] x = logits(r, off, m, specials);
        float[] xCopy = x.clone();
        String what = b + " off " + off;

        float[] oS = new float[2 * off + m + 3];
        Arrays.fill(oS, SENTINEL);
        float[] oV = oS.clone();
        SCALAR.logSoftmax(x, off, oS, 2 * off, b.outer(), b.n(), b.inner());
        VECTOR.logSoftmax(x, off, oV, 2 * off, b.outer(), b.n(), b.inner());
        KernelAssertions.assertSameBits(oS, oV, what + " vector against scalar");
        KernelAssertions.assertSentinels(SENTINEL, oV, 2 * off, m, what);
        KernelAssertions.assertSameBits(xCopy, x, what + ": x is read only");

        float[] inPlace = x.clone();
        VECTOR.logSoftmax(inPlace, off, inPlace, off, b.outer(), b.n(), b.inner());
        float[] expected = xCopy.clone();
        System.arraycopy(oS, 2 * off, expected, off, m);
        KernelAssertions.assertSameBits(expected, inPlace, what + " in place");

        for (int o = 0; o < b.outer(); o++) {
            for (int j = 0; j < b.inner(); j++) {
                checkSliceAgainstDouble(x, off, oS, 2 * off, b, o, j, what + " slice (" + o + ", " + j + ")");
            }
        }
    }

    /** One slice against {@code x - max - log(sum exp(x - max))} in double, or PyTorch's NaN and -inf rules. */
    private static void checkSliceAgainstDouble(float[] x, int xOff, float[] out, int outOff, Block b, int o, int j,
                                                String what) {
        int n = b.n();
        double max = Double.NEGATIVE_INFINITY;
        boolean nan = false;
        for (int k = 0; k < n; k++) {
            float v = x[xOff + at(b, o, k, j)];
            nan |= Float.isNaN(v);
            max = Math.max(max, v);
        }
        for (int k = 0; k < n; k++) {
            float v = x[xOff + at(b, o, k, j)];
            float got = out[outOff + at(b, o, k, j)];
            if (nan || max == Double.NEGATIVE_INFINITY || max == Double.POSITIVE_INFINITY && v == max) {
                assertTrue(Float.isNaN(got), what + ": expected NaN at " + k + " (x " + v + ", max " + max + "), got " + got);
            } else if (max == Double.POSITIVE_INFINITY || v == Float.NEGATIVE_INFINITY) {
                assertEquals(Float.NEGATIVE_INFINITY, got, what + ": a finite or -inf element beside +inf, or a -inf one, at " + k);
            }
        }
        if (nan || Double.isInfinite(max)) {
            return;
        }
        double sum = 0;
        for (int k = 0; k < n; k++) {
            sum += Math.exp(x[xOff + at(b, o, k, j)] - max);
        }
        double logSum = Math.log(sum);
        for (int k = 0; k < n; k++) {
            float v = x[xOff + at(b, o, k, j)];
            if (v == Float.NEGATIVE_INFINITY) {
                continue;
            }
            double e = (v - max) - logSum;
            double got = out[outOff + at(b, o, k, j)];
            // x - max and the log of a sum of float exps each round once or twice: a few float ulps of their sizes.
            double tol = 4 * 0x1p-24 * (Math.abs(v - max) + Math.abs(logSum) + 1);
            assertTrue(Math.abs(e - got) <= tol, what + " at " + k + ": expected " + e + ", got " + got + " (tol " + tol + ")");
        }
    }

    @Property(tries = 80)
    void backwardIsTheScalarTwinsBitsAndTheDefinition(@ForAll("sizes") int size,
            @ForAll @IntRange(min = 0, max = 2) int where, @ForAll @IntRange(min = 1, max = 7) int off,
            @ForAll boolean accumulate, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Block b = block(size, where, r);
        int m = b.numel();
        float[] x = logits(r, off, m, false);
        float[] y = new float[off + m + 3];
        Arrays.fill(y, SENTINEL);
        SCALAR.logSoftmax(x, off, y, off, b.outer(), b.n(), b.inner());
        float[] g = logits(r, off + 1, m, false);
        for (int i = 0; i < m; i++) {
            g[off + 1 + i] = (float) r.nextGaussian();
        }
        float[] gCopy = g.clone();
        float[] start = new float[3 + m + 4];
        Arrays.fill(start, SENTINEL);
        for (int i = 0; i < m; i++) {
            start[3 + i] = (float) r.nextGaussian();
        }
        float[] gS = start.clone();
        float[] gV = start.clone();
        String what = b + " off " + off + (accumulate ? " accumulating" : "");
        SCALAR.logSoftmaxBackward(g, off + 1, y, off, gS, 3, b.outer(), b.n(), b.inner(), accumulate);
        VECTOR.logSoftmaxBackward(g, off + 1, y, off, gV, 3, b.outer(), b.n(), b.inner(), accumulate);
        KernelAssertions.assertSameBits(gS, gV, what + " vector against scalar");
        KernelAssertions.assertSentinels(SENTINEL, gV, 3, m, what);
        KernelAssertions.assertSameBits(gCopy, g, what + ": g is read only");

        if (!accumulate) {
            float[] inPlace = g.clone();
            VECTOR.logSoftmaxBackward(inPlace, off + 1, y, off, inPlace, off + 1, b.outer(), b.n(), b.inner(), false);
            for (int i = 0; i < m; i++) {
                assertEquals(Float.floatToIntBits(gS[3 + i]), Float.floatToIntBits(inPlace[off + 1 + i]),
                        what + " into g itself, at " + i);
            }
        }

        for (int o = 0; o < b.outer(); o++) {
            for (int j = 0; j < b.inner(); j++) {
                double sum = 0;
                double abs = 0;
                for (int k = 0; k < b.n(); k++) {
                    sum += g[off + 1 + at(b, o, k, j)];
                    abs += Math.abs(g[off + 1 + at(b, o, k, j)]);
                }
                for (int k = 0; k < b.n(); k++) {
                    int i = at(b, o, k, j);
                    double p = Math.exp(y[off + i]);
                    double e = g[off + 1 + i] - p * sum + (accumulate ? start[3 + i] : 0);
                    double tol = 4 * 0x1p-24 * (Math.abs(g[off + 1 + i]) + p * abs + Math.abs(start[3 + i]) + 1e-30);
                    assertTrue(Math.abs(e - gS[3 + i]) <= tol,
                            what + " at " + i + ": expected " + e + ", got " + gS[3 + i] + " (tol " + tol + ")");
                }
            }
        }
    }

    @Property(tries = 80)
    void logSumExpIsTheScalarTwinsBitsAndTheDefinition(@ForAll("sizes") int size,
            @ForAll @IntRange(min = 0, max = 2) int where, @ForAll @IntRange(min = 1, max = 7) int off,
            @ForAll boolean specials, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Block b = block(size, where, r);
        int m = b.numel();
        int slices = b.outer() * b.inner();
        float[] x = logits(r, off, m, specials);
        float[] xCopy = x.clone();
        String what = b + " off " + off;
        float[] lS = new float[off + slices + 3];
        Arrays.fill(lS, SENTINEL);
        float[] lV = lS.clone();
        SCALAR.logSumExp(x, off, lS, off, b.outer(), b.n(), b.inner());
        VECTOR.logSumExp(x, off, lV, off, b.outer(), b.n(), b.inner());
        KernelAssertions.assertSameBits(lS, lV, what + " vector against scalar");
        KernelAssertions.assertSentinels(SENTINEL, lV, off, slices, what);
        KernelAssertions.assertSameBits(xCopy, x, what + ": x is read only");
        for (int o = 0; o < b.outer(); o++) {
            for (int j = 0; j < b.inner(); j++) {
                double max = Double.NEGATIVE_INFINITY;
                boolean nan = false;
                for (int k = 0; k < b.n(); k++) {
                    float v = x[off + at(b, o, k, j)];
                    nan |= Float.isNaN(v);
                    max = Math.max(max, v);
                }
                float got = lS[off + o * b.inner() + j];
                String slice = what + " slice (" + o + ", " + j + ")";
                if (nan) {
                    assertTrue(Float.isNaN(got), slice + ": a NaN element gives NaN, got " + got);
                } else if (Double.isInfinite(max)) {
                    assertEquals((float) max, got, slice + ": an empty or all -inf slice gives -inf, one with +inf +inf");
                } else {
                    double sum = 0;
                    for (int k = 0; k < b.n(); k++) {
                        sum += Math.exp(x[off + at(b, o, k, j)] - max);
                    }
                    double e = max + Math.log(sum);
                    double tol = 4 * 0x1p-24 * (Math.abs(max) + Math.log(sum) + 1);
                    assertTrue(Math.abs(e - got) <= tol, slice + ": expected " + e + ", got " + got + " (tol " + tol + ")");
                }
            }
        }
    }

    @Test
    void infiniteSlicesGiveNanAndSoftmaxSumsToOne() {
        float inf = Float.POSITIVE_INFINITY;
        for (SoftmaxKernels k : new SoftmaxKernels[] {SCALAR, VECTOR}) {
            int n = 2 * LANES + 3;
            float[] x = new float[3 * n];
            Arrays.fill(x, 0, n, -inf);                         // all -inf: 0/0, NaN as PyTorch
            for (int i = 0; i < n; i++) {
                x[n + i] = i == 5 ? inf : i;                     // one +inf: NaN there, -inf elsewhere
                x[2 * n + i] = 1e4f + i * 1e-3f * 7;             // large logits, spacing 1e-3: finite
            }
            float[] out = new float[3 * n];
            k.logSoftmax(x, 0, out, 0, 3, n, 1);
            double p = 0;
            for (int i = 0; i < n; i++) {
                assertTrue(Float.isNaN(out[i]), k.describe() + ": all -inf at " + i);
                assertEquals(i == 5 ? Float.NaN : -inf, out[n + i], k.describe() + ": beside +inf at " + i);
                assertTrue(Float.isFinite(out[2 * n + i]) && out[2 * n + i] <= 0, k.describe() + ": large logit at " + i);
                p += Math.exp(out[2 * n + i]);
            }
            assertEquals(1.0, p, 1e-5, k.describe() + ": exp of the log-softmax sums to 1");
        }
    }
}
