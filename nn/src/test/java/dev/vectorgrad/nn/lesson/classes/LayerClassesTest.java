package dev.vectorgrad.nn.lesson.classes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vectorgrad.core.Rng;
import dev.vectorgrad.core.Tensor;
import dev.vectorgrad.nn.lesson.Doubles;
import dev.vectorgrad.nn.lesson.LessonMlp;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;

class LayerClassesTest {

    @Test
    void modelMatchesFiniteDifferencesAndTheFoundationsVersion() {
        LessonMlp p = LessonMlp.random(21, 5, 4, 3);
        LessonMlp.Reference reference = p.foundations();
        Model model = new Model(p.w1(), p.b1(), p.w2(), p.b2());
        assertEquals(reference.loss(), model.call(p.inp(), p.targ()).item());
        model.backward();
        reference.assertSameGrads(p);
        p.assertGradsMatchFiniteDifferences();
    }

    @Test
    void reluAndLinLayersMatchFiniteDifferences() {
        Rng rng = new Rng(22);
        Tensor inp = Doubles.randnAwayFromZero(rng, 2, 3);
        Relu relu = new Relu();
        Tensor w = Tensor.randn(rng, 3, 2), b = Tensor.randn(rng, 2);
        Lin lin = new Lin(w, b);
        Tensor up = Tensor.randn(rng, 2, 2);
        lin.call(relu.call(inp)).setGrad(up);
        lin.backward();
        relu.backward();
        double[] x = Doubles.of(inp), wd = Doubles.of(w), bd = Doubles.of(b), g = Doubles.of(up);
        DoubleSupplier f = () -> Doubles.dot(Doubles.lin(Doubles.relu(x), wd, bd, 2, 3, 2), g);
        Doubles.assertGradClose("inp", inp.grad(), Doubles.centralDiff(x, f), 2, 3);
        Doubles.assertGradClose("w", w.grad(), Doubles.centralDiff(wd, f), 3, 2);
        Doubles.assertGradClose("b", b.grad(), Doubles.centralDiff(bd, f), 2);
    }

    @Test
    void misuseIsNamed() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new Relu().backward());
        assertTrue(e.getMessage().startsWith("Relu.backward: the layer has not been called yet"), e.getMessage());
        e = assertThrows(IllegalStateException.class, () -> new Mse().backward());
        assertTrue(e.getMessage().startsWith("Mse.backward: the layer has not been called yet"), e.getMessage());
        e = assertThrows(IllegalStateException.class,
                () -> new Model(Tensor.ones(2, 2), Tensor.zeros(2), Tensor.ones(2, 1), Tensor.zeros(1)).backward());
        assertTrue(e.getMessage().startsWith("Model.backward: the model has not been called yet"), e.getMessage());
        Lin lin = new Lin(Tensor.ones(2, 3), Tensor.zeros(3));
        lin.call(Tensor.ones(1, 2));
        e = assertThrows(IllegalStateException.class, lin::backward);
        assertTrue(e.getMessage().startsWith("Lin.backward: its output [1, 3] has no gradient yet"), e.getMessage());
    }
}
