package dev.vectorgrad.nn;

import dev.vectorgrad.autograd.Var;

/**
 * {@code log(1 + exp(beta x)) / beta} as a layer, PyTorch's {@code nn.Softplus}: x itself where
 * {@code beta x > threshold}; no parameters.
 */
public final class Softplus extends Layer {

    private final float beta;
    private final float threshold;

    /** PyTorch's defaults, beta 1 and threshold 20. */
    public Softplus() {
        this(1f, 20f);
    }

    /**
     * @param beta the sharpness, finite and not 0
     * @param threshold where the layer switches to x
     * @throws IllegalArgumentException for a beta of 0, an infinite beta or a NaN threshold
     */
    public Softplus(float beta, float threshold) {
        if (beta == 0f || !Float.isFinite(beta) || Float.isNaN(threshold)) {
            throw new IllegalArgumentException("Softplus: beta must be finite and not 0 and threshold a number, got beta="
                    + beta + ", threshold=" + threshold);
        }
        this.beta = beta;
        this.threshold = threshold;
    }

    @Override
    public Var forward(Var input) {
        return input.softplus(beta, threshold);
    }

    @Override
    protected String extraRepr() {
        return "beta=" + PyRepr.of(beta) + ", threshold=" + PyRepr.of(threshold);
    }
}
