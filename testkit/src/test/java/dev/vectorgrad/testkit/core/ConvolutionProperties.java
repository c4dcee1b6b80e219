package dev.vectorgrad.testkit.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Optional;

import dev.vectorgrad.core.Conv2dSpec;
import dev.vectorgrad.core.Convolution;
import dev.vectorgrad.core.Padding;
import dev.vectorgrad.core.Rng;
import dev.vectorgrad.core.Tensor;
import dev.vectorgrad.testkit.Indices;
import dev.vectorgrad.testkit.Layout;
import dev.vectorgrad.testkit.ShapeArbitraries;
import dev.vectorgrad.testkit.Tensors;
import dev.vectorgrad.testkit.Values;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * core's {@link Convolution} against a naive seven-loop reference in double over random shapes and
 * geometries (sizes 1, odd and prime; stride, padding, dilation, groups), inputs as contiguous,
 * channels-last (permuted) and sliced views: any of the kit's layouts; its gradients against the reference's adjoints;
 * the im2col product against a sum of 1x1 convolutions of shifted inputs; and the messages of
 * bad calls.
 */
class ConvolutionProperties {

    /** A conv2d problem: shapes that fit, from the kit. */
    private record Problem(Tensor x, Tensor w, Tensor b, Conv2dSpec s) {}

    /** Sizes of the batch, groups, channels per group, the image and the kernel. */
    private record Dims(int n, int groups, int cinG, int coutG, int h, int w, int kh, int kw) {}

    /** Stride, padding and dilation along each axis. */
    private record Geometry(int stride, int pad, int dil, int strideW, int padW, int dilW) {}

    private static Arbitrary<Integer> between(int lo, int hi) {
        return Arbitraries.integers().between(lo, hi);
    }

    /** An NCHW tensor from the kit in any of its layouts (channels-last among the mixed ones). */
    static Arbitrary<Tensor> image(int n, int c, int h, int w) {
        return Tensors.views(Values.standard(), Arbitraries.just(new int[] {n, c, h, w}));
    }

    private static Arbitrary<Problem> problems(boolean maybeBias) {
        Arbitrary<Dims> dims = Combinators.combine(between(1, 3), between(1, 3), between(1, 3), between(1, 3),
                between(1, 11), between(1, 13), between(1, 4), between(1, 4)).as(Dims::new);
        Arbitrary<Geometry> geometry = Combinators.combine(between(1, 3), between(0, 2), between(1, 2), between(1, 3),
                between(0, 2), between(1, 2)).as(Geometry::new);
        Arbitrary<Boolean> bias = maybeBias ? Arbitraries.of(false, true) : Arbitraries.just(true);
        return Combinators.combine(dims, geometry, bias).flatAs((d, g, withBias) -> {
            Conv2dSpec s = new Conv2dSpec(g.stride(), g.strideW(), g.pad(), g.padW(), g.dil(), g.dilW(), d.groups());
            // Grow the image until the dilated kernel fits in the padded input.
            int hh = Math.max(d.h(), g.dil() * (d.kh() - 1) + 1 - 2 * g.pad());
            int ww = Math.max(d.w(), g.dilW() * (d.kw() - 1) + 1 - 2 * g.padW());
            int cout = d.groups() * d.coutG();
            Arbitrary<Optional<Tensor>> b = withBias ? Tensors.tensors(Values.standard(), cout).map(Optional::of)
                    : Arbitraries.just(Optional.empty());
            return Combinators.combine(image(d.n(), d.groups() * d.cinG(), hh, ww),
                    Tensors.tensors(Values.standard(), cout, d.cinG(), d.kh(), d.kw()), b)
                    .as((x, w, bb) -> new Problem(x, w, bb.orElse(null), s));
        });
    }

    @Provide
    Arbitrary<Problem> forwardProblems() {
        return problems(true);
    }

    /** A problem with a bias, and an upstream gradient of the output's shape in any layout. */
    private record GradientProblem(Problem p, Tensor g) {}

    @Provide
    Arbitrary<GradientProblem> gradientProblems() {
        return problems(false).flatMap(p -> {
            int[] os = Convolution.conv2dOutputShape(p.x().shape(), p.w().shape(), p.s());
            return image(os[0], os[1], os[2], os[3]).map(g -> new GradientProblem(p, g));
        });
    }

