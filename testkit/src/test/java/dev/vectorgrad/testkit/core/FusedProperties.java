package dev.vectorgrad.testkit.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import dev.vectorgrad.core.Fused;
import dev.vectorgrad.core.Rng;
import dev.vectorgrad.core.Tensor;
import dev.vectorgrad.testkit.Layout;
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
 * core's fused operations against the plain Tensor formulas they replace, over random shapes
 * (sizes of 1 included) and over the kit's transposed, offset and stepped views as inputs; the
 * losses against double-precision references and their gradients against central finite
 * differences. In the kit's module for the reason given in {@link ElementwiseLayoutProperties}.
 */
class FusedProperties {

    /** The layouts the fused kernels must read: plain, transposed, offset and stepped. */
    private static final Layout[] LAYOUTS = {Layout.CONTIGUOUS, Layout.TRANSPOSED, Layout.OFFSET, Layout.STEPPED};

    /** A rows x cols tensor from the kit, in one of {@link #LAYOUTS} (those that apply to the shape). */
    private static Arbitrary<Tensor> view(int rows, int cols) {
        return Tensors.views(Values.standard(), Arbitraries.just(new int[] {rows, cols}), LAYOUTS);
    }

    private static Arbitrary<Integer> sizes(int min, int max) {
        return Arbitraries.integers().between(min, max);
    }

    /** x [n, in] and weight [out, in]. */
    @Provide
    Arbitrary<List<Tensor>> linearOperands() {
        return Combinators.combine(sizes(1, 40), sizes(1, 70), sizes(1, 40))
                .flatAs((n, in, out) -> Combinators.combine(view(n, in), view(out, in)).as(List::of));
    }

    /** gradOut [n, out], x [n, in] and weight [out, in]. */
    @Provide
    Arbitrary<List<Tensor>> linearBackwardOperands() {
        return Combinators.combine(sizes(1, 40), sizes(1, 70), sizes(1, 40))
                .flatAs((n, in, out) -> Combinators.combine(view(n, out), view(n, in), view(out, in)).as(List::of));
    }

    @Provide
    Arbitrary<Tensor> logits() {
        return Combinators.combine(sizes(1, 40), sizes(1, 50)).flatAs(FusedProperties::view);
    }

    @Provide
    Arbitrary<Tensor> mseInputs() {
        return Combinators.combine(sizes(1, 30), sizes(1, 40)).flatAs(FusedProperties::view);
    }

    @Provide
    Arbitrary<Tensor> sumSources() {
        return Combinators.combine(sizes(0, 20), sizes(0, 40)).flatAs(FusedProperties::view);
    }

    private static void assertClose(Tensor expected, Tensor actual, double tol, String what) {
        assertTrue(java.util.Arrays.equals(expected.shape(), actual.shape()), what + ": shapes "
                + expected.describe() + " vs " + actual.describe());
        assertTrue(actual.allClose(expected, tol, tol), () -> what + ": expected\n" + expected + "\nbut was\n" + actual);
    }

    @Property(tries = 80)
    void linearMatchesMatmulAddRelu(@ForAll("linearOperands") List<Tensor> xw, @ForAll boolean withBias,
                                    @ForAll boolean relu, @ForAll long seed) {
        Rng rng = new Rng(seed);
        Tensor x = xw.get(0);
        Tensor w = xw.get(1);
        int n = x.size(0);
        int in = x.size(1);
        int out = w.size(0);
        Tensor b = withBias ? Tensor.randn(rng, out) : null;
        Tensor expected = x.matmul(w.t());
        if (b != null) {
            expected = expected.add(b);
        }
        if (relu) {
            expected = expected.relu();
        }
        Tensor into = Tensor.full(Float.NaN, n, out); // every element must be overwritten
        int v = into.version();
        assertSame(into, Fused.linear(x, w, b, relu, into));
        assertTrue(into.version() > v, "linear bumps out's version");
        double tol = 1e-5 * Math.sqrt(in);
        assertClose(expected, into, tol, "linear");
        assertClose(expected, Fused.linear(x, w, b, relu), tol, "linear (allocating)");
    }

