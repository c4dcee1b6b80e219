package dev.vectorgrad.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import dev.vectorgrad.autograd.Var;
import dev.vectorgrad.core.Tensor;

/**
 * The base of autograd-backed layers, as PyTorch's {@code nn.Module}: a layer owns named
 * parameters, named buffers and named child layers, and maps an input {@link Var} to an output
 * {@code Var} in {@link #forward}; gradients come from {@link Var#backward()}.
 *
 * <p>Named {@code Layer} rather than {@code Module} so it does not clash with the lesson's
 * hand-differentiated {@code dev.vectorgrad.nn.lesson.Module}, whose subclasses write their own
 * backward pass.
 *
 * <p>Subclasses register what they own in their constructor with {@link #registerParameter},
 * {@link #registerBuffer} and {@link #registerChild}; registration order fixes the order of
 * {@link #parameters()} and of {@link #stateDict()}, so it is the same on every run (no
 * reflection over fields).
 *
 * <p>What PyTorch users reach for is here under the same meaning: {@link #stateDict()} and
 * {@link #loadStateDict(Map, boolean)} with PyTorch's key names and order (a {@link Sequential}
 * saved with {@code SafeTensors.save(file, model.stateDict())} loads into the same
 * {@code torch.nn.Sequential} with {@code load_state_dict}), {@link #train()} / {@link #eval()},
 * {@link #parameterCount()}, and a {@link #toString()} that prints the module tree as PyTorch
 * does, with {@link #summary()} adding every parameter's shape.
 */
public abstract class Layer {

    private final Map<String, Var> params = new LinkedHashMap<>();
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();
    private final Set<String> nonPersistent = new HashSet<>();
    private final Map<String, Layer> children = new LinkedHashMap<>();
    private boolean training = true;

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

    // ------------------------------------------------------------------ registration

