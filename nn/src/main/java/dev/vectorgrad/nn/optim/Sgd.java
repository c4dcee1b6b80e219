package dev.vectorgrad.nn.optim;

import dev.vectorgrad.autograd.Var;
import dev.vectorgrad.core.Tensor;
import dev.vectorgrad.core.Updates;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Stochastic gradient descent, {@code torch.optim.SGD} step for step, plus AdamW-style
 * decoupled weight decay (which PyTorch's SGD lacks). Per parameter, with gradient {@code g}:
 *
 * <pre>
 * g = g + weightDecay*p                        (L2, PyTorch's weight_decay)
 * p *= 1 - lr*decoupledWeightDecay             (decoupled, before the step)
 * if momentum != 0:
 *     buf = first step ? g : momentum*buf + (1 - dampening)*g
 *     g = nesterov ? g + momentum*buf : buf
 * p -= lr*g
 * </pre>
 *
 * <p>The "first step" is this parameter's first update: a parameter without a gradient is
 * skipped and its buffer stays unstarted, as PyTorch's stays {@code None}. Each update is one
 * fused pass ({@link Updates#sgd}); buffers are allocated here, so {@code step()} allocates
 * nothing. Build the full set of options with {@link #builder(List, float)}:
 *
 * <pre>{@code
 * Sgd sgd = Sgd.builder(model.parameters(), 0.1f).momentum(0.9f).nesterov(true).weightDecay(5e-4f).build();
 * }</pre>
 */
public final class Sgd extends Optimizer {

    private final Tensor[] buffers;
    private final boolean[] started;

    /**
     * Plain SGD: {@code p -= lr * p.grad()}.
     *
     * @param params the parameters
     * @param lr the learning rate
     */
    public Sgd(List<Tensor> params, float lr) {
        this(builder(params, lr));
    }

    /**
     * Plain SGD over autograd parameters, e.g. {@code new Sgd(model.parameters(), 0.1f)}.
     *
     * @param params the parameters (their {@link Var#value()}s are updated)
     * @param lr the learning rate
     */
    public Sgd(Collection<Var> params, float lr) {
        this(values(params), lr);
    }

    /**
     * Plain SGD over param groups, as {@code torch.optim.SGD([{'params': ..., 'lr': ...}, ...], lr)}.
     *
     * @param groups the groups; options a group leaves unset take the defaults (here only {@code lr})
     * @param lr the default learning rate
     */
    public Sgd(Iterable<ParamGroup> groups, float lr) {
        this(builder(groups, lr));
    }

    /**
     * SGD with momentum and L2 weight decay, as {@code torch.optim.SGD(params, lr, momentum,
     * weight_decay=weightDecay)}. (Before this release {@code weightDecay} here was decoupled;
     * use {@link Builder#decoupledWeightDecay} for that.)
     *
     * @param params the parameters
     * @param lr the learning rate
     * @param momentum in [0, 1); 0 turns momentum off (and allocates no buffer)
     * @param weightDecay the L2 coefficient added to the gradient, finite and >= 0
     */
    public Sgd(List<Tensor> params, float lr, float momentum, float weightDecay) {
        this(builder(params, lr).momentum(momentum).weightDecay(weightDecay));
    }

    /**
     * {@link #Sgd(List, float, float, float)} over autograd parameters.
     *
     * @param params the parameters (their {@link Var#value()}s are updated)
     * @param lr the learning rate
     * @param momentum in [0, 1)
     * @param weightDecay the L2 coefficient, finite and >= 0
     */
    public Sgd(Collection<Var> params, float lr, float momentum, float weightDecay) {
        this(values(params), lr, momentum, weightDecay);
    }

    private Sgd(Builder b) {
        super("Sgd", b.specs(), b.defaults(), ParamGroup.Kind.SGD, b.groups != null);
        List<Tensor> params = parameters();
        this.buffers = new Tensor[params.size()];
        this.started = new boolean[params.size()];
        // Buffers for groups with momentum now, so that step() allocates nothing; a group whose
        // momentum is turned on later (OneCycleLR) gets them at its first step with momentum.
        int i = 0;
        for (ParamGroup g : paramGroups()) {
            for (Tensor p : g.params()) {
                if (g.momentum > 0f) {
                    buffers[i] = Tensor.zeros(p.shape());
                }
                i++;
            }
        }
    }

    /**
     * Starts building an SGD optimiser; every option defaults to off, as in PyTorch.
     *
     * @param params the parameters
     * @param lr the learning rate, finite and >= 0
     * @return a builder
     */
    public static Builder builder(List<Tensor> params, float lr) {
        return new Builder(params, null, lr);
    }

    /**
     * {@link #builder(List, float)} over autograd parameters.
     *
     * @param params the parameters (their {@link Var#value()}s are updated)
     * @param lr the learning rate, finite and >= 0
     * @return a builder
     */
    public static Builder builder(Collection<Var> params, float lr) {
        return builder(values(params), lr);
    }

    /**
     * Starts building an SGD optimiser over param groups, as
     * {@code torch.optim.SGD([{'params': body, 'lr': 0.01}, {'params': head}], lr=0.1, momentum=0.9)}:
     * the builder's options are the defaults (PyTorch's {@code defaults}), each group overrides
     * those it sets.
     *
     * <pre>{@code
     * Sgd sgd = Sgd.builder(List.of(ParamGroup.of(body).lr(0.01f), ParamGroup.of(head).weightDecay(0f)), 0.1f)
     *     .momentum(0.9f).weightDecay(5e-4f).build();
     * }</pre>
     *
     * (An {@code Iterable} rather than a {@code List} only because Java erases generics, and
     * {@code builder(List<Tensor>, float)} is taken.)
     *
     * @param groups the groups, at least one; together at least one parameter, none twice
     * @param lr the default learning rate, finite and >= 0
     * @return a builder
     */
    public static Builder builder(Iterable<ParamGroup> groups, float lr) {
        if (groups == null) {
            throw new IllegalArgumentException("Sgd: the param group list is null");
        }
        List<ParamGroup> list = new ArrayList<>();
        groups.forEach(list::add);
        return new Builder(null, list, lr);
    }

    @Override
    public void step() {
        List<ParamGroup> groups = paramGroups();
        int i = 0;
        for (int gi = 0; gi < groups.size(); gi++) {
            ParamGroup g = groups.get(gi);
            List<Tensor> params = g.params();
            float momentum = g.momentum;
            for (int j = 0; j < params.size(); j++, i++) {
                Tensor p = params.get(j);
                Tensor grad = p.grad();
                if (grad == null) {
                    continue;
                }
                Tensor buffer = null;
                if (momentum != 0f) {
                    buffer = buffers[i];
                    if (buffer == null) {
                        buffer = buffers[i] = Tensor.zeros(p.shape());
                    }
                }
                Updates.sgd(p, grad, buffer, g.lr, momentum, g.dampening, g.nesterov == 1, g.weightDecay,
                        g.decoupledWeightDecay, !started[i]);
                // As PyTorch's momentum_buffer stays None while momentum is 0: the buffer starts
                // from the gradient at the first step that uses it.
                started[i] |= momentum != 0f;
            }
        }
    }

    /** @return the momentum factor of the first param group (0 when off) */
    public float momentum() {
        return paramGroups().get(0).momentum;
    }

    /** @return the dampening of the first param group */
    public float dampening() {
        return paramGroups().get(0).dampening;
    }

    /** @return whether the first param group's momentum is Nesterov's */
    public boolean nesterov() {
        return paramGroups().get(0).nesterov == 1;
    }

    /** @return the L2 weight decay of the first param group (PyTorch's {@code weight_decay}) */
    public float weightDecay() {
        return paramGroups().get(0).weightDecay;
    }

    /** @return the decoupled weight decay of the first param group */
    public float decoupledWeightDecay() {
        return paramGroups().get(0).decoupledWeightDecay;
    }

    /**
     * The options of {@link Sgd}; each setter returns this builder, {@link #build()} checks
     * them all together (so the order of the calls does not matter).
     */
    public static final class Builder {
        private final List<Tensor> params;
        private final List<ParamGroup> groups;
        private final float lr;
        private float momentum;
        private float dampening;
        private boolean nesterov;
        private float weightDecay;
        private float decoupledWeightDecay;

        private Builder(List<Tensor> params, List<ParamGroup> groups, float lr) {
            this.params = params;
            this.groups = groups;
            this.lr = lr;
        }

        private List<ParamGroup> specs() {
            return groups != null ? groups : List.of(Optimizer.specOf("Sgd", params));
        }

        /** The options as checked defaults, each named as before groups existed. */
        private ParamGroup defaults() {
            String name = "Sgd";
            ParamGroup d = ParamGroup.defaults(name);
            d.lr = Optimizer.checkLr(name, lr);
            d.momentum = checkRange(name, "momentum", momentum, 0f, 1f);
            if (!(dampening >= 0f && dampening <= 1f)) {
                throw new IllegalArgumentException(name + ": dampening must be in [0, 1], got " + dampening);
            }
            d.dampening = dampening;
            if (groups == null) {
                ParamGroup.checkNesterov(name, nesterov, momentum, dampening);
            }
            d.nesterov = nesterov ? 1 : 0;
            d.weightDecay = checkDecay(name, "weight decay", weightDecay);
            d.decoupledWeightDecay = checkDecay(name, "decoupled weight decay", decoupledWeightDecay);
            return d;
        }

        /**
         * @param momentum the momentum factor, in [0, 1); default 0 (off); with param groups, the
         *     default of groups that do not set their own
         * @return this builder
         */
        public Builder momentum(float momentum) {
            this.momentum = momentum;
            return this;
        }

        /**
         * @param dampening how much less of the gradient enters the buffer, in [0, 1]; default 0
         * @return this builder
         */
        public Builder dampening(float dampening) {
            this.dampening = dampening;
            return this;
        }

        /**
         * @param nesterov Nesterov momentum (needs momentum > 0 and dampening 0); default false
         * @return this builder
         */
        public Builder nesterov(boolean nesterov) {
            this.nesterov = nesterov;
            return this;
        }

        /**
         * @param weightDecay the L2 coefficient added to the gradient (PyTorch's
         *     {@code weight_decay}), finite and >= 0; default 0
         * @return this builder
         */
        public Builder weightDecay(float weightDecay) {
            this.weightDecay = weightDecay;
            return this;
        }

        /**
         * @param decoupledWeightDecay the AdamW-style coefficient, {@code p *= 1 - lr*decay}
         *     before each step, finite and >= 0; default 0
         * @return this builder
         */
        public Builder decoupledWeightDecay(float decoupledWeightDecay) {
            this.decoupledWeightDecay = decoupledWeightDecay;
            return this;
        }

        /**
         * @return the optimiser
         * @throws IllegalArgumentException naming the first option out of range
         */
        public Sgd build() {
            return new Sgd(this);
        }
    }
}
