package dev.vectorgrad.autograd;

import static dev.vectorgrad.autograd.ReplayAssertions.assertSameBits;
import static dev.vectorgrad.autograd.ReplayAssertions.copies;
import static dev.vectorgrad.autograd.ReplayAssertions.leaves;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import dev.vectorgrad.autograd.ReplayAssertions.Program;
import dev.vectorgrad.core.Rng;
import dev.vectorgrad.core.Tensor;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * A captured graph replayed on new data against the eager ops run on that data: the output and
 * every parameter's gradient must be the same floats, bit for bit (the replays use the eager ops'
 * kernels), for each op that has a replay form; ops without one refuse, naming themselves.
 */
class CapturedGraphTest {

    /** One replay on {@code second} after a capture on {@code first} ({@link ReplayAssertions}). */
    private static CapturedGraph assertReplayMatchesEager(Program program, Tensor[] params, Tensor[] first, Tensor[] second) {
        return ReplayAssertions.assertReplaysMatchEager(program, params, first, second);
    }

    private static Tensor[] t(Tensor... ts) {
        return ts;
    }

    private static Tensor labels(Rng rng, int n, int classes) {
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            y[i] = rng.nextInt(classes);
        }
        return Tensor.of(y, n);
    }

    @Property(tries = 40)
    void anMlpWithCrossEntropyReplaysAsItRunsEagerly(@ForAll @IntRange(min = 1, max = 40) int batch,
            @ForAll @IntRange(min = 1, max = 70) int features, @ForAll @IntRange(min = 1, max = 40) int hidden,
            @ForAll @IntRange(min = 2, max = 12) int classes, @ForAll long seed) {
        Rng rng = new Rng(seed);
        Tensor[] params = t(Tensor.randn(rng, hidden, features), Tensor.randn(rng, hidden),
                Tensor.randn(rng, classes, hidden), Tensor.randn(rng, classes));
        Program mlp = v -> Losses.crossEntropy(v[0 + 4].linear(v[0], v[1]).relu().linear(v[2], v[3]), v[5].value());
        CapturedGraph g = assertReplayMatchesEager(mlp, params,
                t(Tensor.randn(rng, batch, features), labels(rng, batch, classes)),
                t(Tensor.randn(rng, batch, features), labels(rng, batch, classes)));
        assertEquals(List.of("linear+relu", "linear", "crossEntropy"), g.ops());
    }

    @Test
    void theLessonsMseModelWithAMatmulAndABroadcastBiasReplays() {
        Rng rng = new Rng(3);
        Tensor[] params = t(Tensor.randn(rng, 7, 5), Tensor.randn(rng, 5), Tensor.randn(rng, 5, 1), Tensor.randn(rng, 1));
        Program lesson = v -> Losses.mse(v[4].matmul(v[0]).add(v[1]).relu().matmul(v[2]).add(v[3]), v[5]);
        CapturedGraph g = assertReplayMatchesEager(lesson, params,
                t(Tensor.randn(rng, 9, 7), Tensor.randn(rng, 9, 1)), t(Tensor.randn(rng, 9, 7), Tensor.randn(rng, 9, 1)));
        assertEquals(List.of("matmul", "add", "relu", "matmul", "add", "mse"), g.ops());
    }

    @Test
    void elementwiseOpsWithBroadcastingAndNumbersReplay() {
        Rng rng = new Rng(4);
        Tensor[] params = t(Tensor.randn(rng, 4, 6), Tensor.randn(rng, 6), Tensor.randn(rng, 4, 1));
        Program p = v -> v[0].mul(v[1]).sub(v[2]).add(v[3]).mul(v[2]).neg().mul(0.75f).add(2f).sub(0.5f).relu()
                .sub(v[1]).mean();
        assertReplayMatchesEager(p, params, t(Tensor.randn(rng, 4, 6)), t(Tensor.randn(rng, 4, 6)));
    }

    /**
     * A parameter broadcast over two or more leading dims (a per-channel scale over [N, H, C], a
     * [C, 1, 1] one over [N, C, H, W]): the eager rule and the replay must sum its gradient back
     * in the same order, or their last bits differ.
     */
    @Test
    void parametersBroadcastOverSeveralLeadingDimsGetTheEagerGradientBits() {
        Rng rng = new Rng(14);
        Tensor[] params = t(Tensor.randn(rng, 13), Tensor.randn(rng, 5, 1, 1), Tensor.randn(rng, 1, 7, 1));
        Program p = v -> v[3].mul(v[0]).add(v[0]).mean().add(v[4].mul(v[1]).sub(v[2]).mul(v[2]).sum());
        assertReplayMatchesEager(p, params, t(Tensor.randn(rng, 9, 7, 13), Tensor.randn(rng, 3, 5, 7, 11)),
                t(Tensor.randn(rng, 9, 7, 13), Tensor.randn(rng, 3, 5, 7, 11)));
    }

    @Test
    void viewsAndReductionsReplay() {
        Rng rng = new Rng(5);
        Tensor[] params = t(Tensor.randn(rng, 3, 4), Tensor.randn(rng, 4));
        Program p = v -> {
            Var x = v[2].add(v[0]);                                     // [3, 4]
            Var a = x.reshape(2, 6).t().unsqueeze(0).squeeze(0).sum(0); // [2]
            Var b = x.slice(1, 1, 3).mean(0, true).squeeze();           // [2]
            Var c = x.select(0, 2).slice(0, 0, 2).mul(v[1].slice(0, 2, 4)); // [2]
            Var d = v[1].unsqueeze(0).expand(3, 4).transpose(0, 1).sum(0).slice(0, 0, 2); // [2]
            return a.add(b).add(c).mul(d).sum().add(x.flatten().mean(0));
        };
        assertReplayMatchesEager(p, params, t(Tensor.randn(rng, 3, 4)), t(Tensor.randn(rng, 3, 4)));
    }

    @Test
    void aValueReadByTwoOpsGetsBothContributions() {
        Rng rng = new Rng(6);
        Tensor[] params = t(Tensor.randn(rng, 5, 3));
        Program p = v -> {
            Var h = v[1].linear(v[0], null);
            return h.mul(h).add(h.relu()).sum();
        };
        CapturedGraph g = assertReplayMatchesEager(p, params, t(Tensor.randn(rng, 2, 3)), t(Tensor.randn(rng, 2, 3)));
        assertTrue(g.ops().contains("linear"), "a linear read by two ops is not fused: " + g.ops());
    }

    @Test
    void aNonScalarOutputReplaysForward() {
        Rng rng = new Rng(7);
        Tensor[] params = t(Tensor.randn(rng, 4, 3), Tensor.randn(rng, 4));
        Program p = v -> v[2].linear(v[0], v[1]).relu();
        Tensor[] first = t(Tensor.randn(rng, 6, 3));
        Tensor[] second = t(Tensor.randn(rng, 6, 3));
        Tensor[] bufs = copies(first);
        CapturedGraph.Capture c;
        try (NoGrad ignored = NoGrad.enter()) {
            c = CapturedGraph.capture(() -> p.apply(leaves(copies(params), bufs)));
        }
        assertTrue(c.replayable());
        bufs[0].copyFrom(second[0]);
        c.graph().forward();
        Var eager = p.apply(leaves(copies(params), second));
        assertSameBits(eager.value(), c.graph().output().value(), "output");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> c.graph().backward());
        assertTrue(e.getMessage().contains("does not require grad"), e.getMessage());
    }

    @Test
    void opsWithoutAReplayFormRefuseNamingTheOp() {
        Var w = Var.param(Tensor.ones(3));
        Var logits = Var.param(Tensor.ones(2, 3));
        CapturedGraph.Capture picked = CapturedGraph.capture(() -> logits.gatherColumns(new int[] {2, 0}).sum());
        assertFalse(picked.replayable());
        assertNull(picked.graph());
        assertTrue(picked.refusal().startsWith("gatherColumns") && picked.refusal().contains("int[]"), picked.refusal());
        assertEquals(2f, picked.result().item(), "the eager result is still there");
        CapturedGraph.Capture nll = CapturedGraph.capture(() -> Losses.nll(logits.logSoftmax(1), new int[] {2, 0}));
        assertTrue(nll.refusal().startsWith("nll") && nll.refusal().contains("int[]"), nll.refusal());

        CapturedGraph.Capture ints = CapturedGraph.capture(() -> Losses.crossEntropy(logits, new int[] {0, 2}));
        assertFalse(ints.replayable());
        assertTrue(ints.refusal().contains("int[]"), ints.refusal());

        CapturedGraph.Capture custom = CapturedGraph.capture(() -> Var.custom("cube", w.value().pow(3f), new Var[] {w},
                new Tensor[0], (g, sink) -> sink.add(0, g, false)).sum());
        assertTrue(custom.refusal().startsWith("cube"), custom.refusal());

        Var strided = Var.param(Tensor.ones(3, 4).t());
        CapturedGraph.Capture copy = CapturedGraph.capture(() -> strided.reshape(12).sum());
        assertTrue(copy.refusal().startsWith("reshape"), copy.refusal());
    }

    @Test
    void capturesDoNotNestAndEndEvenWhenTheFunctionThrows() {
        Var w = Var.param(Tensor.ones(2));
        IllegalStateException nested = assertThrows(IllegalStateException.class,
                () -> CapturedGraph.capture(() -> CapturedGraph.capture(() -> w.sum()).result()));
        assertTrue(nested.getMessage().contains("do not nest"), nested.getMessage());
        assertThrows(ArithmeticException.class, () -> CapturedGraph.capture(() -> {
            throw new ArithmeticException("boom");
        }));
        assertTrue(CapturedGraph.capture(() -> w.sum()).replayable(), "a capture after a failed one works");
    }

    @Test
    void backwardRestoresALeafGradientSomeoneReplaced() {
        Tensor wt = Tensor.ones(2, 3);
        Var w = Var.param(wt);
        Var x = Var.constant(Tensor.ones(4, 3));
        CapturedGraph g = CapturedGraph.capture(() -> x.linear(w, null).sum()).graph();
        Tensor planned = wt.grad();
        wt.setGrad(null);
        g.forward();
        g.backward();
        assertSame(planned, wt.grad());
        assertEquals(4f, wt.grad().get(1, 2));
        assertEquals(List.of(w), g.parameters());
        g.backward(true);
        assertEquals(8f, wt.grad().get(1, 2), "backward(true) adds, as eager backward does");
    }

    @Test
    void aWarmReplayOfAnMlpStepAllocatesNothing() {
        Rng rng = new Rng(8);
        Var w1 = Var.param(Tensor.randn(rng, 50, 784));
        Var b1 = Var.param(Tensor.randn(rng, 50));
        Var w2 = Var.param(Tensor.randn(rng, 10, 50));
        Var b2 = Var.param(Tensor.randn(rng, 10));
        Tensor x = Tensor.randn(rng, 64, 784);
        Tensor y = labels(rng, 64, 10);
        Var xv = Var.constant(x);
        CapturedGraph g = CapturedGraph.capture(() -> Losses.crossEntropy(xv.linear(w1, b1).relu().linear(w2, b2), y)).graph();
        long perStep = ReplayAssertions.warmStepBytes(g, 64);
        assertTrue(perStep < 64, "a replayed step allocated " + perStep + " bytes");
    }

    @Property(tries = 30)
    void anMlpEndingInLogSoftmaxAndNllReplaysAsItRunsEagerly(@ForAll @IntRange(min = 1, max = 40) int batch,
            @ForAll @IntRange(min = 1, max = 70) int features, @ForAll @IntRange(min = 1, max = 40) int hidden,
            @ForAll @IntRange(min = 2, max = 40) int classes, @ForAll long seed) {
        // The lesson's own formulation: log-probabilities, then the negative log-likelihood.
        Rng rng = new Rng(seed);
        Tensor[] params = t(Tensor.randn(rng, hidden, features), Tensor.randn(rng, hidden),
                Tensor.randn(rng, classes, hidden), Tensor.randn(rng, classes));
        Program mlp = v -> Losses.nll(v[4].linear(v[0], v[1]).relu().linear(v[2], v[3]).logSoftmax(1), v[5].value());
        CapturedGraph g = assertReplayMatchesEager(mlp, params,
                t(Tensor.randn(rng, batch, features), labels(rng, batch, classes)),
                t(Tensor.randn(rng, batch, features), labels(rng, batch, classes)));
        assertEquals(List.of("linear+relu", "linear", "logSoftmax", "nll"), g.ops());
    }

    @Test
    void logSoftmaxAndSoftmaxAlongAnyDimOfViewsReplay() {
        Rng rng = new Rng(15);
        Tensor[] params = t(Tensor.randn(rng, 3, 5, 2 * 8 + 3).mul(3f), Tensor.randn(rng, 3, 2 * 8 + 3, 5));
        Program p = v -> {
            Var x = v[2].add(v[0]);                                     // [3, 5, 19]
            Var a = x.logSoftmax(1).mul(v[1].transpose(1, 2));          // along a middle dim
            Var b = x.transpose(0, 2).softmax(-1).mul(0.5f);            // a transposed view, then exp
            // x gets two contributions: the second goes through the accumulating kernel.
            return a.sum().add(b.mul(b).sum()).add(v[0].logSoftmax(0).mean());
        };
        CapturedGraph g = assertReplayMatchesEager(p, params, t(Tensor.randn(rng, 3, 5, 19)),
                t(Tensor.randn(rng, 3, 5, 19).mul(30f)));
        assertTrue(g.ops().containsAll(List.of("logSoftmax", "exp")), g.ops().toString());
    }

    @Test
    void aZeroDimLogSoftmaxReplays() {
        Tensor[] params = t(Tensor.scalar(2f));
        Program p = v -> v[0].logSoftmax(0).add(v[0].mul(v[1])).add(v[0].softmax(-1));
        assertReplayMatchesEager(p, params, t(Tensor.scalar(3f)), t(Tensor.scalar(-4f)));
    }

    @Test
    void aWarmReplayOfAnMlpWithLogSoftmaxAndNllAllocatesNothing() {
        Rng rng = new Rng(9);
        Var w1 = Var.param(Tensor.randn(rng, 50, 784).mul(0.05f));
        Var b1 = Var.param(Tensor.randn(rng, 50));
        Var w2 = Var.param(Tensor.randn(rng, 10, 50));
        Var b2 = Var.param(Tensor.randn(rng, 10));
        Tensor x = Tensor.randn(rng, 64, 784);
        Tensor y = labels(rng, 64, 10);
        Var xv = Var.constant(x);
        CapturedGraph.Capture c = CapturedGraph.capture(
                () -> Losses.nll(xv.linear(w1, b1).relu().linear(w2, b2).logSoftmax(-1), y));
        assertTrue(c.replayable(), () -> "refused: " + c.refusal());
        CapturedGraph g = c.graph();
        long perStep = ReplayAssertions.warmStepBytes(g, 64);
        assertTrue(perStep < 64, "a replayed step allocated " + perStep + " bytes");
    }
}
