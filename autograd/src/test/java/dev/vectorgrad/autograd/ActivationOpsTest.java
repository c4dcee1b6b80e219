package dev.vectorgrad.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vectorgrad.core.Rng;
import dev.vectorgrad.core.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Dropout, embedding and the new losses as autograd ops: what they compute, their gradients in
 * closed form, java.lang.Math references for tanh, sigmoid and gelu, and the refusals of bad input.
 */
class ActivationOpsTest {

    @Test
    void tanhSigmoidAndGeluMatchDoubleReferences() {
        Tensor x = Tensor.randn(new Rng(1), 500).mul(6f);
        float[] t = Var.param(x).tanh().value().toArray();
        float[] s = Var.param(x).sigmoid().value().toArray();
        float[] g = Var.param(x).gelu().value().toArray();
        float[] xs = x.toArray();
        for (int i = 0; i < xs.length; i++) {
            double v = xs[i];
            assertEquals(Math.tanh(v), t[i], 4 * Math.ulp((float) Math.tanh(v)) + 1e-38);
            assertEquals(1 / (1 + Math.exp(-v)), s[i], 6 * Math.ulp((float) (1 / (1 + Math.exp(-v)))) + 1e-38);
            double gelu = v * 0.5 * (1 + ActivationTestMath.erf(v / Math.sqrt(2)));
            assertEquals(gelu, g[i], 1e-6 * Math.abs(gelu) + 1e-7, "gelu(" + v + ")");
        }
    }

    @Test
    void dropoutMasksAreSeededScaledAndNearP() {
        float p = 0.3f;
        Tensor x = Tensor.ones(200, 50);
        Var a = Var.param(x.copy());
        Var b = Var.param(x.copy());
        Var outA = a.dropout(p, new Rng(42));
        Var outB = b.dropout(p, new Rng(42));
        assertArrayEquals(outA.value().toArray(), outB.value().toArray(), "the same seed gives the same mask");
        assertTrue(!java.util.Arrays.equals(outA.value().toArray(),
                Var.param(x.copy()).dropout(p, new Rng(43)).value().toArray()), "another seed another mask");
        int zeros = 0;
        float scale = 1f / (1f - p);
        for (float v : outA.value().toArray()) {
            if (v == 0f) {
                zeros++;
            } else {
                assertEquals(scale, v, "kept elements are scaled by 1/(1-p)");
            }
        }
        double frac = zeros / 10_000.0;
        assertEquals(p, frac, 0.02, "fraction zeroed"); // 4.4 standard deviations
        outA.sum().backward();
        assertArrayEquals(outA.value().toArray(), a.grad().toArray(), "with x = 1 the gradient is the mask itself");
    }

