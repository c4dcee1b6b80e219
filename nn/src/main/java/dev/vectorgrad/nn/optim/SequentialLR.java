package dev.vectorgrad.nn.optim;

import java.util.List;

/**
 * Runs schedules one after another, switching at given steps, as
 * {@code torch.optim.lr_scheduler.SequentialLR(optimizer, schedulers, milestones)}: a warm-up
 * then a decay, say.
 *
 * <pre>{@code
 * LRScheduler warmup = new LinearLR(sgd, 0.1f, 1f, 100);
 * LRScheduler decay = new CosineAnnealingLR(sgd, 900);
 * LRScheduler schedule = new SequentialLR(sgd, List.of(warmup, decay), new int[] {100});
 * }</pre>
 *
 * <p>With milestones {@code m[0] < m[1] < ...}, schedule {@code i} is in charge from step
 * {@code m[i-1]} (schedule 0 from step 0) and sees its own count restarted there:
 *
 * <pre>
 * i     = number of milestones &lt;= t           (bisect_right)
 * lr(t) = schedulers[i].lr(t - m[i-1])        (t itself for i = 0)
 * </pre>
 *
 * As in PyTorch, building it resets every group's learning rate to its {@code initial_lr}
 * (undoing the step 0 the schedules applied when they were built) and applies schedule 0's step
 * 0. All schedules share the optimiser's base learning rates. Step only this scheduler, not the
 * schedules inside it.
 */
public final class SequentialLR extends LRScheduler {

    private final LRScheduler[] schedulers;
    private final int[] milestones;

    /**
     * @param optimizer the optimiser every schedule drives
     * @param schedulers the schedules, at least one, all on {@code optimizer}
     * @param milestones the steps at which the next schedule takes over: one fewer than the
     *     schedules, each {@code >= 1}, strictly increasing
     */
    public SequentialLR(Optimizer optimizer, List<? extends LRScheduler> schedulers, int... milestones) {
        super(optimizer);
        if (schedulers == null || schedulers.isEmpty()) {
            throw new IllegalArgumentException("SequentialLR: expects at least one scheduler, got none");
        }
        if (milestones == null || milestones.length != schedulers.size() - 1) {
            throw new IllegalArgumentException("SequentialLR: expects one milestone fewer than schedulers, got "
                    + schedulers.size() + " schedulers and " + (milestones == null ? 0 : milestones.length)
                    + " milestones");
        }
        for (int i = 0; i < schedulers.size(); i++) {
            LRScheduler s = schedulers.get(i);
            if (s == null) {
                throw new IllegalArgumentException("SequentialLR: scheduler " + i + " is null");
            }
            if (s.optimizer() != optimizer) {
                throw new IllegalArgumentException("SequentialLR: expects all schedulers to belong to the same optimizer,"
                        + " but scheduler " + i + " (" + s.getClass().getSimpleName() + ") has a different one");
            }
        }
        for (int i = 0; i < milestones.length; i++) {
            if (milestones[i] < 1 || (i > 0 && milestones[i] <= milestones[i - 1])) {
                throw new IllegalArgumentException("SequentialLR: milestones must be >= 1 and strictly increasing, got "
                        + java.util.Arrays.toString(milestones));
            }
        }
        this.schedulers = schedulers.toArray(new LRScheduler[0]);
        this.milestones = milestones.clone();
        List<ParamGroup> groups = optimizer.paramGroups();
        for (int g = 0; g < groups.size(); g++) {
            groups.get(g).lr = baseLr(g);
        }
        start();
    }

    private int active(long step) {
        int i = 0;
        while (i < milestones.length && milestones[i] <= step) {
            i++;
        }
        return i;
    }

    private long local(long step, int i) {
        return i == 0 ? step : step - milestones[i - 1];
    }

    @Override
    protected void apply(long step) {
        int i = active(step);
        schedulers[i].jumpTo(local(step, i));
        super.apply(step);
    }

    @Override
    public double lrAt(long step, int group) {
        checkStep("SequentialLR", step);
        int i = active(step);
        return schedulers[i].lrAt(local(step, i), group);
    }

    /** @return the schedules, in order */
    public List<LRScheduler> schedulers() {
        return List.of(schedulers);
    }

    /** @return the milestones (a copy) */
    public int[] milestones() {
        return milestones.clone();
    }
}
