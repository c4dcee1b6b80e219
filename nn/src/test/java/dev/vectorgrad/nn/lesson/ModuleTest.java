package dev.vectorgrad.nn.lesson;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vectorgrad.core.Rng;
import dev.vectorgrad.core.Tensor;
import java.util.List;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;

class ModuleTest {

    @Test
    void callStoresArgumentsAndOutput() {
        Relu relu = new Relu();
        assertNull(relu.out());
        assertEquals(List.of(), relu.args());
        Tensor x = Tensor.of(new float[] {-1, 2}, 2);
        Tensor y = relu.call(x);
        assertSame(y, relu.out());
        assertSame(x, relu.args().get(0));
        assertArrayEquals(new float[] {0, 2}, y.toArray());
    }

    @Test
    void linGradientsMatchFiniteDifferences() {
        int n = 2, in = 3, out = 4;
        Rng rng = new Rng(11);
        Tensor inp = Tensor.randn(rng, n, in);
        Lin lin = new Lin(Tensor.randn(rng, in, out), Tensor.randn(rng, out));
        Tensor upstream = Tensor.randn(rng, n, out);
        lin.call(inp).setGrad(upstream);
        lin.backward();

        double[] x = Doubles.of(inp), w = Doubles.of(lin.w()), b = Doubles.of(lin.b()), g = Doubles.of(upstream);
        DoubleSupplier f = () -> Doubles.dot(Doubles.lin(x, w, b, n, in, out), g);
        Doubles.assertGradClose("Lin inp", inp.grad(), Doubles.centralDiff(x, f), n, in);
        Doubles.assertGradClose("Lin w", lin.w().grad(), Doubles.centralDiff(w, f), in, out);
        Doubles.assertGradClose("Lin b", lin.b().grad(), Doubles.centralDiff(b, f), out);
    }

    @Test
    void reluGradientMatchesFiniteDifferences() {
        Rng rng = new Rng(12);
        Tensor inp = Doubles.randnAwayFromZero(rng, 3, 5);
        Relu relu = new Relu();
        Tensor upstream = Tensor.randn(rng, 3, 5);
        relu.call(inp).setGrad(upstream);
        relu.backward();

        double[] x = Doubles.of(inp), g = Doubles.of(upstream);
        Doubles.assertGradClose("Relu inp", inp.grad(),
                Doubles.centralDiff(x, () -> Doubles.dot(Doubles.relu(x), g)), 3, 5);
    }

    @Test
    void mseGradientMatchesFiniteDifferencesAndHonoursAnOutputGradient() {
        Rng rng = new Rng(13);
        Tensor inp = Tensor.randn(rng, 5, 1);
        Tensor targ = Tensor.randn(rng, 5);
        Mse mse = new Mse();
        Tensor loss = mse.call(inp, targ);
        mse.backward();
        double[] x = Doubles.of(inp), t = Doubles.of(targ);
        double[] fd = Doubles.centralDiff(x, () -> Doubles.mse(x, t));
        Doubles.assertGradClose("Mse inp", inp.grad(), fd, 5, 1);
        assertNull(targ.grad(), "the targets get no gradient");

        loss.setGrad(Tensor.scalar(-3f));
        mse.backward();
        for (int i = 0; i < fd.length; i++) {
            fd[i] *= -3;
        }
        Doubles.assertGradClose("Mse inp scaled by out.g", inp.grad(), fd, 5, 1);
    }

    @Test
    void lessonModelMatchesFiniteDifferencesAndTheFoundationsVersion() {
        LessonMlp p = LessonMlp.random(14, 4, 6, 5);
        LessonMlp.Reference reference = p.foundations();
        Model model = new Model(p.w1(), p.b1(), p.w2(), p.b2());
        Tensor loss = model.call(p.inp(), p.targ());
        model.backward();
        assertEquals(reference.loss(), loss.item());
        // Same float operations in the same order: the two versions agree exactly.
        reference.assertSameGrads(p);
        p.assertGradsMatchFiniteDifferences();
    }

