package dev.vectorgrad.nn.optim;

import dev.vectorgrad.autograd.Var;
import dev.vectorgrad.core.Tensor;
import java.util.Collection;
import java.util.List;

/**
 * A set of parameters with its own hyper-parameters, as one entry of PyTorch's
 * {@code optimizer.param_groups}: the learning rate, the two kinds of weight decay, and SGD's
 * momentum, dampening and Nesterov flag or Adam's betas and eps.
 *
 * <p>It plays two parts, as PyTorch's dict does:
 * <ul>
 *   <li><b>A spec</b> given to a builder: {@code ParamGroup.of(params)} with the options this
 *       group overrides; every option left unset takes the builder's value (PyTorch's
 *       {@code defaults}).
 *       <pre>{@code
 * Sgd sgd = Sgd.builder(List.of(
 *         ParamGroup.of(body.parameters()).lr(0.01f),
 *         ParamGroup.of(head.parameters()).weightDecay(0f)), 0.1f)
 *     .momentum(0.9f).weightDecay(5e-4f).build();
 *       }</pre></li>
 *   <li><b>A live group</b> of a built optimiser, from {@link Optimizer#paramGroups()}: a copy
 *       of the spec with every option filled in, whose setters change the following steps, as
 *       {@code group['lr'] = 0.01} does in PyTorch. Schedulers write {@link #lr(float)} (and
 *       {@link #momentum(float)} or {@link #betas(float, float)}) here.</li>
 * </ul>
 *
 * <p>Each setter checks its value at once (learning rate finite and {@code >= 0}, as PyTorch's
 * {@code Invalid learning rate}; momentum and betas in [0, 1); decays finite and {@code >= 0};
 * eps finite and {@code > 0}). A live group also refuses options its optimiser does not have
 * (betas on an SGD group) and, for SGD, a change that breaks Nesterov's requirements. Not
 * thread-safe.
 */
public final class ParamGroup {

    /** Which options a group has: a spec may hold any, a live group only its optimiser's. */
    enum Kind {
        SPEC, SGD, ADAM, LR_ONLY
    }

    private final List<Tensor> params;
    private final Kind kind;
    private final String label;
    float lr = Float.NaN;
    float initialLr = Float.NaN;
    float weightDecay = Float.NaN;
    float decoupledWeightDecay = Float.NaN;
    float momentum = Float.NaN;
    float dampening = Float.NaN;
    float beta1 = Float.NaN;
    float beta2 = Float.NaN;
    float eps = Float.NaN;
    /** -1 unset, 0 false, 1 true. */
    int nesterov = -1;

    private ParamGroup(List<Tensor> params, Kind kind, String label) {
        this.params = params;
        this.kind = kind;
        this.label = label;
    }

    /**
     * A spec over parameter tensors; every option unset until given.
     *
     * @param params the tensors of this group
     * @return a new spec
     * @throws IllegalArgumentException if {@code params} or one of them is null
     */
    public static ParamGroup of(List<Tensor> params) {
        if (params == null) {
            throw new IllegalArgumentException("ParamGroup.of: the parameter list is null");
        }
        for (int i = 0; i < params.size(); i++) {
            if (params.get(i) == null) {
                throw new IllegalArgumentException("ParamGroup.of: parameter " + i + " is null");
            }
        }
        return new ParamGroup(List.copyOf(params), Kind.SPEC, "ParamGroup");
    }

    /**
     * {@link #of(List)} over autograd parameters, e.g. {@code ParamGroup.of(head.parameters())}.
     *
     * @param params the parameters (their {@link Var#value()}s are updated)
     * @return a new spec
     */
    public static ParamGroup of(Collection<Var> params) {
        return of(Optimizer.values(params));
    }

