package dev.vectorgrad.nn.lesson.classes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vectorgrad.core.Rng;
import dev.vectorgrad.core.Tensor;
import dev.vectorgrad.nn.lesson.Doubles;
import dev.vectorgrad.nn.lesson.Foundations;
import java.util.List;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;

class LayerClassesTest {

    @Test
    void modelMatchesFiniteDifferencesAndTheFoundationsVersion() {
        int n = 5, m = 4, nh = 3;
        Rng rng = new Rng(21);
        Tensor inp = Tensor.randn(rng, n, m);
        Tensor targ = Tensor.randn(rng, n);
        Tensor w1 = Tensor.randn(rng, m, nh), b1 = Tensor.randn(rng, nh);
        Tensor w2 = Tensor.randn(rng, nh, 1), b2 = Tensor.randn(rng, 1);
        Tensor refLoss = Foundations.forwardAndBackward(inp, targ, w1, b1, w2, b2);
        List<Tensor> params = List.of(inp, w1, b1, w2, b2);
        List<Tensor> reference = params.stream().map(Tensor::grad).toList();
        params.forEach(p -> p.setGrad(null));

        Model model = new Model(w1, b1, w2, b2);
        assertEquals(refLoss.item(), model.call(inp, targ).item());
        model.backward();
        for (int i = 0; i < params.size(); i++) {
            assertArrayEquals(reference.get(i).toArray(), params.get(i).grad().toArray(), "param " + i);
        }

        double[] x = Doubles.of(inp), t = Doubles.of(targ), dw1 = Doubles.of(w1), db1 = Doubles.of(b1),
                dw2 = Doubles.of(w2), db2 = Doubles.of(b2);
        DoubleSupplier f = () -> Doubles.mse(
                Doubles.lin(Doubles.relu(Doubles.lin(x, dw1, db1, n, m, nh)), dw2, db2, n, nh, 1), t);
        Doubles.assertGradClose("inp", inp.grad(), Doubles.centralDiff(x, f), n, m);
        Doubles.assertGradClose("w1", w1.grad(), Doubles.centralDiff(dw1, f), m, nh);
        Doubles.assertGradClose("b1", b1.grad(), Doubles.centralDiff(db1, f), nh);
        Doubles.assertGradClose("w2", w2.grad(), Doubles.centralDiff(dw2, f), nh, 1);
        Doubles.assertGradClose("b2", b2.grad(), Doubles.centralDiff(db2, f), 1);
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
