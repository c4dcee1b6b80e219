package dev.vectorgrad.core.internal;

/**
 * Fused optimiser updates over runs of contiguous floats: each reads a parameter, its gradient
 * and the optimiser's state once and writes the parameter and the state once, where the
 * unfused tensor ops made a pass per term.
 *
 * <p>Kernels trust their arguments: {@code dev.vectorgrad.core.Updates} validates shapes,
 * layouts and hyper-parameters and precomputes the per-step scalars. Every implementation must
 * agree with {@link ScalarUpdateKernels}, the oracle of the tests, bit for bit. The runs of
 * different arrays never overlap.
 *
 * <p>Common arguments: {@code weightDecay} is the L2 term added to the gradient
 * ({@code g + weightDecay*p}, skipped when it is 0, as PyTorch skips it), computed from the
 * parameter before it is decayed; {@code decay} is the decoupled factor
 * {@code 1 - lr*decoupledWeightDecay}, applied to the parameter before the gradient step
 * (exactly 1 when off).
 */
public interface UpdateKernels {

    /**
     * SGD without momentum, {@code torch.optim.SGD} with {@code momentum=0}:
     * {@code p = p*decay - lr*(g + weightDecay*p)}.
     */
    void sgd(float[] p, int pOff, float[] g, int gOff, int n, float lr, float weightDecay, float decay);

    /**
     * SGD with momentum, {@code torch.optim.SGD}: with {@code d = g + weightDecay*p},
     * {@code buf = firstStep ? d : buf*momentum + gradScale*d} (gradScale is
     * {@code 1 - dampening}), then {@code p = p*decay - lr*(nesterov ? d + momentum*buf : buf)}.
     */
    void sgdMomentum(float[] p, int pOff, float[] g, int gOff, float[] buf, int bufOff, int n,
                     float lr, float momentum, float gradScale, boolean nesterov, float weightDecay, float decay,
                     boolean firstStep);

    /**
     * Adam, {@code torch.optim.Adam} / {@code AdamW}: with {@code d = g + weightDecay*p},
     * {@code m += oneMinusBeta1*(d - m)} (torch's {@code lerp_}),
     * {@code v = v*beta2 + (oneMinusBeta2*d)*d}, and
     * {@code p = p*decay - stepSize*(m / (sqrt(v)/bc2Sqrt + eps))}, where
     * {@code stepSize = lr/(1 - beta1^t)} and {@code bc2Sqrt = sqrt(1 - beta2^t)}.
     */
    void adam(float[] p, int pOff, float[] g, int gOff, float[] m, int mOff, float[] v, int vOff, int n,
              float oneMinusBeta1, float beta2, float oneMinusBeta2, float eps, float stepSize, float bc2Sqrt,
              float weightDecay, float decay);

    /** A short description, e.g. {@code "fused updates, Vector API, 8 float lanes"}. */
    String describe();
}
