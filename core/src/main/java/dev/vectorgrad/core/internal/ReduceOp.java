package dev.vectorgrad.core.internal;

/** Reductions that fold a run of floats into one. */
public enum ReduceOp {
    SUM(0f), MAX(Float.NEGATIVE_INFINITY), MIN(Float.POSITIVE_INFINITY);

    private final float identity;

    ReduceOp(float identity) {
        this.identity = identity;
    }

    /** The value of the reduction over no elements. */
    public float identity() {
        return identity;
    }

    /** Folds one more element into an accumulator. */
    public float combine(float acc, float x) {
        return switch (this) {
            case SUM -> acc + x;
            case MAX -> Math.max(acc, x);
            case MIN -> Math.min(acc, x);
        };
    }

    /** The elementwise operation that merges two partial results. */
    public BinaryOp asBinary() {
        return switch (this) {
            case SUM -> BinaryOp.ADD;
            case MAX -> BinaryOp.MAX;
            case MIN -> BinaryOp.MIN;
        };
    }
}
