package dev.vectorgrad.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.vectorgrad.autograd.Var;
import dev.vectorgrad.core.Tensor;

/**
 * The base of autograd-backed layers, as PyTorch's {@code nn.Module}: a layer owns named
 * parameters and named child layers, and maps an input {@link Var} to an output {@code Var}
 * in {@link #forward}; gradients come from {@link Var#backward()}.
 *
 * <p>Named {@code Layer} rather than {@code Module} so it does not clash with the lesson's
 * hand-differentiated {@code dev.vectorgrad.nn.lesson.Module}, whose subclasses write their own
 * backward pass.
 *
 * <p>Subclasses register what they own in their constructor with {@link #registerParameter}
 * and {@link #registerChild}; registration order fixes the order of {@link #parameters()}, so
 * it is the same on every run (no reflection over fields).
 */
public abstract class Layer {

    private final Map<String, Var> params = new LinkedHashMap<>();
    private final Map<String, Layer> children = new LinkedHashMap<>();

    /** For subclasses. */
    protected Layer() {}

    /**
     * Computes this layer's output.
     *
     * @param input the input
     * @return the output
     */
    public abstract Var forward(Var input);

    /**
     * Calls {@link #forward}, as PyTorch's {@code module(x)}.
     *
     * @param input the input
     * @return the output
     */
    public final Var call(Var input) {
        return forward(input);
    }

    /**
     * Calls {@link #forward} on data that needs no gradient.
     *
     * @param input the input tensor, wrapped as a constant
     * @return the output
     */
    public final Var call(Tensor input) {
        return forward(Var.constant(input));
    }

    /**
     * Registers a trainable parameter: a leaf {@link Var#param} over {@code value}.
     *
     * @param name a name unique among this layer's parameters and children
     * @param value the tensor, not copied
     * @return the parameter
     */
    protected final Var registerParameter(String name, Tensor value) {
        checkName(name);
        Var p = Var.param(value);
        params.put(name, p);
        return p;
    }

    /**
     * Registers a child layer whose parameters become part of this layer's.
     *
     * @param name a name unique among this layer's parameters and children
     * @param child the child
     * @param <L> the child's type
     * @return the child
     */
    protected final <L extends Layer> L registerChild(String name, L child) {
        checkName(name);
        if (child == null) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": child '" + name + "' is null");
        }
        children.put(name, child);
        return child;
    }

    private void checkName(String name) {
        if (name == null || name.isEmpty() || name.contains(".")) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": parameter and child names must be"
                    + " non-empty and contain no '.', got '" + name + "'");
        }
        if (params.containsKey(name) || children.containsKey(name)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": the name '" + name
                    + "' is already registered");
        }
    }

    /**
     * All parameters of this layer and its descendants: this layer's own first, in
     * registration order, then each child's, depth first. A parameter shared by two layers is
     * listed once.
     *
     * @return the parameters, in a deterministic order
     */
    public final List<Var> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    /**
     * Parameters with dotted paths as PyTorch names them ({@code "0.weight"}, {@code "2.bias"}).
     *
     * @return an insertion-ordered map from path to parameter
     */
    public final Map<String, Var> namedParameters() {
        Map<String, Var> out = new LinkedHashMap<>();
        collect("", out, Collections.newSetFromMap(new IdentityHashMap<>()));
        return out;
    }

    private void collect(String prefix, Map<String, Var> out, Set<Var> seen) {
        for (Map.Entry<String, Var> e : params.entrySet()) {
            if (seen.add(e.getValue())) {
                out.put(prefix + e.getKey(), e.getValue());
            }
        }
        for (Map.Entry<String, Layer> e : children.entrySet()) {
            e.getValue().collect(prefix + e.getKey() + ".", out, seen);
        }
    }

    /** @return the direct children, in registration order */
    public final List<Layer> children() {
        return List.copyOf(children.values());
    }

    /** Zeroes the gradient of every parameter ({@link Var#zeroGrad()}), before the next backward. */
    public final void zeroGrad() {
        for (Var p : parameters()) {
            p.zeroGrad();
        }
    }
}
