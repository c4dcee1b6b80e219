package dev.vectorgrad.nn.optim;

/**
 * Scales each group's base learning rate by a factor moving linearly from {@code startFactor}
 * to {@code endFactor} over {@code totalIters} steps, then holding: a linear warm-up, as
 * {@code torch.optim.lr_scheduler.LinearLR(optimizer, start_factor=1/3, end_factor=1.0, total_iters=5)},
 * in PyTorch's closed form:
 *
 * <pre>
 * lr(t) = base_lr * (start_factor + (end_factor - start_factor) * min(t, total_iters) / total_iters)
 * </pre>
 */
public final class LinearLR extends LRScheduler {

    private final double startFactor;
    private final double endFactor;
    private final int totalIters;

    /**
     * @param optimizer the optimiser
     * @param startFactor the factor at step 0, in (0, 1] (PyTorch's rule)
     * @param endFactor the factor from {@code totalIters} on, in [0, 1]
     * @param totalIters the steps of the ramp, {@code >= 1}
     */
    public LinearLR(Optimizer optimizer, float startFactor, float endFactor, int totalIters) {
        super(optimizer);
        if (!(startFactor > 0f && startFactor <= 1f)) {
            throw new IllegalArgumentException("LinearLR: start_factor must be in (0, 1] (as in PyTorch), got "
                    + startFactor);
        }
        if (!(endFactor >= 0f && endFactor <= 1f)) {
            throw new IllegalArgumentException("LinearLR: end_factor must be in [0, 1] (as in PyTorch), got " + endFactor);
        }
        if (totalIters < 1) {
            throw new IllegalArgumentException("LinearLR: total_iters must be >= 1, got " + totalIters);
        }
        this.startFactor = startFactor;
        this.endFactor = endFactor;
        this.totalIters = totalIters;
        start();
    }

    /**
     * PyTorch's defaults: from a third of the base learning rate to all of it over 5 steps.
     *
     * @param optimizer the optimiser
     */
    public LinearLR(Optimizer optimizer) {
        this(optimizer, 1f / 3f, 1f, 5);
    }

    @Override
    public double lrAt(long step, int group) {
        checkStep("LinearLR", step);
        return baseLr(group) * (startFactor + (endFactor - startFactor) * Math.min(step, totalIters) / totalIters);
    }

    /** @return the factor at step 0 */
    public float startFactor() {
        return (float) startFactor;
    }

    /** @return the factor from {@link #totalIters()} on */
    public float endFactor() {
        return (float) endFactor;
    }

    /** @return the steps of the ramp */
    public int totalIters() {
        return totalIters;
    }
}
