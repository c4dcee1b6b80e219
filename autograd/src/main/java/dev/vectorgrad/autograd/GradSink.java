package dev.vectorgrad.autograd;

import dev.vectorgrad.core.Tensor;

/**
 * Where a backward rule puts the gradients of its inputs. The engine implements it; rules only
 * see these four calls, so they cannot forget the broadcasting reduction or clobber a gradient
 * another path still reads.
 */
interface GradSink {

    /** @return whether input {@code i} requires a gradient (PyTorch's needs_input_grad) */
    boolean needs(int i);

    /**
     * Adds {@code g} into input {@code i}'s gradient, first summing any broadcast dims back to
     * the input's shape.
     *
     * @param owned whether {@code g} is a fresh tensor nobody else holds, which the engine may
     *              keep and later modify instead of copying
     */
    void add(int i, Tensor g, boolean owned);

    /** Adds {@code a @ b} (2-d) into input {@code i}'s gradient, in place when a target exists. */
    void addMatmul(int i, Tensor a, Tensor b);
}
