package dev.vectorgrad.autograd;

import dev.vectorgrad.core.Pool2dSpec;
import dev.vectorgrad.core.Pooling;
import dev.vectorgrad.core.Tensor;

/** The replay of {@link PoolingOps#avgPool2d}. */
final class AvgPool2dReplay extends PoolReplay {

    private final Tensor x;
    private final Pool2dSpec spec;
    private final boolean countIncludePad;
    private final Tensor out;

    AvgPool2dReplay(Tensor x, Pool2dSpec spec, boolean countIncludePad, Tensor out) {
        super(x);
        this.x = x;
        this.spec = spec;
        this.countIncludePad = countIncludePad;
        this.out = out;
    }

    @Override
    public void forward() {
        Pooling.avgPool2d(x, spec, countIncludePad, out);
    }

    @Override
    void gradient(Tensor gOut, Tensor gIn) {
        Pooling.avgPool2dBackward(gOut, spec, countIncludePad, gIn);
    }
}