    @Test
    void dropoutEdgeProbabilities() {
        Tensor x = Tensor.randn(new Rng(2), 30, 7);
        assertArrayEquals(x.toArray(), Var.param(x).dropout(0f, new Rng(1)).value().toArray(), "p = 0 keeps all");
        for (float v : Var.param(x).dropout(1f, new Rng(1)).value().toArray()) {
            assertEquals(0f, Math.abs(v), "p = 1 gives zeros");
        }
        for (float bad : new float[] {-0.1f, 1.5f, Float.NaN}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Var.param(x).dropout(bad, new Rng(1)));
            assertTrue(e.getMessage().startsWith("dropout: probability has to be between 0 and 1, but got " + bad),
                    e.getMessage());
        }
    }

    @Test
    void embeddingLooksUpRowsAndScatterAddsGradients() {
        Tensor w = Tensor.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, 4, 2);
        Var weight = Var.param(w);
        Tensor idx = Tensor.of(new float[] {3, 0, 3, 1, 0, 3}, 2, 3);
        Var out = Var.embedding(weight, idx);
        assertArrayEquals(new int[] {2, 3, 2}, out.shape());
        assertArrayEquals(new float[] {7, 8, 1, 2, 7, 8, 3, 4, 1, 2, 7, 8}, out.value().toArray());
        Tensor g = Tensor.of(new float[] {1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6}, 2, 3, 2);
        out.backward(g);
        // row 0 from positions 1 and 4, row 1 from 3, row 2 never, row 3 from 0, 2 and 5
        assertArrayEquals(new float[] {7, 7, 4, 4, 0, 0, 10, 10}, weight.grad().toArray());
        // A transposed table is read through its strides.
        Var wt = Var.param(Tensor.of(new float[] {1, 3, 5, 7, 2, 4, 6, 8}, 2, 4).t());
        assertArrayEquals(out.value().toArray(), Var.embedding(wt, idx).value().toArray());
    }

    @Test
    void embeddingRefusesBadIndices() {
        Var w = Var.param(Tensor.zeros(5, 3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Var.embedding(w, Tensor.of(new float[] {0, 5, 1}, 3)));
        assertTrue(e.getMessage().contains("embedding: index 5.0 at position 1 of indices [3] is out of range for a table"
                + " of 5 embeddings (expected a whole number in [0, 5))"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Var.embedding(w, Tensor.of(new float[] {0.5f}, 1)));
        assertTrue(e.getMessage().contains("index 0.5 at position 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Var.embedding(w, Tensor.of(new float[] {-1f}, 1)));
        assertTrue(e.getMessage().contains("index -1.0 at position 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Var.embedding(Var.param(Tensor.zeros(5)), Tensor.zeros(1)));
        assertTrue(e.getMessage().contains("embedding: expected a 2-d [numEmbeddings, embeddingDim] weight"), e.getMessage());
    }

    @Test
    void lossesRefuseBadTargets() {
        Var z = Var.param(Tensor.zeros(4, 3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Losses.nll(z, Tensor.zeros(4, 1)));
        assertTrue(e.getMessage().contains("nll: targets must be a 1-d tensor of 4 class indices, got shape [4, 1]"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Losses.crossEntropy(z, Tensor.zeros(4), -0.1f));
        assertTrue(e.getMessage().contains("crossEntropy: labelSmoothing must be in [0, 1], got -0.1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Losses.crossEntropy(z, Tensor.zeros(3), 0.1f));
        assertTrue(e.getMessage().contains("crossEntropy: 3 targets for 4 rows"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Losses.binaryCrossEntropyWithLogits(z, Tensor.zeros(4)));
        assertTrue(e.getMessage().contains("binaryCrossEntropyWithLogits: input [4, 3] and target [4]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> z.gelu("fast"));
        assertTrue(e.getMessage().contains("gelu: approximate must be 'none' or 'tanh', got 'fast'"), e.getMessage());
    }

    @Test
    void labelSmoothingZeroIsPlainCrossEntropyBitForBit() {
        Rng rng = new Rng(9);
        Tensor z = Tensor.randn(rng, 16, 10).mul(4f);
        Tensor y = Tensor.of(new float[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5}, 16);
        Var a = Var.param(z.copy());
        Var b = Var.param(z.copy());
        Var la = Losses.crossEntropy(a, y);
        Var lb = Losses.crossEntropy(b, y, 0f);
        assertEquals(Float.floatToIntBits(la.item()), Float.floatToIntBits(lb.item()));
        la.backward();
        lb.backward();
        assertArrayEquals(a.grad().toArray(), b.grad().toArray());
    }

    @Test
    void nllOfLogSoftmaxIsCrossEntropy() {
        Rng rng = new Rng(10);
        Tensor z = Tensor.randn(rng, 8, 5);
        Tensor y = Tensor.of(new float[] {0, 4, 2, 2, 1, 3, 0, 4}, 8);
        assertEquals(Losses.crossEntropy(Var.param(z), y).item(), Losses.nll(Var.param(z).logSoftmax(1), y).item(), 1e-6);
    }
}
