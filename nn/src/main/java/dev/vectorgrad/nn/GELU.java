package dev.vectorgrad.nn;

import dev.vectorgrad.autograd.Var;

/**
 * The Gaussian error linear unit {@code x Phi(x)} as a layer, PyTorch's {@code nn.GELU}; no
 * parameters. {@code approximate="tanh"} selects the tanh approximation, as in PyTorch.
 */
public final class GELU extends Layer {

    private final String approximate;

    /** The exact form, PyTorch's default {@code approximate='none'}. */
    public GELU() {
        this("none");
    }

    /**
     * @param approximate "none" (exact, via erf) or "tanh"
     * @throws IllegalArgumentException for any other value
     */
    public GELU(String approximate) {
        if (!"none".equals(approximate) && !"tanh".equals(approximate)) {
            throw new IllegalArgumentException("GELU: approximate must be 'none' or 'tanh', got "
                    + (approximate == null ? "null" : "'" + approximate + "'"));
        }
        this.approximate = approximate;
    }

    /** @return "none" or "tanh" */
    public String approximate() {
        return approximate;
    }

    @Override
    public Var forward(Var input) {
        return input.gelu(approximate);
    }

    @Override
    protected String extraRepr() {
        return "approximate='" + approximate + "'";
    }
}
