package dev.vectorgrad.nn.optim;

import dev.vectorgrad.autograd.Var;
import dev.vectorgrad.core.Tensor;
import dev.vectorgrad.core.Updates;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Adam, {@code torch.optim.Adam} step for step, and AdamW ({@code torch.optim.AdamW}) with
 * {@link #adamW}. Per parameter, with gradient {@code g} and {@code t} this parameter's own
 * count of updates (1 on its first):
 *
 * <pre>
 * g  = g + weightDecay*p                       (L2, Adam's weight_decay)
 * p *= 1 - lr*decoupledWeightDecay             (decoupled, AdamW's weight_decay)
 * m  = beta1*m + (1-beta1)*g
 * v  = beta2*v + (1-beta2)*g*g
 * p -= lr/(1-beta1^t) * m / (sqrt(v)/sqrt(1-beta2^t) + eps)
 * </pre>
 *
 * <p>As in PyTorch, the step count {@code t} is kept per parameter: a parameter without a
 * gradient is skipped and its count does not advance, so one whose first gradient arrives
 * late gets a correctly bias-corrected first update. {@link #steps()} counts calls of
 * {@link #step()}; {@link #steps(int)} is one parameter's count.
 *
 * <p>The moments are allocated here and each update is one fused pass
 * ({@link Updates#adam}), so {@code step()} allocates nothing. Build the full set of options
 * with {@link #builder(List, float)}:
 *
 * <pre>{@code
 * Adam adam = Adam.builder(model.parameters(), 3e-4f).betas(0.9f, 0.95f).decoupledWeightDecay(0.1f).build();
 * }</pre>
 */
public final class Adam extends Optimizer {

    /** PyTorch AdamW's default {@code weight_decay}. */
    public static final float ADAMW_DEFAULT_WEIGHT_DECAY = 0.01f;

    private final Tensor[] m;
    private final Tensor[] v;
    private final long[] paramSteps;
    private long calls;

    /**
     * Adam with PyTorch's defaults: betas (0.9, 0.999), eps 1e-8, no weight decay.
     *
     * @param params the parameters
     * @param lr the learning rate (1e-3 is the usual start)
     */
    public Adam(List<Tensor> params, float lr) {
        this(builder(params, lr));
    }

    /**
     * {@link #Adam(List, float)} over autograd parameters, e.g. {@code new Adam(model.parameters(), 1e-3f)}.
     *
     * @param params the parameters (their {@link Var#value()}s are updated)
     * @param lr the learning rate
     */
    public Adam(Collection<Var> params, float lr) {
        this(values(params), lr);
    }

    /**
     * Adam with PyTorch's defaults over param groups, as
     * {@code torch.optim.Adam([{'params': ..., 'lr': ...}, ...], lr)}.
     *
     * @param groups the groups; options a group leaves unset take PyTorch's defaults and {@code lr}
     * @param lr the default learning rate
     */
    public Adam(Iterable<ParamGroup> groups, float lr) {
        this(builder(groups, lr));
    }

    /**
     * Adam as {@code torch.optim.Adam(params, lr, (beta1, beta2), eps, weight_decay)}: the
     * weight decay is an L2 term added to the gradient. (Before this release it was
     * decoupled here; for AdamW use {@link #adamW} or {@link Builder#decoupledWeightDecay}.)
     *
     * @param params the parameters
     * @param lr the learning rate
     * @param beta1 decay of the first moment, in [0, 1)
     * @param beta2 decay of the second moment, in [0, 1)
     * @param eps added to the denominator, finite and > 0
     * @param weightDecay the L2 coefficient added to the gradient, finite and >= 0
     */
    public Adam(List<Tensor> params, float lr, float beta1, float beta2, float eps, float weightDecay) {
        this(builder(params, lr).betas(beta1, beta2).eps(eps).weightDecay(weightDecay));
    }

    /**
     * {@link #Adam(List, float, float, float, float, float)} over autograd parameters.
     *
     * @param params the parameters (their {@link Var#value()}s are updated)
     * @param lr the learning rate
     * @param beta1 decay of the first moment, in [0, 1)
     * @param beta2 decay of the second moment, in [0, 1)
     * @param eps added to the denominator, finite and > 0
     * @param weightDecay the L2 coefficient added to the gradient, finite and >= 0
     */
    public Adam(Collection<Var> params, float lr, float beta1, float beta2, float eps, float weightDecay) {
        this(values(params), lr, beta1, beta2, eps, weightDecay);
    }

    private Adam(Builder b) {
        super(b.name, b.specs(), b.defaults(), ParamGroup.Kind.ADAM, b.groups != null);
        List<Tensor> params = parameters();
        int n = params.size();
        m = new Tensor[n];
        v = new Tensor[n];
        paramSteps = new long[n];
        for (int i = 0; i < n; i++) {
            m[i] = Tensor.zeros(params.get(i).shape());
            v[i] = Tensor.zeros(params.get(i).shape());
        }
    }

    /**
     * Starts building an Adam optimiser with PyTorch's defaults: betas (0.9, 0.999), eps 1e-8,
     * no weight decay of either kind.
     *
     * @param params the parameters
     * @param lr the learning rate, finite and > 0
     * @return a builder
     */
    public static Builder builder(List<Tensor> params, float lr) {
        return new Builder("Adam", params, null, lr);
    }

    /**
     * Starts building an Adam optimiser over param groups, as
     * {@code torch.optim.Adam([{'params': body, 'lr': 1e-4}, {'params': head}], lr=1e-3)}: the
     * builder's options are the defaults, each group overrides those it sets (its own
     * {@link ParamGroup#betas}, {@link ParamGroup#eps}, decays, learning rate).
     *
     * <pre>{@code
     * Adam adam = Adam.builder(List.of(ParamGroup.of(body).lr(1e-4f), ParamGroup.of(head)), 1e-3f)
     *     .decoupledWeightDecay(0.01f).build();
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
        return new Builder("Adam", null, listOf("Adam", groups), lr);
    }

    private static List<ParamGroup> listOf(String name, Iterable<ParamGroup> groups) {
        if (groups == null) {
            throw new IllegalArgumentException(name + ": the param group list is null");
        }
        List<ParamGroup> list = new ArrayList<>();
        groups.forEach(list::add);
        return list;
    }

    /**
     * {@link #builder(List, float)} over autograd parameters.
     *
     * @param params the parameters (their {@link Var#value()}s are updated)
     * @param lr the learning rate, finite and > 0
     * @return a builder
     */
    public static Builder builder(Collection<Var> params, float lr) {
        return builder(values(params), lr);
    }

    /**
     * AdamW as {@code torch.optim.AdamW(params, lr, weight_decay=weightDecay)}: betas
     * (0.9, 0.999), eps 1e-8, and decoupled weight decay {@code p *= 1 - lr*weightDecay}.
     *
     * @param params the parameters
     * @param lr the learning rate, finite and > 0
     * @param weightDecay the decoupled coefficient (PyTorch's default is
     *     {@value #ADAMW_DEFAULT_WEIGHT_DECAY}), finite and >= 0
     * @return the optimiser
     */
    public static Adam adamW(List<Tensor> params, float lr, float weightDecay) {
        return new Builder("AdamW", params, null, lr).decoupledWeightDecay(weightDecay).build();
    }

    /**
     * AdamW with all of PyTorch's defaults, weight decay {@value #ADAMW_DEFAULT_WEIGHT_DECAY} included.
     *
     * @param params the parameters
     * @param lr the learning rate, finite and > 0
     * @return the optimiser
     */
    public static Adam adamW(List<Tensor> params, float lr) {
        return adamW(params, lr, ADAMW_DEFAULT_WEIGHT_DECAY);
    }

    /**
     * {@link #adamW(List, float, float)} over autograd parameters.
     *
     * @param params the parameters (their {@link Var#value()}s are updated)
     * @param lr the learning rate, finite and > 0
     * @param weightDecay the decoupled coefficient, finite and >= 0
     * @return the optimiser
     */
    public static Adam adamW(Collection<Var> params, float lr, float weightDecay) {
        return adamW(values(params), lr, weightDecay);
    }

    /**
     * {@link #adamW(List, float)} over autograd parameters.
     *
     * @param params the parameters (their {@link Var#value()}s are updated)
     * @param lr the learning rate, finite and > 0
     * @return the optimiser
     */
    public static Adam adamW(Collection<Var> params, float lr) {
        return adamW(values(params), lr);
    }

    @Override
    public void step() {
        calls++;
        List<ParamGroup> groups = paramGroups();
        int i = 0;
        for (int gi = 0; gi < groups.size(); gi++) {
            ParamGroup g = groups.get(gi);
            List<Tensor> params = g.params();
            for (int j = 0; j < params.size(); j++, i++) {
                Tensor p = params.get(j);
                Tensor grad = p.grad();
                if (grad == null) {
                    continue;
                }
                Updates.adam(p, grad, m[i], v[i], paramSteps[i] + 1, g.lr, g.beta1, g.beta2, g.eps, g.weightDecay,
                        g.decoupledWeightDecay);
                paramSteps[i]++; // only once the update went through: a rejected one leaves the count alone
            }
        }
    }

    /** @return the number of {@link #step()} calls so far */
    public long steps() {
        return calls;
    }

    /**
     * @param index a parameter's index in {@link #parameters()}
     * @return how many updates that parameter has had (steps at which it had a gradient); its
     *     next update is bias-corrected as step {@code steps(index) + 1}
     * @throws IndexOutOfBoundsException if there is no such parameter
     */
    public long steps(int index) {
        if (index < 0 || index >= paramSteps.length) {
            throw new IndexOutOfBoundsException("Adam.steps: parameter index " + index + " out of range for "
                    + paramSteps.length + " parameters");
        }
        return paramSteps[index];
    }

    /** @return the decay of the first moment of the first param group */
    public float beta1() {
        return paramGroups().get(0).beta1;
    }

    /** @return the decay of the second moment of the first param group */
    public float beta2() {
        return paramGroups().get(0).beta2;
    }

    /** @return the term added to the denominator of the first param group */
    public float eps() {
        return paramGroups().get(0).eps;
    }

    /** @return the L2 weight decay of the first param group (Adam's {@code weight_decay}) */
    public float weightDecay() {
        return paramGroups().get(0).weightDecay;
    }

    /** @return the decoupled weight decay of the first param group (AdamW's {@code weight_decay}) */
    public float decoupledWeightDecay() {
        return paramGroups().get(0).decoupledWeightDecay;
    }

    /**
     * The options of {@link Adam}, defaulting to PyTorch's; each setter returns this builder,
     * {@link #build()} checks them all.
     */
    public static final class Builder {
        private final String name;
        private final List<Tensor> params;
        private final List<ParamGroup> groups;
        private final float lr;
        private float beta1 = 0.9f;
        private float beta2 = 0.999f;
        private float eps = 1e-8f;
        private float weightDecay;
        private float decoupledWeightDecay;

        private Builder(String name, List<Tensor> params, List<ParamGroup> groups, float lr) {
            this.name = name;
            this.params = params;
            this.groups = groups;
            this.lr = lr;
        }

        private List<ParamGroup> specs() {
            return groups != null ? groups : List.of(Optimizer.specOf(name, params));
        }

        /** The options as checked defaults, each named as before groups existed. */
        private ParamGroup defaults() {
            ParamGroup d = ParamGroup.defaults(name);
            d.lr = Optimizer.checkLr(name, lr);
            d.beta1 = checkRange(name, "beta1", beta1, 0f, 1f);
            d.beta2 = checkRange(name, "beta2", beta2, 0f, 1f);
            d.eps = Optimizer.checkEps(name, eps);
            d.weightDecay = checkDecay(name, "weight decay", weightDecay);
            d.decoupledWeightDecay = checkDecay(name, "decoupled weight decay", decoupledWeightDecay);
            return d;
        }

        /**
         * @param beta1 decay of the first moment, in [0, 1); default 0.9
         * @param beta2 decay of the second moment, in [0, 1); default 0.999
         * @return this builder
         */
        public Builder betas(float beta1, float beta2) {
            this.beta1 = beta1;
            this.beta2 = beta2;
            return this;
        }

        /**
         * @param eps added to the denominator, finite and > 0; default 1e-8
         * @return this builder
         */
        public Builder eps(float eps) {
            this.eps = eps;
            return this;
        }

        /**
         * @param weightDecay the L2 coefficient added to the gradient (Adam's
         *     {@code weight_decay}), finite and >= 0; default 0
         * @return this builder
         */
        public Builder weightDecay(float weightDecay) {
            this.weightDecay = weightDecay;
            return this;
        }

        /**
         * @param decoupledWeightDecay AdamW's coefficient, {@code p *= 1 - lr*decay} before
         *     each step, finite and >= 0; default 0
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
        public Adam build() {
            return new Adam(this);
        }
    }
}
