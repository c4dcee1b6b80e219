package dev.vectorgrad.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.SplittableRandom;

import jdk.incubator.vector.VectorSpecies;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * The normalisation kernels on the Vector API against their scalar twins: the elementwise passes
 * bit for bit, the sums within a few float roundings of a block, and the scalar sums against the
 * definitions in double. VectorNormalizationKernels is built explicitly, so the comparison also
 * runs in the Surefire run that forces the scalar kernels. Every array sits at a non-zero offset
 * between sentinels, so a kernel that ignores an offset or writes past its run fails. The awkward
 * size goes into each position of the layout in turn: the run length (vectorised along runs), the
 * channel count with runs of one (vectorised across channels), and a layer norm's row length.
 */
class NormalizationKernelsProperties {

    private static final VectorSpecies<Float> SPECIES = VectorMatmul.S;
    private static final int LANES = SPECIES.length();
    private static final NormalizationKernels SCALAR = ScalarNormalizationKernels.INSTANCE;
    private static final NormalizationKernels VECTOR = new VectorNormalizationKernels(SPECIES);
    private static final float SENTINEL = -98765.43f;

    @Provide
    Arbitrary<Integer> sizes() {
        int l = LANES;
        return Arbitraries.of(0, 1, l - 1, l, l + 1, 2 * l + 1, 13, 31, 97, 784, 1021, 2053);
    }

    /** Where the awkward size goes: the run, the channels (runs of one), or a short run below a vector. */
    private record Block(int outer, int channels, int inner) {
        int n() {
            return outer * channels * inner;
        }
    }

    private static Block block(int size, int where, SplittableRandom r) {
        return switch (where) {
            case 0 -> new Block(1 + r.nextInt(3), 1 + r.nextInt(3), size);
            case 1 -> new Block(1 + r.nextInt(5), size, 1);
            default -> new Block(1 + r.nextInt(4), size, 2 + r.nextInt(Math.max(1, LANES - 2)));
        };
    }

    private static float[] run(SplittableRandom r, int off, int n, double mean) {
        float[] a = new float[off + n + 3];
        Arrays.fill(a, SENTINEL);
        for (int i = 0; i < n; i++) {
            a[off + i] = (float) (mean + r.nextGaussian());
        }
        return a;
    }

    private static float[] perChannel(SplittableRandom r, int c, double lo, double hi) {
        float[] a = new float[c];
        for (int i = 0; i < c; i++) {
            a[i] = (float) r.nextDouble(lo, hi);
        }
        return a;
    }

    private static void assertWithin(double expected, double actual, double tol, String what) {
        if (!(Math.abs(expected - actual) <= tol)) {
            throw new AssertionError(what + ": expected " + expected + " but was " + actual + " (tolerance " + tol + ")");
        }
    }

    /** Per channel of a block: the sum of {@code f(element index)} and of its magnitude, in double. */
    private interface Term {
        double at(int k, int c);
    }

    private static double[][] channelSums(Block b, Term t) {
        double[] sum = new double[b.channels()];
        double[] abs = new double[b.channels()];
        for (int n = 0; n < b.outer(); n++) {
            for (int c = 0; c < b.channels(); c++) {
                for (int i = 0; i < b.inner(); i++) {
                    double v = t.at((n * b.channels() + c) * b.inner() + i, c);
                    sum[c] += v;
                    abs[c] += Math.abs(v);
                }
            }
        }
        return new double[][] {sum, abs};
    }

    /** A float block sum's error bound: a block's worth of roundings of the magnitudes, plus the lanes' reduction. */
    private static double sumTolerance(double abs) {
        return (Math.max(VectorNormalizationKernels.BLOCK / (double) LANES, VectorNormalizationKernels.ROWS) + 2 * LANES + 8)
                * 0x1p-24 * abs + 1e-30;
    }

