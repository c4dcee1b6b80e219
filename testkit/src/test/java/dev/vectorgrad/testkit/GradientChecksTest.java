package dev.vectorgrad.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Function;

import dev.vectorgrad.autograd.Var;
import dev.vectorgrad.core.Rng;
import dev.vectorgrad.core.Tensor;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The gradient checks pass correct code over generated inputs and catch deliberately wrong
 * backward rules, naming what is wrong.
 */
class GradientChecksTest {

    /** x^3 as a custom op; {@code factor} 3 is right, anything else a wrong backward. */
    private static Var cube(Var x, float factor) {
        Tensor v = x.value();
        return Var.custom("cube", v.pow(3f), new Var[] {x}, new Tensor[] {v},
                (g, sink) -> sink.add(0, v.pow(2f).mul(factor).mul(g), true));
    }

    /** A tiny layer, {@code relu(x @ w + b)}, whose parameters live inside it as an nn Layer's do. */
    private static final class TinyLayer {
        final Var w;
        final Var b;
        final boolean wrongBackward;

        TinyLayer(int in, int out, long seed, boolean wrongBackward) {
            Rng rng = new Rng(seed);
            w = Var.param(Tensor.randn(rng, in, out));
            b = Var.param(Tensor.randn(rng, out));
            this.wrongBackward = wrongBackward;
        }

        Var forward(Var x) {
            Var y = x.matmul(w);
            if (wrongBackward) { // the weight's gradient comes out doubled
                Var yv = y;
                y = Var.custom("doubled", y.value(), new Var[] {x, w}, new Tensor[0], (g, sink) -> {
                    sink.add(0, g.matmul(w.value().t()), true);
                    sink.add(1, x.value().t().matmul(g).mul(2f), true);
                });
                assertSame(yv.value(), y.value());
            }
            return y.add(b).tanh();
        }

        List<Var> parameters() {
            return List.of(w, b);
        }
    }

    @Provide
    Arbitrary<Tensor> smallMatrices() {
        return Tensors.views(Values.standard(), ShapeArbitraries.shapes(2, 2, 1, 5));
    }

    @Property(tries = 15)
    void aCorrectFunctionPassesOnAnyLayout(@ForAll("smallMatrices") Tensor x) {
        FiniteDifferences.assertGradients(v -> v[0].mul(v[0]).sum(1).exp(), x);
    }

    @Provide
    Arbitrary<Tensor> awayFromZero() {
        // |x| >= 0.5: at x = 0 both the right (3x^2) and the wrong (2.5x^2) derivative are 0.
        return Tensors.views(Values.awayFromZero(0.5, 2), ShapeArbitraries.shapes(2, 2, 1, 5));
    }

    @Property(tries = 10)
    void aCorrectCustomOpPassesAndAWrongOneFailsNamingTheInput(@ForAll("awayFromZero") Tensor x) {
        FiniteDifferences.assertGradients(v -> cube(v[0], 3f), x);
        AssertionError e = assertThrows(AssertionError.class, () -> FiniteDifferences.assertGradients(v -> cube(v[0], 2.5f), x));
        assertTrue(e.getMessage().contains("input 0 of shape " + java.util.Arrays.toString(x.shape())), e.getMessage());
    }

    @Provide
    Arbitrary<Tensor> batches() {
        return Tensors.tensors(Values.standard(), ShapeArbitraries.shapes(2, 2, 1, 4).map(s -> new int[] {s[0], 3}));
    }

    @Property(tries = 10)
    void aLayerPassesAndKeepsItsParametersAndGradients(@ForAll("batches") Tensor x) {
        TinyLayer layer = new TinyLayer(3, 2, 5, false);
        float[] w0 = layer.w.value().toArray();
        layer.w.value().setGrad(Tensor.ones(3, 2));
        var report = FiniteDifferences.assertLayerGradients(layer::forward, layer.parameters(), x);
        assertTrue(report.passed() && report.checkedElements() == x.numel() + 6 + 2, report.toString());
        assertArrayEquals(w0, layer.w.value().toArray(), "the weights are restored");
        assertArrayEquals(Tensor.ones(3, 2).toArray(), layer.w.grad().toArray(), "the weight's gradient is restored");
        assertNull(layer.b.grad());
    }

    @Example
    void aLayerWithAWrongBackwardFailsNamingTheParameter() {
        TinyLayer layer = new TinyLayer(3, 2, 6, true);
        Tensor x = Tensor.randn(new Rng(7), 4, 3);
        AssertionError e = assertThrows(AssertionError.class,
                () -> FiniteDifferences.assertLayerGradients(layer::forward, layer.parameters(), x));
        // Input 0 is x, input 1 the weight [3, 2], whose gradient the layer doubles.
        assertTrue(e.getMessage().contains("input 1 of shape [3, 2]"), e.getMessage());
    }

