package dev.vectorgrad.nn;

import dev.vectorgrad.autograd.Var;
import dev.vectorgrad.core.Tensor;

/**
 * A loss as a {@link TrainStep} calls it: the model's output and the batch's targets give a
 * one-element {@link Var}. {@link CrossEntropyLoss} and {@link MSELoss} are losses; so is any
 * lambda built from {@code Var} ops and {@link dev.vectorgrad.autograd.Losses}.
 */
@FunctionalInterface
public interface Loss {

    /**
     * @param output the model's output for the batch
     * @param target the batch's targets (for a captured step, read when the loss's ops run)
     * @return the 0-d (or one-element) loss
     */
    Var call(Var output, Tensor target);
}
