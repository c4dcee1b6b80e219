package dev.vectorgrad.testkit;

import java.util.List;

/**
 * Float values that break kernels, which a {@link Values} mixes in only when asked: signed
 * zeros, subnormals, huge finite values, and the non-finite NaN and infinities.
 */
public enum Special {
    /** {@code 0.0f}. */
    ZERO(List.of(0f)),
    /** {@code -0.0f}: equal to 0 but not the same bits; {@code 1 / -0.0 = -inf}. */
    NEGATIVE_ZERO(List.of(-0f)),
    /** The smallest subnormal, a mid-range one and the largest, of either sign. */
    SUBNORMAL(List.of(Float.MIN_VALUE, -Float.MIN_VALUE, 0x1p-140f, -0x1p-140f,
            Math.nextDown(Float.MIN_NORMAL), -Math.nextDown(Float.MIN_NORMAL))),
    /** Finite values whose square or sum overflows: {@code +-1e30} and {@code +-Float.MAX_VALUE}. */
    LARGE(List.of(1e30f, -1e30f, Float.MAX_VALUE, -Float.MAX_VALUE)),
    /** {@code Float.NaN}. */
    NAN(List.of(Float.NaN)),
    /** {@code +inf} and {@code -inf}. */
    INFINITY(List.of(Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY));

    private final List<Float> examples;

    Special(List<Float> examples) {
        this.examples = examples;
    }

    /** @return the concrete floats of this kind that a generator draws from */
    public List<Float> examples() {
        return examples;
    }

    /**
     * Which kind a float is, if any.
     *
     * @param v a float
     * @return its kind, or null for an ordinary finite normal non-zero value below {@code 1e30}
     */
    public static Special of(float v) {
        if (Float.isNaN(v)) {
            return NAN;
        }
        if (Float.isInfinite(v)) {
            return INFINITY;
        }
        if (v == 0f) {
            return Float.floatToRawIntBits(v) == 0 ? ZERO : NEGATIVE_ZERO;
        }
        if (Math.abs(v) < Float.MIN_NORMAL) {
            return SUBNORMAL;
        }
        return Math.abs(v) >= 1e30f ? LARGE : null;
    }
}
