package dev.vectorgrad.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * Batch and layer normalisation against references in double written from PyTorch's formulas:
 * the batch statistics (mean, biased variance), the running statistics' update with the unbiased
 * variance, the normalised output, and the closed-form backward in training and evaluation;
 * inputs of rank 2, 3 and 4, contiguous and as views, with a large common offset the two-pass
 * variance must survive.
 */
class NormalizationTest {

    /** x as [outer, channels, inner] doubles, read from the tensor's logical order. */
    private static double[] doubles(Tensor t) {
        float[] f = t.toArray();
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    private static void assertClose(double expected, double actual, double tol, String what) {
        if (!(Math.abs(expected - actual) <= tol * (1 + Math.abs(expected)))) {
            throw new AssertionError(what + ": expected " + expected + " but was " + actual);
        }
    }

    private static void assertWithin(double expected, double actual, double tol, String what) {
        if (!(Math.abs(expected - actual) <= tol)) {
            throw new AssertionError(what + ": expected " + expected + " but was " + actual + " (tolerance " + tol + ")");
        }
    }

    private static int[] shapeFor(SplittableRandom r, int rank) {
        int n = 1 + r.nextInt(5);
        int c = 1 + r.nextInt(4);
        return switch (rank) {
            case 2 -> new int[] {n + 1, c};
            case 3 -> new int[] {n, c, 2 + r.nextInt(12)}; // at least two values per channel: running stats need them
            default -> new int[] {n, c, 1 + r.nextInt(7), 2 + r.nextInt(8)};
        };
    }

    /** The tensor, contiguous or as a view with the same logical values (transposed storage). */
    private static Tensor maybeView(Tensor t, boolean view) {
        if (!view || t.dim() < 2) {
            return t;
        }
        int last = t.dim() - 1;
        return t.transpose(0, last).contiguous().transpose(0, last);
    }

    @Property(tries = 60)
    void batchNormMatchesTheDoubleReferenceInTrainingAndEvaluation(
            @ForAll @IntRange(min = 2, max = 4) int rank, @ForAll long seed, @ForAll boolean view, @ForAll boolean affine) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] shape = shapeFor(r, rank);
        int n = shape[0];
        int c = shape[1];
        int inner = 1;
        for (int d = 2; d < shape.length; d++) {
            inner *= shape[d];
        }
        int m = n * inner;
        Rng rng = new Rng(seed);
        Tensor x = maybeView(Tensor.randn(rng, shape).mul(2f).add(50f), view); // a large offset
        Tensor w = affine ? Tensor.randn(rng, c) : null;
        Tensor b = affine ? Tensor.randn(rng, c) : null;
        Tensor rm = Tensor.randn(rng, c);
        Tensor rv = Tensor.rand(rng, c).add(0.5f);
        double[] rm0 = doubles(rm);
        double[] rv0 = doubles(rv);
        float eps = 1e-5f;
        float momentum = 0.1f + 0.8f * (float) r.nextDouble();
        String what = "batchNorm " + java.util.Arrays.toString(shape) + (view ? " view" : "");

        double[] xs = doubles(x);
        double[] mean = new double[c];
        double[] var = new double[c];
        for (int i = 0; i < xs.length; i++) {
            mean[(i / inner) % c] += xs[i] / m;
        }
        for (int i = 0; i < xs.length; i++) {
            double d = xs[i] - mean[(i / inner) % c];
            var[(i / inner) % c] += d * d / m;
        }

        Tensor sm = Tensor.zeros(c);
        Tensor si = Tensor.zeros(c);
        Normalization.batchNormStatistics(x, eps, sm, si, rm, rv, momentum);
        for (int ch = 0; ch < c; ch++) {
            assertClose(mean[ch], sm.get(ch), 1e-6, what + " mean " + ch);
            assertClose(1 / Math.sqrt(var[ch] + eps), si.get(ch), 1e-4, what + " invstd " + ch);
            assertClose((1 - momentum) * rm0[ch] + momentum * mean[ch], rm.get(ch), 1e-6, what + " running mean " + ch);
            double unbiased = var[ch] * m / (m - 1);
            assertClose((1 - momentum) * rv0[ch] + momentum * unbiased, rv.get(ch), 1e-4, what + " running var " + ch);
        }

        Tensor out = Tensor.zeros(shape);
        Normalization.batchNormForward(x, sm, si, w, b, out);
        double[] o = doubles(out);
        Tensor dy = maybeView(Tensor.randn(rng, shape), !view);
        double[] g = doubles(dy);
        double[] sumDy = new double[c];
        double[] sumDyXhat = new double[c];
        double[] xhat = new double[xs.length];
        for (int i = 0; i < xs.length; i++) {
            int ch = (i / inner) % c;
            xhat[i] = (xs[i] - mean[ch]) / Math.sqrt(var[ch] + eps);
            double y = xhat[i] * (affine ? w.get(ch) : 1) + (affine ? b.get(ch) : 0);
            double outTol = (1e-5 + 4 * Math.ulp((float) mean[ch]) / Math.sqrt(var[ch] + eps))
                    * (1 + Math.abs(y) + Math.abs(xhat[i] * (affine ? w.get(ch) : 1)));
            assertWithin(y, o[i], outTol, what + " output " + i);
            sumDy[ch] += g[i];
            sumDyXhat[ch] += g[i] * xhat[i];
        }

