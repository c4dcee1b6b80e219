package dev.vectorgrad.core.internal;

/**
 * The products of a convolution that the general matmul handles poorly: one dimension tiny (a
 * first layer's {@code C_in*kH*kW} of 9, or its 16 output channels), where packing panels costs
 * more than the product. Operands are read in place. Arguments are trusted:
 * {@code dev.vectorgrad.core.Convolution} has checked them.
 */
public interface ConvKernels {

    /**
     * {@code C = A·B} (or {@code C += A·B} when {@code accumulate}) for A of m×k and B of k×n:
     * {@code A[i][p]} at {@code a[aOff + i*aRowStride + p*aColStride]}, {@code B[p][j]} at
     * {@code b[bOff + p*bRowStride + j]} (rows contiguous), {@code C[i][j]} at
     * {@code c[cOff + i*cRowStride + j]}. Each element sums its k products in order of p.
     */
    void smallMatmul(int m, int n, int k,
                     float[] a, int aOff, int aRowStride, int aColStride,
                     float[] b, int bOff, int bRowStride,
                     float[] c, int cOff, int cRowStride, boolean accumulate);

    /**
     * {@code dst[dOff + j*dstRowStride + i] = src[sOff + i*srcRowStride + j]} for {@code i < rows},
     * {@code j < cols}: a block copied transposed.
     */
    void transpose(float[] src, int sOff, int srcRowStride, int rows, int cols, float[] dst, int dOff, int dstRowStride);

    /** A short description for logs. */
    String describe();
}
