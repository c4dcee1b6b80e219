package dev.vectorgrad.autograd;

import dev.vectorgrad.core.Pooling;
import dev.vectorgrad.core.Tensor;

/** The replay of {@link PoolingOps#adaptiveAvgPool2d}; the output's shape holds the bin counts. */
final class AdaptiveAvgPool2dReplay extends PoolReplay {

    private final Tensor x;
    private final Tensor out;

    AdaptiveAvgPool2dReplay(Tensor x, Tensor out) {
        super(x);
        this.x = x;
        this.out = out;
    }

    @Override
    public void forward() {
        Pooling.adaptiveAvgPool2d(x, out);
    }

    @Override
    void gradient(Tensor gOut, Tensor gIn) {
        Pooling.adaptiveAvgPool2dBackward(gOut, gIn);
    }
}
