package dev.vectorgrad.core.internal;

/** Elementwise operations of one float. */
public enum UnaryOp {
    NEG, ABS, EXP, LOG, SQRT, RELU;

    /** The scalar definition every kernel must agree with (within a few ulps for EXP and LOG). */
    public float apply(float x) {
        return switch (this) {
            case NEG -> -x;
            case ABS -> Math.abs(x);
            case EXP -> (float) Math.exp(x);
            case LOG -> (float) Math.log(x);
            case SQRT -> (float) Math.sqrt(x);
            // NaN stays NaN, as clamp_min(0) does in PyTorch.
            case RELU -> Math.max(x, 0f);
        };
    }
}
