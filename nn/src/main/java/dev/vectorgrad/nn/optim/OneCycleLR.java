package dev.vectorgrad.nn.optim;

import java.util.List;

/**
 * The 1cycle policy as fast.ai's {@code fit_one_cycle} runs it: PyTorch's
 * {@code torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr, total_steps)} with fast.ai's
 * defaults, {@code pct_start=0.25, div_factor=25, final_div_factor=1e5, anneal_strategy='cos',
 * cycle_momentum=True, base_momentum=0.85, max_momentum=0.95, three_phase=False}. Step it once
 * per batch.
 *
 * <p>Per group, with {@code T} the total steps:
 *
 * <pre>
 * initial_lr = max_lr / div_factor                 (the learning rate of step 0)
 * min_lr     = initial_lr / final_div_factor        (of step T-1)
 * cos(a, b, p) = b + (a - b) * (1 + cos(pi*p)) / 2  (linear: a + (b - a) * p)
 *
 * phase 1, t &lt;= e1 = pct_start*T - 1:  lr = cos(initial_lr, max_lr, t/e1)
 *                                      momentum = cos(max_momentum, base_momentum, t/e1)
 * phase 2, up to e2 = T - 1:           lr = cos(max_lr, min_lr, (t-e1)/(e2-e1))
 *                                      momentum = cos(base_momentum, max_momentum, (t-e1)/(e2-e1))
 * </pre>
 *
 * With {@code threePhase(true)} (PyTorch's {@code three_phase}): up to {@code e1} as above, back
 * down to {@code initial_lr} by {@code e2 = 2*pct_start*T - 2}, then to {@code min_lr} by
 * {@code T - 1} with the momentum held at {@code max_momentum}.
 *
 * <p>The momentum is SGD's {@link ParamGroup#momentum} or Adam's {@link ParamGroup#beta1}
 * (beta2 kept), as PyTorch picks {@code betas} when the optimiser has them. As in PyTorch,
 * stepping to {@code T} is still allowed (the curve extended one step, so that a loop stepping
 * the scheduler after every batch ends cleanly; with {@link Anneal#LINEAR} the extension is
 * clamped at 0 where PyTorch's would turn negative); beyond it {@link #step()} throws
 * {@link IllegalStateException}.
 *
 * <p>fast.ai's own scheduler ends at {@code max_lr/final_div}; this one, being PyTorch's, ends
 * at {@code max_lr/(div*final_div)} (1/25 of that).
 */
public final class OneCycleLR extends LRScheduler {

    /** How each phase moves between its end points. */
    public enum Anneal {
        /** Half a cosine (PyTorch's {@code 'cos'}, the default). */
        COS,
        /** A straight line ({@code 'linear'}). */
        LINEAR
    }

    private final int totalSteps;
    private final double[] maxLrs;
    private final double[] minLrs;
    private final double[] initialLrs;
    private final boolean cycleMomentum;
    private final double baseMomentum;
    private final double maxMomentum;
    private final Anneal anneal;
    private final boolean threePhase;
    private final double[] phaseEnds;

    private OneCycleLR(Builder b, float[] initial) {
        super(b.optimizer, initial);
        this.totalSteps = b.totalSteps;
        int n = b.maxLrs.length;
        maxLrs = new double[n];
        minLrs = new double[n];
        initialLrs = new double[n];
        for (int g = 0; g < n; g++) {
            maxLrs[g] = b.maxLrs[g];
            initialLrs[g] = maxLrs[g] / b.divFactor;
            minLrs[g] = initialLrs[g] / b.finalDivFactor;
        }
        this.cycleMomentum = b.cycleMomentum;
        this.baseMomentum = b.baseMomentum;
        this.maxMomentum = b.maxMomentum;
        this.anneal = b.anneal;
        this.threePhase = b.threePhase;
        double e1 = b.pctStart * totalSteps - 1;
        phaseEnds = threePhase ? new double[] {e1, 2 * b.pctStart * totalSteps - 2, totalSteps - 1}
                : new double[] {e1, totalSteps - 1};
        start();
    }

    /**
     * fast.ai's {@code fit_one_cycle} schedule with every default.
     *
     * @param optimizer an {@link Sgd} or {@link Adam} (its momentum or beta1 is cycled)
     * @param maxLr the peak learning rate of every group, finite and {@code > 0}
     * @param totalSteps the batches of the whole run, epochs times batches per epoch
     */
    public OneCycleLR(Optimizer optimizer, float maxLr, int totalSteps) {
        this(builder(optimizer, maxLr, totalSteps).validated());
    }

    private OneCycleLR(Builder checked) {
        this(checked, checked.initialLrs());
    }

    /**
     * @param optimizer an {@link Sgd} or {@link Adam} (unless {@link Builder#cycleMomentum} is off)
     * @param maxLr the peak learning rate of every group, finite and {@code > 0}
     * @param totalSteps the batches of the whole run, {@code >= 1}
     * @return a builder with fast.ai's defaults
     */
    public static Builder builder(Optimizer optimizer, float maxLr, int totalSteps) {
        float[] lrs = null;
        if (optimizer != null) {
            lrs = new float[optimizer.paramGroups().size()];
            java.util.Arrays.fill(lrs, maxLr);
        }
        return new Builder(optimizer, lrs, totalSteps);
    }

