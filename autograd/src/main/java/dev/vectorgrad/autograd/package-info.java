/**
 * Reverse-mode automatic differentiation over vectorgrad tensors: {@link dev.vectorgrad.autograd.Var}
 * (a tensor that records the ops applied to it), {@link dev.vectorgrad.autograd.Losses},
 * {@link dev.vectorgrad.autograd.NoGrad} scopes and {@link dev.vectorgrad.autograd.GradCheck},
 * the finite-difference checker for gradients.
 */
package dev.vectorgrad.autograd;
