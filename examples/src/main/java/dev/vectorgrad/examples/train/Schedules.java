package dev.vectorgrad.examples.train;

import dev.vectorgrad.nn.optim.CosineAnnealingLR;
import dev.vectorgrad.nn.optim.LRScheduler;
import dev.vectorgrad.nn.optim.OneCycleLR;
import dev.vectorgrad.nn.optim.Optimizer;

/** The learning-rate schedules {@code train --schedule} names, each one of the library's schedulers. */
final class Schedules {

    private Schedules() {}

    /** A {@code --schedule} value. */
    enum Kind {
        /** {@code CosineAnnealingLR} over every step of the run, down to {@code lr * 1e-4}. */
        COSINE("cosine decay"),
        /** {@code OneCycleLR} with fast.ai's defaults, peaking at {@code lr}. */
        ONE_CYCLE("one-cycle"),
        /** No scheduler. */
        CONSTANT("constant");

        private final String description;

        Kind(String description) {
            this.description = description;
        }

        /** @return how the model line names it */
        String description() {
            return description;
        }

        /**
         * @param option a value {@code Parsed.choice} accepted
         * @return its kind
         */
        static Kind of(String option) {
            return switch (option) {
                case "cosine" -> COSINE;
                case "one-cycle" -> ONE_CYCLE;
                default -> CONSTANT;
            };
        }
    }

    /**
     * @param kind the schedule
     * @param optimizer the optimiser whose learning rate it sets (and, for one-cycle, its momentum or beta1)
     * @param lr the rate asked for: the start of a cosine decay, the peak of a cycle
     * @param totalSteps the steps of the whole run, at least 1
     * @return the scheduler to step after each training step, or null for a constant rate
     */
    static LRScheduler create(Kind kind, Optimizer optimizer, float lr, long totalSteps) {
        int steps = (int) Math.min(Integer.MAX_VALUE, Math.max(1, totalSteps));
        return switch (kind) {
            // Floored at lr * 1e-4, so the rate stays positive to the last step.
            case COSINE -> new CosineAnnealingLR(optimizer, steps, lr * 1e-4f);
            case ONE_CYCLE -> OneCycleLR.builder(optimizer, lr, steps).build();
            case CONSTANT -> null;
        };
    }
}
