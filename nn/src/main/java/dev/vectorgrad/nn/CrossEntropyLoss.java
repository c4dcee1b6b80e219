package dev.vectorgrad.nn;

import dev.vectorgrad.autograd.Losses;
import dev.vectorgrad.autograd.Var;
import dev.vectorgrad.core.Tensor;

/**
 * Cross-entropy of logits against class indices as an object, PyTorch's
 * {@code nn.CrossEntropyLoss}; see {@link Losses#crossEntropy(Var, Tensor)}.
 */
public final class CrossEntropyLoss implements Loss {

    private final float labelSmoothing;

    /** The loss. */
    public CrossEntropyLoss() {
        this(0f);
    }

    /**
     * The loss with label smoothing, as {@code nn.CrossEntropyLoss(label_smoothing=eps)}: each
     * row's loss is {@code (1 - eps) * nll + eps * mean over classes of -log p}, computed in the
     * same fused kernel (and the same captured-step fusion) as the plain loss; see
     * {@link Losses#crossEntropy(Var, Tensor, float)}.
     *
     * @param labelSmoothing eps in [0, 1]; 0 is the plain loss
     * @throws IllegalArgumentException if eps is outside [0, 1]
     */
    public CrossEntropyLoss(float labelSmoothing) {
        if (!(labelSmoothing >= 0f && labelSmoothing <= 1f)) {
            throw new IllegalArgumentException("CrossEntropyLoss: label_smoothing must be in [0, 1], got " + labelSmoothing);
        }
        this.labelSmoothing = labelSmoothing;
    }

    /** @return the label smoothing eps */
    public float labelSmoothing() {
        return labelSmoothing;
    }

    /**
     * @param logits scores of shape [n, classes]
     * @param targets a 1-d tensor of n class indices
     * @return the 0-d loss
     */
    @Override
    public Var call(Var logits, Tensor targets) {
        return labelSmoothing == 0f ? Losses.crossEntropy(logits, targets)
                : Losses.crossEntropy(logits, targets, labelSmoothing);
    }

    /**
     * @param logits scores of shape [n, classes]
     * @param targets n class indices
     * @return the 0-d loss
     */
    public Var call(Var logits, int[] targets) {
        return labelSmoothing == 0f ? Losses.crossEntropy(logits, targets)
                : Losses.crossEntropy(logits, targets, labelSmoothing);
    }

    /** @return {@code "CrossEntropyLoss()"}, as PyTorch prints it */
    @Override
    public String toString() {
        return "CrossEntropyLoss()";
    }
}
