package dev.vectorgrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import dev.vectorgrad.autograd.Losses;
import dev.vectorgrad.autograd.Var;
import dev.vectorgrad.core.Closeness;
import dev.vectorgrad.core.Rng;
import dev.vectorgrad.core.Tensor;

/**
 * The lesson's last cells: an autograd model of Linear(m, nh), ReLU, Linear(nh, 1) with
 * randn weights and zero biases, {@code F.mse_loss(x, targ[:, None])}, {@code loss.backward()},
 * then {@code model.layers[0].b.grad}. Checked against the gradients derived by hand (the
 * lesson's {@code lin_grad}), computed here with plain tensor ops.
 */
class LessonAutogradTest {

    @Test
    void theLessonsAutogradCellsInAFewLines() {
        Rng rng = new Rng(42);
        int n = 200;
        int m = 784;
        int nh = 50;
        Tensor x = Tensor.rand(rng, n, m);
        Tensor y = Tensor.rand(rng, n).mul(9f);

        // --- the lesson, in Java ---
        // The lesson draws w as randn(n_in, n_out); Linear stores [out, in], so it takes the transpose.
        Sequential model = new Sequential(
                new Linear(Tensor.randn(rng, m, nh).t().copy(), Tensor.zeros(nh)),
                new ReLU(),
                new Linear(Tensor.randn(rng, nh, 1).t().copy(), Tensor.zeros(1)));
        Var loss = Losses.mse(model.call(x), y.unsqueeze(1));
        loss.backward();
        Tensor b1g = ((Linear) model.get(0)).bias().grad();
        // ---

        assertArrayEquals(new int[] {nh}, b1g.shape());
        Linear l0 = (Linear) model.get(0);
        Linear l2 = (Linear) model.get(2);
        // The hand-written pass uses the lesson's [in, out] layout: the transposed views.
        Tensor w1 = l0.weight().value().t();
        Tensor w2 = l2.weight().value().t();

        // The hand-derived backward pass, as the lesson writes it.
        Tensor l1 = x.matmul(w1).add(l0.bias().value());
        Tensor r = l1.clampMin(0f);
        Tensor out = r.matmul(w2).add(l2.bias().value());
        double expectedLoss = out.squeeze().sub(y).pow(2f).mean().item();
        assertTrue(expectedLoss > 100, "an untrained MSE in the thousands-ish, got " + expectedLoss);
        assertEquals(expectedLoss, loss.item(), 1e-4 * expectedLoss);
        Tensor outG = out.squeeze().sub(y).unsqueeze(-1).mul(2f).div(n);
        Tensor w2g = r.t().matmul(outG);
        Tensor b2g = outG.sum(0);
        Tensor rG = outG.matmul(w2.t());
        Tensor l1G = l1.gt(0f).mul(rG);
        Tensor w1g = x.t().matmul(l1G);
        Tensor b1Hand = l1G.sum(0);

        Closeness.testClose(b1Hand, b1g, 0.01);
        assertArrayEquals(new int[] {nh, m}, l0.weight().grad().shape());
        Closeness.testClose(w1g.t(), l0.weight().grad(), 0.01);
        Closeness.testClose(w2g.t(), l2.weight().grad(), 0.01);
        Closeness.testClose(b2g, l2.bias().grad(), 0.01);
    }

    @Test
    void aFewStepsOfSgdLowerTheLoss() {
        Rng rng = new Rng(7);
        Tensor x = Tensor.randn(rng, 64, 10);
        Tensor trueW = Tensor.randn(rng, 10, 1);
        Tensor y = x.matmul(trueW);
        Sequential model = new Sequential(new Linear(10, 16, rng), new ReLU(), new Linear(16, 1, rng));
        MSELoss lossFn = new MSELoss();
        float first = lossFn.call(model.call(x), y).item();
        float last = first;
        for (int step = 0; step < 50; step++) {
            model.zeroGrad();
            Var loss = lossFn.call(model.call(x), y);
            loss.backward();
            for (Var p : model.parameters()) {
                p.value().addScaledInPlace(-0.05f, p.grad());
            }
            last = loss.item();
        }
        assertTrue(last < 0.5f * first, "loss went from " + first + " to " + last);
    }
}
