package dev.vectorgrad.nn;

import dev.vectorgrad.autograd.Var;

/**
 * {@code softmax(x)} along one dim as a layer, PyTorch's {@code nn.Softmax(dim)}; no parameters.
 * It runs {@link Var#softmax} ({@code logSoftmax(dim).exp()}), which a {@link TrainStep} captures
 * and replays. For training a classifier prefer {@link LogSoftmax} with {@link NLLLoss} or
 * {@link CrossEntropyLoss} on the raw scores: the log of a softmax that underflowed to 0 is
 * {@code -inf}.
 */
public final class Softmax extends Layer {

    private final int dim;

    /**
     * @param dim the dim the outputs sum to 1 along, negative counting from the end (-1: the
     *     last); required, as in {@link LogSoftmax}; a dim outside the input's rank is refused
     *     by {@link #forward}, naming both.
     */
    public Softmax(int dim) {
        this.dim = dim;
    }

    /** @return the dim it normalises along, as given */
    public int dim() {
        return dim;
    }

    @Override
    public Var forward(Var input) {
        return input.softmax(dim);
    }

    @Override
    protected String extraRepr() {
        return "dim=" + dim;
    }
}
