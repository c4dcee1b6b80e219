package dev.vectorgrad.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Every bad argument to the fused operations: an IllegalArgumentException naming the op and the
 * shapes (or the bad value), and every output left exactly as it was, version included.
 */
class FusedErrorsTest {

    private static final Rng RNG = new Rng(11);

    /** Asserts the call fails with a message holding every fragment, and that no output changed. */
    private static void refused(Executable call, String[] fragments, Tensor... outputs) {
        float[][] before = new float[outputs.length][];
        int[] versions = new int[outputs.length];
        for (int i = 0; i < outputs.length; i++) {
            before[i] = outputs[i].toArray();
            versions[i] = outputs[i].version();
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), () -> "message lacks '" + f + "': " + e.getMessage());
        }
        for (int i = 0; i < outputs.length; i++) {
            assertArrayEquals(before[i], outputs[i].toArray(), "output " + i + " was written: " + e.getMessage());
            assertEquals(versions[i], outputs[i].version(), "output " + i + "'s version moved");
        }
    }

    private static String[] has(String... fragments) {
        return fragments;
    }

    @Test
    void linearShapesAndOutputs() {
        Tensor x = Tensor.randn(RNG, 4, 6);
        Tensor w = Tensor.randn(RNG, 3, 6);
        Tensor b = Tensor.randn(RNG, 3);
        Tensor out = Tensor.randn(RNG, 4, 3);
        refused(() -> Fused.linear(x, Tensor.randn(RNG, 3, 5), b, true, out),
                has("linear", "x [4, 6]", "weight [3, 5]", "6 input features"), out);
        refused(() -> Fused.linear(x, w.t(), b, true, out), has("linear", "weight [6, 3]"), out);
        refused(() -> Fused.linear(x, w, Tensor.randn(RNG, 4), false, out), has("linear", "bias [4]", "[3]"), out);
        refused(() -> Fused.linear(Tensor.randn(RNG, 6), w, b, false, out), has("linear", "x [6]", "2-d"), out);
        Tensor wrong = Tensor.randn(RNG, 3, 4);
        refused(() -> Fused.linear(x, w, b, false, wrong), has("linear", "out", "[4, 3]", "got [3, 4]"), wrong);
        Tensor strided = Tensor.randn(RNG, 3, 4).t();
        refused(() -> Fused.linear(x, w, b, false, strided), has("linear", "out", "contiguous"), strided);
        refused(() -> Fused.linear(x, w, b, false, null), has("linear", "null"));
        refused(() -> Fused.linear(x, null, b, false), has("linear", "null"));
    }

    @Test
    void linearOutputMayShareStorageButNoElementWithItsInputs() {
        Tensor flat = Tensor.randn(RNG, 36);
        Tensor x = flat.slice(0, 0, 24).reshape(4, 6);
        Tensor w = Tensor.randn(RNG, 3, 6);
        Tensor overlapping = flat.slice(0, 20, 32).reshape(4, 3);
        refused(() -> Fused.linear(x, w, null, false, overlapping), has("linear", "out [4, 3]", "x [4, 6]"), flat);
        Tensor disjoint = flat.slice(0, 24, 36).reshape(4, 3);
        Fused.linear(x, w, null, false, disjoint);
        assertTrue(disjoint.allClose(x.matmul(w.t()), 1e-5, 1e-5), "an output beside its input in one storage");
        Tensor bias = Tensor.randn(RNG, 3);
        Tensor aliasBias = bias.reshape(1, 3);
        refused(() -> Fused.linear(Tensor.randn(RNG, 1, 6), w, bias, false, aliasBias), has("linear", "bias"), bias);
    }

    @Test
    void linearBackwardShapesAndTargets() {
        Tensor g = Tensor.randn(RNG, 4, 3);
        Tensor x = Tensor.randn(RNG, 4, 6);
        Tensor w = Tensor.randn(RNG, 3, 6);
        Tensor gx = Tensor.randn(RNG, 4, 6);
        Tensor gw = Tensor.randn(RNG, 3, 6);
        Tensor gb = Tensor.randn(RNG, 3);
        Tensor[] all = {gx, gw, gb};
        refused(() -> Fused.linearBackward(Tensor.randn(RNG, 4, 2), x, w, gx, false, gw, false, gb, false),
                has("linearBackward", "gradOut [4, 2]", "x [4, 6]", "weight [3, 6]"), all);
        refused(() -> Fused.linearBackward(g, Tensor.randn(RNG, 5, 6), w, gx, false, gw, false, gb, false),
                has("linearBackward", "x [5, 6]"), all);
        refused(() -> Fused.linearBackward(g, x, w, gx, false, gw, false, Tensor.zeros(4), false),
                has("linearBackward", "gradBias", "[3]", "got [4]"), gx, gw);
        Tensor gwT = Tensor.randn(RNG, 6, 3).t();
        refused(() -> Fused.linearBackward(g, x, w, gx, false, gwT, false, gb, false),
                has("linearBackward", "gradWeight", "contiguous"), gx, gwT, gb);
        refused(() -> Fused.linearBackward(g, x, w, Tensor.zeros(6, 4), false, gw, false, gb, false),
                has("linearBackward", "gradX", "[4, 6]", "got [6, 4]"), gw, gb);
        // A target that is an input: the product would read what it overwrites.
        refused(() -> Fused.linearBackward(g, x, w, x, false, gw, false, gb, false),
                has("linearBackward", "gradX", "x"), x, gw, gb);
        Tensor shared = Tensor.randn(RNG, 3 * 6 + 3);
        Tensor gw2 = shared.slice(0, 0, 18).reshape(3, 6);
        Tensor gbOverlap = shared.slice(0, 17, 20);
        refused(() -> Fused.linearBackward(g, x, w, null, false, gw2, false, gbOverlap, false),
                has("linearBackward", "gradWeight", "gradBias"), shared);
    }

    @Test
    void reluBackwardShapesAndAliases() {
        Tensor g = Tensor.randn(RNG, 4, 5);
        Tensor o = Tensor.randn(RNG, 4, 5).relu();
        Tensor gi = Tensor.randn(RNG, 4, 5);
        refused(() -> Fused.reluBackward(g, Tensor.randn(RNG, 5, 4), gi, false),
                has("reluBackward", "gradOut [4, 5]", "output [5, 4]", "equal"), gi);
        refused(() -> Fused.reluBackward(g, o, Tensor.zeros(4, 1), false), has("reluBackward", "gradIn [4, 1]"));
        Tensor strided = Tensor.randn(RNG, 5, 4).t();
        refused(() -> Fused.reluBackward(g, o, strided, false), has("reluBackward", "gradIn", "contiguous"), strided);
        Tensor flat = Tensor.randn(RNG, 25);
        Tensor a = flat.slice(0, 0, 20).reshape(4, 5);
        Tensor shifted = flat.slice(0, 5, 25).reshape(4, 5);
        refused(() -> Fused.reluBackward(a, o, shifted, false), has("reluBackward", "partly overlaps", "gradOut"), flat);
    }

    @Test
    void crossEntropyTargetsAndShapes() {
        Tensor logits = Tensor.randn(RNG, 3, 4);
        Tensor grad = Tensor.randn(RNG, 3, 4);
        refused(() -> Fused.softmaxCrossEntropy(logits, Tensor.of(new float[] {0, 4, 1}), grad, 1f, false),
                has("softmaxCrossEntropy", "row 1", "4.0", "[0, 4)"), grad);
        refused(() -> Fused.softmaxCrossEntropy(logits, Tensor.of(new float[] {0, 1, 1.5f}), grad, 1f, false),
                has("softmaxCrossEntropy", "row 2", "1.5", "whole number"), grad);
        refused(() -> Fused.softmaxCrossEntropy(logits, Tensor.of(new float[] {Float.NaN, 1, 1}), grad, 1f, false),
                has("softmaxCrossEntropy", "row 0", "NaN"), grad);
        refused(() -> Fused.softmaxCrossEntropy(logits, Tensor.of(new float[] {0, -1, 1}), grad, 1f, false),
                has("softmaxCrossEntropy", "row 1", "-1.0"), grad);
        refused(() -> Fused.softmaxCrossEntropy(logits, new int[] {0, 1, 7}, grad, 1f, false),
                has("softmaxCrossEntropy", "row 2", "7", "[0, 4)"), grad);
        refused(() -> Fused.softmaxCrossEntropy(logits, new int[] {0, 1}, grad, 1f, false),
                has("softmaxCrossEntropy", "[3, 4]", "3 targets", "got 2"), grad);
        refused(() -> Fused.softmaxCrossEntropy(logits, Tensor.zeros(3, 1), grad, 1f, false),
                has("softmaxCrossEntropy", "targets [3, 1]", "[3]"), grad);
        refused(() -> Fused.softmaxCrossEntropy(Tensor.zeros(0, 4), new int[0], null, 1f, false),
                has("softmaxCrossEntropy", "[0, 4]", "nothing"));
        refused(() -> Fused.softmaxCrossEntropy(Tensor.zeros(2, 0), new int[] {0, 0}, null, 1f, false),
                has("softmaxCrossEntropy", "[2, 0]", "nothing"));
        refused(() -> Fused.softmaxCrossEntropy(logits, new int[] {0, 1, 2}, Tensor.zeros(4, 3), 1f, false),
                has("softmaxCrossEntropy", "gradLogits", "[3, 4]", "got [4, 3]"));
        refused(() -> Fused.softmaxCrossEntropy(logits, new int[] {0, 1, 2}, logits, 1f, false),
                has("softmaxCrossEntropy", "gradLogits", "logits"), logits);
        refused(() -> Fused.softmaxCrossEntropy(logits, new int[] {0, 1, 2}, grad, Float.NaN, false),
                has("softmaxCrossEntropy", "gradScale", "NaN"), grad);
    }

    @Test
    void meanSquaredErrorShapes() {
        Tensor input = Tensor.randn(RNG, 5, 1);
        Tensor grad = Tensor.randn(RNG, 5, 1);
        refused(() -> Fused.meanSquaredError(input, Tensor.randn(RNG, 5), grad, 1f, false),
                has("meanSquaredError", "input [5, 1]", "target [5]", "no broadcasting"), grad);
        refused(() -> Fused.meanSquaredError(Tensor.zeros(0), Tensor.zeros(0), null, 1f, false),
                has("meanSquaredError", "[0]", "nothing"));
        refused(() -> Fused.meanSquaredError(input, input.copy(), Tensor.zeros(5), 1f, false),
                has("meanSquaredError", "gradInput [5]", "[5, 1]"));
        Tensor flat = Tensor.randn(RNG, 6);
        Tensor in = flat.slice(0, 0, 5).reshape(5, 1);
        Tensor shifted = flat.slice(0, 1, 6).reshape(5, 1);
        refused(() -> Fused.meanSquaredError(in, Tensor.randn(RNG, 5, 1), shifted, 1f, false),
                has("meanSquaredError", "gradInput", "partly overlaps", "input"), flat);
    }

    @Test
    void sumToShapeShapes() {
        Tensor src = Tensor.randn(RNG, 4, 3);
        Tensor t = Tensor.randn(RNG, 2, 3);
        refused(() -> Fused.sumToShape(src, t, false),
                has("sumToShape", "source [4, 3]", "target [2, 3]", "dim -2 is 4", "equal the source's or be 1"), t);
        Tensor t2 = Tensor.randn(RNG, 4);
        refused(() -> Fused.sumToShape(src, t2, false), has("sumToShape", "[4, 3]", "[4]", "dim -1 is 3"), t2);
        Tensor t3 = Tensor.randn(RNG, 1, 4, 3);
        refused(() -> Fused.sumToShape(src, t3, true), has("sumToShape", "[1, 4, 3]", "more dims"), t3);
        Tensor src2 = Tensor.randn(RNG, 5, 3);
        Fused.sumToShape(src2, Tensor.zeros(1, 3), false); // a [1, 3] target is fine when contiguous
        Tensor t5 = Tensor.randn(RNG, 2, 3).t();
        refused(() -> Fused.sumToShape(Tensor.randn(RNG, 3, 2), t5, false), has("sumToShape", "target", "contiguous"), t5);
    }
}
