package dev.vectorgrad.nn;

import dev.vectorgrad.autograd.Losses;
import dev.vectorgrad.autograd.Var;
import dev.vectorgrad.core.Tensor;

/**
 * Negative log-likelihood of log-probabilities {@code [n, classes]} against class indices
 * {@code [n]}, PyTorch's {@code nn.NLLLoss} (mean reduction); see {@link Losses#nll(Var, Tensor)}.
 */
public final class NLLLoss implements Loss {

    /** The loss. */
    public NLLLoss() {}

    /**
     * @param logProbs log-probabilities of shape [n, classes], e.g. from {@code logSoftmax(1)}
     * @param targets a 1-d tensor of n class indices
     * @return the 0-d loss
     */
    @Override
    public Var call(Var logProbs, Tensor targets) {
        return Losses.nll(logProbs, targets);
    }

    /** @return {@code "NLLLoss()"}, as PyTorch prints it */
    @Override
    public String toString() {
        return "NLLLoss()";
    }
}
