package dev.vectorgrad.autograd;

import dev.vectorgrad.core.Tensor;

/**
 * The backward rule of one recorded op: given the gradient of the loss with respect to the op's
 * output, it <em>adds</em> the gradients with respect to the op's inputs into {@code sink}
 * (micrograd's closure). It must only add for inputs where {@link GradSink#needs(int)} holds.
 */
@FunctionalInterface
interface BackwardFn {
    void apply(Tensor gradOut, GradSink sink);
}
