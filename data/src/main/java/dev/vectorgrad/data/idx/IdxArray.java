package dev.vectorgrad.data.idx;

import dev.vectorgrad.core.Tensor;
import java.nio.ByteBuffer;

/**
 * An IDX file as read: its checked header and its elements as the raw bytes of the file
 * (big-endian, row-major, decompressed). For MNIST's unsigned bytes this is the pixels themselves,
 * a quarter of the memory of floats.
 *
 * <p>{@link #data()} hands out the array itself, not a copy: it is the caller's from then on.
 */
public final class IdxArray {
    private final IdxHeader header;
    private final byte[] data;

    IdxArray(IdxHeader header, byte[] data) {
        if (data.length != header.dataBytes()) {
            throw new IllegalArgumentException("IdxArray: " + header + " needs " + header.dataBytes()
                    + " data bytes but " + data.length + " were given");
        }
        this.header = header;
        this.data = data;
    }

    /** @return the header: element type and sizes */
    public IdxHeader header() {
        return header;
    }

    /** @return the elements' bytes, exactly {@code header().dataBytes()} of them (not a copy) */
    public byte[] data() {
        return data;
    }

    /**
     * Converts the elements to float32, unscaled (an unsigned byte 255 becomes 255f).
     *
     * @return a tensor shaped as the header's dimensions
     */
    public Tensor toTensor() {
        float[] values = new float[(int) header.count()];
        ByteBuffer buf = ByteBuffer.wrap(data);
        switch (header.type()) {
            case UBYTE -> {
                for (int i = 0; i < values.length; i++) {
                    values[i] = data[i] & 0xff;
                }
            }
            case BYTE -> {
                for (int i = 0; i < values.length; i++) {
                    values[i] = data[i];
                }
            }
            case SHORT -> {
                for (int i = 0; i < values.length; i++) {
                    values[i] = buf.getShort(2 * i);
                }
            }
            case INT -> {
                for (int i = 0; i < values.length; i++) {
                    values[i] = buf.getInt(4 * i);
                }
            }
            case FLOAT -> buf.asFloatBuffer().get(values);
            case DOUBLE -> {
                for (int i = 0; i < values.length; i++) {
                    values[i] = (float) buf.getDouble(8 * i);
                }
            }
            default -> throw new AssertionError(header.type());
        }
        return Tensor.wrap(values, header.dims());
    }
}
