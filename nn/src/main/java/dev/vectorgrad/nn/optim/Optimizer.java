package dev.vectorgrad.nn.optim;

import dev.vectorgrad.core.Tensor;
import java.util.List;

/**
 * The common part of every optimiser: the parameters it owns, the learning rate, and
 * {@link #zeroGrad()}. Subclasses implement {@link #step()}.
 *
 * <p>As in PyTorch, a parameter whose gradient is null is skipped by {@code step()}.
 */
public abstract class Optimizer {

    private final List<Tensor> params;
    private float lr;

    /**
     * @param name the optimiser's name, for error messages
     * @param params the tensors to update; each must be writable (not an expanded view)
     * @param lr the learning rate, finite and positive
     */
    protected Optimizer(String name, List<Tensor> params, float lr) {
        if (params == null || params.isEmpty()) {
            throw new IllegalArgumentException(name + ": expected at least one parameter tensor, got none");
        }
        for (int i = 0; i < params.size(); i++) {
            if (params.get(i) == null) {
                throw new IllegalArgumentException(name + ": parameter " + i + " is null");
            }
        }
        this.params = List.copyOf(params);
        checkLr(name, lr);
        this.lr = lr;
    }

    private static void checkLr(String name, float lr) {
        if (!(lr > 0f) || !Float.isFinite(lr)) {
            throw new IllegalArgumentException(name + ": learning rate must be finite and > 0, got " + lr);
        }
    }

    /** Checks a hyper-parameter lies in {@code [lo, hi)}. */
    static float checkRange(String name, String what, float value, float lo, float hi) {
        if (!(value >= lo && value < hi)) {
            throw new IllegalArgumentException(name + ": " + what + " must be in [" + lo + ", " + hi + "), got " + value);
        }
        return value;
    }

    /**
     * Decoupled weight decay (as in AdamW, and PyTorch's SGD with it): {@code p *= 1 - lr·decay},
     * applied before the gradient step so that the decay never enters the momentum or moments.
     */
    static void decayWeights(Tensor p, float lr, float decay) {
        if (decay > 0f) {
            p.mulInPlace(1f - lr * decay);
        }
    }

    /** Updates every parameter that has a gradient, in place. */
    public abstract void step();

    /** Sets every parameter's gradient to zero in place (keeps the gradient tensors, so no allocation). */
    public void zeroGrad() {
        for (Tensor p : params) {
            Tensor g = p.grad();
            if (g != null) {
                g.zeroInPlace();
            }
        }
    }

    /** @return the parameters, in the order given */
    public List<Tensor> parameters() {
        return params;
    }

    /** @return the current learning rate */
    public float lr() {
        return lr;
    }

    /**
     * Changes the learning rate for the following steps (a schedule calls this between steps).
     *
     * @param lr the new learning rate, finite and positive
     */
    public void setLr(float lr) {
        checkLr(getClass().getSimpleName(), lr);
        this.lr = lr;
    }
}
