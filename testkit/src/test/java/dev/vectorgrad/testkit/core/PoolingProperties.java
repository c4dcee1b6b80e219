package dev.vectorgrad.testkit.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import dev.vectorgrad.core.Pool2dSpec;
import dev.vectorgrad.core.Pooling;
import dev.vectorgrad.core.Rng;
import dev.vectorgrad.core.Tensor;
import dev.vectorgrad.testkit.Layout;
import dev.vectorgrad.testkit.Special;
import dev.vectorgrad.testkit.Tensors;
import dev.vectorgrad.testkit.Values;
import dev.vectorgrad.testkit.View;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * Pooling against naive references written here from PyTorch's definitions: every cell of every
 * window visited, cells outside the input counting as {@code -inf} (max) or zero (average), sums
 * in double. Random shapes (sizes 1, odd, primes), kernels, strides, paddings, dilations, ceil
 * mode, and inputs (4-d or 3-d) laid out as any of the kit's views, with ties. In the kit's
 * module for the reason given in {@link ElementwiseLayoutProperties}.
 */
class PoolingProperties {

    private static final Integer[] SIZES = {1, 2, 3, 5, 7, 8, 11, 13};

    /** A quarter small integers, so max pooling meets ties. */
    private static final Values VALUES = Values.standard().withTies();

    /** A pooling problem: sizes, the spec, and the input from the kit, with its values in row-major order. */
    private record Problem(int n, int c, int h, int w, float[] x, Pool2dSpec spec, View input) {
        int[] shape() {
            return input.tensor().shape();
        }
    }

    /** Geometries that fit the spec's rules (padding at most half the effective kernel); dilation for max only. */
    private static Arbitrary<Problem> problems(boolean max) {
        Arbitrary<Integer> size = Arbitraries.of(SIZES);
        Arbitrary<Integer> kernel = Arbitraries.integers().between(1, 4);
        Arbitrary<Integer> few = Arbitraries.integers().between(1, 3);
        Arbitrary<Integer> dilation = max ? Arbitraries.integers().between(1, 2) : Arbitraries.just(1);
        return Combinators.combine(Arbitraries.of(false, true), few, few, size, size, kernel, kernel)
                .flatAs((threeD, n0, c, h, w, kh, kw) -> Combinators.combine(dilation, dilation, few, few,
                        Arbitraries.of(false, true)).flatAs((dh, dw, sh, sw, ceil) -> {
                            int ekh = (kh - 1) * dh + 1;
                            int ekw = (kw - 1) * dw + 1;
                            int n = threeD ? 1 : n0;
                            int[] shape = threeD ? new int[] {c, h, w} : new int[] {n, c, h, w};
                            return Combinators.combine(Arbitraries.integers().between(0, (max ? ekh : kh) / 2),
                                    Arbitraries.integers().between(0, (max ? ekw : kw) / 2),
                                    Tensors.laidOut(VALUES, shape)).as((ph, pw, v) -> new Problem(n, c, h, w,
                                    v.tensor().toArray(), new Pool2dSpec(kh, kw, sh, sw, ph, pw, dh, dw, ceil), v));
                        }));
    }

    @Provide
    Arbitrary<Problem> maxProblems() {
        return problems(true);
    }

    @Provide
    Arbitrary<Problem> avgProblems() {
        return problems(false);
    }

    /**
     * Output size by counting window positions over the padded length {@code L = in + 2*pad}: a
     * window fits when it overshoots L by nothing; ceil mode also takes the one that overshoots by
     * less than a stride, unless it would start in the right padding.
     */
    private static int outSize(int in, int k, int pad, int stride, int dil, boolean ceil) {
        int span = (k - 1) * dil + 1;
        int length = in + 2 * pad;
        int count = 0;
        while (true) {
            int overshoot = count * stride + span - length;
            if (ceil ? overshoot >= stride : overshoot > 0) {
                break;
            }
            count++;
        }
        if (ceil && count > 0 && (count - 1) * stride - pad >= in) {
            count--;
        }
        return count;
    }

