package dev.vectorgrad.nn.lesson.classes;

import dev.vectorgrad.core.Tensor;
import dev.vectorgrad.nn.lesson.Foundations;

/** The lesson's cell 33: a ReLU that remembers its input and output. */
public final class Relu {

    private Tensor inp;
    private Tensor out;

    /** A ReLU; it has no parameters. */
    public Relu() {}

    /**
     * @param inp any tensor
     * @return {@code max(inp, 0)}, remembered with {@code inp} for {@link #backward()}
     */
    public Tensor call(Tensor inp) {
        this.inp = inp;
        this.out = Foundations.relu(inp);
        return out;
    }

    /** Sets {@code inp.grad()} from {@code out.grad()}: the slope is 1 where {@code inp > 0}. */
    public void backward() {
        Calls.requireCalled("Relu", out);
        inp.setGrad(inp.gt(0f).mul(Calls.outGrad("Relu", out)));
    }
}
