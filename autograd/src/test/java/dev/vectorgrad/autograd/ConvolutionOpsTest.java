package dev.vectorgrad.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.function.Function;

import dev.vectorgrad.core.Conv2dSpec;
import dev.vectorgrad.core.Convolution;
import dev.vectorgrad.core.Padding;
import dev.vectorgrad.core.Rng;
import dev.vectorgrad.core.Tensor;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * {@link ConvolutionOps#conv2d} and {@link PaddingOps#pad}: gradients against central finite
 * differences (GradCheck, sums in double) over random geometries; a captured graph of
 * convolutions replayed on new data equals eager autograd bit for bit, second contributions to
 * a gradient included, and a warm replay allocates nothing.
 */
class ConvolutionOpsTest {

    private static final GradCheck CHECK = GradCheck.defaults();

    @Property(tries = 40)
    void conv2dGradientsMatchFiniteDifferences(@ForAll @IntRange(min = 1, max = 2) int n,
                                               @ForAll @IntRange(min = 1, max = 3) int groups,
                                               @ForAll @IntRange(min = 1, max = 2) int cinG,
                                               @ForAll @IntRange(min = 1, max = 3) int coutG,
                                               @ForAll @IntRange(min = 1, max = 7) int h,
                                               @ForAll @IntRange(min = 1, max = 5) int w,
                                               @ForAll @IntRange(min = 1, max = 3) int k,
                                               @ForAll @IntRange(min = 1, max = 2) int stride,
                                               @ForAll @IntRange(max = 2) int pad,
                                               @ForAll @IntRange(min = 1, max = 2) int dil,
                                               @ForAll boolean bias, @ForAll long seed) {
        Rng rng = new Rng(seed);
        Conv2dSpec s = new Conv2dSpec(stride, 1 + rng.nextInt(2), pad, rng.nextInt(2), dil, 1, groups);
        int hh = Math.max(h, dil * (k - 1) + 1 - 2 * pad);
        int kw = 1 + rng.nextInt(3);
        int ww = Math.max(w, kw - 2 * s.padW());
        Tensor x = Tensor.randn(rng, n, groups * cinG, hh, ww);
        Tensor wt = Tensor.randn(rng, groups * coutG, cinG, k, kw);
        if (bias) {
            Tensor b = Tensor.randn(rng, groups * coutG);
            CHECK.withSeed(seed).verify(v -> ConvolutionOps.conv2d(v[0], v[1], v[2], s), x, wt, b);
        } else {
            CHECK.withSeed(seed).verify(v -> ConvolutionOps.conv2d(v[0], v[1], null, s), x, wt);
        }
    }

    @Property(tries = 30)
    void padGradientsMatchFiniteDifferences(@ForAll @IntRange(min = 1, max = 4) int rank, @ForAll long seed) {
        Rng rng = new Rng(seed);
        int[] shape = new int[rank];
        for (int d = 0; d < rank; d++) {
            shape[d] = 2 + rng.nextInt(3);
        }
        int pairs = 1 + rng.nextInt(rank);
        int[] pads = new int[2 * pairs];
        for (int j = 0; j < pads.length; j++) {
            pads[j] = rng.nextInt(4) - 1; // -1 crops, sizes stay >= 0
        }
        float value = rng.nextFloat();
        // A nonlinear function after the pad so that the fill matters nowhere in the gradient but the values do.
        CHECK.withSeed(seed).verify(v -> PaddingOps.pad(v[0], pads, value).mul(PaddingOps.pad(v[0], pads, value)),
                Tensor.randn(rng, shape));
    }

    @Example
    void eagerValuesAreTheCoreOps() {
        Rng rng = new Rng(2);
        Tensor x = Tensor.randn(rng, 2, 3, 6, 6);
        Tensor w = Tensor.randn(rng, 4, 3, 3, 3);
        Tensor b = Tensor.randn(rng, 4);
        Conv2dSpec s = Conv2dSpec.of(2, 1);
        Var y = ConvolutionOps.conv2d(Var.param(x), Var.param(w), Var.param(b), s);
        assertEquals("conv2d", y.opName());
        assertArrayEquals(Convolution.conv2d(x, w, b, s).toArray(), y.value().toArray());
        Var p = PaddingOps.pad(Var.param(x), 1, 2);
        assertEquals("pad", p.opName());
        assertArrayEquals(Padding.pad(x, new int[] {1, 2}).toArray(), p.value().toArray());
        Var noGrad = ConvolutionOps.conv2d(Var.constant(x), Var.constant(w), null);
        assertTrue(!noGrad.requiresGrad(), "constants in, a constant out");
    }

    @Example
    void badInputNamesTheOp() {
        Var x = Var.constant(Tensor.zeros(8, 4, 28, 28));
        String m = assertThrows(IllegalArgumentException.class,
                () -> ConvolutionOps.conv2d(x, Var.param(Tensor.zeros(16, 3, 3, 3)), null)).getMessage();
        assertTrue(m.startsWith("conv2d: input [8, 4, 28, 28] has 4 channels"), m);
        m = assertThrows(IllegalArgumentException.class, () -> PaddingOps.pad(x, 1, 2, 3)).getMessage();
        assertTrue(m.startsWith("pad:") && m.contains("even"), m);
    }

    // ------------------------------------------------------------------ captured replay

    /** A small CNN-like function of (x, w1, b1, w2, b2): conv, relu, pad, conv reusing w2, and a sum of squares. */
    private static Var program(Var[] v) {
        Var h = ConvolutionOps.conv2d(v[0], v[1], v[2], Conv2dSpec.of(1, 1)).relu();
        Var p = PaddingOps.pad(h, new int[] {1, 0, 0, 1}, 0.5f);
        Var a = ConvolutionOps.conv2d(p, v[3], v[4], Conv2dSpec.of(2, 0));
        // w2 twice: its gradient gets a second contribution, which the replay adds as eager does.
        Var c = ConvolutionOps.conv2d(p, v[3], null, Conv2dSpec.of(1, 1).withDilation(2));
        return a.mul(a).sum().add(c.sum());
    }

    private static Tensor[] params(Rng rng) {
        return new Tensor[] {
            Tensor.randn(rng, 4, 3, 3, 3), Tensor.randn(rng, 4),
            Tensor.randn(rng, 4, 4, 3, 3), Tensor.randn(rng, 4),
        };
    }

    private static Tensor[] copies(Tensor[] ts) {
        Tensor[] c = new Tensor[ts.length];
        for (int i = 0; i < ts.length; i++) {
            c[i] = ts[i].copy();
        }
        return c;
    }

    private static Var[] leaves(Tensor x, boolean xNeedsGrad, Tensor[] p) {
        Var[] v = new Var[1 + p.length];
        v[0] = xNeedsGrad ? Var.param(x) : Var.constant(x);
        for (int i = 0; i < p.length; i++) {
            v[i + 1] = Var.param(p[i]);
        }
        return v;
    }

    private static void assertSameBits(Tensor expected, Tensor actual, String what) {
        assertNotNull(actual, what + ": missing");
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        float[] e = expected.toArray();
        float[] a = actual.toArray();
        for (int i = 0; i < e.length; i++) {
            if (Float.floatToIntBits(e[i]) != Float.floatToIntBits(a[i])) {
                throw new AssertionError(what + ": element " + i + " is " + a[i] + " replayed, " + e[i] + " eagerly");
            }
        }
    }

    @Property(tries = 6)
    void aCapturedConvolutionGraphReplaysBitForBit(@ForAll boolean inputNeedsGrad, @ForAll boolean slicedInput,
                                                   @ForAll long seed) {
        Rng rng = new Rng(seed);
        Tensor[] p = params(rng);
        Function<Tensor, Tensor> layout = t -> slicedInput
                ? Tensor.zeros(3, 3, 9, 8).slice(0, 1, 3).slice(1, 0, 3).slice(2, 1, 8).slice(3, 1, 8) : Tensor.zeros(2, 3, 7, 7);
        Tensor x = layout.apply(null).copyFrom(Tensor.randn(rng, 2, 3, 7, 7));
        Tensor[] captured = copies(p);
        Var[] leaves = leaves(x, inputNeedsGrad, captured);
        CapturedGraph.Capture c = CapturedGraph.capture(() -> program(leaves));
        assertTrue(c.replayable(), () -> "refused: " + c.refusal());
        CapturedGraph g = c.graph();
        for (int step = 0; step < 3; step++) {
            Tensor next = Tensor.randn(rng, 2, 3, 7, 7);
            x.copyFrom(next);
            g.forward();
            g.backward();
            Tensor eagerX = next.copy();
            Tensor[] eager = copies(p);
            Var[] ev = leaves(eagerX, inputNeedsGrad, eager);
            Var out = program(ev);
            out.backward();
            assertSameBits(out.value(), g.output().value(), "loss, step " + step);
            for (int i = 0; i < p.length; i++) {
                assertSameBits(eager[i].grad(), captured[i].grad(), "gradient of parameter " + i + ", step " + step);
            }
            if (inputNeedsGrad) {
                assertSameBits(eagerX.grad(), x.grad(), "gradient of the input, step " + step);
            }
        }
    }

    /**
     * Only ops whose replays allocate nothing around the convolutions (a sum's replay makes a new
     * tensor, and so, for now, do a relu that no linear fuses and an add of 4-d tensors).
     */
    @Example
    void aWarmReplayOfConvolutionsAllocatesNothing() {
        Rng rng = new Rng(4);
        Tensor[] p = params(rng);
        Var[] v = leaves(Tensor.randn(rng, 2, 3, 7, 7), false, p);
        Var wl = Var.param(Tensor.randn(rng, 5, 36));
        Var bl = Var.param(Tensor.randn(rng, 5));
        Tensor y = Tensor.of(new float[] {1, 3}, 2);
        CapturedGraph g = CapturedGraph.capture(() -> {
            Var h = ConvolutionOps.conv2d(v[0], v[1], v[2], Conv2dSpec.of(1, 1));
            Var q = PaddingOps.pad(h, new int[] {1, 0, 0, 1}, 0.5f);
            Var a = ConvolutionOps.conv2d(q, v[3], v[4], Conv2dSpec.of(2, 0));
            return Losses.crossEntropy(a.reshape(2, -1).linear(wl, bl), y);
        }).graph();
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long perStep = Long.MAX_VALUE;
        for (int round = 0; round < 300 && perStep >= 64; round++) {
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 100; i++) {
                g.forward();
                g.backward();
            }
            perStep = (threads.getCurrentThreadAllocatedBytes() - before) / 100;
        }
        assertTrue(perStep < 64, "a replayed step allocated " + perStep + " bytes");
    }
}
