package dev.vectorgrad.nn.optim;

import dev.vectorgrad.autograd.Var;
import dev.vectorgrad.core.Tensor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The common part of every optimiser: the parameters it owns, the learning rate, and
 * {@link #zeroGrad()}. Subclasses implement {@link #step()}.
 *
 * <p>As in PyTorch, a parameter whose gradient is null is skipped by {@code step()}, and its
 * state (momentum buffer, Adam's moments and step count) is left as it was.
 *
 * <p><b>Weight decay comes in two kinds</b>, and both optimisers offer both, so that a
 * PyTorch recipe ports unchanged:
 * <ul>
 *   <li>{@code weightDecay} is what PyTorch's {@code SGD} and {@code Adam} call
 *       {@code weight_decay}: an L2 penalty added to the gradient, {@code g += weightDecay*p},
 *       which then flows through the momentum buffer or Adam's moments. PyTorch's SGD does
 *       <em>not</em> decouple its weight decay.</li>
 *   <li>{@code decoupledWeightDecay} is what PyTorch's {@code AdamW} calls
 *       {@code weight_decay}: {@code p *= 1 - lr*decoupledWeightDecay} before the gradient
 *       step, outside every buffer (Loshchilov and Hutter's decoupled weight decay).</li>
 * </ul>
 *
 * <p>Parameters come as the tensors themselves or as the {@link Var}s of
 * {@code Layer.parameters()} (their {@link Var#value()}s, see {@link #values}). Each update is
 * one fused pass of {@link dev.vectorgrad.core.Updates} over the parameter, its gradient and
 * the optimiser's state, so a step on contiguous parameters allocates nothing.
 */
public abstract class Optimizer {

    private final List<Tensor> params;
    private float lr;

    /**
     * @param name the optimiser's name, for error messages
     * @param params the tensors to update, each once; each must be writable (not an expanded view)
     * @param lr the learning rate, finite and positive
     */
    protected Optimizer(String name, List<Tensor> params, float lr) {
        if (params == null || params.isEmpty()) {
            throw new IllegalArgumentException(name + ": expected at least one parameter tensor, got none");
        }
        Map<Tensor, Integer> seen = new IdentityHashMap<>();
        for (int i = 0; i < params.size(); i++) {
            Tensor p = params.get(i);
            if (p == null) {
                throw new IllegalArgumentException(name + ": parameter " + i + " is null");
            }
            Integer first = seen.putIfAbsent(p, i);
            if (first != null) {
                throw new IllegalArgumentException(name + ": parameters " + first + " and " + i
                        + " are the same tensor; each would be updated twice per step");
            }
            int[] shape = p.shape();
            int[] strides = p.strides();
            for (int d = 0; d < shape.length; d++) {
                if (strides[d] == 0 && shape[d] > 1) {
                    throw new IllegalArgumentException(name + ": parameter " + i + " is an expanded view of shape "
                            + java.util.Arrays.toString(shape) + " (dim " + d + " repeats one element);"
                            + " an optimiser cannot update it in place");
                }
            }
        }
        this.params = List.copyOf(params);
        checkLr(name, lr);
        this.lr = lr;
    }

    /**
     * The tensors of autograd parameters, as {@code Layer.parameters()} returns them, in order.
     *
     * @param vars the parameters
     * @return their {@link Var#value()}s (the tensors autograd accumulates gradients beside)
     * @throws IllegalArgumentException if {@code vars} or one of its elements is null
     */
    public static List<Tensor> values(Collection<Var> vars) {
        if (vars == null) {
            throw new IllegalArgumentException("Optimizer.values: the parameter list is null");
        }
        List<Tensor> out = new ArrayList<>(vars.size());
        int i = 0;
        for (Var v : vars) {
            if (v == null) {
                throw new IllegalArgumentException("Optimizer.values: parameter " + i + " is null");
            }
            out.add(v.value());
            i++;
        }
        return out;
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

    /** Checks a weight-decay coefficient is finite and {@code >= 0}. */
    static float checkDecay(String name, String what, float value) {
        if (!(value >= 0f) || !Float.isFinite(value)) {
            throw new IllegalArgumentException(name + ": " + what + " must be finite and >= 0, got " + value);
        }
        return value;
    }

    /** Updates every parameter that has a gradient, in place. */
    public abstract void step();

    /** Sets every parameter's gradient to zero in place (keeps the gradient tensors, so no allocation). */
    public void zeroGrad() {
        // An index, not an iterator: the iterator object escapes unless the caller inlines this.
        for (int i = 0; i < params.size(); i++) {
            Tensor g = params.get(i).grad();
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
     * The decoupled decay uses the current rate, as in PyTorch ({@code p *= 1 - lr*decay}).
     *
     * @param lr the new learning rate, finite and positive
     */
    public void setLr(float lr) {
        checkLr(getClass().getSimpleName(), lr);
        this.lr = lr;
    }
}