    /** The textbook loops, in double. */
    static double[] reference(Tensor x, Tensor w, Tensor b, Conv2dSpec s) {
        int n = x.size(0);
        int cin = x.size(1);
        int h = x.size(2);
        int wd = x.size(3);
        int cout = w.size(0);
        int cinG = w.size(1);
        int kh = w.size(2);
        int kw = w.size(3);
        int coutG = cout / s.groups();
        int oh = s.outH(h, kh);
        int ow = s.outW(wd, kw);
        double[] out = new double[n * cout * oh * ow];
        for (int i = 0; i < n; i++) {
            for (int co = 0; co < cout; co++) {
                int g = co / coutG;
                for (int y = 0; y < oh; y++) {
                    for (int z = 0; z < ow; z++) {
                        double acc = b == null ? 0 : b.get(co);
                        for (int c = 0; c < cinG; c++) {
                            for (int ki = 0; ki < kh; ki++) {
                                for (int kj = 0; kj < kw; kj++) {
                                    int ih = y * s.strideH() - s.padH() + ki * s.dilationH();
                                    int iw = z * s.strideW() - s.padW() + kj * s.dilationW();
                                    if (ih >= 0 && ih < h && iw >= 0 && iw < wd) {
                                        acc += (double) x.get(i, g * cinG + c, ih, iw) * w.get(co, c, ki, kj);
                                    }
                                }
                            }
                        }
                        out[((i * cout + co) * oh + y) * ow + z] = acc;
                    }
                }
            }
        }
        assertEquals(cin, cinG * s.groups());
        return out;
    }

