/**
 * Layers and losses on top of autograd, shaped like PyTorch's {@code torch.nn}: {@link
 * dev.vectorgrad.nn.Layer} (the base, PyTorch's {@code nn.Module}), {@link dev.vectorgrad.nn.Linear},
 * {@link dev.vectorgrad.nn.ReLU}, {@link dev.vectorgrad.nn.Sequential}, {@link dev.vectorgrad.nn.MSELoss},
 * {@link dev.vectorgrad.nn.CrossEntropyLoss} and seeded initialisers in {@link dev.vectorgrad.nn.Init}.
 *
 * <p>A layer's {@link dev.vectorgrad.nn.Layer#stateDict() state dict} has PyTorch's names, order and
 * layouts ({@code Linear} weights [out, in]), so a {@code Sequential} saved with
 * {@link dev.vectorgrad.nn.io.SafeTensors} loads into {@code torch.nn.Sequential.load_state_dict}
 * as it is, and back with {@link dev.vectorgrad.nn.Layer#loadStateDict(java.util.Map, boolean)}.
 */
package dev.vectorgrad.nn;
