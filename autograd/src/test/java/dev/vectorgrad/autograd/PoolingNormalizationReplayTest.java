package dev.vectorgrad.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.SplittableRandom;

import dev.vectorgrad.core.Pool2dSpec;
import dev.vectorgrad.core.Rng;
import dev.vectorgrad.core.Tensor;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * Captured graphs of the pooling and normalisation ops replayed over several new batches against
 * eager runs over the same batches: outputs, every parameter's gradient and the batch norm's
 * running statistics and batch counter must be the same floats, bit for bit, after every step.
 * The programs read a parameter twice, so the replays' accumulating backward runs too.
 */
class PoolingNormalizationReplayTest {

    /** A program of parameters and state (the running statistics, fixed per run) over one data tensor. */
    private interface Program {
        Var apply(Var[] params, Var data, Tensor[] state);
    }

    private static Tensor[] copies(Tensor[] ts) {
        Tensor[] c = new Tensor[ts.length];
        for (int i = 0; i < ts.length; i++) {
            c[i] = ts[i].copy();
        }
        return c;
    }

    private static Var[] params(Tensor[] ts) {
        Var[] v = new Var[ts.length];
        for (int i = 0; i < ts.length; i++) {
            v[i] = Var.param(ts[i]);
        }
        return v;
    }

    static void assertSameBits(Tensor expected, Tensor actual, String what) {
        assertEquals(java.util.Arrays.toString(expected.shape()), java.util.Arrays.toString(actual.shape()), what + ": shape");
        float[] e = expected.toArray();
        float[] a = actual.toArray();
        for (int i = 0; i < e.length; i++) {
            if (Float.floatToIntBits(e[i]) != Float.floatToIntBits(a[i])) {
                throw new AssertionError(what + ": element " + i + " is " + a[i] + " after the replay, " + e[i] + " eagerly");
            }
        }
    }

    /**
     * Captures {@code p} on {@code batches[0]}, then replays it on each later batch; eagerly, the
     * same program runs on every batch with its own copies of the parameters and state. After each
     * batch the output, the gradients and the state must agree bit for bit.
     *
     * @return the graph
     */
    private static CapturedGraph assertReplaysMatchEager(Program p, Tensor[] params, Tensor[] state, Tensor[] batches) {
        Tensor[] cp = copies(params);
        Tensor[] cs = copies(state);
        Tensor data = batches[0].copy();
        Var[] cv = params(cp);
        Var dv = Var.constant(data);
        CapturedGraph.Capture c = CapturedGraph.capture(() -> p.apply(cv, dv, cs));
        assertTrue(c.replayable(), () -> "refused: " + c.refusal());
        CapturedGraph g = c.graph();
        c.result().backward(c.result().numel() == 1 ? null : Tensor.onesLike(c.result().value()));

        Tensor[] ep = copies(params);
        Tensor[] es = copies(state);
        Var[] ev = params(ep);
        for (int b = 0; b < batches.length; b++) {
            for (Var v : ev) {
                v.zeroGrad();
            }
            Var out = p.apply(ev, Var.constant(batches[b].copy()), es);
            out.backward(out.numel() == 1 ? null : Tensor.onesLike(out.value()));
            if (b > 0) {
                data.copyFrom(batches[b]);
                g.forward();
                g.backward();
            }
            String step = "batch " + b;
            assertSameBits(out.value(), g.output().value(), step + " output");
            for (int i = 0; i < params.length; i++) {
                assertNotNull(cp[i].grad(), step + ": parameter " + i + " has no gradient");
                assertSameBits(ep[i].grad(), cp[i].grad(), step + " gradient of parameter " + i);
            }
            for (int i = 0; i < state.length; i++) {
                assertSameBits(es[i], cs[i], step + " state " + i);
            }
        }
        return g;
    }

    private static Tensor[] batches(Rng rng, int count, int... shape) {
        Tensor[] b = new Tensor[count];
        for (int i = 0; i < count; i++) {
            b[i] = Tensor.randn(rng, shape).mul(1 + i).add(i);
        }
        return b;
    }

