package dev.vectorgrad.nn;

import dev.vectorgrad.autograd.Var;

/** {@code x > 0 ? x : negativeSlope x} as a layer, PyTorch's {@code nn.LeakyReLU}; no parameters. */
public final class LeakyReLU extends Layer {

    private final float negativeSlope;

    /** PyTorch's default slope, 0.01. */
    public LeakyReLU() {
        this(0.01f);
    }

    /**
     * @param negativeSlope the slope below 0, finite
     * @throws IllegalArgumentException if it is NaN or infinite
     */
    public LeakyReLU(float negativeSlope) {
        if (!Float.isFinite(negativeSlope)) {
            throw new IllegalArgumentException("LeakyReLU: negative_slope must be finite, got " + negativeSlope);
        }
        this.negativeSlope = negativeSlope;
    }

    /** @return the slope below 0 */
    public float negativeSlope() {
        return negativeSlope;
    }

    @Override
    public Var forward(Var input) {
        return input.leakyRelu(negativeSlope);
    }

    @Override
    protected String extraRepr() {
        return "negative_slope=" + PyRepr.of(negativeSlope);
    }
}
