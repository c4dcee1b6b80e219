package dev.vectorgrad.core.internal;

/**
 * The reference matmul: the i-p-j loop order streams rows of B and C, and each C element is
 * accumulated in the order p = 0, 1, ..., k-1. It is the oracle of the SIMD kernel's tests and
 * the whole implementation when {@code vectorgrad.vectorBitSize=0}.
 */
public final class ScalarMatmul implements MatmulKernel {

    /** The shared instance; the class holds no state. */
    public static final ScalarMatmul INSTANCE = new ScalarMatmul();

    private ScalarMatmul() {}

    @Override
    public void matmul(int m, int n, int k,
                       float[] a, int aOff, int aRowStride, int aColStride,
                       float[] b, int bOff, int bRowStride, int bColStride,
                       float[] c, int cOff, int cRowStride, boolean accumulate) {
        for (int i = 0; i < m; i++) {
            int cRow = cOff + i * cRowStride;
            if (!accumulate) {
                java.util.Arrays.fill(c, cRow, cRow + n, 0f);
            }
            for (int p = 0; p < k; p++) {
                float aip = a[aOff + i * aRowStride + p * aColStride];
                int bRow = bOff + p * bRowStride;
                for (int j = 0; j < n; j++) {
                    c[cRow + j] += aip * b[bRow + j * bColStride];
                }
            }
        }
    }

    @Override
    public String describe() {
        return "scalar matmul";
    }
}
