package dev.vectorgrad.autograd;

import dev.vectorgrad.core.Tensor;

/**
 * The backward rule of one recorded op: given the gradient of the loss with respect to the op's
 * output, it <em>adds</em> the gradients with respect to the op's inputs into {@code sink}
 * (micrograd's closure, the {@code backward} of PyTorch's {@code autograd.Function}). Pass one
 * to {@link Var#custom} to define an op of your own, and test it with {@link GradCheck}.
 */
@FunctionalInterface
public interface BackwardFn {

    /**
     * Adds the gradients of the op's inputs into {@code sink}.
     *
     * @param gradOut the gradient with respect to the op's output, of the output's shape; read
     *                it, never modify it
     * @param sink where the inputs' gradients go
     */
    void apply(Tensor gradOut, GradSink sink);
}
