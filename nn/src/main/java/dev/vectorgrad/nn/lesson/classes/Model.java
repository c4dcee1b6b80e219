package dev.vectorgrad.nn.lesson.classes;

import dev.vectorgrad.core.Tensor;

/** The lesson's cell 36: {@code Lin -> Relu -> Lin} and an {@link Mse}, backward by hand. */
public final class Model {

    private final Lin lin1;
    private final Relu relu = new Relu();
    private final Lin lin2;
    private final Mse loss = new Mse();
    private boolean called;

    /**
     * @param w1 first weights {@code [m, nh]}
     * @param b1 first bias {@code [nh]}
     * @param w2 second weights {@code [nh, 1]}
     * @param b2 second bias {@code [1]}
     */
    public Model(Tensor w1, Tensor b1, Tensor w2, Tensor b2) {
        this.lin1 = new Lin(w1, b1);
        this.lin2 = new Lin(w2, b2);
    }

    /**
     * @param x input {@code [n, m]}
     * @param targ targets {@code [n]}
     * @return the loss
     */
    public Tensor call(Tensor x, Tensor targ) {
        Tensor loss = this.loss.call(lin2.call(relu.call(lin1.call(x))), targ);
        called = true;
        return loss;
    }

    /** Runs the loss's backward, then the layers' in reverse order. */
    public void backward() {
        if (!called) {
            throw new IllegalStateException("Model.backward: the model has not been called yet; call(x, targ) it first");
        }
        loss.backward();
        lin2.backward();
        relu.backward();
        lin1.backward();
    }
}
