package dev.vectorgrad.core.internal;

/** Elementwise operations of one float. */
public enum UnaryOp {
    NEG, ABS, EXP, LOG, SQRT, RELU,
    /** {@code tanh(x)}. */
    TANH,
    /** {@code 1 / (1 + exp(-x))}: 0 at -inf and 1 at +inf, never NaN for a number. */
    SIGMOID,
    /** {@code x * Phi(x)}, Phi the standard normal CDF: PyTorch's {@code gelu(approximate='none')}. */
    GELU,
    /**
     * PyTorch's {@code gelu(approximate='tanh')}, {@code 0.5 x (1 + tanh(u))} with
     * {@code u = sqrt(2/pi) (x + 0.044715 x^3)}, computed as the equal {@code x / (1 + exp(-2u))},
     * which does not lose the small values of a large negative x to cancellation.
     */
    GELU_TANH,
    /** {@code log(1 + x)}, accurate near 0. */
    LOG1P,
    /** {@code exp(x) - 1}, accurate near 0. */
    EXPM1;

    /** 1/sqrt(2). */
    static final float INV_SQRT2 = 0.70710678118654752f;
    /** 1/sqrt(2 pi), the normal density at 0. */
    static final float INV_SQRT_2PI = 0.39894228040143268f;
    /** sqrt(2/pi), the tanh approximation's scale. */
    static final float SQRT_2_OVER_PI = 0.79788456080286536f;
    /** The cubic coefficient of the tanh approximation. */
    static final float GELU_CUBIC = 0.044715f;

    /**
     * The most the Vector API kernel may differ from {@link #apply} in units in the last place:
     * 0 for the ops built from exact float arithmetic and for those that take {@code Math.exp}
     * lane by lane with the twin's operations (sigmoid, gelu, gelu-tanh; exp and log run the twin
     * itself), a few where the kernel builds log1p, expm1 and tanh from {@code Math.exp} and
     * {@code Math.log} (Kahan's and Goldberg's forms) rather than calling Math's own.
     */
    public int vectorUlps() {
        return switch (this) {
            case NEG, ABS, SQRT, RELU, SIGMOID, GELU, GELU_TANH, EXP, LOG -> 0;
            case LOG1P, EXPM1 -> 4;
            case TANH -> 6;
        };
    }

    /** The scalar definition every kernel must agree with (within {@link #vectorUlps()}). */
    public float apply(float x) {
        return switch (this) {
            case NEG -> -x;
            case ABS -> Math.abs(x);
            case EXP -> (float) Math.exp(x);
            case LOG -> (float) Math.log(x);
            case SQRT -> (float) Math.sqrt(x);
            // NaN stays NaN, as clamp_min(0) does in PyTorch.
            case RELU -> Math.max(x, 0f);
            case TANH -> (float) Math.tanh(x);
            case SIGMOID -> 1f / (1f + (float) Math.exp(-x));
            case GELU -> x * normalCdf(x);
            case GELU_TANH -> x / (1f + (float) Math.exp(-2f * (SQRT_2_OVER_PI * (x + GELU_CUBIC * (x * x * x)))));
            case LOG1P -> (float) Math.log1p(x);
            case EXPM1 -> (float) Math.expm1(x);
        };
    }

    /**
     * The standard normal CDF {@code Phi(x) = erfc(-x / sqrt 2) / 2} in float, from the
     * Chebyshev fit of {@code erfc} in Numerical Recipes ({@code erfcc}, relative error below
     * 1.2e-7 for every argument): Java has no {@code erf}. For x below 0 it is the small
     * {@code erfc} itself, so tiny probabilities keep their relative accuracy; above 0 it is
     * {@code 1 - erfc/2}. The vector kernel evaluates the same expression in the same order.
     *
     * <p>{@code exp(-z^2 + poly)}, with {@code z^2 = x^2 / 2}, is taken as
     * {@code exp(-xh^2 / 2) * exp((xh - |x|)(xh + |x|) / 2 + poly)}, xh being |x| cut to 12
     * significant bits so that {@code xh^2 / 2} is exact, as fdlibm's erfc splits its argument:
     * a rounded float exponent (or a rounded z) would carry a relative error of about z^2 ulps
     * into the result (tens of ulps for x near -10).
     */
    static float normalCdf(float x) {
        float ax = Math.abs(x);
        float z = ax * INV_SQRT2;
        float t = 1f / (1f + 0.5f * z);
        float xh = Float.intBitsToFloat(Float.floatToRawIntBits(ax) & SPLIT_MASK);
        float e = (float) Math.exp(-0.5f * (xh * xh)) * (float) Math.exp(0.5f * ((xh - ax) * (xh + ax)) + erfcPoly(t));
        float half = 0.5f * t * e;
        return x < 0f ? half : 1f - half;
    }

    /** Keeps a float's sign, exponent and 11 leading mantissa bits: its square is exact. */
    static final int SPLIT_MASK = 0xFFFFF000;

    /** The polynomial in t of {@code erfcc}'s exponent, beyond {@code -z^2}; Horner's order. */
    static float erfcPoly(float t) {
        return -1.26551223f + t * (1.00002368f + t * (0.37409196f + t * (0.09678418f + t * (-0.18628806f
                + t * (0.27886807f + t * (-1.13520398f + t * (1.48851587f + t * (-0.82215223f + t * 0.17087277f))))))));
    }
}