    /**
     * {@link #builder(Optimizer, float, int)} with a peak per param group (PyTorch's list
     * {@code max_lr}, fast.ai's discriminative learning rates).
     *
     * @param optimizer the optimiser
     * @param maxLrs one peak per param group, each finite and {@code > 0}
     * @param totalSteps the batches of the whole run, {@code >= 1}
     * @return a builder
     */
    public static Builder builder(Optimizer optimizer, float[] maxLrs, int totalSteps) {
        return new Builder(optimizer, maxLrs == null ? null : maxLrs.clone(), totalSteps);
    }

    @Override
    protected void apply(long step) {
        super.apply(step);
        if (cycleMomentum) {
            List<ParamGroup> groups = optimizer().paramGroups();
            float m = (float) momentumAt(step);
            for (int g = 0; g < groups.size(); g++) {
                ParamGroup group = groups.get(g);
                if (group.hasBetas()) {
                    group.betas(m, group.beta2);
                } else {
                    group.momentum(m);
                }
            }
        }
    }

    @Override
    public double lrAt(long step, int group) {
        int phase = phase(step);
        double p = pct(step, phase);
        double initial = initialLrs[group];
        double max = maxLrs[group];
        double min = minLrs[group];
        double lr = phase == 0 ? anneal(initial, max, p)
                : !threePhase ? anneal(max, min, p)
                : phase == 1 ? anneal(max, initial, p) : anneal(initial, min, p);
        // Step T extends the last phase one step; a linear one would go below zero there.
        return Math.max(lr, 0);
    }

    /**
     * The momentum (or beta1) of a step, in closed form.
     *
     * @param step the step count, 0 to the total
     * @return the momentum every group gets at that step (when momentum is cycled)
     */
    public double momentumAt(long step) {
        int phase = phase(step);
        double p = pct(step, phase);
        if (phase == 0) {
            return anneal(maxMomentum, baseMomentum, p);
        }
        if (phase == 1) {
            return anneal(baseMomentum, maxMomentum, p);
        }
        return anneal(maxMomentum, maxMomentum, p);
    }

    private int phase(long step) {
        if (step < 0) {
            throw new IllegalArgumentException("OneCycleLR.lrAt: step must be >= 0, got " + step);
        }
        if (step > totalSteps) {
            throw new IllegalStateException("OneCycleLR: tried to step " + step
                    + " times; the specified number of total steps is " + totalSteps
                    + " (as PyTorch, one step past the last batch is allowed, no more)");
        }
        for (int i = 0; i < phaseEnds.length - 1; i++) {
            if (step <= phaseEnds[i]) {
                return i;
            }
        }
        return phaseEnds.length - 1;
    }

    private double pct(long step, int phase) {
        double start = phase == 0 ? 0 : phaseEnds[phase - 1];
        return (step - start) / (phaseEnds[phase] - start);
    }

    private double anneal(double start, double end, double pct) {
        return anneal == Anneal.COS ? end + (start - end) / 2.0 * (Math.cos(Math.PI * pct) + 1)
                : (end - start) * pct + start;
    }

    /** @return the total steps */
    public int totalSteps() {
        return totalSteps;
    }

    /**
     * @param group a param group's index
     * @return its peak learning rate
     */
    public double maxLr(int group) {
        return maxLrs[group];
    }

    /**
     * @param group a param group's index
     * @return its final learning rate, {@code max_lr / (div_factor * final_div_factor)}
     */
    public double minLr(int group) {
        return minLrs[group];
    }

    /**
     * The options of {@link OneCycleLR}, defaulting to fast.ai's; {@link #build()} checks them all.
     */
    public static final class Builder {
        private final Optimizer optimizer;
        private final float[] maxLrs;
        private final int totalSteps;
        private double pctStart = 0.25;
        private double divFactor = 25;
        private double finalDivFactor = 1e5;
        private boolean cycleMomentum = true;
        private double baseMomentum = 0.85;
        private double maxMomentum = 0.95;
        private Anneal anneal = Anneal.COS;
        private boolean threePhase;

        private Builder(Optimizer optimizer, float[] maxLrs, int totalSteps) {
            this.optimizer = optimizer;
            this.maxLrs = maxLrs;
            this.totalSteps = totalSteps;
        }

        /**
         * @param pctStart the share of the steps spent warming up, in (0, 1); default 0.25 (PyTorch's is 0.3)
         * @return this builder
         */
        public Builder pctStart(double pctStart) {
            this.pctStart = pctStart;
            return this;
        }

        /**
         * @param divFactor {@code max_lr / initial_lr}, finite and {@code > 0}; default 25
         * @return this builder
         */
        public Builder divFactor(double divFactor) {
            this.divFactor = divFactor;
            return this;
        }