        Tensor gx = Tensor.full(Float.NaN, shape);
        Tensor gw = Tensor.full(Float.NaN, c);
        Tensor gb = Tensor.full(Float.NaN, c);
        Normalization.batchNormBackward(dy, x, sm, si, w, true, gx, gw, gb);
        double[] gxs = doubles(gx);
        for (int i = 0; i < xs.length; i++) {
            int ch = (i / inner) % c;
            double k = (affine ? w.get(ch) : 1) / Math.sqrt(var[ch] + eps);
            double e = k * (g[i] - sumDy[ch] / m - xhat[i] * sumDyXhat[ch] / m);
            // The terms cancel (entirely, with two values per channel): float error scales with them, not with e.
            double terms = Math.abs(k) * (Math.abs(g[i]) + Math.abs(sumDy[ch] / m) + Math.abs(xhat[i] * sumDyXhat[ch] / m));
            // And the float mean's rounding, amplified by invstd, is the conditioning of x - mean.
            double cond = 1e-5 + 4 * Math.ulp((float) mean[ch]) / Math.sqrt(var[ch] + eps);
            assertWithin(e, gxs[i], cond * terms + 1e-6, what + " gradIn (training) " + i);
        }
        for (int ch = 0; ch < c; ch++) {
            assertClose(sumDyXhat[ch], gw.get(ch), 1e-3, what + " gradWeight " + ch);
            assertClose(sumDy[ch], gb.get(ch), 1e-5, what + " gradBias " + ch);
        }

