package dev.vectorgrad.nn.optim;

import dev.vectorgrad.core.Tensor;
import java.util.List;

/**
 * Adam with decoupled weight decay (AdamW when {@code weightDecay > 0}), following PyTorch:
 *
 * <pre>
 * p *= 1 - lr*weightDecay
 * m  = beta1*m + (1-beta1)*g
 * v  = beta2*v + (1-beta2)*g*g
 * p -= lr/(1-beta1^t) * m / (sqrt(v)/sqrt(1-beta2^t) + eps)
 * </pre>
 *
 * <p>The moments live in arrays this optimiser owns; the gradient is copied into a scratch
 * array of the same size and the update is applied with one {@code addScaledInPlace}, so a step
 * allocates nothing.
 */
public final class Adam extends Optimizer {

    private final float beta1;
    private final float beta2;
    private final float eps;
    private final float weightDecay;
    private final float[][] m;
    private final float[][] v;
    private final float[][] scratch;
    private final Tensor[] scratchTensor;
    private int t;

    /**
     * Adam with PyTorch's defaults: betas (0.9, 0.999), eps 1e-8, no weight decay.
     *
     * @param params the parameters
     * @param lr the learning rate (1e-3 is the usual start)
     */
    public Adam(List<Tensor> params, float lr) {
        this(params, lr, 0.9f, 0.999f, 1e-8f, 0f);
    }

    /**
     * @param params the parameters
     * @param lr the learning rate
     * @param beta1 decay of the first moment, in [0, 1)
     * @param beta2 decay of the second moment, in [0, 1)
     * @param eps added to the denominator, > 0
     * @param weightDecay decoupled weight decay, >= 0
     */
    public Adam(List<Tensor> params, float lr, float beta1, float beta2, float eps, float weightDecay) {
        super("Adam", params, lr);
        this.beta1 = checkRange("Adam", "beta1", beta1, 0f, 1f);
        this.beta2 = checkRange("Adam", "beta2", beta2, 0f, 1f);
        if (!(eps > 0f) || !Float.isFinite(eps)) {
            throw new IllegalArgumentException("Adam: eps must be finite and > 0, got " + eps);
        }
        this.eps = eps;
        this.weightDecay = checkRange("Adam", "weight decay", weightDecay, 0f, Float.POSITIVE_INFINITY);
        int n = params.size();
        m = new float[n][];
        v = new float[n][];
        scratch = new float[n][];
        scratchTensor = new Tensor[n];
        for (int i = 0; i < n; i++) {
            Tensor p = params.get(i);
            m[i] = new float[p.numel()];
            v[i] = new float[p.numel()];
            scratch[i] = new float[p.numel()];
            scratchTensor[i] = Tensor.wrap(scratch[i], scratch[i].length).view(p.shape());
        }
    }

    @Override
    public void step() {
        t++;
        // Bias corrections in double: beta^t for large t underflows gracefully and stays exact enough.
        double bc1 = 1.0 - Math.pow(beta1, t);
        double bc2 = 1.0 - Math.pow(beta2, t);
        float stepSize = (float) (lr() / bc1);
        float invSqrtBc2 = (float) (1.0 / Math.sqrt(bc2));
        float lr = lr();
        List<Tensor> params = parameters();
        for (int i = 0; i < params.size(); i++) {
            Tensor p = params.get(i);
            Tensor g = p.grad();
            if (g == null) {
                continue;
            }
            decayWeights(p, lr, weightDecay);
            // copyFrom reads any layout of the gradient into our contiguous scratch array.
            scratchTensor[i].copyFrom(g);
            update(scratch[i], m[i], v[i], stepSize, invSqrtBc2);
            p.addScaledInPlace(-1f, scratchTensor[i]);
        }
    }

    /**
     * Turns the gradient in {@code gs} into the step to subtract, updating the moments. Three
     * simple loops rather than one: each is a pattern the JIT's auto-vectoriser recognises
     * (including the float square root), which the fused loop was not.
     */
    private void update(float[] gs, float[] mi, float[] vi, float stepSize, float invSqrtBc2) {
        float b1 = beta1;
        float b2 = beta2;
        float c1 = 1f - b1;
        float c2 = 1f - b2;
        float e = eps;
        int n = gs.length;
        for (int j = 0; j < n; j++) {
            mi[j] = b1 * mi[j] + c1 * gs[j];
        }
        for (int j = 0; j < n; j++) {
            vi[j] = b2 * vi[j] + c2 * gs[j] * gs[j];
        }
        for (int j = 0; j < n; j++) {
            gs[j] = stepSize * mi[j] / ((float) Math.sqrt(vi[j]) * invSqrtBc2 + e);
        }
    }

    /** @return the number of steps taken */
    public int steps() {
        return t;
    }
}
