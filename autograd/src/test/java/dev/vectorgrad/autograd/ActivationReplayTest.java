package dev.vectorgrad.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Function;

import dev.vectorgrad.core.Rng;
import dev.vectorgrad.core.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Each new op replayed by a {@link CapturedGraph} on new data against the eager op on that data:
 * outputs and parameter gradients equal bit for bit, including for transposed inputs, a value read
 * twice (a second contribution to a gradient), the fused losses at the output, and dropout, whose
 * replay draws its masks from the same generator as the eager op.
 */
class ActivationReplayTest {

    private static Tensor[] copies(Tensor[] ts) {
        Tensor[] c = new Tensor[ts.length];
        for (int i = 0; i < ts.length; i++) {
            c[i] = ts[i].copy();
        }
        return c;
    }

    private static Var[] leaves(Tensor[] params, Tensor[] data) {
        Var[] v = new Var[params.length + data.length];
        for (int i = 0; i < params.length; i++) {
            v[i] = Var.param(params[i]);
        }
        for (int i = 0; i < data.length; i++) {
            v[params.length + i] = Var.constant(data[i]);
        }
        return v;
    }

    private static void assertSameBits(Tensor expected, Tensor actual, String what) {
        float[] e = expected.toArray();
        float[] a = actual.toArray();
        assertEquals(e.length, a.length, what);
        for (int i = 0; i < e.length; i++) {
            if (Float.floatToIntBits(e[i]) != Float.floatToIntBits(a[i])) {
                throw new AssertionError(what + ": element " + i + " is " + a[i] + " after the replay, " + e[i] + " eagerly");
            }
        }
    }

    /**
     * Captures the program on {@code first}, replays it on {@code second}, and compares with eager
     * runs: {@code eagerRuns} runs on fresh copies, the last on {@code second} (dropout's eager twin
     * must draw the capture's mask first).
     */
    private static CapturedGraph check(Function<Var[], Var> program, Tensor[] params, Tensor[] first, Tensor[] second,
                                       Runnable beforeEager, boolean eagerWarmUp) {
        Tensor[] capturedParams = copies(params);
        Tensor[] buffers = copies(first);
        Var[] vars = leaves(capturedParams, buffers);
        CapturedGraph.Capture c = CapturedGraph.capture(() -> program.apply(vars));
        assertTrue(c.replayable(), () -> "refused: " + c.refusal());
        c.result().backward();
        for (int i = 0; i < buffers.length; i++) {
            buffers[i].copyFrom(second[i]);
        }
        CapturedGraph g = c.graph();
        g.forward();
        g.backward();

        beforeEager.run();
        if (eagerWarmUp) {
            program.apply(leaves(copies(params), copies(first)));
        }
        Tensor[] eagerParams = copies(params);
        Var out = program.apply(leaves(eagerParams, copies(second)));
        assertSameBits(out.value(), g.output().value(), "loss");
        out.backward();
        for (int i = 0; i < params.length; i++) {
            assertNotNull(capturedParams[i].grad(), "gradient of parameter " + i);
            assertSameBits(eagerParams[i].grad(), capturedParams[i].grad(), "gradient of parameter " + i);
        }
        return g;
    }

    private static Tensor[] t(Tensor... ts) {
        return ts;
    }

    @Test
    void everyActivationReplaysBitForBit() {
        Rng rng = new Rng(21);
        List<Function<Var, Var>> ops = List.of(Var::tanh, Var::sigmoid, Var::gelu, x -> x.gelu("tanh"),
                x -> x.leakyRelu(0.01f), Var::softplus, x -> x.softplus(3f, 2f), x -> x.mul(0.1f).expm1(),
                x -> x.mul(x).log1p());
        for (Function<Var, Var> op : ops) {
            // [37, 13] covers whole vectors and tails; the transposed input takes the strided path.
            Tensor[] params = t(Tensor.randn(rng, 13, 37).mul(5f), Tensor.randn(rng, 37));
            Function<Var[], Var> p = v -> {
                Var h = op.apply(v[0].t().add(v[1].unsqueeze(1)));         // [37, 13] from a transposed leaf
                Var k = op.apply(v[2].mul(v[1].unsqueeze(1)));              // data times a parameter
                return h.mul(h).add(op.apply(h)).add(k).sum();              // h read twice
            };
            CapturedGraph g = check(p, params, t(Tensor.randn(rng, 37, 13)), t(Tensor.randn(rng, 37, 13)), () -> { }, false);
            assertTrue(g.ops().size() > 4, g.ops().toString());
        }
    }

    @Test
    void newLossesReplayFusedAtTheOutput() {
        Rng rng = new Rng(22);
        Tensor[] params = t(Tensor.randn(rng, 6, 9), Tensor.randn(rng, 6));
        float[] y1 = new float[11];
        float[] y2 = new float[11];
        for (int i = 0; i < 11; i++) {
            y1[i] = rng.nextInt(6);
            y2[i] = rng.nextInt(6);
        }
        Tensor[] first = t(Tensor.randn(rng, 11, 9), Tensor.of(y1, 11));
        Tensor[] second = t(Tensor.randn(rng, 11, 9), Tensor.of(y2, 11));
        CapturedGraph g = check(v -> Losses.crossEntropy(v[2].linear(v[0], v[1]).gelu().mul(3f), v[3].value(), 0.1f),
                params, first, second, () -> { }, false);
        assertEquals("crossEntropy", g.ops().get(g.ops().size() - 1));
        check(v -> Losses.nll(v[2].linear(v[0], v[1]).softplus().neg(), v[3].value()), params, first, second, () -> { },
                false);
        Tensor[] bFirst = t(Tensor.randn(rng, 11, 9), Tensor.rand(rng, 11, 6));
        Tensor[] bSecond = t(Tensor.randn(rng, 11, 9), Tensor.rand(rng, 11, 6));
        Tensor pw = Tensor.rand(rng, 6).add(0.5f);
        check(v -> Losses.binaryCrossEntropyWithLogits(v[2].linear(v[0], v[1]).mul(10f), v[3].value(), pw),
                params, bFirst, bSecond, () -> { }, false);
    }

    @Test
    void embeddingReplaysWithNewIndices() {
        Rng rng = new Rng(23);
        Tensor[] params = t(Tensor.randn(rng, 10, 4), Tensor.randn(rng, 3, 4));
        Tensor[] first = t(Tensor.of(new float[] {1, 9, 1, 0, 3, 3}, 2, 3), Tensor.of(new float[] {0, 2}, 2));
        Tensor[] second = t(Tensor.of(new float[] {7, 7, 2, 5, 9, 0}, 2, 3), Tensor.of(new float[] {1, 1}, 2));
        check(v -> Losses.crossEntropy(Var.embedding(v[0], v[2].value()).mean(1).linear(v[1], null), v[3].value()),
                params, first, second, () -> { }, false);
    }

    @Test
    void dropoutReplaysDrawTheEagerMasks() {
        Rng rng = new Rng(24);
        Tensor[] params = t(Tensor.randn(rng, 8, 5));
        Rng[] masks = {new Rng(99)};
        Function<Var[], Var> p = v -> v[1].linear(v[0], null).dropout(0.4f, masks[0]).tanh().sum();
        check(p, params, t(Tensor.randn(rng, 16, 5)), t(Tensor.randn(rng, 16, 5)),
                () -> masks[0] = new Rng(99), true);
    }
}