    @Property(tries = 80)
    void linearBackwardMatchesTheTensorFormulas(@ForAll("linearBackwardOperands") List<Tensor> gxw,
                                                @ForAll boolean accumulate, @ForAll long seed) {
        Rng rng = new Rng(seed);
        Tensor g = gxw.get(0);
        Tensor x = gxw.get(1);
        Tensor w = gxw.get(2);
        int n = x.size(0);
        int in = x.size(1);
        int out = w.size(0);
        Tensor gx = Tensor.randn(rng, n, in);
        Tensor gw = Tensor.randn(rng, out, in);
        Tensor gb = Tensor.randn(rng, out);
        Tensor ex = g.matmul(w);
        Tensor ew = g.t().matmul(x);
        Tensor eb = g.sum(0);
        if (accumulate) {
            ex = ex.add(gx);
            ew = ew.add(gw);
            eb = eb.add(gb);
        }
        Fused.linearBackward(g, x, w, gx, accumulate, gw, accumulate, gb, accumulate);
        assertClose(ex, gx, 1e-5 * Math.sqrt(out) + 1e-6, "gradX");
        assertClose(ew, gw, 1e-5 * Math.sqrt(n) + 1e-6, "gradWeight");
        assertClose(eb, gb, 1e-5 * Math.sqrt(n) + 1e-6, "gradBias");
    }

    @Property(tries = 30)
    void linearBackwardSkipsNullTargets(@ForAll @IntRange(min = 1, max = 9) int n, @ForAll long seed) {
        Rng rng = new Rng(seed);
        Tensor g = Tensor.randn(rng, n, 3);
        Tensor x = Tensor.randn(rng, n, 5);
        Tensor w = Tensor.randn(rng, 3, 5);
        Tensor gb = Tensor.zeros(3);
        Fused.linearBackward(g, x, w, null, false, null, false, gb, false);
        assertClose(g.sum(0), gb, 1e-6, "gradBias alone");
        Tensor gw = Tensor.zeros(3, 5);
        Fused.linearBackward(g, x, w, null, false, gw, false, null, false);
        assertClose(g.t().matmul(x), gw, 1e-5, "gradWeight alone");
    }

    @Property(tries = 60)
    void reluBackwardMatchesTheMask(@ForAll @IntRange(max = 30) int n, @ForAll @IntRange(min = 1, max = 40) int c,
                                    @ForAll boolean accumulate, @ForAll boolean inPlace, @ForAll long seed) {
        Rng rng = new Rng(seed);
        Tensor output = Tensor.randn(rng, n, c).relu();
        Tensor g = Tensor.randn(rng, n, c);
        Tensor init = inPlace ? g : Tensor.randn(rng, n, c);
        Tensor expected = output.gt(0f).mul(g);
        if (accumulate) {
            expected = expected.add(init);
        }
        Tensor gradIn = inPlace ? g : init.copy();
        Fused.reluBackward(g, output, gradIn, accumulate);
        assertClose(expected, gradIn, 1e-7, "reluBackward");
    }

    /** {@code mean_i logsumexp(x_i) - x_i[t_i]} in double. */
    private static double crossEntropy(double[][] x, int[] t) {
        double total = 0;
        for (int i = 0; i < x.length; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (double v : x[i]) {
                max = Math.max(max, v);
            }
            double s = 0;
            for (double v : x[i]) {
                s += Math.exp(v - max);
            }
            total += Math.log(s) + max - x[i][t[i]];
        }
        return total / x.length;
    }

    private static double[][] toDouble(Tensor t) {
        double[][] out = new double[t.size(0)][t.size(1)];
        for (int i = 0; i < out.length; i++) {
            for (int j = 0; j < out[i].length; j++) {
                out[i][j] = t.get(i, j);
            }
        }
        return out;
    }