    @Property(tries = 20)
    void poolingReplaysBitForBit(@ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Rng rng = new Rng(seed);
        int[] shape = {1 + r.nextInt(3), 1 + r.nextInt(3), 5 + r.nextInt(6), 3 + r.nextInt(6)};
        Pool2dSpec max = new Pool2dSpec(2 + r.nextInt(2), 2, 1 + r.nextInt(2), 2, r.nextInt(2), 1, 1 + r.nextInt(2), 1, r.nextBoolean());
        Pool2dSpec avg = Pool2dSpec.of(3, 1 + r.nextInt(3), 1).withCeilMode(r.nextBoolean());
        boolean include = r.nextBoolean();
        // The scale is read by the pooled product and pooled on its own: two contributions to its gradient.
        Program prog = (v, x, s) -> PoolingOps.maxPool2d(x.mul(v[0]), max).sum()
                .add(PoolingOps.avgPool2d(x.mul(v[0]), avg, include).mul(PoolingOps.avgPool2d(v[0], avg, include)).sum())
                .add(PoolingOps.adaptiveAvgPool2d(v[0].mul(x), 2, 3).sum())
                .add(PoolingOps.maxPool2d(v[0], max).sum());
        CapturedGraph g = assertReplaysMatchEager(prog, new Tensor[] {Tensor.randn(rng, shape)}, new Tensor[0],
                batches(rng, 4, shape));
        assertTrue(g.ops().containsAll(List.of("maxPool2d", "avgPool2d", "adaptiveAvgPool2d")), g.ops().toString());
    }

    @Property(tries = 20)
    void batchNormInTrainingReplaysAndUpdatesTheRunningStatisticsAsEagerDoes(@ForAll long seed, @ForAll boolean rank4) {
        SplittableRandom r = new SplittableRandom(seed);
        Rng rng = new Rng(seed);
        int c = 1 + r.nextInt(10);
        int[] shape = rank4 ? new int[] {2 + r.nextInt(3), c, 1 + r.nextInt(5), 2 + r.nextInt(9)}
                : new int[] {2 + r.nextInt(40), c};
        Tensor[] params = {Tensor.randn(rng, c), Tensor.randn(rng, c), Tensor.randn(rng, shape)};
        Tensor[] state = {Tensor.randn(rng, c), Tensor.rand(rng, c).add(0.5f), Tensor.scalar(3f)};
        // The full-shape scale is read before and after the norm: two contributions to its gradient.
        Program prog = (v, x, s) -> {
            Var y = NormalizationOps.batchNorm(x.mul(v[2]), s[0], s[1], s[2], v[0], v[1], true, 0.3f, 1e-5f);
            return y.mul(y).mul(v[2]).sum();
        };
        assertReplaysMatchEager(prog, params, state, batches(rng, 5, shape));
    }

    @Test
    void aReplayedBatchNormCountsItsBatches() {
        Rng rng = new Rng(4);
        Tensor rm = Tensor.zeros(3);
        Tensor rv = Tensor.ones(3);
        Tensor count = Tensor.scalar(0f);
        Tensor x = Tensor.randn(rng, 6, 3);
        Var w = Var.param(Tensor.ones(3));
        CapturedGraph g = CapturedGraph.capture(() ->
                NormalizationOps.batchNorm(Var.constant(x), rm, rv, count, w, null, true, 0.1f, 1e-5f).sum()).graph();
        for (int i = 0; i < 4; i++) {
            g.forward();
        }
        assertEquals(5f, count.item());
        // Five updates towards the same batch mean: (1 - 0.9^5) of the way from 0.
        float batchMean = x.mean(0).get(0);
        assertEquals((1 - Math.pow(0.9, 5)) * batchMean, rm.get(0), 1e-5);
    }