    /**
     * The live copy an optimiser keeps: every option of {@code kind} taken from the spec or,
     * where the spec leaves it unset, from {@code defaults}; an option the optimiser lacks is refused.
     */
    static ParamGroup adopt(ParamGroup spec, ParamGroup defaults, Kind kind, String label) {
        ParamGroup g = new ParamGroup(spec.params, kind, label);
        g.lr = pick(spec.lr, defaults.lr);
        g.weightDecay = kind == Kind.LR_ONLY ? 0f : pick(spec.weightDecay, defaults.weightDecay);
        g.decoupledWeightDecay = kind == Kind.LR_ONLY ? 0f : pick(spec.decoupledWeightDecay, defaults.decoupledWeightDecay);
        if (kind == Kind.LR_ONLY && (!Float.isNaN(spec.weightDecay) || !Float.isNaN(spec.decoupledWeightDecay))) {
            throw new IllegalArgumentException(label + " sets a weight decay, which this optimiser does not have");
        }
        if (kind == Kind.SGD) {
            g.momentum = pick(spec.momentum, defaults.momentum);
            g.dampening = pick(spec.dampening, defaults.dampening);
            g.nesterov = spec.nesterov >= 0 ? spec.nesterov : defaults.nesterov;
            refuse(label, "betas", spec.beta1, defaults.label);
            refuse(label, "eps", spec.eps, defaults.label);
            checkNesterov(label, g.nesterov == 1, g.momentum, g.dampening);
        } else {
            refuse(label, "momentum", spec.momentum, defaults.label);
            refuse(label, "dampening", spec.dampening, defaults.label);
            if (spec.nesterov >= 0) {
                throw new IllegalArgumentException(label + " sets nesterov, which " + defaults.label + " does not have");
            }
        }
        if (kind == Kind.ADAM) {
            g.beta1 = pick(spec.beta1, defaults.beta1);
            g.beta2 = pick(spec.beta2, defaults.beta2);
            g.eps = pick(spec.eps, defaults.eps);
        } else if (kind != Kind.SGD) {
            refuse(label, "betas", spec.beta1, defaults.label);
            refuse(label, "eps", spec.eps, defaults.label);
        }
        g.initialLr = spec.kind == Kind.SPEC ? Float.NaN : spec.initialLr;
        return g;
    }

    /** The builder's values, as a group with no parameters: every option of the optimiser set. */
    static ParamGroup defaults(String name) {
        return new ParamGroup(List.of(), Kind.SPEC, name);
    }

    private static float pick(float own, float fallback) {
        return Float.isNaN(own) ? fallback : own;
    }

    private static void refuse(String label, String option, float value, String optimiser) {
        if (!Float.isNaN(value)) {
            throw new IllegalArgumentException(label + " sets " + option + ", which " + optimiser + " does not have");
        }
    }

    static void checkNesterov(String label, boolean nesterov, float momentum, float dampening) {
        if (nesterov && (momentum == 0f || dampening != 0f)) {
            throw new IllegalArgumentException(label + ": Nesterov momentum requires a momentum > 0 and zero dampening"
                    + " (as in PyTorch), got momentum " + momentum + " and dampening " + dampening);
        }
    }

    private void need(String option, Kind... kinds) {
        if (kind == Kind.SPEC) {
            return;
        }
        for (Kind k : kinds) {
            if (k == kind) {
                return;
            }
        }
        throw new IllegalArgumentException(label + ": has no " + option + " (its optimiser does not use one)");
    }

    /** @return the tensors of this group, in order */
    public List<Tensor> params() {
        return params;
    }

    /** @return the learning rate; NaN on a spec that leaves it to the builder */
    public float lr() {
        return lr;
    }

    /**
     * Sets the learning rate (PyTorch's {@code group['lr']}); on a live group it applies from the next step.
     *
     * @param lr finite and {@code >= 0}
     * @return this group
     */
    public ParamGroup lr(float lr) {
        Optimizer.checkLr(label, lr);
        this.lr = lr;
        return this;
    }

    /**
     * @return the learning rate the first scheduler on this group started from (PyTorch's
     *     {@code group['initial_lr']}), or NaN before any scheduler
     */
    public float initialLr() {
        return initialLr;
    }

    /** Records {@code initial_lr} once, as PyTorch's {@code group.setdefault('initial_lr', group['lr'])}. */
    float initialLrOrSet() {
        if (Float.isNaN(initialLr)) {
            initialLr = lr;
        }
        return initialLr;
    }

    /** @return the L2 weight decay added to the gradient (PyTorch's {@code weight_decay}); NaN if unset */
    public float weightDecay() {
        return weightDecay;
    }

    /**
     * @param weightDecay the L2 coefficient added to the gradient, finite and {@code >= 0}
     * @return this group
     */
    public ParamGroup weightDecay(float weightDecay) {
        need("weight decay", Kind.SGD, Kind.ADAM);
        this.weightDecay = Optimizer.checkDecay(label, "weight decay", weightDecay);
        return this;
    }

    /** @return the decoupled weight decay (AdamW's {@code weight_decay}); NaN if unset */
    public float decoupledWeightDecay() {
        return decoupledWeightDecay;
    }

    /**
     * @param decoupledWeightDecay the coefficient of {@code p *= 1 - lr*decay}, finite and {@code >= 0}
     * @return this group
     */
    public ParamGroup decoupledWeightDecay(float decoupledWeightDecay) {
        need("decoupled weight decay", Kind.SGD, Kind.ADAM);
        this.decoupledWeightDecay = Optimizer.checkDecay(label, "decoupled weight decay", decoupledWeightDecay);
        return this;
    }

