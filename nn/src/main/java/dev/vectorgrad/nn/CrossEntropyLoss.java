package dev.vectorgrad.nn;

import dev.vectorgrad.autograd.Losses;
import dev.vectorgrad.autograd.Var;
import dev.vectorgrad.core.Tensor;

/**
 * Cross-entropy of logits against class indices as an object, PyTorch's
 * {@code nn.CrossEntropyLoss}; see {@link Losses#crossEntropy(Var, Tensor)}.
 */
public final class CrossEntropyLoss implements Loss {

    /** The loss. */
    public CrossEntropyLoss() {}

    /**
     * @param logits scores of shape [n, classes]
     * @param targets a 1-d tensor of n class indices
     * @return the 0-d loss
     */
    @Override
    public Var call(Var logits, Tensor targets) {
        return Losses.crossEntropy(logits, targets);
    }

    /**
     * @param logits scores of shape [n, classes]
     * @param targets n class indices
     * @return the 0-d loss
     */
    public Var call(Var logits, int[] targets) {
        return Losses.crossEntropy(logits, targets);
    }

    /** @return {@code "CrossEntropyLoss()"}, as PyTorch prints it */
    @Override
    public String toString() {
        return "CrossEntropyLoss()";
    }
}
