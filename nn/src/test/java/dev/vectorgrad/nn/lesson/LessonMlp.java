package dev.vectorgrad.nn.lesson;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.vectorgrad.core.Rng;
import dev.vectorgrad.core.Tensor;
import java.util.List;
import java.util.function.DoubleSupplier;

/**
 * The lesson's 2-layer MLP problem (inp, targ, w1, b1, w2, b2) with random values, and the two
 * references every version of its model is held to: the gradients of
 * {@link Foundations#forwardAndBackward} and central differences of the loss in double.
 */
public record LessonMlp(int n, int m, int nh, Tensor inp, Tensor targ, Tensor w1, Tensor b1, Tensor w2, Tensor b2) {

    /** A problem of n samples, m inputs and nh hidden units, from {@code new Rng(seed)}. */
    public static LessonMlp random(long seed, int n, int m, int nh) {
        Rng rng = new Rng(seed);
        return new LessonMlp(n, m, nh, Tensor.randn(rng, n, m), Tensor.randn(rng, n), Tensor.randn(rng, m, nh),
                Tensor.randn(rng, nh), Tensor.randn(rng, nh, 1), Tensor.randn(rng, 1));
    }

    /** @return inp, w1, b1, w2, b2: everything that gets a gradient */
    public List<Tensor> params() {
        return List.of(inp, w1, b1, w2, b2);
    }

    /**
     * Runs {@link Foundations#forwardAndBackward}, keeps its gradients and clears them from the
     * tensors, so that the model under test starts from none.
     *
     * @return the loss and the gradients, in the order of {@link #params()}
     */
    public Reference foundations() {
        float loss = Foundations.forwardAndBackward(inp, targ, w1, b1, w2, b2).item();
        List<Tensor> grads = params().stream().map(Tensor::grad).toList();
        params().forEach(p -> p.setGrad(null));
        return new Reference(loss, grads);
    }

    /** What {@link #foundations()} computed. */
    public record Reference(float loss, List<Tensor> grads) {

        /** Asserts that every parameter's gradient is bit for bit the reference's. */
        public void assertSameGrads(LessonMlp problem) {
            List<Tensor> params = problem.params();
            for (int i = 0; i < params.size(); i++) {
                assertArrayEquals(grads.get(i).toArray(), params.get(i).grad().toArray(), "param " + i);
            }
        }
    }

    /** Asserts every parameter's gradient against central differences of the loss in double. */
    public void assertGradsMatchFiniteDifferences() {
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
}