        /**
         * @param finalDivFactor {@code initial_lr / min_lr}, finite and {@code > 0}; default 1e5 (PyTorch's is 1e4)
         * @return this builder
         */
        public Builder finalDivFactor(double finalDivFactor) {
            this.finalDivFactor = finalDivFactor;
            return this;
        }

        /**
         * @param cycleMomentum whether to cycle SGD's momentum or Adam's beta1 inversely to the
         *     learning rate; default true
         * @return this builder
         */
        public Builder cycleMomentum(boolean cycleMomentum) {
            this.cycleMomentum = cycleMomentum;
            return this;
        }

        /**
         * @param baseMomentum the momentum at the peak learning rate, in [0, 1); default 0.85
         * @param maxMomentum the momentum at the ends, in [0, 1); default 0.95
         * @return this builder
         */
        public Builder momentum(double baseMomentum, double maxMomentum) {
            this.baseMomentum = baseMomentum;
            this.maxMomentum = maxMomentum;
            return this;
        }

        /**
         * @param anneal how the phases move; default {@link Anneal#COS}
         * @return this builder
         */
        public Builder anneal(Anneal anneal) {
            this.anneal = anneal;
            return this;
        }

        /**
         * @param threePhase PyTorch's {@code three_phase}: up, back down to {@code initial_lr},
         *     then to {@code min_lr}; default false
         * @return this builder
         */
        public Builder threePhase(boolean threePhase) {
            this.threePhase = threePhase;
            return this;
        }

        /**
         * @return the scheduler, which has applied step 0 to the optimiser
         * @throws IllegalArgumentException naming the first option out of range
         */
        public OneCycleLR build() {
            return new OneCycleLR(validated());
        }

        private float[] initialLrs() {
            float[] out = new float[maxLrs.length];
            for (int g = 0; g < out.length; g++) {
                out[g] = (float) (maxLrs[g] / divFactor);
            }
            return out;
        }

        private Builder validated() {
            String name = "OneCycleLR";
            if (optimizer == null) {
                throw new IllegalArgumentException(name + ": the optimizer must not be null");
            }
            int groups = optimizer.paramGroups().size();
            if (maxLrs == null || maxLrs.length != groups) {
                throw new IllegalArgumentException(name + ": expected " + groups + " max_lr values (one per param group), got "
                        + (maxLrs == null ? 0 : maxLrs.length));
            }
            for (int g = 0; g < groups; g++) {
                if (!(maxLrs[g] > 0f) || !Float.isFinite(maxLrs[g])) {
                    throw new IllegalArgumentException(name + ": max_lr must be finite and > 0, got " + maxLrs[g]
                            + (groups > 1 ? " for param group " + g : ""));
                }
            }
            if (totalSteps < 1) {
                throw new IllegalArgumentException(name + ": expected a positive total_steps, got " + totalSteps);
            }
            if (!(pctStart > 0 && pctStart < 1)) {
                throw new IllegalArgumentException(name + ": pct_start must be in (0, 1), got " + pctStart);
            }
            double e1 = pctStart * totalSteps - 1;
            double e2 = threePhase ? 2 * pctStart * totalSteps - 2 : totalSteps - 1;
            if (!(e1 > 0) || !(e2 > e1) || (threePhase && !(totalSteps - 1 > e2))) {
                throw new IllegalArgumentException(name + ": pct_start " + pctStart + " of " + totalSteps
                        + " total steps leaves a phase without steps (warm-up ends at step pct_start*total_steps-1 = "
                        + e1 + ", which must be > 0" + (threePhase ? ", and the second phase at " + e2
                        + ", which must lie between it and total_steps-1" : "") + "); give more steps or a larger pct_start");
            }
            if (!(divFactor > 0) || !Double.isFinite(divFactor)) {
                throw new IllegalArgumentException(name + ": div_factor must be finite and > 0, got " + divFactor);
            }
            if (!(finalDivFactor > 0) || !Double.isFinite(finalDivFactor)) {
                throw new IllegalArgumentException(name + ": final_div_factor must be finite and > 0, got " + finalDivFactor);
            }
            if (anneal == null) {
                throw new IllegalArgumentException(name + ": the anneal strategy must not be null");
            }
            if (cycleMomentum) {
                if (!(baseMomentum >= 0 && baseMomentum < 1) || !(maxMomentum >= 0 && maxMomentum < 1)) {
                    throw new IllegalArgumentException(name + ": base_momentum and max_momentum must be in [0, 1), got "
                            + baseMomentum + " and " + maxMomentum);
                }
                for (int g = 0; g < groups; g++) {
                    ParamGroup group = optimizer.paramGroups().get(g);
                    if (!group.hasBetas() && !group.hasMomentum()) {
                        throw new IllegalArgumentException(name + ": cycle_momentum needs an optimizer with momentum or"
                                + " beta1 (Sgd or Adam), but " + optimizer.getClass().getSimpleName()
                                + " has neither; build with cycleMomentum(false)");
                    }
                }
            }
            return this;
        }
    }
}
