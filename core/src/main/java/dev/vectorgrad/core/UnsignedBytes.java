package dev.vectorgrad.core;

import java.util.Objects;

import dev.vectorgrad.core.internal.ByteKernels;
import dev.vectorgrad.core.internal.Kernels;

/**
 * Unsigned bytes (pixels 0-255) into floats on the SIMD kernels: how a data loader turns a batch
 * of byte images into a normalised float batch in one pass.
 */
public final class UnsignedBytes {

    private static final ByteKernels K = Kernels.BYTES;

    private UnsignedBytes() {}

    /**
     * {@code dst[dOff + i] = (src[sOff + i] & 0xff) * scale + shift} for {@code i < n}, the product
     * and the sum each rounded to float, so the SIMD and scalar kernels give the same bits. With
     * {@code scale = 1 / (255 std)} and {@code shift = -mean / std} this normalises pixels.
     *
     * @param src the bytes, read unsigned
     * @param sOff the first byte
     * @param dst where the floats go
     * @param dOff the first float
     * @param n how many
     * @param scale the factor
     * @param shift the addend
     * @throws IndexOutOfBoundsException naming both ranges if either array is too short or n negative
     */
    public static void toFloats(byte[] src, int sOff, float[] dst, int dOff, int n, float scale, float shift) {
        Objects.requireNonNull(src, "toFloats: src");
        Objects.requireNonNull(dst, "toFloats: dst");
        if (n < 0 || sOff < 0 || dOff < 0 || sOff > src.length - n || dOff > dst.length - n) {
            throw new IndexOutOfBoundsException("toFloats: " + n + " values from offset " + sOff + " of " + src.length
                    + " bytes into offset " + dOff + " of " + dst.length + " floats do not fit");
        }
        K.unsignedToFloats(src, sOff, dst, dOff, n, scale, shift);
    }
}
