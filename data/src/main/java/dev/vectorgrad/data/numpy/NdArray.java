package dev.vectorgrad.data.numpy;

import dev.vectorgrad.core.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A NumPy array as it was stored: element type, byte order, shape, memory order and the raw
 * bytes (possibly a window into a larger buffer, so reading a big pickle does not copy each
 * array twice). Built only by the readers of this package and {@code dev.vectorgrad.data.pickle},
 * after they have checked that the byte count matches the shape.
 */
public final class NdArray {
    private final DType dtype;
    private final ByteOrder order;
    private final int[] shape;
    private final boolean fortranOrder;
    private final byte[] data;
    private final int offset;

    private NdArray(DType dtype, ByteOrder order, int[] shape, boolean fortranOrder, byte[] data, int offset) {
        this.dtype = dtype;
        this.order = order;
        this.shape = shape;
        this.fortranOrder = fortranOrder;
        this.data = data;
        this.offset = offset;
    }

    /**
     * An array over {@code data[offset ...]}; the caller has checked the length.
     *
     * @param dtype element type
     * @param order byte order of multi-byte elements
     * @param shape sizes
     * @param fortranOrder true if the first index varies fastest
     * @param data backing bytes (not copied)
     * @param offset where the elements start
     * @param length how many bytes the caller found available from {@code offset}
     * @return the array
     * @throws IllegalArgumentException if {@code length} differs from what the shape needs
     */
    public static NdArray of(DType dtype, ByteOrder order, int[] shape, boolean fortranOrder,
            byte[] data, int offset, long length) {
        long need = byteCount(dtype, shape);
        if (need != length) {
            throw new IllegalArgumentException("ndarray: shape " + Arrays.toString(shape) + " of " + dtype.code()
                    + " needs " + need + " bytes but " + length + " were given");
        }
        return new NdArray(dtype, order, shape.clone(), fortranOrder, data, offset);
    }

    /**
     * @param dtype element type
     * @param shape sizes
     * @return the number of bytes the elements take, or -1 if it overflows a long or a size is negative
     */
    public static long byteCount(DType dtype, int[] shape) {
        long n = dtype.itemSize();
        for (int s : shape) {
            if (s < 0) {
                return -1;
            }
            try {
                n = Math.multiplyExact(n, s);
            } catch (ArithmeticException e) {
                return -1;
            }
        }
        return n;
    }

    /** @return the element type */
    public DType dtype() {
        return dtype;
    }

    /** @return the byte order of the stored elements */
    public ByteOrder byteOrder() {
        return order;
    }

    /** @return a copy of the shape */
    public int[] shape() {
        return shape.clone();
    }

    /** @return true if stored in Fortran (column-major) order */
    public boolean fortranOrder() {
        return fortranOrder;
    }

    /** @return the number of elements */
    public long numel() {
        long n = 1;
        for (int s : shape) {
            n *= s;
        }
        return n;
    }

    /**
     * The elements converted to float32, in storage order.
     *
     * @return a new array
     * @throws IllegalStateException if the array has more elements than a Java array holds
     */
    public float[] toFloatsInStorageOrder() {
        long n = numel();
        if (n > Integer.MAX_VALUE - 16) {
            throw new IllegalStateException("ndarray: " + n + " elements do not fit one float[]");
        }
        float[] out = new float[(int) n];
        ByteBuffer b = ByteBuffer.wrap(data, offset, (int) (n * dtype.itemSize())).slice().order(order);
        switch (dtype) {
            case BOOL, UINT8 -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = b.get(i) & 0xff;
                }
            }
            case INT8 -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = b.get(i);
                }
            }
            case UINT16 -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = b.getShort(2 * i) & 0xffff;
                }
            }
            case INT16 -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = b.getShort(2 * i);
                }
            }
            case INT32 -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = b.getInt(4 * i);
                }
            }
            case INT64 -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = b.getLong(8 * i);
                }
            }
            case FLOAT32 -> b.asFloatBuffer().get(out);
            case FLOAT64 -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = (float) b.getDouble(8 * i);
                }
            }
            default -> throw new AssertionError(dtype);
        }
        return out;
    }

    /**
     * The array as a float32 {@link Tensor} of the same shape, in row-major order whatever the
     * stored order. Integers are converted exactly up to 2^24.
     *
     * @return a new contiguous tensor
     */
    public Tensor toTensor() {
        float[] values = toFloatsInStorageOrder();
        if (shape.length == 0) {
            return Tensor.scalar(values[0]);
        }
        if (!fortranOrder || shape.length == 1) {
            return Tensor.wrap(values, shape);
        }
        // Fortran order is C order of the reversed shape; a permutation turns it back.
        int k = shape.length;
        int[] reversed = new int[k];
        int[] perm = new int[k];
        for (int i = 0; i < k; i++) {
            reversed[i] = shape[k - 1 - i];
            perm[i] = k - 1 - i;
        }
        return Tensor.wrap(values, reversed).permute(perm).contiguous();
    }

    /**
     * The elements' bytes as stored (a copy).
     *
     * @return the bytes
     */
    public byte[] rawBytes() {
        return Arrays.copyOfRange(data, offset, offset + (int) (numel() * dtype.itemSize()));
    }

    /**
     * A little-endian float32 C-order array holding a tensor's elements.
     *
     * @param t any tensor (views are read in row-major order)
     * @return the array
     */
    public static NdArray fromTensor(Tensor t) {
        float[] v = t.toArray();
        byte[] bytes = new byte[v.length * 4];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().put(v);
        return new NdArray(DType.FLOAT32, ByteOrder.LITTLE_ENDIAN, t.shape(), false, bytes, 0);
    }

    @Override
    public String toString() {
        return "ndarray(" + Arrays.toString(shape) + ", dtype=" + (order == ByteOrder.BIG_ENDIAN ? ">" : "<")
                + dtype.code() + (fortranOrder ? ", order=F" : "") + ")";
    }
}