    /**
     * Registers a trainable parameter: a leaf {@link Var#param} over {@code value}.
     *
     * @param name a name unique among this layer's parameters, buffers and children
     * @param value the tensor, not copied
     * @return the parameter
     */
    protected final Var registerParameter(String name, Tensor value) {
        checkName(name);
        if (value == null) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": parameter '" + name + "' is null");
        }
        Var p = Var.param(value);
        params.put(name, p);
        return p;
    }

    /**
     * Registers a persistent buffer, as PyTorch's {@code register_buffer(name, tensor)}: state that
     * is not trained (a running mean, a fixed mask) but is saved in {@link #stateDict()} and
     * restored by {@link #loadStateDict}.
     *
     * @param name a name unique among this layer's parameters, buffers and children
     * @param value the tensor, not copied; the layer keeps using this very tensor, and
     *     {@link #loadStateDict} copies into it
     * @return {@code value}
     */
    protected final Tensor registerBuffer(String name, Tensor value) {
        return registerBuffer(name, value, true);
    }

    /**
     * Registers a buffer, as PyTorch's {@code register_buffer(name, tensor, persistent)}.
     *
     * @param name a name unique among this layer's parameters, buffers and children
     * @param value the tensor, not copied
     * @param persistent whether it belongs in {@link #stateDict()}; a non-persistent buffer (a
     *     cache that can be recomputed) is listed by {@link #namedBuffers()} but neither saved
     *     nor loaded
     * @return {@code value}
     */
    protected final Tensor registerBuffer(String name, Tensor value, boolean persistent) {
        checkName(name);
        if (value == null) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": buffer '" + name + "' is null");
        }
        buffers.put(name, value);
        if (!persistent) {
            nonPersistent.add(name);
        }
        return value;
    }

    /**
     * Registers a child layer whose parameters and buffers become part of this layer's.
     *
     * @param name a name unique among this layer's parameters, buffers and children
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
            throw new IllegalArgumentException(getClass().getSimpleName() + ": parameter, buffer and child names"
                    + " must be non-empty and contain no '.', got '" + name + "'");
        }
        if (params.containsKey(name) || buffers.containsKey(name) || children.containsKey(name)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": the name '" + name
                    + "' is already registered");
        }
    }

    // ------------------------------------------------------------------ traversal

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
     * A parameter shared by two layers is listed once, under the first path that reaches it, as
     * PyTorch's {@code named_parameters()}.
     *
     * @return an insertion-ordered map from path to parameter
     */
    public final Map<String, Var> namedParameters() {
        Map<String, Var> out = new LinkedHashMap<>();
        Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Map.Entry<String, Layer> m : namedModules().entrySet()) {
            String prefix = m.getKey().isEmpty() ? "" : m.getKey() + ".";
            for (Map.Entry<String, Var> e : m.getValue().params.entrySet()) {
                if (seen.add(e.getValue())) {
                    out.put(prefix + e.getKey(), e.getValue());
                }
            }
        }
        return out;
    }

    /** @return the buffers of this layer and its descendants, persistent or not, each once */
    public final List<Tensor> buffers() {
        return new ArrayList<>(namedBuffers().values());
    }

    /**
     * Buffers (persistent or not) with dotted paths, in the order of {@link #namedParameters()}:
     * this layer's own in registration order, then each child's, depth first; a buffer shared by
     * two layers is listed once.
     *
     * @return an insertion-ordered map from path to buffer
     */
    public final Map<String, Tensor> namedBuffers() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Map.Entry<String, Layer> m : namedModules().entrySet()) {
            String prefix = m.getKey().isEmpty() ? "" : m.getKey() + ".";
            for (Map.Entry<String, Tensor> e : m.getValue().buffers.entrySet()) {
                if (seen.add(e.getValue())) {
                    out.put(prefix + e.getKey(), e.getValue());
                }
            }
        }
        return out;
    }

    /** @return the direct children, in registration order */
    public final List<Layer> children() {
        return List.copyOf(children.values());
    }

    /** @return the direct children by name, in registration order (unmodifiable) */
    public final Map<String, Layer> namedChildren() {
        return Collections.unmodifiableMap(children);
    }

    /**
     * This layer and all its descendants, as PyTorch's {@code named_modules()}: this layer first
     * under the empty name, then each child depth first under its dotted path ({@code "2.0"}). A
     * layer reachable along two paths is listed once, under the first.
     *
     * @return an insertion-ordered map from path to layer
     */
    public final Map<String, Layer> namedModules() {
        Map<String, Layer> out = new LinkedHashMap<>();
        collectModules("", out, Collections.newSetFromMap(new IdentityHashMap<>()));
        return out;
    }

    private void collectModules(String path, Map<String, Layer> out, Set<Layer> seen) {
        if (!seen.add(this)) {
            return;
        }
        out.put(path, this);
        for (Map.Entry<String, Layer> e : children.entrySet()) {
            e.getValue().collectModules(path.isEmpty() ? e.getKey() : path + "." + e.getKey(), out, seen);
        }
    }

    /**
     * The number of scalars in all parameters ({@code sum(p.numel() for p in model.parameters())});
     * a parameter shared by two layers counts once.
     *
     * @return the parameter count
     */
    public final long parameterCount() {
        long n = 0;
        for (Var p : parameters()) {
            n += p.numel();
        }
        return n;
    }

    /** Zeroes the gradient of every parameter ({@link Var#zeroGrad()}), before the next backward. */
    public final void zeroGrad() {
        for (Var p : parameters()) {
            p.zeroGrad();
        }
    }

    // ------------------------------------------------------------------ train / eval

    /**
     * Sets training mode on this layer and every descendant, as PyTorch's {@code train(mode)}.
     * Layers whose forward differs between training and evaluation (dropout, batch norm) read
     * {@link #isTraining()}; the layers in this package behave the same in both. Subclasses may
     * override to do more, and must call {@code super.train(mode)}.
     *
     * @param mode true for training, false for evaluation
     * @return this layer
     */
    public Layer train(boolean mode) {
        training = mode;
        for (Layer c : children.values()) {
            c.train(mode);
        }
        return this;
    }

    /**
     * {@code train(true)}.
     *
     * @return this layer
     */
    public final Layer train() {
        return train(true);
    }

    /**
     * {@code train(false)}, as PyTorch's {@code eval()}.
     *
     * @return this layer
     */
    public final Layer eval() {
        return train(false);
    }

    /** @return whether this layer is in training mode; true for a new layer, as in PyTorch */
    public final boolean isTraining() {
        return training;
    }

    // ------------------------------------------------------------------ state dict

    /**
     * The layer's state by PyTorch's names and in PyTorch's order: for each layer, its own
     * parameters in registration order, then its persistent buffers, then each child's entries
     * with the child's name and a dot as prefix ({@code "0.weight"}, {@code "0.bias"},
     * {@code "2.weight"}, ...). A layer or parameter reachable along two paths appears under each
     * path, as in PyTorch.
     *
     * <p>The map is new and yours to change, but its values are the model's own tensors, not
     * copies (PyTorch's are detached references too): writing into one writes into the model,
     * and a training step changes what the map holds. {@code SafeTensors.save(file,
     * model.stateDict())} writes a file {@code torch.nn.Module.load_state_dict} accepts; copy the
     * tensors for a snapshot that later steps must not change.
     *
     * @return an insertion-ordered map from dotted name to tensor
     */
    public final Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collectState("", out);
        return out;
    }

    private void collectState(String prefix, Map<String, Tensor> out) {
        for (Map.Entry<String, Var> e : params.entrySet()) {
            out.put(prefix + e.getKey(), e.getValue().value());
        }
        for (Map.Entry<String, Tensor> e : buffers.entrySet()) {
            if (!nonPersistent.contains(e.getKey())) {
                out.put(prefix + e.getKey(), e.getValue());
            }
        }
        for (Map.Entry<String, Layer> e : children.entrySet()) {
            e.getValue().collectState(prefix + e.getKey() + ".", out);
        }
    }

    /**
     * What {@link #loadStateDict(Map, boolean)} did not match, as PyTorch's
     * {@code _IncompatibleKeys}.
     *
     * @param missingKeys keys of {@link #stateDict()} the given state did not have, in the model's order
     * @param unexpectedKeys keys of the given state the model does not have, in the state's order
     */
    public record IncompatibleKeys(List<String> missingKeys, List<String> unexpectedKeys) {

        /** Copies the lists, so the record cannot change. */
        public IncompatibleKeys {
            missingKeys = List.copyOf(missingKeys);
            unexpectedKeys = List.copyOf(unexpectedKeys);
        }

        /** @return whether every key matched */
        public boolean isEmpty() {
            return missingKeys.isEmpty() && unexpectedKeys.isEmpty();
        }
    }

    /**
     * {@code loadStateDict(state, true)}, PyTorch's default.
     *
     * @param state tensors by dotted name, as {@link #stateDict()} or {@code SafeTensors.load} give
     * @return the (empty) incompatible keys
     * @throws IllegalArgumentException as {@link #loadStateDict(Map, boolean)} in strict mode
     */
    public final IncompatibleKeys loadStateDict(Map<String, Tensor> state) {
        return loadStateDict(state, true);
    }

    /**
     * Copies saved state into this layer, as PyTorch's {@code load_state_dict(state, strict)}.
     *
     * <p>Values are copied in place into the model's existing tensors, so whatever holds them
     * (an optimizer, a field of a subclass, an earlier {@link #stateDict()}) keeps working and
     * sees the new values. The source may have any layout; its shape must equal the target's
     * exactly (no broadcasting).
     *
     * <p>All or nothing: every check runs before anything is copied, so a refused load leaves
     * the model as it was (PyTorch copies the keys that fit before it raises). A shape mismatch
     * or a null value is refused in either mode. Copying bumps each tensor's version, so a graph
     * recorded before the load cannot be back-propagated through after it.
     *
     * @param state tensors by dotted name, as {@link #stateDict()} or {@code SafeTensors.load} give
     * @param strict if true, a key of {@link #stateDict()} missing from {@code state} or a key of
     *     {@code state} the model does not have is an error; if false, those keys are skipped and
     *     returned
     * @return the keys that did not match (both lists empty after a strict load)
     * @throws IllegalArgumentException naming every missing and unexpected key (strict mode), or
     *     the key and both shapes of a shape mismatch; nothing has been copied then
     */
    public final IncompatibleKeys loadStateDict(Map<String, Tensor> state, boolean strict) {
        if (state == null) {
            throw new IllegalArgumentException("loadStateDict(" + typeName() + "): the state is null");
        }
        Map<String, Tensor> own = stateDict();
        List<String> missing = new ArrayList<>();
        for (String k : own.keySet()) {
            if (!state.containsKey(k)) {
                missing.add(k);
            }
        }
        List<String> unexpected = new ArrayList<>();
        for (String k : state.keySet()) {
            if (!own.containsKey(k)) {
                unexpected.add(k);
            }
        }
        List<String> errors = new ArrayList<>();
        if (strict && !missing.isEmpty()) {
            errors.add("Missing key(s) in state_dict: " + quoted(missing) + ".");
        }
        if (strict && !unexpected.isEmpty()) {
            errors.add("Unexpected key(s) in state_dict: " + quoted(unexpected) + ".");
        }
        for (Map.Entry<String, Tensor> e : own.entrySet()) {
            if (!state.containsKey(e.getKey())) {
                continue;
            }
            Tensor src = state.get(e.getKey());
            if (src == null) {
                errors.add("the value for " + e.getKey() + " is null.");
            } else if (!Arrays.equals(src.shape(), e.getValue().shape())) {
                errors.add("size mismatch for " + e.getKey() + ": copying a tensor with shape "
                        + Arrays.toString(src.shape()) + " from the state, the shape in the current model is "
                        + Arrays.toString(e.getValue().shape()) + ".");
            }
        }
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException("Error(s) in loading state_dict for " + typeName()
                    + " (nothing was copied):\n\t" + String.join("\n\t", errors));
        }
        for (Map.Entry<String, Tensor> e : own.entrySet()) {
            Tensor src = state.get(e.getKey());
            if (src != null) {
                e.getValue().copyFrom(src);
            }
        }
        return new IncompatibleKeys(missing, unexpected);
    }

    private static String quoted(List<String> keys) {
        StringBuilder sb = new StringBuilder();
        for (String k : keys) {
            sb.append(sb.isEmpty() ? "" : ", ").append('"').append(k).append('"');
        }
        return sb.toString();
    }

    // ------------------------------------------------------------------ printing

    /**
     * The name {@link #toString()} prints, the class's simple name as PyTorch's
     * {@code _get_name()}.
     *
     * @return the name
     */
    protected String typeName() {
        String s = getClass().getSimpleName();
        if (s.isEmpty()) { // an anonymous class
            s = getClass().getName();
            s = s.substring(s.lastIndexOf('.') + 1);
        }
        return s;
    }

    /**
     * What {@link #toString()} prints inside this layer's parentheses before its children, as
     * PyTorch's {@code extra_repr()}: {@code "in_features=784, out_features=50, bias=True"} for
     * a {@link Linear}. Override to describe a layer's configuration; may span lines.
     *
     * @return the text, empty by default
     */
    protected String extraRepr() {
        return "";
    }

    /**
     * The module tree as PyTorch prints it: a layer with no children on one line
     * ({@code Linear(in_features=784, out_features=50, bias=True)}), one with children as
     * {@code Name(} then each child as {@code (name): ...} indented by two spaces, then
     * {@code )}. {@link #summary()} adds every parameter's shape.
     *
     * @return the tree
     */
    @Override
    public String toString() {
        List<String> lines = new ArrayList<>();
        String extra = extraRepr();
        int extraLines = 0;
        if (extra != null && !extra.isEmpty()) {
            for (String l : extra.split("\n", -1)) {
                lines.add(l);
                extraLines++;
            }
        }
        for (Map.Entry<String, Layer> e : children.entrySet()) {
            lines.add("(" + e.getKey() + "): " + e.getValue().toString().replace("\n", "\n  "));
        }
        StringBuilder sb = new StringBuilder(typeName()).append('(');
        if (extraLines == 1 && children.isEmpty()) {
            sb.append(lines.get(0));
        } else if (!lines.isEmpty()) {
            sb.append("\n  ").append(String.join("\n  ", lines)).append('\n');
        }
        return sb.append(')').toString();
    }

    /**
     * The module tree ({@link #toString()}), then a table of every parameter (each once) with its
     * dotted name, shape and number of scalars, every buffer likewise, and the total parameter
     * count ({@link #parameterCount()}):
     *
     * <pre>
     * Sequential(
     *   (0): Linear(in_features=784, out_features=50, bias=True)
     *   ...
     * )
     * parameter   shape        count
     * 0.weight    [50, 784]   39,200
     * 0.bias      [50]            50
     * ...
     * total parameters: 39,760
     * </pre>
     *
     * @return the summary, lines separated by {@code '\n'}
     */
    public final String summary() {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"parameter", "shape", "count"});
        for (Map.Entry<String, Var> e : namedParameters().entrySet()) {
            rows.add(row(e.getKey(), e.getValue().value()));
        }
        Map<String, Tensor> bufs = namedBuffers();
        if (!bufs.isEmpty()) {
            rows.add(new String[] {"buffer", "shape", "count"});
            for (Map.Entry<String, Tensor> e : bufs.entrySet()) {
                rows.add(row(e.getKey(), e.getValue()));
            }
        }
        int w0 = 0;
        int w1 = 0;
        int w2 = 0;
        for (String[] r : rows) {
            w0 = Math.max(w0, r[0].length());
            w1 = Math.max(w1, r[1].length());
            w2 = Math.max(w2, r[2].length());
        }
        StringBuilder sb = new StringBuilder(toString()).append('\n');
        for (String[] r : rows) {
            sb.append(String.format(Locale.ROOT, "%-" + w0 + "s   %-" + w1 + "s   %" + w2 + "s", r[0], r[1], r[2])
                    .stripTrailing()).append('\n');
        }
        return sb.append(String.format(Locale.ROOT, "total parameters: %,d", parameterCount())).toString();
    }

    private static String[] row(String key, Tensor t) {
        return new String[] {key, Arrays.toString(t.shape()), String.format(Locale.ROOT, "%,d", t.numel())};
    }
}