    /** The reference's adjoints: d(sum(g * conv))/dx and /dw, /db, in double. */
    static double[][] referenceGrads(Tensor x, Tensor w, Tensor g, Conv2dSpec s) {
        int n = x.size(0);
        int h = x.size(2);
        int wd = x.size(3);
        int cout = w.size(0);
        int cinG = w.size(1);
        int kh = w.size(2);
        int kw = w.size(3);
        int coutG = cout / s.groups();
        int oh = g.size(2);
        int ow = g.size(3);
        double[] gx = new double[x.numel()];
        double[] gw = new double[w.numel()];
        double[] gb = new double[cout];
        int cin = x.size(1);
        for (int i = 0; i < n; i++) {
            for (int co = 0; co < cout; co++) {
                int grp = co / coutG;
                for (int y = 0; y < oh; y++) {
                    for (int z = 0; z < ow; z++) {
                        double go = g.get(i, co, y, z);
                        gb[co] += go;
                        for (int c = 0; c < cinG; c++) {
                            for (int ki = 0; ki < kh; ki++) {
                                for (int kj = 0; kj < kw; kj++) {
                                    int ih = y * s.strideH() - s.padH() + ki * s.dilationH();
                                    int iw = z * s.strideW() - s.padW() + kj * s.dilationW();
                                    if (ih >= 0 && ih < h && iw >= 0 && iw < wd) {
                                        int ci = grp * cinG + c;
                                        gx[((i * cin + ci) * h + ih) * wd + iw] += go * w.get(co, c, ki, kj);
                                        gw[((co * cinG + c) * kh + ki) * kw + kj] += go * x.get(i, ci, ih, iw);
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return new double[][] {gx, gw, gb};
    }

    /** Element-wise closeness, tolerance growing with the number of terms summed. */
    static void assertClose(double[] expected, Tensor actual, int terms, String what) {
        float[] a = actual.contiguous().toArray();
        assertEquals(expected.length, a.length, what + ": element count");
        double tol = 2e-6 * Math.sqrt(terms + 1) * 4;
        for (int i = 0; i < a.length; i++) {
            double e = expected[i];
            if (!(Math.abs(a[i] - e) <= tol * (1 + Math.abs(e)))) {
                throw new AssertionError(what + ": element " + i + " is " + a[i] + ", expected " + e + " (of "
                        + a.length + ", shape " + Arrays.toString(actual.shape()) + ")");
            }
        }
    }

    @Property(tries = 60)
    void forwardMatchesTheReference(@ForAll("forwardProblems") Problem p) {
        int cinG = p.w.size(1);
        int kh = p.w.size(2);
        int kw = p.w.size(3);
        Tensor out = Convolution.conv2d(p.x, p.w, p.b, p.s);
        assertArrayEquals(Convolution.conv2dOutputShape(p.x.shape(), p.w.shape(), p.s), out.shape());
        assertClose(reference(p.x, p.w, p.b, p.s), out, cinG * kh * kw, "conv2d " + p.s);

        Tensor into = Tensor.full(Float.NaN, out.shape()); // every element must be overwritten
        int v = into.version();
        assertSame(into, Convolution.conv2d(p.x, p.w, p.b, p.s, into, new Convolution.Workspace()));
        assertTrue(into.version() > v, "conv2d bumps out's version");
        assertArrayEquals(out.toArray(), into.toArray(), "into and allocating forms agree bit for bit");
    }

    @Property(tries = 60)
    void gradientsMatchTheReferenceAdjoints(@ForAll("gradientProblems") GradientProblem gp) {
        Problem p = gp.p();
        Tensor g = gp.g();
        int n = p.x.size(0);
        int coutG = p.w.size(0) / p.s.groups();
        int kh = p.w.size(2);
        int kw = p.w.size(3);
        int[] os = g.shape();
        double[][] ref = referenceGrads(p.x, p.w, g, p.s);
        Tensor gx = Tensor.full(Float.NaN, p.x.shape());
        Tensor gw = Tensor.full(Float.NaN, p.w.shape());
        Tensor gb = Tensor.full(Float.NaN, p.w.size(0));
        Convolution.Workspace ws = new Convolution.Workspace();
        Convolution.conv2dBackwardInput(g, p.w, p.s, gx, ws);
        Convolution.conv2dBackwardWeight(g, p.x, p.s, gw, gb, ws);
        int taps = coutG * kh * kw;
        assertClose(ref[0], gx, taps, "gradient of the input, " + p.s);
        assertClose(ref[1], gw, n * os[2] * os[3], "gradient of the weight, " + p.s);
        assertClose(ref[2], gb, n * os[2] * os[3], "gradient of the bias, " + p.s);
        assertArrayEquals(gx.toArray(), Convolution.conv2dBackwardInput(g, p.w, p.s, p.x.shape()).toArray(),
                "allocating form of the input gradient");
        // The weight gradient alone and the bias gradient alone (summed apart, not as a row of
        // the product) agree with both together; the same call repeats bit for bit.
        Tensor gw2 = Tensor.zeros(p.w.shape());
        Tensor gb2 = Tensor.zeros(p.w.size(0));
        Convolution.conv2dBackwardWeight(g, p.x, p.s, gw2, null, ws);
        Convolution.conv2dBackwardWeight(g, p.x, p.s, null, gb2, ws);
        assertClose(ref[1], gw2, n * os[2] * os[3], "gradient of the weight alone, " + p.s);
        assertClose(ref[2], gb2, n * os[2] * os[3], "gradient of the bias alone, " + p.s);
        Tensor gw3 = Tensor.zeros(p.w.shape());
        Tensor gb3 = Tensor.zeros(p.w.size(0));
        Convolution.conv2dBackwardWeight(g, p.x, p.s, gw3, gb3, ws);
        assertArrayEquals(gw.toArray(), gw3.toArray());
        assertArrayEquals(gb.toArray(), gb3.toArray());
    }

    /**
     * The im2col identity, built from other ops: a kxk convolution is the sum over the taps of a
     * 1x1 convolution (the direct matmul path) of the padded input shifted by the tap and
     * subsampled by the stride.
     */
    @Property(tries = 40)
    void convolutionIsASumOfShiftedPointwiseProducts(@ForAll @IntRange(min = 1, max = 3) int n,
                                                     @ForAll @IntRange(min = 1, max = 5) int cin,
                                                     @ForAll @IntRange(min = 1, max = 5) int cout,
                                                     @ForAll @IntRange(min = 3, max = 12) int h,
                                                     @ForAll @IntRange(min = 1, max = 3) int k,
                                                     @ForAll @IntRange(min = 1, max = 2) int stride,
                                                     @ForAll @IntRange(max = 2) int pad, @ForAll long seed) {
        Rng rng = new Rng(seed);
        Tensor x = Tensor.randn(rng, n, cin, h, h + 1);
        Tensor w = Tensor.randn(rng, cout, cin, k, k);
        Conv2dSpec s = Conv2dSpec.of(stride, pad);
        Tensor out = Convolution.conv2d(x, w, null, s);
        Tensor padded = Padding.pad(x, new int[] {pad, pad, pad, pad});
        int oh = out.size(2);
        int ow = out.size(3);
        Tensor sum = Tensor.zeros(out.shape());
        for (int ki = 0; ki < k; ki++) {
            for (int kj = 0; kj < k; kj++) {
                Tensor shifted = padded.slice(2, ki, ki + (oh - 1) * stride + 1, stride)
                        .slice(3, kj, kj + (ow - 1) * stride + 1, stride).contiguous();
                Tensor tap = w.slice(2, ki, ki + 1).slice(3, kj, kj + 1).contiguous();
                sum.addInPlace(Convolution.conv2d(shifted, tap, null, Conv2dSpec.defaults()));
            }
        }
        assertTrue(sum.allClose(out, 1e-4, 1e-4), () -> "conv2d\n" + out + "\nsum of taps\n" + sum);
        // And a 1x1 convolution of one image is W @ x viewed as [C_in, H*W].
        Tensor one = Convolution.conv2d(x.slice(0, 0, 1), w.slice(2, 0, 1).slice(3, 0, 1), null, Conv2dSpec.defaults());
        Tensor mm = w.slice(2, 0, 1).slice(3, 0, 1).reshape(cout, cin).matmul(x.select(0, 0).reshape(cin, -1));
        assertTrue(mm.allClose(one.reshape(cout, -1), 1e-5, 1e-5));
    }

    /**
     * The im2col identity itself, with the columns built from views: per image, the output is
     * {@code W.reshape(C_out, C_in*kH*kW) @ col}, where row {@code (c, ki, kj)} of col is the padded
     * channel c shifted by the (dilated) tap and subsampled by the stride.
     */
    @Property(tries = 30)
    void convolutionIsTheWeightTimesTheUnfoldedImage(@ForAll @IntRange(min = 1, max = 4) int cin,
                                                     @ForAll @IntRange(min = 1, max = 5) int cout,
                                                     @ForAll @IntRange(min = 5, max = 10) int h,
                                                     @ForAll @IntRange(min = 1, max = 3) int k,
                                                     @ForAll @IntRange(min = 1, max = 2) int stride,
                                                     @ForAll @IntRange(max = 2) int pad,
                                                     @ForAll @IntRange(min = 1, max = 2) int dil, @ForAll long seed) {
        Rng rng = new Rng(seed);
        Tensor x = Tensor.randn(rng, 2, cin, h, h + 2);
        Tensor w = Tensor.randn(rng, cout, cin, k, k);
        Conv2dSpec s = Conv2dSpec.of(stride, pad, dil, 1);
        Tensor out = Convolution.conv2d(x, w, null, s);
        int oh = out.size(2);
        int ow = out.size(3);
        Tensor padded = Padding.pad(x, new int[] {pad, pad, pad, pad});
        for (int n = 0; n < 2; n++) {
            Tensor col = Tensor.zeros(cin * k * k, oh * ow);
            for (int c = 0; c < cin; c++) {
                for (int ki = 0; ki < k; ki++) {
                    for (int kj = 0; kj < k; kj++) {
                        Tensor tap = padded.select(0, n).select(0, c)
                                .slice(0, ki * dil, ki * dil + (oh - 1) * stride + 1, stride)
                                .slice(1, kj * dil, kj * dil + (ow - 1) * stride + 1, stride);
                        int r = (c * k + ki) * k + kj;
                        col.slice(0, r, r + 1).copyFrom(tap.contiguous().reshape(1, oh * ow));
                    }
                }
            }
            Tensor expected = w.reshape(cout, cin * k * k).matmul(col);
            Tensor actual = out.select(0, n).reshape(cout, oh * ow);
            assertTrue(expected.allClose(actual, 1e-4, 1e-4), () -> "W @ col\n" + expected + "\nconv2d\n" + actual);
        }
    }

    /** Batches above the task count: each image's output is what that image alone gives, bit for bit. */
    @Property(tries = 10)
    void imagesAreIndependentAndCallsRepeatBitForBit(@ForAll @IntRange(min = 9, max = 23) int n, @ForAll long seed) {
        Rng rng = new Rng(seed);
        Tensor x = Tensor.randn(rng, n, 3, 7, 6);
        Tensor w = Tensor.randn(rng, 4, 3, 3, 3);
        Tensor b = Tensor.randn(rng, 4);
        Conv2dSpec s = Conv2dSpec.of(1, 1);
        Tensor out = Convolution.conv2d(x, w, b, s);
        for (int i = 0; i < n; i++) {
            Tensor alone = Convolution.conv2d(x.slice(0, i, i + 1), w, b, s);
            assertArrayEquals(alone.toArray(), out.slice(0, i, i + 1).contiguous().toArray(), "image " + i);
        }
        Tensor g = Tensor.randn(rng, out.shape());
        Tensor gw1 = Tensor.zeros(w.shape());
        Tensor gw2 = Tensor.zeros(w.shape());
        Convolution.conv2dBackwardWeight(g, x, s, gw1, null, new Convolution.Workspace());
        Convolution.conv2dBackwardWeight(g, x, s, gw2, null, new Convolution.Workspace());
        assertArrayEquals(gw1.toArray(), gw2.toArray());
        assertClose(referenceGrads(x, w, g, s)[1], gw1, n * 42, "weight gradient over " + n + " images");
    }

    /** Channels above {@link Convolution#SMALL_DIM}: the packed matmul's path, "same" and strided geometries. */
    @Example
    void wideLayersTakeTheMatmulPath() {
        Rng rng = new Rng(11);
        for (Conv2dSpec s : new Conv2dSpec[] {Conv2dSpec.of(1, 1), Conv2dSpec.of(2, 1), Conv2dSpec.of(1, 0).withGroups(2)}) {
            Tensor x = Tensor.randn(rng, 3, 36, 7, 6);
            Tensor w = Tensor.randn(rng, 40, 36 / s.groups(), 3, 3);
            Tensor b = Tensor.randn(rng, 40);
            assertTrue(Math.min(40 / s.groups(), 36 / s.groups() * 9) > 16); // Convolution.SMALL_DIM, package-private
            Tensor out = Convolution.conv2d(x, w, b, s);
            int kG = 36 / s.groups() * 9;
            assertClose(reference(x, w, b, s), out, kG, "forward " + s);
            Tensor g = Tensor.randn(rng, out.shape());
            double[][] ref = referenceGrads(x, w, g, s);
            Tensor gx = Tensor.zeros(x.shape());
            Tensor gw = Tensor.zeros(w.shape());
            Tensor gb = Tensor.zeros(40);
            Convolution.Workspace ws = new Convolution.Workspace();
            Convolution.conv2dBackwardInput(g, w, s, gx, ws);
            Convolution.conv2dBackwardWeight(g, x, s, gw, gb, ws);
            assertClose(ref[0], gx, 40 * 9, "input gradient " + s);
            assertClose(ref[1], gw, 3 * out.size(2) * out.size(3), "weight gradient " + s);
            assertClose(ref[2], gb, 3 * out.size(2) * out.size(3), "bias gradient " + s);
        }
    }

    @Example
    void emptyBatchAndSizeOneEdges() {
        Rng rng = new Rng(3);
        Tensor w = Tensor.randn(rng, 2, 1, 1, 1);
        Tensor b = Tensor.randn(rng, 2);
        Tensor empty = Convolution.conv2d(Tensor.zeros(0, 1, 4, 4), w, b, Conv2dSpec.defaults());
        assertArrayEquals(new int[] {0, 2, 4, 4}, empty.shape());
        Tensor gw = Tensor.full(Float.NaN, 2, 1, 1, 1);
        Tensor gb = Tensor.full(Float.NaN, 2);
        Convolution.conv2dBackwardWeight(Tensor.zeros(0, 2, 4, 4), Tensor.zeros(0, 1, 4, 4), Conv2dSpec.defaults(),
                gw, gb, new Convolution.Workspace());
        assertArrayEquals(new float[2], gw.toArray(), "no images, no gradient");
        assertArrayEquals(new float[2], gb.toArray());
        // A 1x1 input, a 1x1 kernel: a product and a bias.
        Tensor x = Tensor.of(new float[] {3f}, 1, 1, 1, 1);
        Tensor out = Convolution.conv2d(x, w, b, Conv2dSpec.defaults());
        assertEquals(3f * w.get(0, 0, 0, 0) + b.get(0), out.get(0, 0, 0, 0), 1e-6);
        // Padding alone can make the input: a 3x3 kernel over a 1x1 image padded by 1.
        Tensor w3 = Tensor.randn(rng, 1, 1, 3, 3);
        Tensor o3 = Convolution.conv2d(x, w3, null, Conv2dSpec.of(1, 1));
        assertEquals(3f * w3.get(0, 0, 1, 1), o3.item(), 1e-6);
    }

    // ------------------------------------------------------------------ bad input

    private static String message(Runnable r) {
        return assertThrows(IllegalArgumentException.class, r::run).getMessage();
    }

    @Example
    void badCallsNameTheOpTheShapesAndTheRule() {
        Tensor x = Tensor.zeros(8, 4, 28, 28);
        Conv2dSpec d = Conv2dSpec.defaults();
        String m = message(() -> Convolution.conv2d(x, Tensor.zeros(16, 3, 3, 3), null, d));
        assertTrue(m.contains("conv2d") && m.contains("[8, 4, 28, 28]") && m.contains("[16, 3, 3, 3]")
                && m.contains("4 channels") && m.contains("expects 3"), m);
        m = message(() -> Convolution.conv2d(Tensor.zeros(4, 28, 28), Tensor.zeros(16, 4, 3, 3), null, d));
        assertTrue(m.contains("conv2d") && m.contains("[4, 28, 28]") && m.contains("4-d"), m);
        m = message(() -> Convolution.conv2d(x, Tensor.zeros(16, 4, 3), null, d));
        assertTrue(m.contains("weight [16, 4, 3]") && m.contains("4-d"), m);
        m = message(() -> Convolution.conv2d(x, Tensor.zeros(18, 1, 3, 3), null, d.withGroups(3)));
        assertTrue(m.contains("groups 3") && m.contains("divide") && m.contains("input channels 4"), m);
        m = message(() -> Convolution.conv2d(x, Tensor.zeros(18, 1, 3, 3), null, d.withGroups(4)));
        assertTrue(m.contains("groups 4") && m.contains("output channels 18"), m);
        m = message(() -> Convolution.conv2d(x, Tensor.zeros(16, 1, 3, 3), null, d.withGroups(2)));
        assertTrue(m.contains("4 channels") && m.contains("groups 2 expects 2"), m);
        m = message(() -> Convolution.conv2d(Tensor.zeros(1, 1, 3, 3), Tensor.zeros(1, 1, 5, 5), null, d));
        assertTrue(m.contains("kernel 5x5") && m.contains("larger than the padded input 3x3"), m);
        m = message(() -> Convolution.conv2d(Tensor.zeros(1, 1, 5, 5), Tensor.zeros(1, 1, 3, 3), null, d.withDilation(3)));
        assertTrue(m.contains("kernel 3x3") && m.contains("dilation (3, 3)") && m.contains("spanning 7x7"), m);
        m = message(() -> Convolution.conv2d(x, Tensor.zeros(16, 4, 3, 3), Tensor.zeros(15), d));
        assertTrue(m.contains("bias [15]") && m.contains("[16]"), m);
        m = message(() -> Conv2dSpec.of(0, 1));
        assertTrue(m.contains("stride") && m.contains("(0, 0)"), m);
        m = message(() -> Conv2dSpec.of(1, -1));
        assertTrue(m.contains("padding") && m.contains("negative"), m);
        m = message(() -> Conv2dSpec.defaults().withDilation(0, 1));
        assertTrue(m.contains("dilation"), m);
        m = message(() -> Conv2dSpec.defaults().withGroups(0));
        assertTrue(m.contains("groups"), m);
        Tensor w = Tensor.zeros(2, 4, 3, 3);
        m = message(() -> Convolution.conv2d(x, w, null, d, Tensor.zeros(8, 2, 26, 25), new Convolution.Workspace()));
        assertTrue(m.contains("out [8, 2, 26, 25]") && m.contains("[8, 2, 26, 26]"), m);
        m = message(() -> Convolution.conv2d(x, w, null, d, Tensor.zeros(8, 26, 26, 2).permute(0, 3, 1, 2),
                new Convolution.Workspace()));
        assertTrue(m.contains("strided view"), m);
        m = message(() -> Convolution.conv2dBackwardInput(Tensor.zeros(8, 2, 26, 27), w, d, x.shape()));
        assertTrue(m.contains("conv2dBackwardInput") && m.contains("gradOut [8, 2, 26, 27]"), m);
        m = message(() -> Convolution.conv2dBackwardWeight(Tensor.zeros(8, 2, 26, 26), x, d, Tensor.zeros(2, 4, 3, 2),
                null, new Convolution.Workspace()));
        assertTrue(m.contains("conv2dBackwardWeight"), m);
    }

    // ------------------------------------------------------------------ padding

    /** An input in one of the kit's layouts, pads per trailing dim (negative ones crop, never below size 0), a fill. */
    private record PadCase(Tensor x, int[] pads, float value) {}

    @Provide
    Arbitrary<PadCase> padCases() {
        return ShapeArbitraries.shapes(1, 4, 1, 5).flatMap(shape -> Combinators.combine(
                Tensors.views(Values.standard(), Arbitraries.just(shape), Layout.CONTIGUOUS, Layout.TRANSPOSED,
                        Layout.OFFSET, Layout.MIXED),
                between(0, 3), between(-1, 2).list().ofSize(8), Arbitraries.floats().between(0, 1)).as((x, pairs, raw, value) -> {
                    int rank = shape.length;
                    int p = Math.min(pairs, rank);
                    int[] pads = new int[2 * p];
                    for (int j = 0; j < pads.length; j++) {
                        pads[j] = raw.get(j);
                    }
                    for (int j = 0; j < p; j++) {
                        int d = rank - 1 - j;
                        while (shape[d] + pads[2 * j] + pads[2 * j + 1] < 0) {
                            pads[2 * j]++;
                        }
                    }
                    return new PadCase(x, pads, value);
                }));
    }

    @Property(tries = 60)
    void padPlacesTheInputAndFillsTheRest(@ForAll("padCases") PadCase c, @ForAll long seed) {
        Rng rng = new Rng(seed);
        Tensor x = c.x();
        int[] pads = c.pads();
        float value = c.value();
        int[] shape = x.shape();
        int rank = shape.length;
        int p = pads.length / 2;
        Tensor out = Padding.pad(x, pads, value);
        int[] want = Padding.paddedShape(shape, pads);
        assertArrayEquals(want, out.shape());
        for (int[] idx : Indices.of(want)) {
            int[] src = idx.clone();
            boolean inside = true;
            for (int j = 0; j < p; j++) {
                int d = rank - 1 - j;
                src[d] -= pads[2 * j];
                inside &= src[d] >= 0 && src[d] < shape[d];
            }
            float expected = inside ? x.get(src) : value;
            assertEquals(expected, out.get(idx), () -> "element " + Arrays.toString(idx) + " of pad "
                    + Arrays.toString(pads) + " over " + Arrays.toString(shape));
        }
        // The backward is the adjoint: <pad(x), g> = <x, padBackward(g)> with a zero fill.
        Tensor g = Tensor.randn(rng, want);
        Tensor gx = Padding.padBackward(g.permute(reversed(rank)).contiguous().permute(reversed(rank)), pads, shape);
        double lhs = dot(Padding.pad(x, pads), g);
        double rhs = dot(x, gx);
        assertEquals(lhs, rhs, 1e-4 * (1 + Math.abs(lhs)));
        Tensor into = Tensor.full(Float.NaN, want);
        assertSame(into, Padding.pad(x, pads, value, into));
        assertArrayEquals(out.toArray(), into.toArray());
    }

    private static int[] reversed(int rank) {
        int[] r = new int[rank];
        for (int i = 0; i < rank; i++) {
            r[i] = rank - 1 - i;
        }
        return r;
    }

    private static double dot(Tensor a, Tensor b) {
        float[] x = a.contiguous().toArray();
        float[] y = b.contiguous().toArray();
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            s += (double) x[i] * y[i];
        }
        return s;
    }

    @Example
    void padMessages() {
        Tensor x = Tensor.zeros(2, 3);
        String m = message(() -> Padding.pad(x, new int[] {1, 1, 2}));
        assertTrue(m.contains("pad") && m.contains("even"), m);
        m = message(() -> Padding.pad(x, new int[] {1, 1, 1, 1, 1, 1}));
        assertTrue(m.contains("pads 3 dims") && m.contains("[2, 3]"), m);
        m = message(() -> Padding.pad(x, new int[] {-2, -2}));
        assertTrue(m.contains("size -1") && m.contains("[2, 3]"), m);
        m = message(() -> Padding.pad(x, new int[] {1, 1}, 0f, Tensor.zeros(2, 4)));
        assertTrue(m.contains("out [2, 4]") && m.contains("[2, 5]"), m);
        m = message(() -> Padding.padBackward(Tensor.zeros(2, 4), new int[] {1, 1}, 2, 3));
        assertTrue(m.contains("padBackward") && m.contains("gradOut [2, 4]"), m);
    }
}
