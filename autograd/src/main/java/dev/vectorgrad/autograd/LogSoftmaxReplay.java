package dev.vectorgrad.autograd;

import dev.vectorgrad.core.LogSoftmax;
import dev.vectorgrad.core.Tensor;

/**
 * The replay of {@link Var#logSoftmax}: the forward writes {@link LogSoftmax}'s kernel into the
 * recorded output, the backward writes (or, when the input's gradient already holds a
 * contribution, adds) {@code g - exp(out) * sum(g)} into the input's buffer. The eager op runs the
 * same kernel, and the kernel's accumulating form adds each finished element as the eager engine
 * adds the finished gradient, so replayed values and gradients have the eager bits. Nothing is
 * allocated for a contiguous input (a strided one costs {@link Tensor#copyFrom}'s bookkeeping).
 */
final class LogSoftmaxReplay implements Replay {

    private final Tensor x;
    private final Tensor out;
    private final int dim;

    /**
     * @param x the input's value
     * @param out the recorded output, contiguous
     * @param dim the dim, counted from 0
     */
    LogSoftmaxReplay(Tensor x, Tensor out, int dim) {
        this.x = x;
        this.out = out;
        this.dim = dim;
    }

    @Override
    public void forward() {
        LogSoftmax.forward(x, dim, out);
    }

    @Override
    public void backward(Tensor g, Tensor[] gIn, boolean[] acc) {
        if (gIn[0] != null) {
            LogSoftmax.backward(g, out, dim, gIn[0], acc[0]);
        }
    }
}
