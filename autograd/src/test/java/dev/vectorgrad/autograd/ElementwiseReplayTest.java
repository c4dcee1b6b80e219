package dev.vectorgrad.autograd;

import static dev.vectorgrad.autograd.ReplayAssertions.assertReplaysMatchEager;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import dev.vectorgrad.autograd.ReplayAssertions.Program;
import dev.vectorgrad.core.Rng;
import dev.vectorgrad.core.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The arithmetic, logarithm, power, clamp, 0-d reduction, log-sum-exp and gather ops replayed by
 * a {@link CapturedGraph} over several new batches against eager autograd on each batch: outputs
 * and parameter gradients bit for bit, at inputs where the ops give infinities and NaN too (the
 * same math), through transposed views, broadcasting and a second contribution to a gradient; and
 * warm replays of contiguous inputs allocate nothing.
 */
class ElementwiseReplayTest {

    private static Tensor[] t(Tensor... ts) {
        return ts;
    }

    /** Gaussian data with zeros of both signs, ±1, 0.25, ±inf and NaN mixed in. */
    private static Tensor data(Rng rng, int... shape) {
        float[] v = Tensor.randn(rng, shape).mul(2f).toArray();
        float[] specials = {0f, -0f, 1f, -1f, 0.25f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN};
        for (int i = 0; i < v.length; i += 3) {
            v[i] = specials[rng.nextInt(specials.length)];
        }
        return Tensor.of(v, shape);
    }

    /** The unary ops with a number, each a separate replay form or kind. */
    private static Map<String, UnaryOperator<Var>> unaryOps() {
        Map<String, UnaryOperator<Var>> ops = new LinkedHashMap<>();
        ops.put("rsub(1.5)", x -> x.rsub(1.5f));
        ops.put("rsub(-0)", x -> x.rsub(-0f));
        ops.put("div(0.3)", x -> x.div(0.3f));
        ops.put("div(0)", x -> x.div(0f));
        ops.put("rdiv(2)", x -> x.rdiv(2f));
        ops.put("rdiv(0)", x -> x.rdiv(0f));
        for (float p : new float[] {0f, 1f, 2f, 0.5f, -1f, 3f}) {
            ops.put("pow(" + p + ")", x -> x.pow(p));
        }
        ops.put("log", Var::log);
        ops.put("clampMin(0.25)", x -> x.clampMin(0.25f));
        ops.put("clampMin(0)", x -> x.clampMin(0f));
        return ops;
    }

    @Test
    void unaryOpsWithANumberReplayBitForBitOverSeveralBatches() {
        Rng rng = new Rng(31);
        for (Map.Entry<String, UnaryOperator<Var>> e : unaryOps().entrySet()) {
            UnaryOperator<Var> op = e.getValue();
            // [5, 2 * 8 + 3] covers whole vectors and a tail; the special values hit every op's
            // infinities and NaN. h is read twice, so its gradient takes the accumulating path.
            Tensor[] params = t(data(rng, 5, 19), Tensor.randn(rng, 19, 5));
            Program p = v -> {
                Var h = v[2].mul(v[0]);
                Var fromView = op.apply(v[1].t()).mul(v[3]);          // a transposed parameter
                return op.apply(h).mul(v[3]).add(h).add(fromView).sum();
            };
            CapturedGraph g = assertReplaysMatchEager(p, params,
                    t(data(rng, 5, 19), data(rng, 5, 19)), t(data(rng, 5, 19), data(rng, 5, 19)),
                    t(data(rng, 5, 19), data(rng, 5, 19)), t(data(rng, 5, 19).mul(100f), data(rng, 5, 19)));
            String name = e.getKey().replaceAll("\\(.*", "");
            assertEquals(2, g.ops().stream().filter(name::equals).count(), e.getKey() + ": " + g.ops());
        }
    }

    @Test
    void divisionBroadcastsAsTheEagerOpAndReplaysBitForBit() {
        Rng rng = new Rng(32);
        // The divisor as a row, a column, a scalar-shaped tensor, 0-d, the full shape and a transposed view.
        List<Tensor> divisors = List.of(data(rng, 6), data(rng, 4, 1), data(rng, 1, 1), data(rng), data(rng, 4, 6),
                data(rng, 6, 4));
        for (Tensor divisor : divisors) {
            Tensor[] params = t(data(rng, 4, 6), divisor);
            boolean transposed = divisor.dim() == 2 && divisor.size(0) == 6;
            Program p = v -> {
                Var d = transposed ? v[1].t() : v[1];
                Var a = v[2].mul(v[0]);                                  // [4, 6]
                Var q = a.div(d);                                        // the divisor broadcast
                Var r = d.div(v[0]);                                     // the dividend broadcast
                return q.mul(v[3]).add(r).sum();
            };
            assertReplaysMatchEager(p, params, t(data(rng, 4, 6), data(rng, 4, 6)), t(data(rng, 4, 6), data(rng, 4, 6)),
                    t(data(rng, 4, 6), data(rng, 4, 6)));
        }
    }

