package dev.vectorgrad.autograd;

import dev.vectorgrad.core.Tensor;

/**
 * One recorded op as a {@link CapturedGraph} replays it: the forward recomputes the op's output
 * tensor in place from its inputs' current values, the backward writes or adds the inputs'
 * gradients into buffers the graph owns. Both run on the very tensors of the recorded call (the
 * inputs' values, the output's value), which the graph keeps, so a replay allocates nothing.
 *
 * <p>Implementations write the gradients of their inputs in ascending input order: when one Var
 * is an input twice ({@code x.mul(x)}), the graph's plan overwrites on the first write and adds
 * on the second.
 */
interface Replay {

    /** Recomputes the output from the inputs, in place. */
    void forward();

    /**
     * Propagates the output's gradient to the inputs.
     *
     * @param gOut the gradient of the output, complete
     * @param gIn per input, the buffer its gradient goes into, or null when it needs none
     * @param accumulate per input, whether to add into its buffer (true) or overwrite it
     */
    void backward(Tensor gOut, Tensor[] gIn, boolean[] accumulate);
}
