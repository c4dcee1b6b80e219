package dev.vectorgrad.nn.lesson.classes;

import dev.vectorgrad.core.Tensor;
import dev.vectorgrad.nn.lesson.Foundations;

/** The lesson's cell 35: a mean squared error that remembers its input and target. */
public final class Mse {

    private Tensor inp;
    private Tensor targ;
    private Tensor out;

    /** A mean squared error loss. */
    public Mse() {}

    /**
     * @param inp predictions {@code [n, 1]}
     * @param targ targets {@code [n]}
     * @return the loss (0-d), remembered for {@link #backward()}
     */
    public Tensor call(Tensor inp, Tensor targ) {
        this.inp = inp;
        this.targ = targ;
        this.out = Foundations.mse(inp, targ);
        return out;
    }

    /** Sets {@code inp.grad()} to {@code 2 * (inp[:,0] - targ) / n} as a column: the loss starts backward. */
    public void backward() {
        Calls.requireCalled("Mse", out);
        inp.setGrad(inp.select(1, 0).sub(targ).mul(2f / targ.size(0)).unsqueeze(1));
    }
}
