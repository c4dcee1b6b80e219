/**
 * Optimisers that update parameter tensors in place from the gradients stored beside them
 * ({@link dev.vectorgrad.core.Tensor#grad()}), following PyTorch's step for step:
 * {@link dev.vectorgrad.nn.optim.Sgd} ({@code torch.optim.SGD}: momentum, dampening, Nesterov)
 * and {@link dev.vectorgrad.nn.optim.Adam} ({@code torch.optim.Adam}, and
 * {@code torch.optim.AdamW} through {@link dev.vectorgrad.nn.optim.Adam#adamW}).
 *
 * <p>Both take both kinds of weight decay: {@code weightDecay}, the L2 term PyTorch's SGD and
 * Adam add to the gradient, and {@code decoupledWeightDecay}, AdamW's {@code p *= 1 - lr*wd}
 * (see {@link dev.vectorgrad.nn.optim.Optimizer}). The short constructors mean what PyTorch's
 * positional arguments mean; a builder sets every option:
 *
 * <pre>{@code
 * Optimizer sgd = Sgd.builder(model.parameters(), 0.1f).momentum(0.9f).nesterov(true).weightDecay(5e-4f).build();
 * Optimizer adamW = Adam.adamW(model.parameters(), 1e-3f, 0.01f);
 * }</pre>
 *
 * <p>Parameters are given as tensors, as the {@code Var}s of {@code Layer.parameters()}, or as
 * {@link dev.vectorgrad.nn.optim.ParamGroup}s with their own learning rate, weight decay,
 * momentum or betas (PyTorch's {@code param_groups}, readable and writable through
 * {@link dev.vectorgrad.nn.optim.Optimizer#paramGroups()}).
 * State is kept per parameter, as in PyTorch: a parameter with no gradient is skipped and its
 * momentum buffer, moments and Adam step count stay as they were. Every buffer is allocated
 * when the optimiser is built, and each parameter's update is one fused pass of
 * {@link dev.vectorgrad.core.Updates}, so {@code step()} on contiguous parameters allocates
 * nothing.
 *
 * <p>Learning-rate schedules, as {@code torch.optim.lr_scheduler}, each computed in closed form
 * and written into every param group: {@link dev.vectorgrad.nn.optim.StepLR},
 * {@link dev.vectorgrad.nn.optim.CosineAnnealingLR}, {@link dev.vectorgrad.nn.optim.LinearLR}
 * (warm-up), {@link dev.vectorgrad.nn.optim.SequentialLR} (one after another) and
 * {@link dev.vectorgrad.nn.optim.OneCycleLR} (fast.ai's {@code fit_one_cycle}, momentum or beta1
 * cycled too), on the base {@link dev.vectorgrad.nn.optim.LRScheduler}. Step one after each
 * {@code optimizer.step()}:
 *
 * <pre>{@code
 * OneCycleLR schedule = new OneCycleLR(adam, 3e-3f, epochs * batchesPerEpoch);
 * for (...) { step.step(x, y); schedule.step(); }
 * }</pre>
 */
package dev.vectorgrad.nn.optim;
