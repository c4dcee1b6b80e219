package dev.vectorgrad.nn.optim;

/**
 * Decays every group's learning rate by {@code gamma} every {@code stepSize} steps, as
 * {@code torch.optim.lr_scheduler.StepLR(optimizer, step_size, gamma=0.1)}:
 *
 * <pre>
 * lr(t) = base_lr * gamma^floor(t / step_size)
 * </pre>
 *
 * (PyTorch's closed form; its {@code step()} multiplies by {@code gamma} at each multiple of
 * {@code step_size}, the same in exact arithmetic.)
 */
public final class StepLR extends LRScheduler {

    /** PyTorch's default {@code gamma}. */
    public static final float DEFAULT_GAMMA = 0.1f;

    private final int stepSize;
    private final double gamma;

    /**
     * @param optimizer the optimiser
     * @param stepSize the steps between decays, {@code >= 1}
     * @param gamma the factor per decay, finite and {@code >= 0}
     */
    public StepLR(Optimizer optimizer, int stepSize, float gamma) {
        super(optimizer);
        if (stepSize < 1) {
            throw new IllegalArgumentException("StepLR: step_size must be >= 1 (steps between decays), got " + stepSize);
        }
        if (!(gamma >= 0f) || !Float.isFinite(gamma)) {
            throw new IllegalArgumentException("StepLR: gamma must be finite and >= 0, got " + gamma);
        }
        this.stepSize = stepSize;
        this.gamma = gamma;
        start();
    }

    /**
     * {@link #StepLR(Optimizer, int, float)} with PyTorch's default gamma {@value #DEFAULT_GAMMA}.
     *
     * @param optimizer the optimiser
     * @param stepSize the steps between decays, {@code >= 1}
     */
    public StepLR(Optimizer optimizer, int stepSize) {
        this(optimizer, stepSize, DEFAULT_GAMMA);
    }

    @Override
    public double lrAt(long step, int group) {
        checkStep("StepLR", step);
        return baseLr(group) * Math.pow(gamma, step / stepSize);
    }

    /** @return the steps between decays */
    public int stepSize() {
        return stepSize;
    }

    /** @return the factor per decay */
    public float gamma() {
        return (float) gamma;
    }
}
