package dev.vectorgrad.nn.lesson;

import dev.vectorgrad.core.Tensor;

/** The lesson's ReLU as a {@link Module} (cell 42): {@code inp.clamp_min(0)}. */
public final class Relu extends Module {

    /** A ReLU; it has no parameters. */
    public Relu() {}

    /**
     * @param args one input of any shape
     * @return {@code max(inp, 0)}
     */
    @Override
    public Tensor forward(Tensor... args) {
        requireArgs(args, "inp");
        return Foundations.relu(args[0]);
    }

    @Override
    protected void bwd(Tensor out, Tensor... args) {
        // The slope is 1 where the input was positive and 0 elsewhere (0 at the kink, as PyTorch).
        Tensor inp = args[0];
        inp.setGrad(inp.gt(0f).mul(out.grad()));
    }
}