    /** @return SGD's momentum factor; NaN if unset or not an SGD group */
    public float momentum() {
        return momentum;
    }

    /**
     * Sets SGD's momentum (what {@link OneCycleLR} cycles). Turning it on for a group built
     * without momentum allocates its buffers once, at the next step.
     *
     * @param momentum in [0, 1)
     * @return this group
     */
    public ParamGroup momentum(float momentum) {
        need("momentum", Kind.SGD);
        Optimizer.checkRange(label, "momentum", momentum, 0f, 1f);
        if (kind == Kind.SGD) {
            checkNesterov(label, nesterov == 1, momentum, dampening);
        }
        this.momentum = momentum;
        return this;
    }

    /** @return SGD's dampening; NaN if unset or not an SGD group */
    public float dampening() {
        return dampening;
    }

    /**
     * @param dampening how much less of the gradient enters SGD's buffer, in [0, 1]
     * @return this group
     */
    public ParamGroup dampening(float dampening) {
        need("dampening", Kind.SGD);
        if (!(dampening >= 0f && dampening <= 1f)) {
            throw new IllegalArgumentException(label + ": dampening must be in [0, 1], got " + dampening);
        }
        if (kind == Kind.SGD) {
            checkNesterov(label, nesterov == 1, momentum, dampening);
        }
        this.dampening = dampening;
        return this;
    }

    /** @return whether SGD's momentum is Nesterov's (false if unset) */
    public boolean nesterov() {
        return nesterov == 1;
    }

    /**
     * @param nesterov Nesterov momentum (needs momentum > 0 and dampening 0)
     * @return this group
     */
    public ParamGroup nesterov(boolean nesterov) {
        need("nesterov", Kind.SGD);
        if (kind == Kind.SGD) {
            checkNesterov(label, nesterov, momentum, dampening);
        }
        this.nesterov = nesterov ? 1 : 0;
        return this;
    }

    /** @return Adam's first-moment decay (what {@link OneCycleLR} cycles); NaN if unset or not an Adam group */
    public float beta1() {
        return beta1;
    }

    /** @return Adam's second-moment decay; NaN if unset or not an Adam group */
    public float beta2() {
        return beta2;
    }

    /**
     * Sets Adam's betas (PyTorch's {@code group['betas']}).
     *
     * @param beta1 decay of the first moment, in [0, 1)
     * @param beta2 decay of the second moment, in [0, 1)
     * @return this group
     */
    public ParamGroup betas(float beta1, float beta2) {
        need("betas", Kind.ADAM);
        Optimizer.checkRange(label, "beta1", beta1, 0f, 1f);
        Optimizer.checkRange(label, "beta2", beta2, 0f, 1f);
        this.beta1 = beta1;
        this.beta2 = beta2;
        return this;
    }

    /** @return Adam's eps; NaN if unset or not an Adam group */
    public float eps() {
        return eps;
    }

    /**
     * @param eps added to Adam's denominator, finite and {@code > 0}
     * @return this group
     */
    public ParamGroup eps(float eps) {
        need("eps", Kind.ADAM);
        Optimizer.checkEps(label, eps);
        this.eps = eps;
        return this;
    }

    /** @return whether this group has SGD's momentum (a live SGD group, or a spec that sets it) */
    public boolean hasMomentum() {
        return kind == Kind.SGD || (kind == Kind.SPEC && !Float.isNaN(momentum));
    }

    /** @return whether this group has Adam's betas (a live Adam group, or a spec that sets them) */
    public boolean hasBetas() {
        return kind == Kind.ADAM || (kind == Kind.SPEC && !Float.isNaN(beta1));
    }

    /** Like PyTorch's printout of a param group: its size, then each option that is set. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(label).append("(params=").append(params.size()).append(" tensors");
        option(s, "lr", lr);
        option(s, "initial_lr", initialLr);
        option(s, "momentum", momentum);
        option(s, "dampening", dampening);
        if (nesterov >= 0) {
            s.append(", nesterov=").append(nesterov == 1);
        }
        if (!Float.isNaN(beta1)) {
            s.append(", betas=(").append(beta1).append(", ").append(beta2).append(')');
        }
        option(s, "eps", eps);
        option(s, "weight_decay", weightDecay);
        option(s, "decoupled_weight_decay", decoupledWeightDecay);
        return s.append(')').toString();
    }

    private static void option(StringBuilder s, String name, float value) {
        if (!Float.isNaN(value)) {
            s.append(", ").append(name).append('=').append(value);
        }
    }
}