    @Property(tries = 15)
    void batchNormInEvaluationReplaysWithTheRunningStatisticsOfTheMoment(@ForAll long seed, @ForAll boolean affine) {
        Rng rng = new Rng(seed);
        int c = 4;
        int[] shape = {3, c, 2, 5};
        Tensor[] params = {Tensor.randn(rng, shape), Tensor.randn(rng, c), Tensor.randn(rng, c)};
        Tensor[] state = {Tensor.randn(rng, c), Tensor.rand(rng, c).add(0.5f)};
        Program prog = (v, x, s) -> {
            Var y = NormalizationOps.batchNorm(x.mul(v[0]), s[0], s[1], null, affine ? v[1] : null, affine ? v[2] : null,
                    false, 0.1f, 1e-5f);
            return y.mul(y).mul(v[0]).sum();
        };
        if (!affine) {
            params = new Tensor[] {params[0]};
        }
        assertReplaysMatchEager(prog, params, state, batches(rng, 3, shape));

        // Running statistics changed after the capture (a loaded state dict) are what the next replay uses.
        Tensor rm = Tensor.zeros(c);
        Tensor rv = Tensor.ones(c);
        Tensor x = Tensor.randn(rng, shape);
        CapturedGraph g = CapturedGraph.capture(() -> NormalizationOps.batchNorm(Var.constant(x), rm, rv, null, null,
                null, false, 0.1f, 1e-5f)).graph();
        rm.fillInPlace(1f);
        rv.fillInPlace(4f);
        g.forward();
        Tensor expected = x.sub(1f).mul((float) (1 / Math.sqrt(4 + 1e-5)));
        assertTrue(expected.allClose(g.output().value(), 1e-6, 1e-6), g.output().value().toString());
    }

    @Property(tries = 15)
    void layerNormReplaysBitForBit(@ForAll long seed, @ForAll boolean affine) {
        SplittableRandom r = new SplittableRandom(seed);
        Rng rng = new Rng(seed);
        int[] shape = {1 + r.nextInt(9), 3 + r.nextInt(40)};
        int[] norm = {shape[1]};
        Tensor[] params = {Tensor.randn(rng, norm), Tensor.randn(rng, norm)};
        Program prog = (v, x, s) -> {
            Var y = affine ? NormalizationOps.layerNorm(x, norm, v[0], v[1], 1e-5f)
                    : NormalizationOps.layerNorm(x.mul(v[0]).add(v[1]), norm, null, null, 1e-5f);
            return y.mul(y).mul(v[0]).sum();
        };
        assertReplaysMatchEager(prog, params, new Tensor[0], batches(rng, 4, shape));
    }

    @Test
    void aWarmReplayOfAConvolutionFreeCnnStepAllocatesNothing() {
        Rng rng = new Rng(8);
        Var w = Var.param(Tensor.ones(4));
        Var b = Var.param(Tensor.zeros(4));
        Var lnw = Var.param(Tensor.ones(4 * 7 * 7));
        Tensor rm = Tensor.zeros(4);
        Tensor rv = Tensor.ones(4);
        Tensor count = Tensor.scalar(0f);
        Tensor x = Tensor.randn(rng, 16, 4, 14, 14);
        float[] labels = new float[16];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = (i * 37) % (4 * 7 * 7);
        }
        Tensor y = Tensor.of(labels, 16);
        Var xv = Var.constant(x);
        CapturedGraph g = CapturedGraph.capture(() -> {
            // Only this file's ops (and a view): relu and add replays have allocations of their own.
            Var h = NormalizationOps.batchNorm(xv, rm, rv, count, w, b, true, 0.1f, 1e-5f);
            Var p = PoolingOps.maxPool2d(h, 2);
            Var q = PoolingOps.adaptiveAvgPool2d(PoolingOps.avgPool2d(p, Pool2dSpec.of(3, 1, 1), true), 7, 7);
            Var n = NormalizationOps.layerNorm(q.reshape(16, 4 * 7 * 7), new int[] {4 * 7 * 7}, lnw, null, 1e-5f);
            // The normalised features are the logits: a linear layer's product would dwarf what is measured.
            return Losses.crossEntropy(n, y);
        }).graph();
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        // Until C2 compiles the kernels the Vector API boxes vectors on the heap: measure rounds
        // until one is clean (on a loaded machine C2 can take thousands of steps), or give up.
        long perStep = Long.MAX_VALUE;
        for (int round = 0; round < 300 && perStep >= 64; round++) {
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 20; i++) {
                g.forward();
                g.backward();
            }
            perStep = (threads.getCurrentThreadAllocatedBytes() - before) / 20;
        }
        assertTrue(perStep < 64, "a replayed step allocated " + perStep + " bytes");
    }
}
