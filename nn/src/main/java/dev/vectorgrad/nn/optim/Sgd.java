package dev.vectorgrad.nn.optim;

import dev.vectorgrad.core.Tensor;
import java.util.List;

/**
 * Stochastic gradient descent, optionally with momentum and decoupled weight decay.
 *
 * <p>With momentum {@code mu} it follows PyTorch's recurrence: {@code buf = g} on the first
 * step, then {@code buf = mu*buf + g}, and {@code p -= lr*buf}. Weight decay is decoupled (as
 * in AdamW): {@code p *= 1 - lr*weightDecay} before the gradient step, so it does not flow
 * through the momentum buffer.
 */
public final class Sgd extends Optimizer {

    private final float momentum;
    private final float weightDecay;
    private final Tensor[] buffers;

    /**
     * Plain SGD: {@code p -= lr * p.grad()}.
     *
     * @param params the parameters
     * @param lr the learning rate
     */
    public Sgd(List<Tensor> params, float lr) {
        this(params, lr, 0f, 0f);
    }

    /**
     * @param params the parameters
     * @param lr the learning rate
     * @param momentum in [0, 1); 0 turns momentum off (and allocates no buffer)
     * @param weightDecay decoupled weight decay, in [0, 1/lr)
     */
    public Sgd(List<Tensor> params, float lr, float momentum, float weightDecay) {
        super("Sgd", params, lr);
        this.momentum = checkRange("Sgd", "momentum", momentum, 0f, 1f);
        this.weightDecay = checkRange("Sgd", "weight decay", weightDecay, 0f, Float.POSITIVE_INFINITY);
        this.buffers = new Tensor[params.size()];
        if (momentum > 0f) {
            for (int i = 0; i < buffers.length; i++) {
                buffers[i] = Tensor.zeros(params.get(i).shape());
            }
        }
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
            decayWeights(p, lr, weightDecay);
            if (momentum > 0f) {
                Tensor buf = buffers[i];
                // The buffer starts at zero, so the first step gives buf = g, as in PyTorch.
                buf.mulInPlace(momentum).addInPlace(g);
                p.addScaledInPlace(-lr, buf);
            } else {
                p.addScaledInPlace(-lr, g);
            }
        }
    }

    /** @return the momentum factor (0 when off) */
    public float momentum() {
        return momentum;
    }

    /** @return the decoupled weight decay */
    public float weightDecay() {
        return weightDecay;
    }
}
