package dev.vectorgrad.core.internal;

/**
 * The backward rules of the smooth activations: {@code apply(g, s, a, b)} is the gradient of the
 * op's input given the gradient {@code g} of its output, where {@code s} is the op's output
 * (when the derivative is cheapest from it) or its input, as each constant says, and a, b are the
 * op's parameters ({@link UnaryParamOp}).
 */
public enum UnaryGradOp {
    /** {@code g (1 - y^2)}, s the output y. */
    TANH,
    /** {@code g (1 - y) y}, s the output y. */
    SIGMOID,
    /** {@code g (Phi(x) + x phi(x))}, s the input x. */
    GELU,
    /** The derivative of {@code x sigma(2u)}, {@code sigma + 2 x sigma (1 - sigma) u'}, s the input x. */
    GELU_TANH,
    /** {@code x > 0 ? g : a g}, s the input x, as PyTorch's leaky_relu_backward. */
    LEAKY_RELU,
    /** {@code a x > b ? g : g sigma(a x)}, s the input x. */
    SOFTPLUS,
    /** {@code g / (1 + x)}, s the input x. */
    LOG1P,
    /** {@code g (y + 1)}, s the output y. */
    EXPM1,
    /**
     * {@code (x >= a ? 1 : 0) g}, s the input x and a the bound of clamp_min: a product with the
     * 0/1 mask, not a select, so a masked infinite or NaN g gives NaN and a masked negative g -0.
     */
    CLAMP_MIN;

    /** Whether {@code s} is the op's output (else it is the op's input). */
    public boolean fromOutput() {
        return this == TANH || this == SIGMOID || this == EXPM1;
    }

    /**
     * The most the Vector API kernel may differ from {@link #apply}, in ulps: 0 for every rule,
     * since each kernel performs the twin's float operations in its order and takes its
     * exponentials from {@code Math.exp} as the twin does (no fused multiply-add).
     */
    public int vectorUlps() {
        return 0;
    }

    /** The scalar definition every kernel must agree with (within {@link #vectorUlps()}). */
    public float apply(float g, float s, float a, float b) {
        return switch (this) {
            case TANH -> g * (1f - s * s);
            case SIGMOID -> g * ((1f - s) * s);
            case GELU -> g * (UnaryOp.normalCdf(s)
                    + s * (UnaryOp.INV_SQRT_2PI * (float) Math.exp(-0.5f * (s * s))));
            case GELU_TANH -> {
                float x2 = s * s;
                float u = UnaryOp.SQRT_2_OVER_PI * (s + UnaryOp.GELU_CUBIC * (x2 * s));
                float sig = 1f / (1f + (float) Math.exp(-2f * u));
                float du = UnaryOp.SQRT_2_OVER_PI * (1f + 3f * UnaryOp.GELU_CUBIC * x2);
                yield g * (sig + s * (sig * (1f - sig)) * (2f * du));
            }
            case LEAKY_RELU -> s > 0f ? g : g * a;
            case SOFTPLUS -> {
                float as = s * a;
                yield as > b ? g : g * (1f / (1f + (float) Math.exp(-as)));
            }
            case LOG1P -> g / (1f + s);
            case EXPM1 -> g * (s + 1f);
            case CLAMP_MIN -> (s >= a ? 1f : 0f) * g;
        };
    }
}
