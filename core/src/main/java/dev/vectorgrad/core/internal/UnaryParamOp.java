package dev.vectorgrad.core.internal;

/** Elementwise operations of one float with two float parameters {@code a} and {@code b}. */
public enum UnaryParamOp {
    /** {@code x > 0 ? x : a * x}, PyTorch's {@code leaky_relu(x, negative_slope=a)}; {@code b} unused. */
    LEAKY_RELU,
    /**
     * {@code a x > b ? x : log1p(exp(a x)) / a}, PyTorch's {@code softplus(x, beta=a, threshold=b)}:
     * above the threshold the result is x itself (the difference is below float resolution).
     */
    SOFTPLUS;

    /** The most the Vector API kernel may differ from {@link #apply} in ulps (see {@link UnaryOp#vectorUlps()}; softplus measured 3). */
    public int vectorUlps() {
        return this == LEAKY_RELU ? 0 : 6;
    }

    /** The scalar definition every kernel must agree with (within {@link #vectorUlps()}). */
    public float apply(float x, float a, float b) {
        return switch (this) {
            case LEAKY_RELU -> x > 0f ? x : x * a;
            case SOFTPLUS -> {
                float ax = x * a;
                yield ax > b ? x : (float) Math.log1p((float) Math.exp(ax)) / a;
            }
        };
    }
}