    /** out, then (for max) the flat argmax per plane, in one array of doubles. */
    private static double[][] referenceMax(Problem p) {
        Pool2dSpec s = p.spec();
        int oh = outSize(p.h(), s.kernelH(), s.padH(), s.strideH(), s.dilationH(), s.ceilMode());
        int ow = outSize(p.w(), s.kernelW(), s.padW(), s.strideW(), s.dilationW(), s.ceilMode());
        double[] out = new double[p.n() * p.c() * oh * ow];
        double[] idx = new double[out.length];
        int at = 0;
        for (int a = 0; a < p.n() * p.c(); a++) {
            for (int oi = 0; oi < oh; oi++) {
                for (int oj = 0; oj < ow; oj++) {
                    double best = Double.NaN;
                    int bi = -1;
                    for (int ki = 0; ki < s.kernelH(); ki++) {
                        for (int kj = 0; kj < s.kernelW(); kj++) {
                            int hi = oi * s.strideH() + ki * s.dilationH() - s.padH();
                            int wi = oj * s.strideW() + kj * s.dilationW() - s.padW();
                            if (hi < 0 || hi >= p.h() || wi < 0 || wi >= p.w()) {
                                continue; // a padded cell holds -inf, which never wins
                            }
                            double v = p.x()[a * p.h() * p.w() + hi * p.w() + wi];
                            if (bi < 0 || v > best || Double.isNaN(v)) {
                                best = v;
                                bi = hi * p.w() + wi;
                            }
                        }
                    }
                    out[at] = bi < 0 ? Double.NEGATIVE_INFINITY : best; // only padding: -inf, from no cell
                    idx[at++] = bi;
                }
            }
        }
        return new double[][] {out, idx, {oh, ow}};
    }

    private static double[][] referenceAvg(Problem p, boolean countIncludePad) {
        Pool2dSpec s = p.spec();
        int oh = outSize(p.h(), s.kernelH(), s.padH(), s.strideH(), 1, s.ceilMode());
        int ow = outSize(p.w(), s.kernelW(), s.padW(), s.strideW(), 1, s.ceilMode());
        double[] out = new double[p.n() * p.c() * oh * ow];
        int at = 0;
        for (int a = 0; a < p.n() * p.c(); a++) {
            for (int oi = 0; oi < oh; oi++) {
                for (int oj = 0; oj < ow; oj++) {
                    double sum = 0;
                    int inside = 0;
                    int inPadded = 0;
                    for (int ki = 0; ki < s.kernelH(); ki++) {
                        for (int kj = 0; kj < s.kernelW(); kj++) {
                            int hi = oi * s.strideH() - s.padH() + ki;
                            int wi = oj * s.strideW() - s.padW() + kj;
                            if (hi < p.h() + s.padH() && wi < p.w() + s.padW()) {
                                inPadded++; // the zero padding counts, what lies beyond it does not
                            }
                            if (hi >= 0 && hi < p.h() && wi >= 0 && wi < p.w()) {
                                inside++;
                                sum += p.x()[a * p.h() * p.w() + hi * p.w() + wi];
                            }
                        }
                    }
                    int count = countIncludePad ? inPadded : inside;
                    out[at++] = sum / count;
                }
            }
        }
        return new double[][] {out, {oh, ow}};
    }