    @Example
    void aLayerCheckRefusesAParameterThatIsNotALeaf() {
        Var w = Var.param(Tensor.ones(2, 2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FiniteDifferences.assertLayerGradients(x -> x.matmul(w), List.of(w.mul(2f)), Tensor.ones(1, 2)));
        assertTrue(e.getMessage().contains("leaves requiring grad") && e.getMessage().contains("position 0"), e.getMessage());
    }

    // ------------------------------------------------------------------ hand-written backward

    private static final Function<Var[], Var> LIN = v -> v[0].matmul(v[1]).add(v[2]);

    @Provide
    Arbitrary<List<Tensor>> linInputs() {
        return ShapeArbitraries.shapes(3, 3, 1, 6).flatMap(s -> Combinators3.of(
                Tensors.tensors(Values.standard(), s[0], s[1]),
                Tensors.tensors(Values.standard(), s[1], s[2]),
                Tensors.tensors(Values.standard(), s[2])));
    }

    @Property(tries = 20)
    void theLessonsLinGradMatchesAutograd(@ForAll("linInputs") List<Tensor> in) {
        // inp.g = out.g @ w.t(); w.g = inp.T @ out.g; b.g = out.g.sum(0)
        HandBackward.assertMatchesAutograd(LIN, (x, out, g) -> new Tensor[] {g.matmul(x[1].t()), x[0].t().matmul(g), g.sum(0)},
                1e-4, 1e-5, in.toArray(Tensor[]::new));
    }

    @Example
    void aHandWrittenBackwardThatForgetsTheBiasSumFailsNamingTheInput() {
        Rng rng = new Rng(3);
        Tensor[] in = {Tensor.randn(rng, 4, 3), Tensor.randn(rng, 3, 2), Tensor.randn(rng, 2)};
        AssertionError e = assertThrows(AssertionError.class, () -> HandBackward.assertMatchesAutograd(LIN,
                (x, out, g) -> new Tensor[] {g.matmul(x[1].t()), x[0].t().matmul(g), g.mean(0)}, 1e-4, 1e-5, in));
        assertTrue(e.getMessage().startsWith("hand-written vs autograd gradient of input 2 (shape [2])"), e.getMessage());
        IllegalArgumentException wrongCount = assertThrows(IllegalArgumentException.class,
                () -> HandBackward.assertMatchesAutograd(LIN, (x, out, g) -> new Tensor[] {g}, 1e-4, 1e-5, in));
        assertTrue(wrongCount.getMessage().contains("return 3 gradients") && wrongCount.getMessage().contains("got 1"),
                wrongCount.getMessage());
    }

    // ------------------------------------------------------------------ custom op contracts

    /** {@code a * b} with broadcasting, as a custom op; {@code rowOnly} keeps one row of the gradient for a broadcast {@code b}. */
    private static Var scale(Var a, Var b, boolean rowOnly) {
        Tensor av = a.value();
        Tensor bv = b.value();
        return Var.custom("scale", av.mul(bv), new Var[] {a, b}, new Tensor[] {av, bv}, (g, sink) -> {
            sink.add(0, g.mul(bv), true);
            Tensor gb = g.mul(av);
            if (rowOnly && gb.dim() == 2 && bv.dim() == 1) {
                gb = gb.select(0, 0); // wrong: the other rows' contributions are dropped
            }
            sink.add(1, gb, true);
        });
    }

    @Provide
    Arbitrary<List<Tensor>> broadcastPairs() {
        return ShapeArbitraries.mutuallyBroadcastable(2, 1, 3, 1, 5)
                .filter(b -> !java.util.Arrays.equals(b.input(0), b.input(1)))
                .flatMap(b -> Tensors.operands(Values.standard(), b));
    }

    @Property(tries = 25)
    void aCorrectBroadcastingOpPassesBothContracts(@ForAll("broadcastPairs") List<Tensor> ab) {
        Tensor[] in = ab.toArray(Tensor[]::new);
        CustomOpChecks.assertLinearInUpstream(v -> scale(v[0], v[1], false), in);
        CustomOpChecks.assertSumsOverBroadcastDims(v -> scale(v[0], v[1], false), in);
    }

    @Example
    void anOpThatKeepsOneRowOfABroadcastGradientFailsTheSumCheck() {
        Rng rng = new Rng(8);
        Tensor a = Tensor.randn(rng, 4, 3);
        Tensor b = Tensor.randn(rng, 3);
        // Linear in the upstream gradient all the same: only the broadcast check can see it.
        CustomOpChecks.assertLinearInUpstream(v -> scale(v[0], v[1], true), a, b);
        AssertionError e = assertThrows(AssertionError.class,
                () -> CustomOpChecks.assertSumsOverBroadcastDims(v -> scale(v[0], v[1], true), a, b));
        assertTrue(e.getMessage().contains("input 1 of shape [3] broadcast to [4, 3]"), e.getMessage());
    }

    @Example
    void aBackwardThatIsNotLinearInTheUpstreamGradientFails() {
        Function<Var[], Var> squaring = v -> {
            Tensor x = v[0].value();
            return Var.custom("squaring", x.mul(2f), v, new Tensor[0], (g, sink) -> sink.add(0, g.mul(g).mul(2f), true));
        };
        Tensor x = Tensor.randn(new Rng(9), 3, 2);
        AssertionError e = assertThrows(AssertionError.class, () -> CustomOpChecks.assertLinearInUpstream(squaring, x));
        assertTrue(e.getMessage().contains("input 0 (shape [3, 2])") && e.getMessage().contains("worst at index"), e.getMessage());
    }

    @Example
    void theSumCheckRefusesInputsThatAreNotBroadcast() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CustomOpChecks.assertSumsOverBroadcastDims(v -> v[0].mul(v[1]), Tensor.ones(2, 3), Tensor.ones(2, 3)));
        assertTrue(e.getMessage().contains("broadcasts to [2, 3]") && e.getMessage().contains("[[2, 3], [2, 3]]"), e.getMessage());
    }

    @Example
    void sumToShapeSumsLeadingAndUnitDims() {
        Tensor g = Tensor.ones(2, 4, 3);
        assertArrayEquals(new float[] {8, 8, 8}, CustomOpChecks.sumTo(g, new int[] {3}).toArray());
        Tensor s = CustomOpChecks.sumTo(g, new int[] {4, 1});
        assertArrayEquals(new int[] {4, 1}, s.shape());
        assertEquals(6f, s.get(2, 0));
    }
}
