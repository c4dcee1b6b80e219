package dev.vectorgrad.nn.optim;

import dev.vectorgrad.autograd.Var;
import dev.vectorgrad.core.Tensor;
import dev.vectorgrad.core.Updates;
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

    private final float momentum;
    private final float dampening;
    private final boolean nesterov;
    private final float weightDecay;
    private final float decoupledWeightDecay;
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
        super("Sgd", b.params, b.lr);
        this.momentum = checkRange("Sgd", "momentum", b.momentum, 0f, 1f);
        if (!(b.dampening >= 0f && b.dampening <= 1f)) {
            throw new IllegalArgumentException("Sgd: dampening must be in [0, 1], got " + b.dampening);
        }
        this.dampening = b.dampening;
        if (b.nesterov && (b.momentum == 0f || b.dampening != 0f)) {
            throw new IllegalArgumentException("Sgd: Nesterov momentum requires a momentum > 0 and zero dampening"
                    + " (as in PyTorch), got momentum " + b.momentum + " and dampening " + b.dampening);
        }
        this.nesterov = b.nesterov;
        this.weightDecay = checkDecay("Sgd", "weight decay", b.weightDecay);
        this.decoupledWeightDecay = checkDecay("Sgd", "decoupled weight decay", b.decoupledWeightDecay);
        List<Tensor> params = parameters();
        this.buffers = new Tensor[params.size()];
        this.started = new boolean[params.size()];
        if (momentum > 0f) {
            for (int i = 0; i < buffers.length; i++) {
                buffers[i] = Tensor.zeros(params.get(i).shape());
            }
        }
    }

    /**
     * Starts building an SGD optimiser; every option defaults to off, as in PyTorch.
     *
     * @param params the parameters
     * @param lr the learning rate, finite and > 0
     * @return a builder
     */
    public static Builder builder(List<Tensor> params, float lr) {
        return new Builder(params, lr);
    }

    /**
     * {@link #builder(List, float)} over autograd parameters.
     *
     * @param params the parameters (their {@link Var#value()}s are updated)
     * @param lr the learning rate, finite and > 0
     * @return a builder
     */
    public static Builder builder(Collection<Var> params, float lr) {
        return new Builder(values(params), lr);
    }

    @Override
    public void step() {
        List<Tensor> params = parameters();
        float lr = lr();
        for (int i = 0; i < params.size(); i++) {
            Tensor p = params.get(i);
            Tensor g = p.grad();
            if (g == null) {
                continue;
            }
            Updates.sgd(p, g, buffers[i], lr, momentum, dampening, nesterov, weightDecay, decoupledWeightDecay,
                    !started[i]);
            started[i] = true;
        }
    }

    /** @return the momentum factor (0 when off) */
    public float momentum() {
        return momentum;
    }

    /** @return the dampening of the gradient entering the momentum buffer */
    public float dampening() {
        return dampening;
    }

    /** @return whether the momentum is Nesterov's */
    public boolean nesterov() {
        return nesterov;
    }

    /** @return the L2 weight decay added to the gradient (PyTorch's {@code weight_decay}) */
    public float weightDecay() {
        return weightDecay;
    }

    /** @return the decoupled weight decay ({@code p *= 1 - lr*decay} before each step) */
    public float decoupledWeightDecay() {
        return decoupledWeightDecay;
    }

    /**
     * The options of {@link Sgd}; each setter returns this builder, {@link #build()} checks
     * them all together (so the order of the calls does not matter).
     */
    public static final class Builder {
        private final List<Tensor> params;
        private final float lr;
        private float momentum;
        private float dampening;
        private boolean nesterov;
        private float weightDecay;
        private float decoupledWeightDecay;

        private Builder(List<Tensor> params, float lr) {
            this.params = params;
            this.lr = lr;
        }

        /**
         * @param momentum the momentum factor, in [0, 1); default 0 (off)
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
