package dev.vectorgrad.nn.lesson;

import dev.vectorgrad.core.Tensor;

/**
 * The lesson's mean squared error as a {@link Module} (cell 44): {@code mean((inp[:,0]-targ)^2)}
 * for {@code inp [n, 1]} and {@code targ [n]}. Being the loss, its {@link #backward()} needs no
 * output gradient; if one was set it scales the result (the chain rule), else 1 is used.
 */
public final class Mse extends Module {

    /** A mean squared error loss. */
    public Mse() {}

    /**
     * @param args the predictions {@code [n, 1]} and the targets {@code [n]}
     * @return the loss, 0-d
     */
    @Override
    public Tensor forward(Tensor... args) {
        requireArgs(args, "inp", "targ");
        return Foundations.mse(args[0], args[1]);
    }

    @Override
    protected boolean needsOutputGrad() {
        return false;
    }

    @Override
    protected void bwd(Tensor out, Tensor... args) {
        Tensor inp = args[0];
        Tensor targ = args[1];
        Tensor g = inp.select(1, 0).sub(targ).mul(2f / targ.size(0)).unsqueeze(1);
        inp.setGrad(out.grad() == null ? g : g.mul(out.grad()));
    }
}
