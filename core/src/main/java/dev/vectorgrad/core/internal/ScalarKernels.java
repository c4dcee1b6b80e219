package dev.vectorgrad.core.internal;

/**
 * Plain loops: the reference every SIMD kernel is tested against, the tail loop of those
 * kernels, and the whole implementation when {@code vectorgrad.vectorBitSize=0}.
 */
public final class ScalarKernels implements FloatKernels {

    /** The shared instance; the class holds no state. */
    public static final ScalarKernels INSTANCE = new ScalarKernels();

    private ScalarKernels() {}

    @Override
    public void binary(BinaryOp op, float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, int n) {
        for (int i = 0; i < n; i++) {
            out[outOff + i] = op.apply(a[aOff + i], b[bOff + i]);
        }
    }

    @Override
    public void binaryScalarRight(BinaryOp op, float[] a, int aOff, float s, float[] out, int outOff, int n) {
        for (int i = 0; i < n; i++) {
            out[outOff + i] = op.apply(a[aOff + i], s);
        }
    }

    @Override
    public void binaryScalarLeft(BinaryOp op, float s, float[] b, int bOff, float[] out, int outOff, int n) {
        for (int i = 0; i < n; i++) {
            out[outOff + i] = op.apply(s, b[bOff + i]);
        }
    }

    @Override
    public void unary(UnaryOp op, float[] a, int aOff, float[] out, int outOff, int n) {
        for (int i = 0; i < n; i++) {
            out[outOff + i] = op.apply(a[aOff + i]);
        }
    }

    @Override
    public void unaryParam(UnaryParamOp op, float a, float b, float[] x, int xOff, float[] out, int outOff, int n) {
        for (int i = 0; i < n; i++) {
            out[outOff + i] = op.apply(x[xOff + i], a, b);
        }
    }

    @Override
    public void unaryBackward(UnaryGradOp op, float a, float b, float[] g, int gOff, float[] s, int sOff,
                              float[] out, int outOff, int n, boolean accumulate) {
        for (int i = 0; i < n; i++) {
            float r = op.apply(g[gOff + i], s[sOff + i], a, b);
            out[outOff + i] = accumulate ? out[outOff + i] + r : r;
        }
    }

    @Override
    public void addScaled(float[] dst, int dstOff, float alpha, float[] src, int srcOff, int n) {
        for (int i = 0; i < n; i++) {
            dst[dstOff + i] += alpha * src[srcOff + i];
        }
    }

    @Override
    public float reduce(ReduceOp op, float[] a, int off, int n) {
        float acc = op.identity();
        for (int i = 0; i < n; i++) {
            acc = op.combine(acc, a[off + i]);
        }
        return acc;
    }

    @Override
    public int argmax(float[] a, int off, int n) {
        int best = n == 0 ? -1 : 0;
        for (int i = 1; i < n; i++) {
            float v = a[off + i];
            float b = a[off + best];
            if (Float.isNaN(b)) {
                break;
            }
            if (v > b || Float.isNaN(v)) {
                best = i;
            }
        }
        return best;
    }

    @Override
    public int argmin(float[] a, int off, int n) {
        int best = n == 0 ? -1 : 0;
        for (int i = 1; i < n; i++) {
            float v = a[off + i];
            float b = a[off + best];
            if (Float.isNaN(b)) {
                break;
            }
            if (v < b || Float.isNaN(v)) {
                best = i;
            }
        }
        return best;
    }

    @Override
    public String describe() {
        return "scalar kernels";
    }
}