    @Test
    void aValueDividedByItselfGetsBothContributions() {
        Rng rng = new Rng(33);
        Tensor[] params = t(data(rng, 3, 9));
        Program p = v -> {
            Var h = v[1].add(v[0]);
            return h.div(h).mul(v[1]).sum();
        };
        assertReplaysMatchEager(p, params, t(data(rng, 3, 9)), t(data(rng, 3, 9)), t(data(rng, 3, 9)));
    }

    @Test
    void zeroDimSumsAndMeansAlongTheirDimReplay() {
        Rng rng = new Rng(34);
        Tensor[] params = t(Tensor.scalar(-0f), Tensor.scalar(1.5f));
        Program p = v -> v[0].mul(v[2]).sum(0).add(v[1].mean(-1, true)).mul(v[2].sum(-1, false)).add(v[1].sum(0, true))
                .mul(v[0].mean(0));
        CapturedGraph g = assertReplaysMatchEager(p, params, t(Tensor.scalar(2f)), t(Tensor.scalar(-3f)),
                t(Tensor.scalar(Float.POSITIVE_INFINITY)), t(Tensor.scalar(0.5f)));
        assertTrue(g.ops().containsAll(List.of("sum", "mean")), g.ops().toString());
    }

    @Test
    void logSumExpAlongEveryDimOfViewsReplays() {
        Rng rng = new Rng(35);
        for (boolean keepdim : new boolean[] {false, true}) {
            for (int dim : new int[] {0, 1, 2, -1}) {
                Tensor[] params = t(Tensor.randn(rng, 3, 5, 19).mul(3f));
                Program p = v -> {
                    Var x = v[1].add(v[0]);                                  // [3, 5, 19]
                    Var a = x.logSumExp(dim, keepdim);
                    Var b = v[0].transpose(0, 2).logSumExp(dim, keepdim);    // a strided view
                    // x gets two contributions: the second through the accumulating path.
                    return a.mul(a).sum().add(b.sum()).add(x.mean());
                };
                CapturedGraph g = assertReplaysMatchEager(p, params, t(Tensor.randn(rng, 3, 5, 19)),
                        t(Tensor.randn(rng, 3, 5, 19).mul(30f)), t(logitsWithInfinities(rng)));
                assertEquals(2, g.ops().stream().filter("logSumExp"::equals).count(), g.ops().toString());
            }
        }
    }

    /** Logits of 1e4, one -inf slice along each dim and a +inf element. */
    private static Tensor logitsWithInfinities(Rng rng) {
        Tensor x = Tensor.randn(rng, 3, 5, 19).mul(1e4f);
        x.select(0, 1).select(0, 2).fillInPlace(Float.NEGATIVE_INFINITY);
        x.select(2, 4).select(0, 0).fillInPlace(Float.NEGATIVE_INFINITY);
        x.set(Float.POSITIVE_INFINITY, 2, 3, 7);
        return x;
    }

    @Test
    void aZeroDimLogSumExpReplays() {
        Tensor[] params = t(Tensor.scalar(2f));
        Program p = v -> v[0].mul(v[1]).logSumExp(0, false).mul(v[0].logSumExp(-1, true)).add(v[0]);
        assertReplaysMatchEager(p, params, t(Tensor.scalar(3f)), t(Tensor.scalar(-4f)),
                t(Tensor.scalar(Float.NEGATIVE_INFINITY)), t(Tensor.scalar(Float.NaN)));
    }

    private static Tensor labels(Rng rng, int n, int classes, int stride) {
        float[] y = new float[n * stride];
        for (int i = 0; i < y.length; i++) {
            y[i] = rng.nextInt(classes);
        }
        return Tensor.of(y, n * stride);
    }

    @Test
    void gatherColumnsReadsEachBatchsIndicesOnEveryReplay() {
        // The lesson's hand-written nll, -log_softmax(x)[range(n), y].mean(), and a gather of a
        // strided view of the index tensor (every second label) from a transposed value.
        Rng rng = new Rng(36);
        Tensor[] params = t(Tensor.randn(rng, 7, 12), Tensor.randn(rng, 7), Tensor.randn(rng, 7, 11));
        Program p = v -> {
            Var logits = v[3].linear(v[0], v[1]);                            // [11, 7]
            Var nll = logits.logSoftmax(1).gatherColumns(v[4].value().slice(0, 0, 11)).mean().neg();
            Var picked = v[2].t().gatherColumns(v[4].value().slice(0, 0, 22, 2)); // [11] from a [11, 7] view
            return nll.add(picked.mul(picked).sum());
        };
        CapturedGraph g = assertReplaysMatchEager(p, params,
                t(Tensor.randn(rng, 11, 12), labels(rng, 11, 7, 2)), t(Tensor.randn(rng, 11, 12), labels(rng, 11, 7, 2)),
                t(Tensor.randn(rng, 11, 12), labels(rng, 11, 7, 2)));
        assertTrue(g.ops().contains("gatherColumns"), g.ops().toString());
    }

