package dev.vectorgrad.nn.optim;

import java.util.List;

/**
 * The common part of every learning-rate schedule, as {@code torch.optim.lr_scheduler.LRScheduler}:
 * it owns a step count, computes each param group's learning rate from that count and the
 * group's base learning rate, and writes it into the optimiser's {@link ParamGroup}s.
 *
 * <p>As in PyTorch:
 * <ul>
 *   <li>The base learning rates are the groups' {@code initial_lr}: the first scheduler built on
 *       an optimiser records each group's current learning rate there
 *       ({@link ParamGroup#initialLr()}), and later schedulers on the same optimiser start from
 *       the same values (what {@link SequentialLR} relies on).</li>
 *   <li>Building a scheduler already applies step 0 (PyTorch's {@code _initial_step}): the
 *       optimiser's first step runs at the schedule's first learning rate, e.g. {@code lr/25}
 *       for {@link OneCycleLR}.</li>
 *   <li>{@link #step()} advances the count by one and applies it; call it after
 *       {@link Optimizer#step()}, once per batch or once per epoch as the schedule was sized.
 *       {@link #stepCount()} is PyTorch's {@code last_epoch}, {@link #lastLr()} its
 *       {@code get_last_lr()}.</li>
 * </ul>
 *
 * <p>Every schedule here is computed in closed form from the step count in double and rounded
 * once to the group's float, so there is no drift over a long run. (PyTorch's {@code step()} uses
 * recursive "chainable" forms for some of them, equal in exact arithmetic.) A step allocates
 * nothing.
 *
 * <p>A subclass implements {@link #lrAt(long, int)} and ends its constructor with
 * {@link #start()}.
 */
public abstract class LRScheduler {

    private final Optimizer optimizer;
    private final List<ParamGroup> groups;
    private final float[] baseLrs;
    private final float[] lastLr;
    private long stepCount;
    private boolean started;

    /**
     * Records the base learning rates: each group's {@code initial_lr}, set from its current
     * learning rate if no scheduler has set it yet.
     *
     * @param optimizer the optimiser whose groups this schedules
     */
    protected LRScheduler(Optimizer optimizer) {
        this(optimizer, null);
    }

    /**
     * Sets each group's {@code initial_lr} to {@code initialLrs} and takes those as the base
     * learning rates (as {@link OneCycleLR} does with {@code max_lr/div_factor}).
     *
     * @param optimizer the optimiser whose groups this schedules
     * @param initialLrs one per param group, finite and {@code >= 0}; null to keep the groups' own
     */
    protected LRScheduler(Optimizer optimizer, float[] initialLrs) {
        if (optimizer == null) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": the optimizer must not be null");
        }
        this.optimizer = optimizer;
        this.groups = optimizer.paramGroups();
        int n = groups.size();
        if (initialLrs != null && initialLrs.length != n) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": expected " + n
                    + " initial learning rates (one per param group), got " + initialLrs.length);
        }
        baseLrs = new float[n];
        lastLr = new float[n];
        for (int g = 0; g < n; g++) {
            ParamGroup group = groups.get(g);
            if (initialLrs != null) {
                group.initialLr = Optimizer.checkLr(getClass().getSimpleName() + " initial_lr of param group " + g,
                        initialLrs[g]);
            }
            baseLrs[g] = group.initialLrOrSet();
            lastLr[g] = group.lr;
        }
    }

    /** Applies step 0, PyTorch's {@code _initial_step}; a subclass's constructor ends with it. */
    protected final void start() {
        apply(0);
        stepCount = 0;
        started = true;
    }

    /**
     * Advances the schedule by one step and writes the new learning rates (and whatever else
     * the schedule drives) into the optimiser's groups.
     *
     * @throws IllegalStateException if the schedule has no such step ({@link OneCycleLR} past
     *     its total); the count and the groups are then left as they were
     */
    public final void step() {
        if (!started) {
            throw new IllegalStateException(getClass().getSimpleName() + ": its constructor did not call start()");
        }
        long next = stepCount + 1;
        apply(next);
        stepCount = next;
    }

    /** Moves to a given step, as {@link SequentialLR} moves the schedule it hands over to. */
    final void jumpTo(long step) {
        apply(step);
        stepCount = step;
    }

    /**
     * Writes step {@code step} into the groups; overriders (for momentum) call this first.
     *
     * @param step the step count to apply
     */
    protected void apply(long step) {
        for (int g = 0; g < groups.size(); g++) {
            double lr = lrAt(step, g);
            if (!(lr >= 0) || !Double.isFinite(lr)) {
                throw new IllegalStateException(getClass().getSimpleName() + ": step " + step + " gives param group "
                        + g + " the learning rate " + lr + "; expected finite and >= 0");
            }
            float f = (float) lr;
            groups.get(g).lr = f;
            lastLr[g] = f;
        }
    }

    /**
     * The schedule in closed form: the learning rate of one param group at a step, without
     * changing anything (handy to plot a schedule before training).
     *
     * @param step the step count, {@code >= 0} (0 is the value set at construction)
     * @param group the param group's index
     * @return the learning rate
     */
    public abstract double lrAt(long step, int group);

    /** @return the step count: 0 after construction, one more per {@link #step()} (PyTorch's {@code last_epoch}) */
    public long stepCount() {
        return stepCount;
    }

    /** @return the learning rates last written, one per param group (PyTorch's {@code get_last_lr()}); a copy */
    public float[] lastLr() {
        return lastLr.clone();
    }

    /**
     * @param group a param group's index
     * @return the learning rate last written to that group
     */
    public float lastLr(int group) {
        return lastLr[checkGroup(group)];
    }

    /**
     * @param group a param group's index
     * @return the base learning rate of that group (its {@code initial_lr}), which the schedule scales
     */
    public float baseLr(int group) {
        return baseLrs[checkGroup(group)];
    }

    /** @return the number of param groups scheduled */
    public int groupCount() {
        return baseLrs.length;
    }

    /** @return the optimiser */
    public Optimizer optimizer() {
        return optimizer;
    }

    private int checkGroup(int group) {
        if (group < 0 || group >= baseLrs.length) {
            throw new IndexOutOfBoundsException(getClass().getSimpleName() + ": param group " + group
                    + " out of range for " + baseLrs.length + " groups");
        }
        return group;
    }

    /** Checks a step count for {@link #lrAt}. */
    static void checkStep(String name, long step) {
        if (step < 0) {
            throw new IllegalArgumentException(name + ".lrAt: step must be >= 0, got " + step);
        }
    }
}
