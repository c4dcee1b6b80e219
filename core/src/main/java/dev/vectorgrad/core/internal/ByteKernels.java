package dev.vectorgrad.core.internal;

/** Kernels that read unsigned bytes (pixels) into floats. */
public interface ByteKernels {

    /**
     * {@code dst[dOff + i] = (src[sOff + i] & 0xff) * scale + shift} for {@code i < n}: a product
     * rounded to float, then a sum rounded to float (no fused multiply-add), in every
     * implementation.
     */
    void unsignedToFloats(byte[] src, int sOff, float[] dst, int dOff, int n, float scale, float shift);

    /** @return a short description for the start-up log */
    String describe();
}
