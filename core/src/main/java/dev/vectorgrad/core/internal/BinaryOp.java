package dev.vectorgrad.core.internal;

/**
 * Elementwise operations of two floats. The comparisons return a 0/1 float mask, as
 * {@code (a > b).float()} does in PyTorch.
 */
public enum BinaryOp {
    ADD, SUB, MUL, DIV, MAX, MIN, POW,
    GT, GE, LT, LE, EQ, NE;

    /** The scalar definition every kernel must agree with. */
    public float apply(float a, float b) {
        return switch (this) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            // Math.max would turn max(NaN, 0) into NaN as we want, and treats -0.0 < 0.0;
            // the vector MAX agrees on both, so keep Math.max as the reference.
            case MAX -> Math.max(a, b);
            case MIN -> Math.min(a, b);
            case POW -> pow(a, b);
            case GT -> a > b ? 1f : 0f;
            case GE -> a >= b ? 1f : 0f;
            case LT -> a < b ? 1f : 0f;
            case LE -> a <= b ? 1f : 0f;
            case EQ -> a == b ? 1f : 0f;
            case NE -> a != b ? 1f : 0f;
        };
    }

    /** {@code a^b} with the cheap exact cases first: squares dominate losses. */
    static float pow(float a, float b) {
        if (b == 2f) {
            return a * a;
        }
        if (b == 1f) {
            return a;
        }
        return (float) Math.pow(a, b);
    }
}
