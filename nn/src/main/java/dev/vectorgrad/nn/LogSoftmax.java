package dev.vectorgrad.nn;

import dev.vectorgrad.autograd.Var;

/**
 * {@code log(softmax(x))} along one dim as a layer, PyTorch's {@code nn.LogSoftmax(dim)}; no
 * parameters. With {@link NLLLoss} it is the lesson's classifier head (the pair computes what
 * {@link CrossEntropyLoss} fuses); it runs {@link Var#logSoftmax}, which a {@link TrainStep}
 * captures and replays.
 */
public final class LogSoftmax extends Layer {

    private final int dim;

    /**
     * @param dim the dim the probabilities sum to 1 along, negative counting from the end (-1:
     *     the last). PyTorch's implicit choice of dim is deprecated there, so it is required here;
     *     a dim outside the input's rank is refused by {@link #forward}, naming both.
     */
    public LogSoftmax(int dim) {
        this.dim = dim;
    }

    /** @return the dim it normalises along, as given */
    public int dim() {
        return dim;
    }

    @Override
    public Var forward(Var input) {
        return input.logSoftmax(dim);
    }

    @Override
    protected String extraRepr() {
        return "dim=" + dim;
    }
}
