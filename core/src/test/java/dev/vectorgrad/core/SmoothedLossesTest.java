package dev.vectorgrad.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Cross-entropy with label smoothing, negative log-likelihood and binary cross-entropy with
 * logits, against their definitions evaluated in double; smoothing 0 against the plain fused
 * cross-entropy bit for bit; and the refusals of bad arguments.
 */
class SmoothedLossesTest {

    private static final Rng RNG = new Rng(7);

    private static double[][] rows(Tensor t) {
        int n = t.size(0);
        int c = t.size(1);
        double[][] r = new double[n][c];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < c; j++) {
                r[i][j] = t.get(i, j);
            }
        }
        return r;
    }

    private static Tensor labels(int n, int c) {
        float[] t = new float[n];
        for (int i = 0; i < n; i++) {
            t[i] = RNG.nextInt(c);
        }
        return Tensor.of(t, n);
    }

    @Test
    void smoothingZeroIsThePlainLossBitForBit() {
        for (int c : new int[] {1, 3, 10, 17, 1021}) {
            Tensor z = Tensor.randn(RNG, 9, c).mul(5f);
            Tensor t = labels(9, c);
            Tensor g1 = Tensor.randn(RNG, 9, c);
            Tensor g2 = g1.copy();
            double plain = Fused.softmaxCrossEntropy(z, t, g1, 0.7f, true);
            double smoothed = Fused.softmaxCrossEntropy(z, t, 0f, g2, 0.7f, true);
            assertEquals(Double.doubleToLongBits(plain), Double.doubleToLongBits(smoothed), "loss c=" + c);
            assertArrayEquals(g1.toArray(), g2.toArray(), "gradient c=" + c);
        }
    }

    @Test
    void smoothedCrossEntropyMatchesPyTorchsFormula() {
        for (int c : new int[] {1, 2, 10, 33}) {
            for (float eps : new float[] {0.1f, 0.37f, 1f}) {
                int n = 6;
                Tensor z = Tensor.randn(RNG, n, c).mul(c == 33 ? 100f : 3f); // large logits too
                Tensor t = labels(n, c);
                Tensor grad = Tensor.zeros(n, c);
                double loss = Fused.softmaxCrossEntropy(z, t, eps, grad, 1f, false);
                double[][] x = rows(z);
                double ref = 0;
                double[][] gRef = new double[n][c];
                for (int i = 0; i < n; i++) {
                    double max = Double.NEGATIVE_INFINITY;
                    for (double v : x[i]) {
                        max = Math.max(max, v);
                    }
                    double sum = 0;
                    for (double v : x[i]) {
                        sum += Math.exp(v - max);
                    }
                    double lse = max + Math.log(sum);
                    int ti = (int) t.get(i);
                    double meanNegLogP = 0;
                    for (int j = 0; j < c; j++) {
                        meanNegLogP += (lse - x[i][j]) / c;
                        double p = Math.exp(x[i][j] - lse);
                        gRef[i][j] = (p - (1 - eps) * (j == ti ? 1 : 0) - eps / c) / n;
                    }
                    ref += ((1 - eps) * (lse - x[i][ti]) + eps * meanNegLogP) / n;
                }
                assertEquals(ref, loss, 1e-5 * (1 + Math.abs(ref)), "loss c=" + c + " eps=" + eps);
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < c; j++) {
                        assertEquals(gRef[i][j], grad.get(i, j), 1e-6, "grad c=" + c + " eps=" + eps);
                    }
                }
            }
        }
    }

    @Test
    void transposedLogitsGiveTheSameSmoothedLoss() {
        Tensor z = Tensor.randn(RNG, 10, 7);
        Tensor t = labels(7, 10);
        Tensor g1 = Tensor.zeros(7, 10);
        Tensor g2 = Tensor.zeros(7, 10);
        double a = Fused.softmaxCrossEntropy(z.t(), t, 0.2f, g1, 1f, false);
        double b = Fused.softmaxCrossEntropy(z.t().contiguous(), t, 0.2f, g2, 1f, false);
        assertEquals(b, a);
        assertArrayEquals(g2.toArray(), g1.toArray());
    }

    @Test
    void nllIsMinusTheMeanPickedLogProbability() {
        Tensor lp = Tensor.randn(RNG, 8, 5);
        Tensor t = labels(8, 5);
        Tensor g = Tensor.ones(8, 5);
        double loss = Fused.nllLoss(lp.t().contiguous().t(), t, g, 2f, false);
        double ref = 0;
        for (int i = 0; i < 8; i++) {
            ref -= lp.get(i, (int) t.get(i)) / 8.0;
        }
        assertEquals(ref, loss, 1e-6);
        for (int i = 0; i < 8; i++) {
            for (int j = 0; j < 5; j++) {
                assertEquals(j == (int) t.get(i) ? -2f / 8 : 0f, g.get(i, j), "grad at " + i + "," + j);
            }
        }
        Fused.nllLoss(lp, t, g, 2f, true);
        assertEquals(-4f / 8, g.get(0, (int) t.get(0)));
    }

    @Test
    void bceWithLogitsIsStableAndMatchesTheDefinition() {
        float[] xs = {-1000f, -90f, -20f, -3f, -0.5f, 0f, 0.25f, 4f, 30f, 95f, 1000f, 7f};
        float[] ys = {0f, 1f, 0.3f, 1f, 0f, 1f, 0.5f, 0f, 1f, 0f, 1f, 0.9f};
        Tensor x = Tensor.of(xs, 3, 4);
        Tensor y = Tensor.of(ys, 3, 4);
        for (Tensor pw : new Tensor[] {null, Tensor.of(new float[] {1f, 3f, 0.5f, 2f}, 4), Tensor.scalar(4f)}) {
            Tensor g = Tensor.zeros(3, 4);
            double loss = Fused.binaryCrossEntropyWithLogits(x, y, pw, g, 1f, false);
            double ref = 0;
            for (int i = 0; i < xs.length; i++) {
                double xi = xs[i];
                double yi = ys[i];
                double w = pw == null ? 1 : pw.numel() == 1 ? pw.item() : pw.get(i % 4);
                // -[w y log sigma(x) + (1 - y) log(1 - sigma(x))], with log sigma(x) = -softplus(-x)
                double logSig = -(Math.max(-xi, 0) + Math.log1p(Math.exp(-Math.abs(xi))));
                double logOneMinus = -(Math.max(xi, 0) + Math.log1p(Math.exp(-Math.abs(xi))));
                ref -= (w * yi * logSig + (1 - yi) * logOneMinus) / xs.length;
                double sig = 1 / (1 + Math.exp(-xi));
                double dRef = (w * yi * (sig - 1) + (1 - yi) * sig) / xs.length;
                assertEquals(dRef, g.toArray()[i], 1e-7 * (1 + Math.abs(dRef)), "grad at x=" + xi + " pw=" + pw);
            }
            assertTrue(Double.isFinite(loss));
            assertEquals(ref, loss, 1e-9 * Math.abs(ref), "loss pw=" + pw);
        }
    }

    @Test
    void badArgumentsAreRefusedByName() {
        Tensor z = Tensor.zeros(4, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Fused.softmaxCrossEntropy(z, Tensor.zeros(4), 1.5f, null, 1f, false));
        assertTrue(e.getMessage().contains("softmaxCrossEntropy: labelSmoothing must be in [0, 1], got 1.5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Fused.nllLoss(z, Tensor.zeros(4, 1), null, 1f, false));
        assertTrue(e.getMessage().contains("nllLoss: input [4, 3], targets [4, 1]: expected targets of shape [4]"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Fused.nllLoss(z, Tensor.of(new float[] {0, 1, 3, 0}, 4), null, 1f, false));
        assertTrue(e.getMessage().contains("nllLoss: target at row 2 is 3.0; expected a whole number in [0, 3)"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Fused.binaryCrossEntropyWithLogits(z, Tensor.zeros(4), null, null, 1f, false));
        assertTrue(e.getMessage().contains("binaryCrossEntropyWithLogits: input [4, 3] and target [4]: shapes must be equal"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Fused.binaryCrossEntropyWithLogits(z, z.copy(), Tensor.ones(4), null, 1f, false));
        assertTrue(e.getMessage().contains("posWeight [4] for input [4, 3]"), e.getMessage());
    }
}