    private static void assertClose(double[] expected, float[] actual, double tol, String what) {
        assertEquals(expected.length, actual.length, what + ": element count");
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i];
            double a = actual[i];
            if (Double.isNaN(e) || Double.isInfinite(e)) {
                assertEquals(e, a, what + " at " + i);
            } else if (Math.abs(e - a) > tol * (1 + Math.abs(e))) {
                throw new AssertionError(what + " at " + i + ": expected " + e + " but was " + a);
            }
        }
    }

    private static boolean fits(Problem p, boolean max) {
        Pool2dSpec s = p.spec();
        int dh = max ? s.dilationH() : 1;
        int dw = max ? s.dilationW() : 1;
        return outSize(p.h(), s.kernelH(), s.padH(), s.strideH(), dh, s.ceilMode()) > 0
                && outSize(p.w(), s.kernelW(), s.padW(), s.strideW(), dw, s.ceilMode()) > 0;
    }

    @Property(tries = 80)
    void maxPoolMatchesTheNaiveReferenceValuesAndIndices(@ForAll("maxProblems") Problem p, @ForAll long seed) {
        Tensor x = p.input().tensor();
        String what = "maxPool2d " + java.util.Arrays.toString(p.shape()) + " " + p.spec() + " view " + p.input().layout();
        if (!fits(p, true)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Pooling.maxPool2d(x, p.spec()), what);
            assertTrue(e.getMessage().contains("larger than the padded input"), e.getMessage());
            return;
        }
        double[][] ref = referenceMax(p);
        Pooling.MaxPool2dResult r = Pooling.maxPool2d(x, p.spec());
        int[] shape = r.output().shape();
        assertEquals((int) ref[2][0], shape[shape.length - 2], what + ": output height");
        assertEquals((int) ref[2][1], shape[shape.length - 1], what + ": output width");
        assertClose(ref[0], r.output().toArray(), 0, what);
        for (int i = 0; i < ref[1].length; i++) {
            assertEquals((int) ref[1][i], r.indices()[i], what + ": index at " + i);
        }

        // Backward: every output's gradient lands on its argmax cell.
        SplittableRandom rg = new SplittableRandom(seed + 1);
        Tensor g = Tensor.randn(new Rng(seed), r.output().shape());
        double[] expected = new double[x.numel()];
        float[] gv = g.toArray();
        int plane = p.h() * p.w();
        int perPlane = gv.length / (p.n() * p.c());
        for (int i = 0; i < gv.length; i++) {
            if (ref[1][i] >= 0) {
                expected[(i / perPlane) * plane + (int) ref[1][i]] += gv[i];
            }
        }
        Tensor gradIn = Tensor.full(Float.NaN, x.shape()); // overwritten, whatever it held
        Pooling.maxPool2dBackward(rg.nextBoolean() ? g : g.contiguous(), r.indices(), gradIn);
        assertClose(expected, gradIn.toArray(), 1e-6, what + " backward");
    }

    /** Contiguous [N, C, H, W] inputs of ties, signed zeros, infinities and (on request) NaNs. */
    @Provide
    Arbitrary<Tensor> twoByTwoInputs() {
        Values specials = VALUES.withSpecials(Special.ZERO, Special.NEGATIVE_ZERO, Special.INFINITY);
        Arbitrary<Values> values = Arbitraries.of(specials, specials.withSpecials(Special.NAN));
        return Combinators.combine(values, Arbitraries.integers().between(1, 3), Arbitraries.integers().between(1, 3),
                Arbitraries.integers().between(2, 15), Arbitraries.integers().between(2, 31))
                .flatAs((v, n, c, h, w) -> Tensors.tensors(v, n, c, h, w));
    }

    /**
     * The CNNs' 2x2/stride-2 window over a contiguous input takes a branch-free fast path; the same
     * values seen through a slice take the general loop. Both must give the same bits and indices,
     * and the reference's indices, on values made of ties, signed zeros, infinities and NaNs.
     */
    @Property(tries = 60)
    void theTwoByTwoFastPathGivesTheGeneralLoopsBitsAndTheReferencesIndices(@ForAll("twoByTwoInputs") Tensor contiguous) {
        int[] s = contiguous.shape();
        Pool2dSpec spec = Pool2dSpec.of(2);
        Problem p = new Problem(s[0], s[1], s[2], s[3], contiguous.toArray(), spec, new View(Layout.CONTIGUOUS, contiguous));
        String what = "maxPool2d 2x2 " + java.util.Arrays.toString(s);
        Tensor sliced = Tensor.zeros(s[0], s[1], s[2], s[3] + 1).slice(3, 0, s[3]);
        sliced.copyFrom(contiguous);
        Pooling.MaxPool2dResult fast = Pooling.maxPool2d(contiguous, spec);
        Pooling.MaxPool2dResult general = Pooling.maxPool2d(sliced, spec);
        double[][] ref = referenceMax(p);
        float[] fo = fast.output().toArray();
        float[] go = general.output().toArray();
        for (int i = 0; i < fo.length; i++) {
            assertEquals(Float.floatToRawIntBits(go[i]), Float.floatToRawIntBits(fo[i]),
                    what + ": bits of output " + i + " (" + go[i] + " vs " + fo[i] + ")");
            assertEquals(general.indices()[i], fast.indices()[i], what + ": index of output " + i);
            assertEquals((int) ref[1][i], fast.indices()[i], what + ": reference index of output " + i);
        }
    }

    @Property(tries = 80)
    void avgPoolMatchesTheNaiveReferenceAndItsBackwardIsTheAdjoint(@ForAll("avgProblems") Problem p, @ForAll long seed,
                                                                   @ForAll boolean countIncludePad) {
        Tensor x = p.input().tensor();
        String what = "avgPool2d " + java.util.Arrays.toString(p.shape()) + " " + p.spec() + " view " + p.input().layout()
                + " countIncludePad " + countIncludePad;
        if (!fits(p, false)) {
            assertThrows(IllegalArgumentException.class, () -> Pooling.avgPool2d(x, p.spec(), countIncludePad), what);
            return;
        }
        double[][] ref = referenceAvg(p, countIncludePad);
        Tensor out = Pooling.avgPool2d(x, p.spec(), countIncludePad);
        assertClose(ref[0], out.toArray(), 1e-6, what);

        // The backward is the adjoint of the (linear) forward: <g, A x> == <A^T g, x>.
        Tensor g = Tensor.randn(new Rng(seed), out.shape());
        Tensor gradIn = Tensor.full(Float.NaN, x.shape());
        Pooling.avgPool2dBackward(g, p.spec(), countIncludePad, gradIn);
        assertAdjoint(out, g, x, gradIn, what);
    }

    private static void assertAdjoint(Tensor out, Tensor g, Tensor x, Tensor gradIn, String what) {
        float[] o = out.toArray();
        float[] gv = g.toArray();
        float[] xv = x.toArray();
        float[] gi = gradIn.toArray();
        double lhs = 0;
        double scale = 0;
        for (int i = 0; i < o.length; i++) {
            lhs += (double) gv[i] * o[i];
            scale += Math.abs((double) gv[i] * o[i]);
        }
        double rhs = 0;
        for (int i = 0; i < xv.length; i++) {
            rhs += (double) gi[i] * xv[i];
            scale += Math.abs((double) gi[i] * xv[i]);
        }
        assertTrue(Math.abs(lhs - rhs) <= 1e-5 * (1 + scale), what + ": <g, pool(x)> = " + lhs
                + " but <poolBackward(g), x> = " + rhs);
    }

    @Property(tries = 60)
    void adaptiveAvgPoolUsesPyTorchsBins(@ForAll("avgProblems") Problem p, @ForAll long seed,
                                         @ForAll @IntRange(min = 1, max = 9) int oh, @ForAll @IntRange(min = 1, max = 9) int ow) {
        Tensor x = p.input().tensor();
        Tensor out = Pooling.adaptiveAvgPool2d(x, oh, ow);
        double[] ref = new double[p.n() * p.c() * oh * ow];
        int at = 0;
        for (int a = 0; a < p.n() * p.c(); a++) {
            for (int i = 0; i < oh; i++) {
                int h0 = (int) Math.floor((double) i * p.h() / oh);
                int h1 = (int) Math.ceil((double) (i + 1) * p.h() / oh);
                for (int j = 0; j < ow; j++) {
                    int w0 = (int) Math.floor((double) j * p.w() / ow);
                    int w1 = (int) Math.ceil((double) (j + 1) * p.w() / ow);
                    double sum = 0;
                    for (int hi = h0; hi < h1; hi++) {
                        for (int wi = w0; wi < w1; wi++) {
                            sum += p.x()[a * p.h() * p.w() + hi * p.w() + wi];
                        }
                    }
                    ref[at++] = sum / ((h1 - h0) * (w1 - w0));
                }
            }
        }
        String what = "adaptiveAvgPool2d " + java.util.Arrays.toString(p.shape()) + " -> " + oh + "x" + ow;
        assertClose(ref, out.toArray(), 1e-6, what);
        Tensor g = Tensor.randn(new Rng(seed), out.shape());
        Tensor gradIn = Tensor.full(Float.NaN, x.shape());
        Pooling.adaptiveAvgPool2dBackward(g, gradIn);
        assertAdjoint(out, g, x, gradIn, what);
    }

    @Test
    void globalAveragePoolingIsTheMeanOfEachPlane() {
        Tensor x = Tensor.randn(new Rng(3), 2, 3, 7, 5);
        Tensor out = Pooling.adaptiveAvgPool2d(x, 1, 1);
        assertArrayEquals(new int[] {2, 3, 1, 1}, out.shape());
        Tensor mean = x.reshape(6, 35).mean(1);
        assertTrue(out.reshape(6).allClose(mean, 1e-6, 1e-6), out + " vs " + mean);
    }

    @Test
    void maxPoolTakesTheFirstOfEqualMaximaAndPropagatesNaN() {
        Tensor x = Tensor.of(new float[] {1, 3, 3, 0, Float.NaN, 2, 5, 5}, 1, 1, 2, 4);
        Pooling.MaxPool2dResult r = Pooling.maxPool2d(x, Pool2dSpec.of(2));
        assertTrue(Float.isNaN(r.output().get(0, 0, 0, 0)), r.output().toString());
        assertEquals(4, r.indices()[0]); // the NaN at (1, 0)
        assertEquals(5f, r.output().get(0, 0, 0, 1));
        assertEquals(6, r.indices()[1]); // the first 5, at (1, 2)
        Tensor allPad = Pooling.maxPool2d(Tensor.of(new float[] {Float.NEGATIVE_INFINITY}, 1, 1, 1, 1),
                Pool2dSpec.of(1)).output();
        assertEquals(Float.NEGATIVE_INFINITY, allPad.item());
    }

    @Test
    void badInputsAreRefusedNamingTheOpTheShapesAndTheRule() {
        Tensor x = Tensor.zeros(1, 1, 3, 3);
        IllegalArgumentException big = assertThrows(IllegalArgumentException.class,
                () -> Pooling.maxPool2d(x, Pool2dSpec.of(5)));
        assertTrue(big.getMessage().contains("maxPool2d: kernel 5x5 (dilation 1) is larger than the padded input 3x3")
                && big.getMessage().contains("[1, 1, 3, 3]"), big.getMessage());
        IllegalArgumentException pad = assertThrows(IllegalArgumentException.class,
                () -> Pooling.maxPool2d(x, Pool2dSpec.of(3, 1, 2)));
        assertTrue(pad.getMessage().contains("padding (2, 2) must be at most half"), pad.getMessage());
        IllegalArgumentException avgPad = assertThrows(IllegalArgumentException.class,
                () -> Pooling.avgPool2d(x, Pool2dSpec.of(2, 1, 2), true));
        assertTrue(avgPad.getMessage().startsWith("avgPool2d: padding (2, 2)"), avgPad.getMessage());
        IllegalArgumentException rank = assertThrows(IllegalArgumentException.class,
                () -> Pooling.maxPool2d(Tensor.zeros(4, 9), Pool2dSpec.of(2)));
        assertTrue(rank.getMessage().contains("[4, 9] must be 3-d [C, H, W] or 4-d [N, C, H, W]"), rank.getMessage());
        IllegalArgumentException dilatedAvg = assertThrows(IllegalArgumentException.class,
                () -> Pooling.avgPool2d(x, Pool2dSpec.of(2).withDilation(2), true));
        assertTrue(dilatedAvg.getMessage().contains("no dilation"), dilatedAvg.getMessage());
        IllegalArgumentException wrongOut = assertThrows(IllegalArgumentException.class,
                () -> Pooling.maxPool2d(x, Pool2dSpec.of(2), Tensor.zeros(1, 1, 2, 2), new int[4]));
        assertTrue(wrongOut.getMessage().contains("[1, 1, 2, 2]") && wrongOut.getMessage().contains("[1, 1, 1, 1]"),
                wrongOut.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Pool2dSpec.of(0));
        assertThrows(IllegalArgumentException.class, () -> Pooling.adaptiveAvgPool2d(Tensor.zeros(1, 1, 0, 3), 1, 1));
        Tensor ok = Tensor.zeros(1, 1, 1, 1);
        IllegalArgumentException aliased = assertThrows(IllegalArgumentException.class,
                () -> Pooling.maxPool2d(ok, Pool2dSpec.of(1), ok, new int[1]));
        assertTrue(aliased.getMessage().contains("shares storage"), aliased.getMessage());
    }
}