        // Evaluation: the running statistics are constants; the output is affine in x.
        Tensor ei = Normalization.invStd(rv, eps, Tensor.zeros(c));
        Normalization.batchNormForward(x, rm, ei, w, b, out);
        Normalization.batchNormBackward(dy, x, rm, ei, w, false, gx, null, null);
        double[] eo = doubles(out);
        double[] eg = doubles(gx);
        for (int i = 0; i < xs.length; i++) {
            int ch = (i / inner) % c;
            double s = 1 / Math.sqrt(rv.get(ch) + (double) eps);
            double wc = affine ? w.get(ch) : 1;
            assertClose((xs[i] - rm.get(ch)) * s * wc + (affine ? b.get(ch) : 0), eo[i], 1e-4, what + " eval output " + i);
            assertClose(g[i] * s * wc, eg[i], 1e-5, what + " eval gradIn " + i);
        }
    }

    @Property(tries = 60)
    void layerNormMatchesTheDoubleReference(@ForAll @IntRange(min = 1, max = 3) int k, @ForAll long seed,
                                            @ForAll boolean view, @ForAll boolean affine) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] shape = {1 + r.nextInt(4), 1 + r.nextInt(5), 1 + r.nextInt(9), 1 + r.nextInt(40)};
        int[] norm = java.util.Arrays.copyOfRange(shape, 4 - k, 4);
        int d = 1;
        for (int s : norm) {
            d *= s;
        }
        Rng rng = new Rng(seed);
        Tensor x = maybeView(Tensor.randn(rng, shape).add(-20f), view);
        Tensor w = affine ? Tensor.randn(rng, norm) : null;
        Tensor b = affine ? Tensor.randn(rng, norm) : null;
        float eps = 1e-5f;
        Tensor out = Tensor.zeros(shape);
        int rows = x.numel() / d;
        Tensor mean = Tensor.zeros(rows);
        Tensor rstd = Tensor.zeros(rows);
        Normalization.layerNorm(x, norm, w, b, eps, out, mean, rstd);
        Tensor dy = Tensor.randn(rng, shape);
        Tensor gx = Tensor.full(Float.NaN, shape);
        Tensor gw = Tensor.full(Float.NaN, norm);
        Tensor gb = Tensor.full(Float.NaN, norm);
        Normalization.layerNormBackward(dy, x, norm, mean, rstd, w, gx, affine ? gw : null, affine ? gb : null);

        double[] xs = doubles(x);
        double[] o = doubles(out);
        double[] g = doubles(dy);
        double[] gxs = doubles(gx);
        double[] wv = affine ? doubles(w) : null;
        double[] bv = affine ? doubles(b) : null;
        double[] gwRef = new double[d];
        double[] gbRef = new double[d];
        String what = "layerNorm " + java.util.Arrays.toString(shape) + " over " + java.util.Arrays.toString(norm);
        for (int row = 0; row < rows; row++) {
            double mu = 0;
            for (int j = 0; j < d; j++) {
                mu += xs[row * d + j] / d;
            }
            double var = 0;
            for (int j = 0; j < d; j++) {
                var += (xs[row * d + j] - mu) * (xs[row * d + j] - mu) / d;
            }
            double rs = 1 / Math.sqrt(var + eps);
            assertClose(mu, mean.get(row), 1e-6, what + " mean " + row);
            assertClose(rs, rstd.get(row), 1e-4, what + " rstd " + row);
            double sg = 0;
            double sgx = 0;
            for (int j = 0; j < d; j++) {
                double xh = (xs[row * d + j] - mu) * rs;
                double gj = g[row * d + j] * (affine ? wv[j] : 1);
                sg += gj;
                sgx += gj * xh;
                double y = xh * (affine ? wv[j] : 1) + (affine ? bv[j] : 0);
                double outTol = (1e-5 + 4 * Math.ulp((float) mu) * rs) * (1 + Math.abs(y) + Math.abs(xh * (affine ? wv[j] : 1)));
                assertWithin(y, o[row * d + j], outTol, what + " output");
                gwRef[j] += g[row * d + j] * xh;
                gbRef[j] += g[row * d + j];
            }
            for (int j = 0; j < d; j++) {
                double xh = (xs[row * d + j] - mu) * rs;
                double gj = g[row * d + j] * (affine ? wv[j] : 1);
                double e = rs * (gj - sg / d - xh * sgx / d);
                double terms = rs * (Math.abs(gj) + Math.abs(sg / d) + Math.abs(xh * sgx / d));
                double cond = 1e-5 + 4 * Math.ulp((float) mu) * rs;
                assertWithin(e, gxs[row * d + j], cond * terms + 1e-6, what + " gradIn row " + row + " col " + j);
            }
        }
        if (affine) {
            for (int j = 0; j < d; j++) {
                assertClose(gwRef[j], gw.toArray()[j], 1e-3, what + " gradWeight " + j);
                assertClose(gbRef[j], gb.toArray()[j], 1e-5, what + " gradBias " + j);
            }
        }
    }

    @Test
    void theVarianceSurvivesALargeCommonOffset() {
        // E[x^2] - E[x]^2 in float would return 0 or noise here; two passes keep every digit.
        int n = 4096;
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = 10000f + (i % 2 == 0 ? 0.5f : -0.5f);
        }
        Tensor x = Tensor.of(v, n, 1);
        Tensor mean = Tensor.zeros(1);
        Tensor invstd = Tensor.zeros(1);
        Normalization.batchNormStatistics(x, 1e-5f, mean, invstd, null, null, 0.1f);
        assertEquals(10000f, mean.item());
        assertClose(1 / Math.sqrt(0.25 + 1e-5), invstd.item(), 1e-6, "invstd");
    }

    @Test
    void badArgumentsAreRefusedNamingTheOpAndShapes() {
        Tensor x = Tensor.zeros(8, 4, 5, 5);
        IllegalArgumentException c = assertThrows(IllegalArgumentException.class,
                () -> Normalization.batchNormStatistics(x, 1e-5f, Tensor.zeros(3), Tensor.zeros(3), null, null, 0.1f));
        assertTrue(c.getMessage().contains("[3]") && c.getMessage().contains("[4]")
                && c.getMessage().contains("[8, 4, 5, 5]"), c.getMessage());
        IllegalArgumentException one = assertThrows(IllegalArgumentException.class,
                () -> Normalization.batchNormStatistics(Tensor.zeros(1, 3), 1e-5f, Tensor.zeros(3), Tensor.zeros(3),
                        Tensor.zeros(3), Tensor.ones(3), 0.1f));
        assertTrue(one.getMessage().contains("more than 1 value per channel"), one.getMessage());
        IllegalArgumentException rank = assertThrows(IllegalArgumentException.class,
                () -> Normalization.batchNormForward(Tensor.zeros(4), Tensor.zeros(4), Tensor.zeros(4), null, null,
                        Tensor.zeros(4)));
        assertTrue(rank.getMessage().contains("at least 2 dims"), rank.getMessage());
        IllegalArgumentException eps = assertThrows(IllegalArgumentException.class,
                () -> Normalization.batchNormStatistics(x, 0f, Tensor.zeros(4), Tensor.zeros(4), null, null, 0.1f));
        assertTrue(eps.getMessage().contains("eps"), eps.getMessage());
        IllegalArgumentException ln = assertThrows(IllegalArgumentException.class,
                () -> Normalization.layerNorm(Tensor.zeros(2, 5), new int[] {4}, null, null, 1e-5f, Tensor.zeros(2, 5),
                        Tensor.zeros(2), Tensor.zeros(2)));
        assertTrue(ln.getMessage().contains("[2, 5] does not end in normalized_shape [4]"), ln.getMessage());
        IllegalArgumentException lw = assertThrows(IllegalArgumentException.class,
                () -> Normalization.layerNorm(Tensor.zeros(2, 5), new int[] {5}, Tensor.ones(4), null, 1e-5f,
                        Tensor.zeros(2, 5), Tensor.zeros(2), Tensor.zeros(2)));
        assertTrue(lw.getMessage().contains("weight has shape [4]"), lw.getMessage());
        Tensor out = Tensor.zeros(8, 4, 5, 5);
        IllegalArgumentException alias = assertThrows(IllegalArgumentException.class,
                () -> Normalization.batchNormForward(out, Tensor.zeros(4), Tensor.ones(4), null, null, out));
        assertTrue(alias.getMessage().contains("shares storage"), alias.getMessage());
    }
}
