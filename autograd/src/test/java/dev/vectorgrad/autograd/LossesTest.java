package dev.vectorgrad.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import dev.vectorgrad.core.Rng;
import dev.vectorgrad.core.Tensor;

class LossesTest {

    private static void assertMentions(Throwable e, String... parts) {
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "message should mention '" + p + "': " + e.getMessage());
        }
    }

    /** Cross-entropy written out in double, the oracle. */
    private static double crossEntropyInDouble(Tensor logits, int[] targets) {
        int n = logits.size(0);
        int c = logits.size(1);
        float[] v = logits.toArray();
        double total = 0;
        for (int i = 0; i < n; i++) {
            double m = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < c; j++) {
                m = Math.max(m, v[i * c + j]);
            }
            double s = 0;
            for (int j = 0; j < c; j++) {
                s += Math.exp(v[i * c + j] - m);
            }
            total += m + Math.log(s) - v[i * c + targets[i]];
        }
        return total / n;
    }

    @Test
    void crossEntropyMatchesTheDoubleFormulaAndItsGradientIsSoftmaxMinusOneHot() {
        Rng rng = new Rng(7);
        Tensor x0 = Tensor.randn(rng, 6, 10).mul(3f);
        int[] t = {0, 9, 3, 3, 5, 1};
        Var x = Var.param(x0);
        Var loss = Losses.crossEntropy(x, t);
        assertEquals(crossEntropyInDouble(x0, t), loss.item(), 1e-5);
        loss.backward();
        float[] v = x0.toArray();
        float[] g = x.grad().toArray();
        for (int i = 0; i < 6; i++) {
            double m = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < 10; j++) {
                m = Math.max(m, v[i * 10 + j]);
            }
            double s = 0;
            for (int j = 0; j < 10; j++) {
                s += Math.exp(v[i * 10 + j] - m);
            }
            for (int j = 0; j < 10; j++) {
                double want = (Math.exp(v[i * 10 + j] - m) / s - (j == t[i] ? 1 : 0)) / 6;
                assertEquals(want, g[i * 10 + j], 1e-6, "dCE/dx[" + i + ", " + j + "]");
            }
        }
    }

    @Test
    void crossEntropyIsFiniteForLogitsOfTenThousand() {
        Tensor x0 = Tensor.of(new float[][] {{1e4f, -1e4f, 0f}, {-1e4f, -1e4f, 1e4f}, {1e4f, 1e4f, 1e4f}});
        int[] t = {1, 2, 0};
        Var x = Var.param(x0);
        Var loss = Losses.crossEntropy(x, Tensor.of(new float[] {1f, 2f, 0f}, 3));
        assertTrue(Float.isFinite(loss.item()), "loss " + loss.item());
        assertEquals(crossEntropyInDouble(x0, t), loss.item(), 1e-2);
        loss.backward();
        for (float g : x.grad().toArray()) {
            assertTrue(Float.isFinite(g), "gradient " + g);
        }
        // Row 0 predicts class 0 with certainty but the target is 1: gradient +1/3 and -1/3.
        assertEquals(1f / 3, x.grad().get(0, 0), 1e-6);
        assertEquals(-1f / 3, x.grad().get(0, 1), 1e-6);
    }

    @Test
    void logSumExpIsStableAndHandlesMinusInfinity() {
        Var x = Var.param(Tensor.of(new float[][] {{1e4f, 1e4f}, {Float.NEGATIVE_INFINITY, 0f}}));
        Var lse = x.logSumExp(1, false);
        assertEquals(1e4 + Math.log(2), lse.value().get(0), 1e-2);
        assertEquals(0f, lse.value().get(1), 1e-6);
        lse.sum().backward();
        assertEquals(0.5f, x.grad().get(0, 0), 1e-6);
        assertEquals(0f, x.grad().get(1, 0), 0f);
        assertEquals(1f, x.grad().get(1, 1), 1e-6);
    }

    @Test
    void nllIsMinusTheMeanOfThePickedLogProbabilities() {
        Tensor lp = Tensor.of(new float[][] {{-0.1f, -2f}, {-3f, -0.5f}});
        Var x = Var.param(lp);
        Var loss = Losses.nll(x, new int[] {1, 0});
        assertEquals((2f + 3f) / 2, loss.item(), 1e-6);
        loss.backward();
        assertEquals(0f, x.grad().get(0, 0));
        assertEquals(-0.5f, x.grad().get(0, 1));
        assertEquals(-0.5f, x.grad().get(1, 0));
    }

    @Test
    void badCrossEntropyTargetsAreRefusedClearly() {
        Var x = Var.param(Tensor.ones(3, 4));
        assertMentions(assertThrows(IllegalArgumentException.class, () -> Losses.crossEntropy(x, new int[] {0, 4, 1})),
                "crossEntropy", "target 4 at row 1", "4 classes");
        assertMentions(assertThrows(IllegalArgumentException.class, () -> Losses.crossEntropy(x, new int[] {0, -1, 1})),
                "crossEntropy", "target -1");
        assertMentions(assertThrows(IllegalArgumentException.class, () -> Losses.crossEntropy(x, new int[] {0, 1})),
                "crossEntropy", "2 targets for 3 rows");
        assertMentions(assertThrows(IllegalArgumentException.class,
                () -> Losses.crossEntropy(x, Tensor.of(new float[] {0f, 2.5f, 1f}, 3))), "crossEntropy", "2.5");
        assertMentions(assertThrows(IllegalArgumentException.class,
                () -> Losses.crossEntropy(x, Tensor.of(new float[] {0f, 9f, 1f}, 3))), "crossEntropy", "9.0", "out of range");
        assertMentions(assertThrows(IllegalArgumentException.class,
                () -> Losses.crossEntropy(x, Tensor.zeros(3, 1))), "crossEntropy", "1-d", "[3, 1]");
        assertMentions(assertThrows(IllegalArgumentException.class,
                () -> Losses.crossEntropy(Var.param(Tensor.ones(4)), new int[] {0})), "crossEntropy", "[n, classes]");
        assertMentions(assertThrows(IllegalArgumentException.class, () -> Losses.nll(x, new int[] {7, 0, 0})),
                "nll", "target 7");
    }

    @Test
    void mseRefusesShapesThatWouldBroadcast() {
        Var out = Var.param(Tensor.ones(5, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Losses.mse(out, Tensor.ones(5)));
        assertMentions(e, "mse", "[5, 1]", "[5]", "unsqueeze(1)");
    }
}
