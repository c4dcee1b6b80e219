package dev.vectorgrad.autograd;

import dev.vectorgrad.core.LogSoftmax;
import dev.vectorgrad.core.Tensor;

/**
 * The replay of {@link Var#logSumExp}: the forward writes {@link LogSoftmax#logSumExp}'s kernel
 * into the recorded output, the backward writes (or, when the input's gradient already holds a
 * contribution, adds) {@code softmax(x) * g} along the dim, the softmax from the log-softmax
 * kernel and {@code exp}, as the eager rule computes it. Nothing is allocated for a contiguous
 * input whose reduced dim has size 1 or whose gradient needs no broadcast; broadcasting the
 * gradient back along the dim costs {@link Tensor#mulInPlace(Tensor)}'s layout bookkeeping.
 */
final class LogSumExpReplay implements Replay {

    private final Tensor x;
    private final Tensor out;
    private final int dim;
    /** x's shape with the dim kept as 1 (none for a 0-d x), so the gradient broadcasts against x. */
    private final int[] kept;
    private Tensor scratch;
    private Tensor keptFrom;
    private Tensor keptView;

    LogSumExpReplay(Tensor x, Tensor out, int dim, int[] kept) {
        this.x = x;
        this.out = out;
        this.dim = dim;
        this.kept = kept;
    }

    @Override
    public void forward() {
        LogSoftmax.logSumExp(x, dim, out);
    }

    @Override
    public void backward(Tensor g, Tensor[] gIn, boolean[] acc) {
        if (gIn[0] == null) {
            return;
        }
        if (g != keptFrom) {
            keptView = g.reshape(kept);
            keptFrom = g;
        }
        if (!acc[0]) {
            LogSoftmax.forward(x, dim, gIn[0]).expInPlace().mulInPlace(keptView);
            return;
        }
        if (scratch == null) {
            scratch = Tensor.zeros(x.shape());
        }
        gIn[0].addInPlace(LogSoftmax.forward(x, dim, scratch).expInPlace().mulInPlace(keptView));
    }
}