    @Test
    void deeperModelFromLayersMatchesFiniteDifferences() {
        int n = 3, a = 4, c = 3, d = 2;
        Rng rng = new Rng(15);
        Tensor inp = Tensor.randn(rng, n, a);
        Tensor targ = Tensor.randn(rng, n);
        Lin l1 = new Lin(Tensor.randn(rng, a, c), Tensor.randn(rng, c));
        Lin l2 = new Lin(Tensor.randn(rng, c, d), Tensor.randn(rng, d));
        Lin l3 = new Lin(Tensor.randn(rng, d, 1), Tensor.randn(rng, 1));
        Model model = new Model(List.of(l1, new Relu(), l2, new Relu(), l3), new Mse());
        model.call(inp, targ);
        model.backward();

        double[] x = Doubles.of(inp), t = Doubles.of(targ);
        double[] w1 = Doubles.of(l1.w()), b1 = Doubles.of(l1.b()), w2 = Doubles.of(l2.w()), b2 = Doubles.of(l2.b()),
                w3 = Doubles.of(l3.w()), b3 = Doubles.of(l3.b());
        DoubleSupplier f = () -> Doubles.mse(Doubles.lin(Doubles.relu(Doubles.lin(Doubles.relu(
                Doubles.lin(x, w1, b1, n, a, c)), w2, b2, n, c, d)), w3, b3, n, d, 1), t);
        Doubles.assertGradClose("inp", inp.grad(), Doubles.centralDiff(x, f), n, a);
        Doubles.assertGradClose("w1", l1.w().grad(), Doubles.centralDiff(w1, f), a, c);
        Doubles.assertGradClose("b1", l1.b().grad(), Doubles.centralDiff(b1, f), c);
        Doubles.assertGradClose("w2", l2.w().grad(), Doubles.centralDiff(w2, f), c, d);
        Doubles.assertGradClose("b2", l2.b().grad(), Doubles.centralDiff(b2, f), d);
        Doubles.assertGradClose("w3", l3.w().grad(), Doubles.centralDiff(w3, f), d, 1);
        Doubles.assertGradClose("b3", l3.b().grad(), Doubles.centralDiff(b3, f), 1);
    }

    // ---- misuse

    @Test
    void backwardBeforeCallNamesTheModule() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new Relu().backward());
        assertEquals("Relu.backward: the module has not been called yet; call(...) it before backward()", e.getMessage());
        e = assertThrows(IllegalStateException.class, () -> new Model(List.of(), new Mse()).backward());
        assertTrue(e.getMessage().startsWith("Model.backward: the module has not been called yet"), e.getMessage());
    }

    @Test
    void backwardWithoutTheOutputGradientNamesTheModule() {
        Lin lin = new Lin(Tensor.ones(3, 2), Tensor.zeros(2));
        lin.call(Tensor.ones(4, 3));
        IllegalStateException e = assertThrows(IllegalStateException.class, lin::backward);
        assertTrue(e.getMessage().startsWith("Lin.backward: its output [4, 2] has no gradient yet"), e.getMessage());
        assertNull(lin.w().grad());
    }

    @Test
    void wrongArgumentsAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Mse().call(Tensor.zeros(2, 1)));
        assertEquals("Mse: expected 2 arguments [inp, targ], got 1", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Relu().call(Tensor.zeros(1), Tensor.zeros(1)));
        assertEquals("Relu: expected 1 argument [inp], got 2", e.getMessage());
        NullPointerException npe = assertThrows(NullPointerException.class, () -> new Relu().call((Tensor) null));
        assertEquals("Relu.call: argument 0 is null", npe.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Lin(Tensor.zeros(3, 2), Tensor.zeros(3)));
        assertEquals("Lin: weights [3, 2], bias [3]: expected [in, out] and [out]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new Lin(Tensor.zeros(3, 2), Tensor.zeros(2)).call(Tensor.zeros(4, 2)));
        assertTrue(e.getMessage().startsWith("lin: input [4, 2], weights [3, 2], bias [2]"), e.getMessage());
    }

    @Test
    void aFailedCallKeepsThePreviousState() {
        Relu relu = new Relu();
        Tensor x = Tensor.ones(2);
        relu.call(x);
        assertThrows(IllegalArgumentException.class, () -> relu.call(x, x));
        assertSame(x, relu.args().get(0));
    }
}
