package dev.vectorgrad.nn;

import dev.vectorgrad.autograd.Var;
import dev.vectorgrad.core.Rng;

/**
 * Inverted dropout as a layer, PyTorch's {@code nn.Dropout(p)}: in training mode each element
 * is zeroed with probability p and the rest scaled by {@code 1 / (1 - p)} (see
 * {@link Var#dropout}); in {@link #eval()} mode the layer is the identity. Masks come from the
 * layer's own seeded {@link Rng}, so the same seed gives the same masks; a {@link TrainStep}
 * replay draws each step's mask from that generator too, so captured and eager training with
 * equal seeds see equal masks. No parameters.
 */
public final class Dropout extends Layer {

    private final float p;
    private final Rng rng;

    /**
     * PyTorch's default probability, 0.5.
     *
     * @param rng where the masks come from
     */
    public Dropout(Rng rng) {
        this(0.5f, rng);
    }

    /**
     * @param p the probability of zeroing an element, in [0, 1] (1 zeroes everything)
     * @param rng where the masks come from
     * @throws IllegalArgumentException if p is outside [0, 1] or rng is null
     */
    public Dropout(float p, Rng rng) {
        if (!(p >= 0f && p <= 1f)) {
            throw new IllegalArgumentException("Dropout: dropout probability has to be between 0 and 1, but got " + p);
        }
        if (rng == null) {
            throw new IllegalArgumentException("Dropout(p=" + p + "): rng must not be null (the masks are drawn from it)");
        }
        this.p = p;
        this.rng = rng;
    }

    /** @return the probability of zeroing */
    public float p() {
        return p;
    }

    @Override
    public Var forward(Var input) {
        if (!isTraining() || p == 0f) {
            return input;
        }
        return input.dropout(p, rng);
    }

    @Override
    protected String extraRepr() {
        return "p=" + PyRepr.of(p) + ", inplace=False";
    }
}
