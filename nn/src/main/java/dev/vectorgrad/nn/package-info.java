/**
 * Layers and losses on top of autograd, shaped like PyTorch's {@code torch.nn}: {@link
 * dev.vectorgrad.nn.Layer} (the base, PyTorch's {@code nn.Module}), {@link dev.vectorgrad.nn.Linear},
 * {@link dev.vectorgrad.nn.ReLU}, {@link dev.vectorgrad.nn.Sequential}, {@link dev.vectorgrad.nn.MSELoss},
 * {@link dev.vectorgrad.nn.CrossEntropyLoss} and seeded initialisers in {@link dev.vectorgrad.nn.Init}.
 */
package dev.vectorgrad.nn;
