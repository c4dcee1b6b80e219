package dev.vectorgrad.nn;

import dev.vectorgrad.autograd.Var;

/** The hyperbolic tangent as a layer, PyTorch's {@code nn.Tanh}; no parameters. */
public final class Tanh extends Layer {

    /** A tanh layer. */
    public Tanh() {}

    @Override
    public Var forward(Var input) {
        return input.tanh();
    }
}
