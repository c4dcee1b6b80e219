package dev.vectorgrad.nn;

import dev.vectorgrad.autograd.Var;

/** The logistic sigmoid as a layer, PyTorch's {@code nn.Sigmoid}; no parameters. */
public final class Sigmoid extends Layer {

    /** A sigmoid layer. */
    public Sigmoid() {}

    @Override
    public Var forward(Var input) {
        return input.sigmoid();
    }
}