    @Test
    void aReplayWithAnIndexOutOfRangeFailsNamingIt() {
        Var w = Var.param(Tensor.ones(2, 3));
        Tensor y = Tensor.of(new float[] {0, 2}, 2);
        CapturedGraph g = CapturedGraph.capture(() -> w.gatherColumns(y).sum()).graph();
        y.set(3f, 1);
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, g::forward);
        assertTrue(e.getMessage().contains("row 1") && e.getMessage().contains("3.0"), e.getMessage());
    }

    @Test
    void warmReplaysOfTheNewOpsOnContiguousInputsAllocateNothing() {
        Rng rng = new Rng(37);
        Var w1 = Var.param(Tensor.randn(rng, 10, 20).mul(0.2f));
        Var w2 = Var.param(Tensor.randn(rng, 10, 20).mul(0.2f));
        Tensor x = Tensor.randn(rng, 64, 20);
        float[] labels = new float[64];
        for (int i = 0; i < 64; i++) {
            labels[i] = rng.nextInt(10);
        }
        Tensor y = Tensor.of(labels, 64);
        Tensor target = Tensor.randn(rng, 64);
        Var xv = Var.constant(x);
        CapturedGraph.Capture c = CapturedGraph.capture(() -> {
            Var h = xv.linear(w1, null);                                   // [64, 10]
            Var k = xv.linear(w2, null).pow(2f).add(0.5f);   // positive
            Var s = h.rsub(1.5f).add(h.div(3f)).add(k.rdiv(2f)).add(h.pow(0f)).add(h.pow(1f)).add(h.pow(3f))
                    .add(k.pow(0.5f)).add(k.pow(-1f)).add(k.log()).add(h.clampMin(0.1f)).add(h.div(k));
            return Losses.mse(s.gatherColumns(y), target);
        });
        assertTrue(c.replayable(), () -> "refused: " + c.refusal());
        long perStep = ReplayAssertions.warmStepBytes(c.graph(), 64);
        assertTrue(perStep < 64, "a replayed step allocated " + perStep + " bytes");
    }

    /**
     * sum and mean to one value (of everything, or along the only non-1 dim) replay into their
     * outputs and spread the gradient back with the eager broadcast's bits, also as a second
     * contribution to one gradient, and a warm step allocates nothing.
     */
    @Test
    void reductionsToOneValueReplayBitForBitAndAllocateNothing() {
        Rng rng = new Rng(41);
        // No value gathers more than two contributions (three may be summed in another order).
        Program p = v -> {
            Var h = v[3].linear(v[0], null);                             // [1, 10]: sum and mean both reach it
            Var row = v[3].linear(v[1], null).mul(2f).sum(1);            // [1]: dim 1 is all of it
            Var k = v[3].linear(v[2], null).mul(3f).mean(1, true);      // [1, 1]
            return h.sum().add(h.mean()).add(row.mean(0)).add(k.sum());
        };
        Tensor[] params = t(Tensor.randn(rng, 10, 20).mul(0.2f), Tensor.randn(rng, 10, 20).mul(0.2f), Tensor.randn(rng, 10, 20).mul(0.2f));
        assertReplaysMatchEager(p, params, t(Tensor.randn(rng, 1, 20)), t(Tensor.randn(rng, 1, 20)), t(data(rng, 1, 20)));
        Var w = Var.param(Tensor.randn(rng, 10, 20).mul(0.2f));
        Var x = Var.constant(Tensor.randn(rng, 64, 20));
        CapturedGraph.Capture c = CapturedGraph.capture(() -> {
            Var h = x.linear(w, null);                                   // [64, 10]
            return h.sum().add(h.mean()).add(h.mul(h).mean());
        });
        assertTrue(c.replayable(), () -> "refused: " + c.refusal());
        long perStep = ReplayAssertions.warmStepBytes(c.graph(), 64);
        assertTrue(perStep < 64, "a replayed step allocated " + perStep + " bytes");
    }

    /** Broadcasting ops and reductions along a dim replay through reused layouts: a warm step allocates nothing. */
    @Test
    void warmReplaysOfBroadcastingOpsAllocateNothing() {
        Rng rng = new Rng(43);
        Var w = Var.param(Tensor.randn(rng, 10, 20).mul(0.2f));
        Var row = Var.param(Tensor.randn(rng, 10).mul(0.1f).add(1f));
        Var column = Var.param(Tensor.randn(rng, 64, 1).mul(0.1f).add(2f));
        Var x = Var.constant(Tensor.randn(rng, 64, 20));
        CapturedGraph.Capture c = CapturedGraph.capture(() -> {
            Var h = x.linear(w, null);                                   // [64, 10]
            Var b = h.add(row).mul(column).div(column).sub(row);         // a row and a column, both ways
            return b.sum(0).mean().add(b.mean(1, true).sum()).add(b.mul(b).sum());
        });
        assertTrue(c.replayable(), () -> "refused: " + c.refusal());
        long perStep = ReplayAssertions.warmStepBytes(c.graph(), 64);
        assertTrue(perStep < 64, "a replayed step allocated " + perStep + " bytes");
    }
}
