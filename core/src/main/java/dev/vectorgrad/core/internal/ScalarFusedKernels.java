package dev.vectorgrad.core.internal;

/**
 * Plain loops: the definition of every fused kernel, the oracle of their tests, the tail loop
 * of {@link VectorFusedKernels}, and the whole implementation when
 * {@code vectorgrad.vectorBitSize=0}.
 */
public final class ScalarFusedKernels implements FusedKernels {

    /** The shared instance; the class holds no state. */
    public static final ScalarFusedKernels INSTANCE = new ScalarFusedKernels();

    private ScalarFusedKernels() {}

    @Override
    public void biasRelu(float[] out, int outOff, int outRowStride, int rows, int cols,
                         float[] bias, int biasOff, boolean relu) {
        for (int i = 0; i < rows; i++) {
            biasReluRow(out, outOff + i * outRowStride, cols, bias, biasOff, relu);
        }
    }

    /** One row of {@link #biasRelu}; also the vector kernel's tail. */
    static void biasReluRow(float[] out, int off, int n, float[] bias, int biasOff, boolean relu) {
        for (int j = 0; j < n; j++) {
            float v = bias == null ? out[off + j] : out[off + j] + bias[biasOff + j];
            out[off + j] = relu ? Math.max(v, 0f) : v;
        }
    }

    @Override
    public void reluBackward(float[] gradOut, int gradOutOff, float[] output, int outputOff,
                             float[] gradIn, int gradInOff, int n, boolean accumulate) {
        for (int i = 0; i < n; i++) {
            float g = output[outputOff + i] > 0f ? gradOut[gradOutOff + i] : 0f;
            gradIn[gradInOff + i] = accumulate ? gradIn[gradInOff + i] + g : g;
        }
    }

    @Override
    public void columnSums(float[] src, int srcOff, int srcRowStride, int rows, int cols,
                           float[] dst, int dstOff, boolean accumulate) {
        for (int j = 0; j < cols; j++) {
            float s = 0f;
            for (int i = 0; i < rows; i++) {
                s += src[srcOff + i * srcRowStride + j];
            }
            dst[dstOff + j] = accumulate ? dst[dstOff + j] + s : s;
        }
    }

    @Override
    public void rowSums(float[] src, int srcOff, int srcRowStride, int rows, int cols,
                        float[] dst, int dstOff, boolean accumulate) {
        for (int i = 0; i < rows; i++) {
            float s = sum(src, srcOff + i * srcRowStride, cols);
            dst[dstOff + i] = accumulate ? dst[dstOff + i] + s : s;
        }
    }

    static float sum(float[] a, int off, int n) {
        float s = 0f;
        for (int j = 0; j < n; j++) {
            s += a[off + j];
        }
        return s;
    }

    @Override
    public double softmaxCrossEntropyRow(float[] logits, int off, int c, int target,
                                         float[] grad, int gradOff, float scale, boolean accumulate) {
        float max = max(logits, off, c, Float.NEGATIVE_INFINITY);
        double sum = expSum(logits, off, c, max);
        if (grad != null) {
            softmaxGrad(logits, off, c, max, (float) (1.0 / sum), grad, gradOff, scale, accumulate);
            correctTarget(grad, gradOff + target, scale);
        }
        return Math.log(sum) - ((double) logits[off + target] - max);
    }

    @Override
    public double softmaxCrossEntropyRow(float[] logits, int off, int c, int target, float eps,
                                         float[] grad, int gradOff, float scale, boolean accumulate) {
        if (eps == 0f) {
            return softmaxCrossEntropyRow(logits, off, c, target, grad, gradOff, scale, accumulate);
        }
        float max = max(logits, off, c, Float.NEGATIVE_INFINITY);
        double sum = expSum(logits, off, c, max);
        if (grad != null) {
            float uniform = smoothedUniform(scale, eps, c);
            float invSum = (float) (1.0 / sum);
            for (int j = 0; j < c; j++) {
                float g = (float) Math.exp(logits[off + j] - max) * invSum * scale - uniform;
                grad[gradOff + j] = accumulate ? grad[gradOff + j] + g : g;
            }
            correctTarget(grad, gradOff + target, smoothedHit(scale, eps));
        }
        return smoothedLoss(Math.log(sum), logits, off, c, target, max, eps);
    }

    /** {@code scale * eps / c}, the gradient's share of the uniform target, in float. */
    static float smoothedUniform(float scale, float eps, int c) {
        return (float) ((double) scale * eps / c);
    }

    /** {@code scale * (1 - eps)}, the gradient's share of the one-hot target, in float. */
    static float smoothedHit(float scale, float eps) {
        return (float) ((double) scale * (1.0 - eps));
    }

    /** {@code logSum - (1 - eps) (x_t - max) - eps mean_j (x_j - max)}, in double. */
    static double smoothedLoss(double logSum, float[] logits, int off, int c, int target, float max, float eps) {
        double shifted = 0;
        for (int j = 0; j < c; j++) {
            shifted += (double) logits[off + j] - max;
        }
        return logSum - (1.0 - eps) * ((double) logits[off + target] - max) - eps * (shifted / c);
    }

    /** The largest of {@code start} and {@code a[off .. off+n)}; NaN if any is NaN. */
    static float max(float[] a, int off, int n, float start) {
        float m = start;
        for (int j = 0; j < n; j++) {
            m = Math.max(m, a[off + j]);
        }
        return m;
    }

    /** {@code sum_j exp(a_j - max)}: each exponential in float (as the vector kernel has it), summed in double. */
    static double expSum(float[] a, int off, int n, float max) {
        double s = 0;
        for (int j = 0; j < n; j++) {
            s += (float) Math.exp(a[off + j] - max);
        }
        return s;
    }

    /** {@code grad[j] (=|+=) (exp(x_j - max) * invSum) * scale}, without the target's -1. */
    static void softmaxGrad(float[] x, int off, int n, float max, float invSum,
                            float[] grad, int gradOff, float scale, boolean accumulate) {
        for (int j = 0; j < n; j++) {
            float g = (float) Math.exp(x[off + j] - max) * invSum * scale;
            grad[gradOff + j] = accumulate ? grad[gradOff + j] + g : g;
        }
    }

    /** Subtracts the one-hot term at the target: {@code p*scale - scale}. */
    static void correctTarget(float[] grad, int at, float scale) {
        grad[at] -= scale;
    }

    @Override
    public double squaredError(float[] input, int inputOff, float[] target, int targetOff, int n,
                               float[] grad, int gradOff, float scale, boolean accumulate) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            float d = input[inputOff + i] - target[targetOff + i];
            s += (double) d * d;
            if (grad != null) {
                float g = d * scale;
                grad[gradOff + i] = accumulate ? grad[gradOff + i] + g : g;
            }
        }
        return s;
    }

    @Override
    public String describe() {
        return "scalar fused kernels";
    }
}
