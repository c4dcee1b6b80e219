package dev.vectorgrad.nn;

import dev.vectorgrad.autograd.Var;

/** The rectifier {@code max(x, 0)} as a layer, PyTorch's {@code nn.ReLU}; no parameters. */
public final class ReLU extends Layer {

    /** A relu layer. */
    public ReLU() {}

    @Override
    public Var forward(Var input) {
        return input.relu();
    }
}
