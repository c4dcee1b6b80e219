package dev.vectorgrad.nn;

import dev.vectorgrad.autograd.Losses;
import dev.vectorgrad.autograd.Var;
import dev.vectorgrad.core.Tensor;

/**
 * Binary cross-entropy of logits, PyTorch's {@code nn.BCEWithLogitsLoss} (mean reduction), in
 * the numerically stable form (finite for logits of any size); an optional {@code posWeight}
 * weights the positive term per class. See {@link Losses#binaryCrossEntropyWithLogits(Var, Tensor, Tensor)}.
 */
public final class BCEWithLogitsLoss implements Loss {

    private final Tensor posWeight;

    /** The loss without a weight for positives. */
    public BCEWithLogitsLoss() {
        this(null);
    }

    /**
     * @param posWeight the weight of positive examples: null, one element, or one per class of
     *        the input's trailing dims (e.g. [classes]); kept, not copied
     */
    public BCEWithLogitsLoss(Tensor posWeight) {
        this.posWeight = posWeight;
    }

    /**
     * @param logits raw scores of any shape
     * @param targets targets of the logits' shape, probabilities in [0, 1]
     * @return the 0-d loss
     */
    @Override
    public Var call(Var logits, Tensor targets) {
        return Losses.binaryCrossEntropyWithLogits(logits, targets, posWeight);
    }

    /** @return {@code "BCEWithLogitsLoss()"}, as PyTorch prints it */
    @Override
    public String toString() {
        return "BCEWithLogitsLoss()";
    }
}
