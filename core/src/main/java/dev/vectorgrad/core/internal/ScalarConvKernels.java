package dev.vectorgrad.core.internal;

/** Plain loops: the oracle of {@link VectorConvKernels} and its tail for the last columns. */
public final class ScalarConvKernels implements ConvKernels {

    /** The one instance. */
    public static final ScalarConvKernels INSTANCE = new ScalarConvKernels();

    private ScalarConvKernels() {}

    @Override
    public void smallMatmul(int m, int n, int k,
                            float[] a, int aOff, int aRowStride, int aColStride,
                            float[] b, int bOff, int bRowStride,
                            float[] c, int cOff, int cRowStride, boolean accumulate) {
        for (int i = 0; i < m; i++) {
            int ai = aOff + i * aRowStride;
            int ci = cOff + i * cRowStride;
            for (int j = 0; j < n; j++) {
                float s = accumulate ? c[ci + j] : 0f;
                for (int p = 0; p < k; p++) {
                    s += a[ai + p * aColStride] * b[bOff + p * bRowStride + j];
                }
                c[ci + j] = s;
            }
        }
    }

    @Override
    public void transpose(float[] src, int sOff, int srcRowStride, int rows, int cols, float[] dst, int dOff,
                          int dstRowStride) {
        Transpose.scalar(src, sOff, srcRowStride, rows, cols, dst, dOff, dstRowStride);
    }

    @Override
    public String describe() {
        return "scalar conv kernels";
    }
}
