package dev.vectorgrad.autograd;

import dev.vectorgrad.core.Tensor;

/**
 * Where a backward rule ({@link BackwardFn}) puts the gradients of its inputs. The engine
 * implements it; rules only see these three calls, so they cannot forget the broadcasting
 * reduction or clobber a gradient another path still reads.
 */
public interface GradSink {

    /**
     * Whether input {@code i} requires a gradient (PyTorch's {@code needs_input_grad}): skip the
     * work for inputs that do not.
     *
     * @param i the input's position
     * @return whether its gradient is wanted
     */
    boolean needs(int i);

    /**
     * Adds {@code g} into input {@code i}'s gradient, first summing any broadcast dims back to
     * the input's shape. Ignored for inputs that do not require grad.
     *
     * @param i the input's position
     * @param g the gradient, of the input's shape or broadcast from it
     * @param owned whether {@code g} is a fresh tensor nobody else holds, which the engine may
     *              keep and later modify instead of copying
     */
    void add(int i, Tensor g, boolean owned);

    /**
     * Adds {@code a @ b} into input {@code i}'s gradient, accumulating in place (no new tensor)
     * when that gradient already exists as a 2-d tensor.
     *
     * @param i the input's position
     * @param a left operand
     * @param b right operand
     */
    void addMatmul(int i, Tensor a, Tensor b);
}
