package dev.vectorgrad.core.internal;

/**
 * Plain loops: the definition of every fused update, the tail loop of the vector kernels, and
 * the whole implementation when {@code vectorgrad.vectorBitSize=0}.
 *
 * <p>Each element is computed in float with the operations, in the order, that PyTorch's
 * single-tensor optimiser code applies them; the vector kernels repeat that sequence lane by
 * lane, so both give the same bits.
 */
public final class ScalarUpdateKernels implements UpdateKernels {

    /** The shared instance; the class holds no state. */
    public static final ScalarUpdateKernels INSTANCE = new ScalarUpdateKernels();

    private ScalarUpdateKernels() {}

    @Override
    public void sgd(float[] p, int pOff, float[] g, int gOff, int n, float lr, float weightDecay, float decay) {
        boolean l2 = weightDecay != 0f;
        for (int i = 0; i < n; i++) {
            float pi = p[pOff + i];
            float d = g[gOff + i];
            if (l2) {
                d = d + weightDecay * pi;
            }
            p[pOff + i] = pi * decay - lr * d;
        }
    }

    @Override
    public void sgdMomentum(float[] p, int pOff, float[] g, int gOff, float[] buf, int bufOff, int n,
                            float lr, float momentum, float gradScale, boolean nesterov, float weightDecay,
                            float decay, boolean firstStep) {
        boolean l2 = weightDecay != 0f;
        for (int i = 0; i < n; i++) {
            float pi = p[pOff + i];
            float d = g[gOff + i];
            if (l2) {
                d = d + weightDecay * pi;
            }
            float b = firstStep ? d : buf[bufOff + i] * momentum + gradScale * d;
            buf[bufOff + i] = b;
            float step = nesterov ? d + momentum * b : b;
            p[pOff + i] = pi * decay - lr * step;
        }
    }

    @Override
    public void adam(float[] p, int pOff, float[] g, int gOff, float[] m, int mOff, float[] v, int vOff, int n,
                     float oneMinusBeta1, float beta2, float oneMinusBeta2, float eps, float stepSize,
                     float bc2Sqrt, float weightDecay, float decay) {
        boolean l2 = weightDecay != 0f;
        for (int i = 0; i < n; i++) {
            float pi = p[pOff + i];
            float d = g[gOff + i];
            if (l2) {
                d = d + weightDecay * pi;
            }
            float mi = m[mOff + i];
            mi = mi + oneMinusBeta1 * (d - mi);
            float vi = v[vOff + i] * beta2 + oneMinusBeta2 * d * d;
            m[mOff + i] = mi;
            v[vOff + i] = vi;
            float denom = (float) Math.sqrt(vi) / bc2Sqrt + eps;
            p[pOff + i] = pi * decay - stepSize * (mi / denom);
        }
    }

    @Override
    public String describe() {
        return "fused updates, scalar";
    }
}