    /**
     * A range of channels (what a thread of a split batch norm computes) gives, on those channels,
     * the bits of the whole block's call, and leaves every other channel's entries and elements
     * as they were. Runs of at least two floats: there a channel's result does not depend on the
     * range (runs of one are never split, see NormalizationKernels).
     */
    @Property(tries = 60)
    void aRangeOfChannelsComputesThoseChannelsAsTheWholeBlockDoes(
            @ForAll("sizes") int size, @ForAll @IntRange(min = 1, max = 7) int off, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Block b = new Block(1 + r.nextInt(3), 1 + r.nextInt(9), Math.max(2, size));
        int c = b.channels();
        int from = r.nextInt(c);
        int to = from + 1 + r.nextInt(c - from);
        float[] x = run(r, off, b.n(), 3);
        float[] dy = run(r, off, b.n(), 0);
        float[] mean = perChannel(r, c, 2, 4);
        float[] scale = perChannel(r, c, 0.5, 2);
        float[] shift = perChannel(r, c, -1, 1);
        float[] proj = perChannel(r, c, -0.1, 0.1);
        for (NormalizationKernels k : new NormalizationKernels[] {SCALAR, VECTOR}) {
            String what = k.describe() + " " + b + " channels " + from + ".." + to;
            double[][] whole = new double[4][c];
            double[][] part = new double[4][c];
            for (double[] p : part) {
                Arrays.fill(p, Double.NaN);
            }
            k.channelSums(x, off, b.outer(), c, b.inner(), 0, c, whole[0]);
            k.channelSums(x, off, b.outer(), c, b.inner(), from, to, part[0]);
            k.channelSquaredDeviations(x, off, b.outer(), c, b.inner(), 0, c, mean, whole[1]);
            k.channelSquaredDeviations(x, off, b.outer(), c, b.inner(), from, to, mean, part[1]);
            k.channelBackwardSums(dy, off, x, off, b.outer(), c, b.inner(), 0, c, mean, whole[2], whole[3]);
            k.channelBackwardSums(dy, off, x, off, b.outer(), c, b.inner(), from, to, mean, part[2], part[3]);
            for (int s = 0; s < 4; s++) {
                for (int ch = 0; ch < c; ch++) {
                    long expected = Double.doubleToRawLongBits(ch >= from && ch < to ? whole[s][ch] : Double.NaN);
                    assertEquals(expected, Double.doubleToRawLongBits(part[s][ch]), what + " sums " + s + ", channel " + ch);
                }
            }
            float[][] outWhole = {new float[off + b.n() + 3], new float[off + b.n() + 3]};
            float[][] outPart = {new float[off + b.n() + 3], new float[off + b.n() + 3]};
            for (float[] o : outPart) {
                Arrays.fill(o, SENTINEL);
            }
            k.channelAffine(x, off, outWhole[0], off, b.outer(), c, b.inner(), 0, c, mean, scale, shift);
            k.channelAffine(x, off, outPart[0], off, b.outer(), c, b.inner(), from, to, mean, scale, shift);
            k.channelAffineBackward(dy, off, x, off, outWhole[1], off, b.outer(), c, b.inner(), 0, c,
                    mean, shift, proj, scale);
            k.channelAffineBackward(dy, off, x, off, outPart[1], off, b.outer(), c, b.inner(), from, to,
                    mean, shift, proj, scale);
            for (int o = 0; o < 2; o++) {
                for (int i = 0; i < outPart[o].length; i++) {
                    int e = i - off;
                    int ch = e / b.inner() % c;
                    boolean mine = e >= 0 && e < b.n() && ch >= from && ch < to;
                    assertEquals(Float.floatToRawIntBits(mine ? outWhole[o][i] : SENTINEL),
                            Float.floatToRawIntBits(outPart[o][i]), what + (o == 0 ? " channelAffine" : " channelAffineBackward")
                                    + " at " + e);
                }
            }
        }
    }

