package dev.vectorgrad.autograd;

import dev.vectorgrad.core.Tensor;

/**
 * What the pooling replays share: the backward writes the input's gradient straight into the
 * graph's buffer when it is the first contribution, and otherwise into a scratch buffer (made
 * once) that is then added, as the eager engine adds a finished gradient.
 */
abstract class PoolReplay implements Replay {

    private final Tensor input;
    private Tensor scratch;

    PoolReplay(Tensor input) {
        this.input = input;
    }

    /** Writes (overwrites) the input's gradient for {@code gOut} into {@code gIn}. */
    abstract void gradient(Tensor gOut, Tensor gIn);

    @Override
    public final void backward(Tensor gOut, Tensor[] gIn, boolean[] accumulate) {
        if (gIn[0] == null) {
            return;
        }
        if (!accumulate[0]) {
            gradient(gOut, gIn[0]);
            return;
        }
        if (scratch == null) {
            scratch = Tensor.zeros(input.shape());
        }
        gradient(gOut, scratch);
        gIn[0].addInPlace(scratch);
    }
}
