package dev.vectorgrad.nn.optim;

/**
 * Half a cosine from each group's base learning rate down to {@code etaMin} over {@code tMax}
 * steps, as {@code torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max, eta_min=0)}, in
 * PyTorch's closed form ({@code _get_closed_form_lr}):
 *
 * <pre>
 * lr(t) = eta_min + (base_lr - eta_min) * (1 + cos(pi * t / T_max)) / 2
 * </pre>
 *
 * Past {@code tMax} the cosine carries on (back up over the next {@code tMax} steps), as in
 * PyTorch; there is no restart (that is {@code CosineAnnealingWarmRestarts}).
 */
public final class CosineAnnealingLR extends LRScheduler {

    private final int tMax;
    private final double etaMin;

    /**
     * @param optimizer the optimiser
     * @param tMax the steps of the half cosine, {@code >= 1}
     * @param etaMin the learning rate at {@code tMax}, finite and {@code >= 0}
     */
    public CosineAnnealingLR(Optimizer optimizer, int tMax, float etaMin) {
        super(optimizer);
        if (tMax < 1) {
            throw new IllegalArgumentException("CosineAnnealingLR: T_max must be >= 1 (steps to reach eta_min), got "
                    + tMax);
        }
        if (!(etaMin >= 0f) || !Float.isFinite(etaMin)) {
            throw new IllegalArgumentException("CosineAnnealingLR: eta_min must be finite and >= 0, got " + etaMin);
        }
        this.tMax = tMax;
        this.etaMin = etaMin;
        start();
    }

    /**
     * {@link #CosineAnnealingLR(Optimizer, int, float)} down to 0, PyTorch's default {@code eta_min}.
     *
     * @param optimizer the optimiser
     * @param tMax the steps of the half cosine, {@code >= 1}
     */
    public CosineAnnealingLR(Optimizer optimizer, int tMax) {
        this(optimizer, tMax, 0f);
    }

    @Override
    public double lrAt(long step, int group) {
        checkStep("CosineAnnealingLR", step);
        return etaMin + (baseLr(group) - etaMin) * (1 + Math.cos(Math.PI * step / tMax)) / 2;
    }

    /** @return the steps of the half cosine */
    public int tMax() {
        return tMax;
    }

    /** @return the learning rate reached at {@link #tMax()} */
    public float etaMin() {
        return (float) etaMin;
    }
}
