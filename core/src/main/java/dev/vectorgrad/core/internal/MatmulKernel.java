package dev.vectorgrad.core.internal;

/**
 * General matrix multiply on strided operands, so transposed and sliced views need no copy.
 *
 * <p>Element {@code A[i][p]} lives at {@code a[aOff + i*aRowStride + p*aColStride]}, likewise
 * {@code B[p][j]}; C is written row-major with row stride {@code cRowStride} and unit column
 * stride. Arguments are trusted: {@code Tensor.matmul} has checked them.
 */
public interface MatmulKernel {

    /**
     * {@code C = A·B} (or {@code C += A·B} when {@code accumulate}) for A of m×k and B of k×n.
     * With {@code k == 0} the product is all zeros.
     */
    void matmul(int m, int n, int k,
                float[] a, int aOff, int aRowStride, int aColStride,
                float[] b, int bOff, int bRowStride, int bColStride,
                float[] c, int cOff, int cRowStride, boolean accumulate);

    /** A short description for the start-up log line. */
    String describe();

    /**
     * @return the threads a large product is spread over, the caller included (fixed when the
     *     kernel is built: {@link Kernels#MATMUL}'s come from {@code vectorgrad.threads} at start-up)
     */
    default int threads() {
        return 1;
    }
}
