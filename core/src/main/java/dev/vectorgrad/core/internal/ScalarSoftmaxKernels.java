package dev.vectorgrad.core.internal;

/**
 * Plain loops: the definition of the log-softmax kernels, the oracle of their tests, the tail of
 * {@link VectorSoftmaxKernels} and the whole implementation when {@code vectorgrad.vectorBitSize=0}.
 * The static helpers work on {@code n} floats {@code stride} apart, so the vector kernel can hand
 * them the rest of a row or whole leftover columns.
 */
public final class ScalarSoftmaxKernels implements SoftmaxKernels {

    /** The shared instance; the class holds no state. */
    public static final ScalarSoftmaxKernels INSTANCE = new ScalarSoftmaxKernels();

    private ScalarSoftmaxKernels() {}

    @Override
    public void logSoftmax(float[] x, int xOff, float[] out, int outOff, int outer, int n, int inner) {
        if (n == 0) {
            return;
        }
        for (int o = 0; o < outer; o++) {
            int base = o * n * inner;
            for (int j = 0; j < inner; j++) {
                logSoftmaxSlice(x, xOff + base + j, out, outOff + base + j, n, inner);
            }
        }
    }

    @Override
    public void logSoftmaxBackward(float[] g, int gOff, float[] y, int yOff, float[] gx, int gxOff,
                                   int outer, int n, int inner, boolean accumulate) {
        for (int o = 0; o < outer; o++) {
            int base = o * n * inner;
            for (int j = 0; j < inner; j++) {
                float s = (float) sum(g, gOff + base + j, n, inner, 0.0);
                writeBackward(g, gOff + base + j, y, yOff + base + j, gx, gxOff + base + j, n, inner, s, accumulate);
            }
        }
    }

    @Override
    public void logSumExp(float[] x, int xOff, float[] lse, int lseOff, int outer, int n, int inner) {
        for (int o = 0; o < outer; o++) {
            for (int j = 0; j < inner; j++) {
                lse[lseOff + o * inner + j] = logSumExpSlice(x, xOff + o * n * inner + j, n, inner);
            }
        }
    }

    /** One slice of {@link #logSumExp}: the log of the shifted sum, plus the shift. */
    static float logSumExpSlice(float[] x, int xOff, int n, int stride) {
        float m = shift(max(x, xOff, n, stride, Float.NEGATIVE_INFINITY));
        return (float) Math.log(expSum(x, xOff, n, stride, m, 0.0)) + m;
    }

    /** One slice of {@link #logSoftmax}, {@code n >= 1}. */
    static void logSoftmaxSlice(float[] x, int xOff, float[] out, int outOff, int n, int stride) {
        float m = shift(max(x, xOff, n, stride, Float.NEGATIVE_INFINITY));
        float logSum = (float) Math.log(expSum(x, xOff, n, stride, m, 0.0));
        writeShifted(x, xOff, out, outOff, n, stride, m, logSum);
    }

    /** The largest of {@code start} and the {@code n} elements; NaN if any is NaN. */
    static float max(float[] x, int off, int n, int stride, float start) {
        float m = start;
        for (int k = 0; k < n; k++) {
            m = Math.max(m, x[off + k * stride]);
        }
        return m;
    }

    /** A slice's shift: its maximum, or 0 when that is infinite (no {@code inf - inf} in {@code x - m}). */
    static float shift(float max) {
        return Float.isInfinite(max) ? 0f : max;
    }

    /** {@code start + sum_k (float) exp(x_k - m)}, added in double in element order. */
    static double expSum(float[] x, int off, int n, int stride, float m, double start) {
        double s = start;
        for (int k = 0; k < n; k++) {
            s += (float) Math.exp(x[off + k * stride] - m);
        }
        return s;
    }

    /** {@code out_k = (x_k - m) - logSum}. */
    static void writeShifted(float[] x, int xOff, float[] out, int outOff, int n, int stride, float m, float logSum) {
        for (int k = 0; k < n; k++) {
            out[outOff + k * stride] = (x[xOff + k * stride] - m) - logSum;
        }
    }

    /** {@code start + sum_k g_k}, added in double in element order. */
    static double sum(float[] g, int off, int n, int stride, double start) {
        double s = start;
        for (int k = 0; k < n; k++) {
            s += g[off + k * stride];
        }
        return s;
    }

    /** {@code gx_k (=|+=) g_k - (float) exp(y_k) * s}: a rounded product, then the difference (no fma). */
    static void writeBackward(float[] g, int gOff, float[] y, int yOff, float[] gx, int gxOff, int n, int stride,
                              float s, boolean accumulate) {
        for (int k = 0; k < n; k++) {
            float r = g[gOff + k * stride] - (float) Math.exp(y[yOff + k * stride]) * s;
            int at = gxOff + k * stride;
            gx[at] = accumulate ? gx[at] + r : r;
        }
    }

    @Override
    public String describe() {
        return "scalar log-softmax";
    }
}