    @Property(tries = 60)
    void channelStatisticsAgreeWithTheScalarTwinAndTheDefinition(
            @ForAll("sizes") int size, @ForAll @IntRange(min = 0, max = 2) int where,
            @ForAll @IntRange(min = 1, max = 7) int off, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Block b = block(size, where, r);
        int c = b.channels();
        // A large common offset: the two-pass variance must not cancel it away.
        float[] x = run(r, off, b.n(), 100);
        float[] xCopy = x.clone();
        String what = "channels " + b + " off " + off;

        double[] sS = new double[c + 2];
        double[] sV = new double[c + 2];
        SCALAR.channelSums(x, off, b.outer(), c, b.inner(), 0, c, sS);
        VECTOR.channelSums(x, off, b.outer(), c, b.inner(), 0, c, sV);
        double[][] def = channelSums(b, (k, ch) -> x[off + k]);
        float[] mean = new float[c];
        for (int ch = 0; ch < c; ch++) {
            assertWithin(def[0][ch], sS[ch], 1e-12 * def[1][ch], what + " scalar sum, channel " + ch);
            assertWithin(sS[ch], sV[ch], sumTolerance(def[1][ch]), what + " vector sum, channel " + ch);
            mean[ch] = (float) (sS[ch] / (b.outer() * b.inner()));
        }

        double[] qS = new double[c];
        double[] qV = new double[c];
        SCALAR.channelSquaredDeviations(x, off, b.outer(), c, b.inner(), 0, c, mean, qS);
        VECTOR.channelSquaredDeviations(x, off, b.outer(), c, b.inner(), 0, c, mean, qV);
        double[][] q = channelSums(b, (k, ch) -> {
            double d = x[off + k] - mean[ch];
            return d * d;
        });
        for (int ch = 0; ch < c; ch++) {
            assertWithin(q[0][ch], qS[ch], 1e-6 * q[1][ch] + 1e-30, what + " scalar squared deviations, channel " + ch);
            assertWithin(qS[ch], qV[ch], sumTolerance(q[1][ch]), what + " vector squared deviations, channel " + ch);
        }

        float[] dy = run(r, off + 2, b.n(), 0);
        double[] s1 = new double[c];
        double[] p1 = new double[c];
        double[] s2 = new double[c];
        double[] p2 = new double[c];
        SCALAR.channelBackwardSums(dy, off + 2, x, off, b.outer(), c, b.inner(), 0, c, mean, s1, p1);
        VECTOR.channelBackwardSums(dy, off + 2, x, off, b.outer(), c, b.inner(), 0, c, mean, s2, p2);
        double[][] sd = channelSums(b, (k, ch) -> dy[off + 2 + k]);
        double[][] pd = channelSums(b, (k, ch) -> (double) dy[off + 2 + k] * (x[off + k] - mean[ch]));
        for (int ch = 0; ch < c; ch++) {
            assertWithin(sd[0][ch], s1[ch], 1e-12 * sd[1][ch], what + " scalar sum of dy, channel " + ch);
            assertWithin(pd[0][ch], p1[ch], 1e-6 * pd[1][ch] + 1e-30, what + " scalar sum of dy*(x-mean), channel " + ch);
            assertWithin(s1[ch], s2[ch], sumTolerance(sd[1][ch]), what + " vector sum of dy, channel " + ch);
            assertWithin(p1[ch], p2[ch], sumTolerance(pd[1][ch]), what + " vector sum of dy*(x-mean), channel " + ch);
        }
        KernelAssertions.assertSameBits(xCopy, x, what + ": x is read only");
    }

    @Property(tries = 60)
    void channelPassesAreBitIdenticalToTheScalarTwin(
            @ForAll("sizes") int size, @ForAll @IntRange(min = 0, max = 2) int where,
            @ForAll @IntRange(min = 1, max = 7) int off, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Block b = block(size, where, r);
        int c = b.channels();
        float[] x = run(r, off, b.n(), 1);
        float[] dy = run(r, off + 1, b.n(), 0);
        float[] mean = perChannel(r, c, -1, 1);
        float[] scale = perChannel(r, c, 0.1, 3);
        float[] shift = perChannel(r, c, -2, 2);
        float[] meanDy = perChannel(r, c, -0.5, 0.5);
        float[] proj = perChannel(r, c, -1, 1);
        String what = "channels " + b + " off " + off;

        float[] oS = run(r, 2 * off, b.n(), 0);
        float[] oV = oS.clone();
        SCALAR.channelAffine(x, off, oS, 2 * off, b.outer(), c, b.inner(), 0, c, mean, scale, shift);
        VECTOR.channelAffine(x, off, oV, 2 * off, b.outer(), c, b.inner(), 0, c, mean, scale, shift);
        KernelAssertions.assertSameBits(oS, oV, what + " channelAffine");
        KernelAssertions.assertSentinels(SENTINEL, oV, 2 * off, b.n(), what + " channelAffine");
        for (int k = 0; k < b.n(); k++) {
            int ch = (k / b.inner()) % c;
            double e = ((double) x[off + k] - mean[ch]) * scale[ch] + shift[ch];
            assertWithin(e, oS[2 * off + k], 1e-6 * (1 + Math.abs(x[off + k] * scale[ch]) + Math.abs(shift[ch])),
                    what + " channelAffine definition at " + k);
        }

        float[] gS = run(r, off + 3, b.n(), 0);
        float[] gV = gS.clone();
        SCALAR.channelAffineBackward(dy, off + 1, x, off, gS, off + 3, b.outer(), c, b.inner(), 0, c, mean, meanDy, proj, scale);
        VECTOR.channelAffineBackward(dy, off + 1, x, off, gV, off + 3, b.outer(), c, b.inner(), 0, c, mean, meanDy, proj, scale);
        KernelAssertions.assertSameBits(gS, gV, what + " channelAffineBackward");
        KernelAssertions.assertSentinels(SENTINEL, gV, off + 3, b.n(), what + " channelAffineBackward");
        for (int k = 0; k < b.n(); k++) {
            int ch = (k / b.inner()) % c;
            double e = ((dy[off + 1 + k] - (double) meanDy[ch]) - ((double) x[off + k] - mean[ch]) * proj[ch]) * scale[ch];
            assertWithin(e, gS[off + 3 + k], 1e-5 * (1 + Math.abs(e)), what + " channelAffineBackward definition at " + k);
        }
    }

