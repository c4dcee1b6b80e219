package dev.vectorgrad.autograd;

import dev.vectorgrad.core.Pool2dSpec;
import dev.vectorgrad.core.Pooling;
import dev.vectorgrad.core.Tensor;

/** The replay of {@link PoolingOps#maxPool2d}: the maxima and their indices recomputed in place. */
final class MaxPool2dReplay extends PoolReplay {

    private final Tensor x;
    private final Pool2dSpec spec;
    private final Tensor out;
    private final int[] indices;

    MaxPool2dReplay(Tensor x, Pool2dSpec spec, Tensor out, int[] indices) {
        super(x);
        this.x = x;
        this.spec = spec;
        this.out = out;
        this.indices = indices;
    }

    @Override
    public void forward() {
        Pooling.maxPool2d(x, spec, out, indices);
    }

    @Override
    void gradient(Tensor gOut, Tensor gIn) {
        Pooling.maxPool2dBackward(gOut, indices, gIn);
    }
}
