/**
 * Optimisers that update parameter tensors in place from the gradients stored beside them
 * ({@link dev.vectorgrad.core.Tensor#grad()}): {@link dev.vectorgrad.nn.optim.Sgd} (plain or
 * with momentum) and {@link dev.vectorgrad.nn.optim.Adam}, both with decoupled weight decay.
 *
 * <p>Every buffer an optimiser needs is allocated when it is built, so {@code step()} allocates
 * nothing that grows with the number of steps.
 */
package dev.vectorgrad.nn.optim;
