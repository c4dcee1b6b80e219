/**
 * Reverse-mode automatic differentiation over vectorgrad tensors: {@link dev.vectorgrad.autograd.Var}
 * (a tensor that records the ops applied to it), {@link dev.vectorgrad.autograd.Losses},
 * {@link dev.vectorgrad.autograd.NoGrad} scopes, {@link dev.vectorgrad.autograd.GradCheck}, the
 * finite-difference checker for gradients, and {@link dev.vectorgrad.autograd.Var#custom} with
 * {@link dev.vectorgrad.autograd.BackwardFn} / {@link dev.vectorgrad.autograd.GradSink} for ops of
 * your own.
 */
package dev.vectorgrad.autograd;