    @Property(tries = 80)
    void softmaxCrossEntropyMatchesLogSumExp(@ForAll("logits") Tensor view, @ForAll boolean accumulate,
                                             @ForAll long seed) {
        Rng rng = new Rng(seed);
        int n = view.size(0);
        int c = view.size(1);
        Tensor logits = view.mul(5f);
        int[] t = new int[n];
        float[] tf = new float[n];
        for (int i = 0; i < n; i++) {
            t[i] = (int) (rng.nextFloat() * c) % c;
            tf[i] = t[i];
        }
        double ref = crossEntropy(toDouble(logits), t);
        Tensor init = Tensor.randn(rng, n, c);
        Tensor g1 = init.copy();
        Tensor g2 = init.copy();
        float scale = 0.5f;
        double l1 = Fused.softmaxCrossEntropy(logits, Tensor.of(tf), g1, scale, accumulate);
        double l2 = Fused.softmaxCrossEntropy(logits, t, g2, scale, accumulate);
        double lossTol = 1e-6 * (1 + Math.abs(ref));
        assertEquals(ref, l1, lossTol, "loss, float targets");
        assertEquals(ref, l2, lossTol, "loss, int targets");
        assertEquals(ref, Fused.softmaxCrossEntropy(logits, t, null, 1f, false), lossTol, "loss without gradient");
        // softmax(x) - onehot, through the plain Tensor ops
        Tensor shifted = logits.sub(logits.max(1, true));
        Tensor p = shifted.exp().div(shifted.exp().sum(1, true));
        Tensor onehot = Tensor.zeros(n, c);
        for (int i = 0; i < n; i++) {
            onehot.set(1f, i, t[i]);
        }
        Tensor expected = p.sub(onehot).mul(scale / n);
        if (accumulate) {
            expected = expected.add(init);
        }
        assertClose(expected, g1, 1e-6, "gradient, float targets");
        assertClose(expected, g2, 1e-6, "gradient, int targets");
    }