    @Property(tries = 60)
    void rowKernelsAgreeWithTheScalarTwin(@ForAll("sizes") int d, @ForAll @IntRange(min = 1, max = 7) int off,
                                         @ForAll boolean affine, @ForAll boolean withBias, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int rows = 1 + r.nextInt(4);
        int n = rows * d;
        float[] x = run(r, off, n, 3);
        float[] dy = run(r, off + 2, n, 0);
        float[] w = affine ? run(r, 5, d, 1) : null;
        float[] bias = withBias ? run(r, 4, d, 0) : null;
        float[] mean = perChannel(r, rows, 2, 4);
        float[] rstd = perChannel(r, rows, 0.5, 2);
        float[] meanG = perChannel(r, rows, -0.5, 0.5);
        float[] proj = perChannel(r, rows, -1, 1);
        String what = "rows " + rows + "x" + d + " off " + off + " affine " + affine + " bias " + withBias;

        float[] oS = run(r, off + 1, n, 0);
        float[] oV = oS.clone();
        SCALAR.rowAffine(x, off, oS, off + 1, rows, d, mean, rstd, w, 5, bias, 4);
        VECTOR.rowAffine(x, off, oV, off + 1, rows, d, mean, rstd, w, 5, bias, 4);
        KernelAssertions.assertSameBits(oS, oV, what + " rowAffine");
        KernelAssertions.assertSentinels(SENTINEL, oV, off + 1, n, what + " rowAffine");

        double[] sS = new double[rows];
        double[] pS = new double[rows];
        double[] sV = new double[rows];
        double[] pV = new double[rows];
        SCALAR.rowBackwardSums(dy, off + 2, x, off, rows, d, mean, w, 5, sS, pS);
        VECTOR.rowBackwardSums(dy, off + 2, x, off, rows, d, mean, w, 5, sV, pV);
        for (int row = 0; row < rows; row++) {
            double s = 0;
            double p = 0;
            double sa = 0;
            double pa = 0;
            for (int j = 0; j < d; j++) {
                float g = w == null ? dy[off + 2 + row * d + j] : dy[off + 2 + row * d + j] * w[5 + j];
                double t = (double) g * (x[off + row * d + j] - mean[row]);
                s += g;
                p += t;
                sa += Math.abs(g);
                pa += Math.abs(t);
            }
            assertWithin(s, sS[row], 1e-12 * sa, what + " scalar sum of g, row " + row);
            assertWithin(p, pS[row], 1e-6 * pa + 1e-30, what + " scalar sum of g*(x-mean), row " + row);
            assertWithin(sS[row], sV[row], sumTolerance(sa), what + " vector sum of g, row " + row);
            assertWithin(pS[row], pV[row], sumTolerance(pa), what + " vector sum of g*(x-mean), row " + row);
        }

        float[] gS = run(r, off + 4, n, 0);
        float[] gV = gS.clone();
        SCALAR.rowAffineBackward(dy, off + 2, x, off, gS, off + 4, rows, d, mean, w, 5, meanG, proj, rstd);
        VECTOR.rowAffineBackward(dy, off + 2, x, off, gV, off + 4, rows, d, mean, w, 5, meanG, proj, rstd);
        KernelAssertions.assertSameBits(gS, gV, what + " rowAffineBackward");
        KernelAssertions.assertSentinels(SENTINEL, gV, off + 4, n, what + " rowAffineBackward");

        // Parameter gradients accumulate into what the arrays held; the statistics start at row 1 of a longer array.
        float[] longMean = new float[rows + 1];
        float[] longRstd = new float[rows + 1];
        System.arraycopy(mean, 0, longMean, 1, rows);
        System.arraycopy(rstd, 0, longRstd, 1, rows);
        float[] gwS = perChannel(r, d, -1, 1);
        float[] gbS = perChannel(r, d, -1, 1);
        float[] gwV = gwS.clone();
        float[] gbV = gbS.clone();
        SCALAR.rowParamGrads(dy, off + 2, x, off, rows, d, longMean, longRstd, 1, affine ? gwS : null, gbS);
        VECTOR.rowParamGrads(dy, off + 2, x, off, rows, d, longMean, longRstd, 1, affine ? gwV : null, gbV);
        KernelAssertions.assertSameBits(gwS, gwV, what + " rowParamGrads weight");
        KernelAssertions.assertSameBits(gbS, gbV, what + " rowParamGrads bias");
    }
}
