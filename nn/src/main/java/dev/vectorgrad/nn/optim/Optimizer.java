package dev.vectorgrad.nn.optim;

import dev.vectorgrad.autograd.Var;
import dev.vectorgrad.core.Tensor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The common part of every optimiser: the parameters it owns, in {@linkplain #paramGroups()
 * param groups} with their own learning rate and options (PyTorch's {@code param_groups}), and
 * {@link #zeroGrad()}. Subclasses implement {@link #step()}.
 *
 * <p>Given plain parameters, an optimiser has one group holding the builder's options. Given
 * {@link ParamGroup}s ({@code Sgd.builder(List.of(ParamGroup.of(body).lr(0.01f), ParamGroup.of(head)), 0.1f)}),
 * each group takes the builder's options as defaults and overrides those it sets, as PyTorch's
 * {@code SGD([{'params': body, 'lr': 0.01}, {'params': head}], lr=0.1)}. {@link #setLr} sets
 * every group; {@code paramGroups().get(i).lr(x)} one of them; schedulers
 * ({@link LRScheduler}) drive them all.
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

    private final List<ParamGroup> groups;
    private final List<Tensor> params;

    /**
     * One group of parameters with one learning rate and no other option, for an optimiser of
     * your own (read {@link ParamGroup#lr()} of {@link #paramGroups()} in {@code step()}).
     *
     * @param name the optimiser's name, for error messages
     * @param params the tensors to update, each once; each must be writable (not an expanded view)
     * @param lr the learning rate, finite and {@code >= 0}
     */
    protected Optimizer(String name, List<Tensor> params, float lr) {
        this(name, List.of(specOf(name, params)), lrDefaults(name, lr), ParamGroup.Kind.LR_ONLY, false);
    }

    /**
     * Builds the live groups: each spec's options, the unset ones from {@code defaults}.
     *
     * @param name the optimiser's name, for error messages
     * @param specs the groups as given, in order
     * @param defaults the builder's options
     * @param kind which options the groups have
     * @param explicit whether the user gave the groups (error messages then name the group)
     */
    Optimizer(String name, List<ParamGroup> specs, ParamGroup defaults, ParamGroup.Kind kind, boolean explicit) {
        if (specs == null || specs.isEmpty()) {
            throw new IllegalArgumentException(name + ": expected at least one parameter group, got none");
        }
        checkLr(name, defaults.lr);
        List<ParamGroup> live = new ArrayList<>(specs.size());
        List<Tensor> all = new ArrayList<>();
        for (int gi = 0; gi < specs.size(); gi++) {
            ParamGroup spec = specs.get(gi);
            if (spec == null) {
                throw new IllegalArgumentException(name + ": param group " + gi + " is null");
            }
            live.add(ParamGroup.adopt(spec, defaults, kind, explicit ? name + " param group " + gi : name));
            all.addAll(spec.params());
        }
        checkParams(name, all, live);
        this.groups = List.copyOf(live);
        this.params = List.copyOf(all);
    }

    /** One spec over plain parameters, checked with the optimiser's name. */
    static ParamGroup specOf(String name, List<Tensor> params) {
        if (params == null) {
            throw new IllegalArgumentException(name + ": expected at least one parameter tensor, got none");
        }
        for (int i = 0; i < params.size(); i++) {
            if (params.get(i) == null) {
                throw new IllegalArgumentException(name + ": parameter " + i + " is null");
            }
        }
        return ParamGroup.of(params);
    }

    private static ParamGroup lrDefaults(String name, float lr) {
        ParamGroup d = ParamGroup.defaults(name);
        d.lr = lr;
        return d;
    }

    /** Every parameter once, none an expanded view; indices count across the groups, in order. */
    private static void checkParams(String name, List<Tensor> params, List<ParamGroup> groups) {
        if (params.isEmpty()) {
            throw new IllegalArgumentException(name + ": expected at least one parameter tensor, got none");
        }
        Map<Tensor, Integer> seen = new IdentityHashMap<>();
        for (int i = 0; i < params.size(); i++) {
            Tensor p = params.get(i);
            Integer first = seen.putIfAbsent(p, i);
            if (first != null) {
                String where = groups.size() == 1 ? "" : " (in param groups " + groupOf(groups, first) + " and "
                        + groupOf(groups, i) + "; as PyTorch, a parameter may appear in one group only)";
                throw new IllegalArgumentException(name + ": parameters " + first + " and " + i
                        + " are the same tensor; each would be updated twice per step" + where);
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
    }

    private static int groupOf(List<ParamGroup> groups, int index) {
        int start = 0;
        for (int g = 0; g < groups.size(); g++) {
            start += groups.get(g).params().size();
            if (index < start) {
                return g;
            }
        }
        return groups.size() - 1;
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

    /** Checks a learning rate is finite and {@code >= 0} (PyTorch refuses only a negative one). */
    static float checkLr(String name, float lr) {
        if (!(lr >= 0f) || !Float.isFinite(lr)) {
            throw new IllegalArgumentException(name + ": learning rate must be finite and >= 0, got " + lr);
        }
        return lr;
    }

    /** Checks Adam's eps is finite and {@code > 0}. */
    static float checkEps(String name, float eps) {
        if (!(eps > 0f) || !Float.isFinite(eps)) {
            throw new IllegalArgumentException(name + ": eps must be finite and > 0, got " + eps);
        }
        return eps;
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

    /** @return every parameter, group after group, in the order given */
    public List<Tensor> parameters() {
        return params;
    }

    /**
     * The live parameter groups, PyTorch's {@code optimizer.param_groups}: one per group given to
     * the builder, or a single one. Their setters change the following steps.
     *
     * @return the groups, in order (the list itself is unmodifiable)
     */
    public List<ParamGroup> paramGroups() {
        return groups;
    }

    /** @return the learning rate of the first param group (the only one unless groups were given) */
    public float lr() {
        return groups.get(0).lr;
    }

    /**
     * Sets the learning rate of every param group for the following steps (a schedule calls this
     * between steps; for one group, {@code paramGroups().get(i).lr(value)}). The decoupled decay
     * uses the current rate, as in PyTorch ({@code p *= 1 - lr*decay}).
     *
     * @param lr the new learning rate, finite and {@code >= 0}
     */
    public void setLr(float lr) {
        checkLr(getClass().getSimpleName(), lr);
        for (int g = 0; g < groups.size(); g++) {
            groups.get(g).lr = lr;
        }
    }

    /** PyTorch's printout of an optimiser: its name, then each param group. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(getClass().getSimpleName()).append(" (");
        for (ParamGroup g : groups) {
            s.append("\n    ").append(g);
        }
        return s.append("\n)").toString();
    }
}