    @Property(tries = 15)
    void softmaxCrossEntropyGradientMatchesFiniteDifferences(@ForAll @IntRange(min = 1, max = 4) int n,
                                                            @ForAll @IntRange(min = 1, max = 6) int c,
                                                            @ForAll long seed) {
        Rng rng = new Rng(seed);
        Tensor logits = Tensor.randn(rng, n, c);
        int[] t = new int[n];
        for (int i = 0; i < n; i++) {
            t[i] = (int) (rng.nextFloat() * c) % c;
        }
        Tensor grad = Tensor.zeros(n, c);
        Fused.softmaxCrossEntropy(logits, t, grad, 1f, false);
        double[][] x = toDouble(logits);
        double h = 1e-5;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < c; j++) {
                double keep = x[i][j];
                x[i][j] = keep + h;
                double up = crossEntropy(x, t);
                x[i][j] = keep - h;
                double down = crossEntropy(x, t);
                x[i][j] = keep;
                assertEquals((up - down) / (2 * h), grad.get(i, j), 1e-5, "d loss / d logits[" + i + "][" + j + "]");
            }
        }
    }

    @Example
    void largeLogitsStayFinite() {
        Tensor logits = Tensor.of(new float[] {1e4f, -1e4f, 0f, 2e4f, 2e4f, -3e4f}, 2, 3);
        Tensor grad = Tensor.zeros(2, 3);
        double loss = Fused.softmaxCrossEntropy(logits, new int[] {0, 1}, grad, 1f, false);
        assertEquals(crossEntropy(toDouble(logits), new int[] {0, 1}), loss, 1e-6);
        assertTrue(Double.isFinite(loss));
        for (float v : grad.toArray()) {
            assertTrue(Float.isFinite(v), grad.toString());
        }
        assertEquals(0.25, grad.get(1, 0), 1e-7, "two equal maxima share the probability");
    }

    @Property(tries = 60)
    void meanSquaredErrorMatchesDoubleReference(@ForAll("mseInputs") Tensor input, @ForAll boolean accumulate,
                                                @ForAll long seed) {
        Rng rng = new Rng(seed);
        int n = input.size(0);
        int c = input.size(1);
        Tensor target = Tensor.randn(rng, n, c);
        double ref = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < c; j++) {
                double d = (double) input.get(i, j) - target.get(i, j);
                ref += d * d;
            }
        }
        ref /= n * c;
        Tensor init = Tensor.randn(rng, n, c);
        Tensor grad = init.copy();
        double loss = Fused.meanSquaredError(input, target, grad, 3f, accumulate);
        assertEquals(ref, loss, 1e-6 * ref + 1e-12);
        Tensor expected = input.sub(target).mul(3f * 2f / (n * c));
        if (accumulate) {
            expected = expected.add(init);
        }
        assertClose(expected, grad, 1e-6, "mse gradient");
    }

    @Property(tries = 15)
    void meanSquaredErrorGradientMatchesFiniteDifferences(@ForAll @IntRange(min = 1, max = 12) int n,
                                                         @ForAll long seed) {
        Rng rng = new Rng(seed);
        Tensor input = Tensor.randn(rng, n);
        Tensor target = Tensor.randn(rng, n);
        Tensor grad = Tensor.zeros(n);
        Fused.meanSquaredError(input, target, grad, 1f, false);
        double h = 1e-4;
        for (int i = 0; i < n; i++) {
            double up = 0;
            double down = 0;
            for (int j = 0; j < n; j++) {
                double x = input.get(j);
                double d = x - target.get(j);
                double dUp = (j == i ? x + h : x) - target.get(j);
                double dDown = (j == i ? x - h : x) - target.get(j);
                up += dUp * dUp;
                down += dDown * dDown;
                assertTrue(Double.isFinite(d));
            }
            assertEquals((up - down) / (2 * h) / n, grad.get(i), 1e-5, "d mse / d input[" + i + "]");
        }
    }

    @Property(tries = 100)
    void sumToShapeMatchesTensorSum(@ForAll("sumSources") Tensor src, @ForAll @IntRange(max = 5) int form,
                                    @ForAll boolean accumulate, @ForAll long seed) {
        Rng rng = new Rng(seed);
        int n = src.size(0);
        int c = src.size(1);
        Tensor expected = switch (form) {
            case 0 -> src.sum(0);                              // [n, c] -> [c]
            case 1 -> src.sum(0, true);                        // [n, c] -> [1, c]
            case 2 -> src.sum(1, true);                        // [n, c] -> [n, 1]
            case 3 -> src.copy();                              // equal shapes
            case 4 -> src.sum(0, true).sum(1, true);           // [n, c] -> [1, 1]
            default -> src.sum(0, true).sum(1, true).reshape(); // [n, c] -> []
        };
        Tensor init = Tensor.randn(rng, expected.shape());
        Tensor target = init.copy();
        if (accumulate) {
            expected = expected.add(init);
        }
        Fused.sumToShape(src, target, accumulate);
        assertClose(expected, target, 1e-5 * (1 + Math.sqrt(n * c)), "sumToShape form " + form);
    }

    @Example
    void sumToShapeOverThreeDims() {
        Tensor src = Tensor.randn(new Rng(5), 4, 3, 5);
        Tensor middle = Tensor.zeros(1, 3, 1);
        Fused.sumToShape(src, middle, false);
        assertClose(src.sum(0, true).sum(2, true), middle, 1e-5, "[4, 3, 5] -> [1, 3, 1]");
        Tensor edges = Tensor.zeros(4, 1, 5);
        Fused.sumToShape(src, edges, false);
        assertClose(src.sum(1, true), edges, 1e-5, "[4, 3, 5] -> [4, 1, 5]");
        Tensor lastTwo = Tensor.zeros(3, 5);
        Fused.sumToShape(src, lastTwo, false);
        assertClose(src.sum(0), lastTwo, 1e-5, "[4, 3, 5] -> [3, 5]");
    }
}
