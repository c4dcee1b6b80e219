package dev.vectorgrad.data.idx;

import dev.vectorgrad.data.DataFormatException;
import dev.vectorgrad.data.internal.Bytes;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The checked header of an IDX file: element type and dimensions. Every reader in this package
 * parses headers here, so the checks (magic, type, dimension count, sizes) and their messages
 * exist once.
 */
public final class IdxHeader {
    /** More dimensions than any sane IDX file has; a larger count means a corrupt header. */
    static final int MAX_DIMS = 16;

    private final IdxType type;
    private final int[] dims;
    private final long count;

    private IdxHeader(IdxType type, int[] dims, long count) {
        this.type = type;
        this.dims = dims;
        this.count = count;
    }

    /** @return the element type */
    public IdxType type() {
        return type;
    }

    /** @return the sizes, outermost first (a copy) */
    public int[] dims() {
        return dims.clone();
    }

    /**
     * @param dim a dimension index
     * @return its size
     */
    public int size(int dim) {
        return dims[dim];
    }

    /** @return the number of elements, the product of the sizes */
    public long count() {
        return count;
    }

    /** @return the length of the header: 4 bytes of magic and 4 per dimension */
    public int headerBytes() {
        return 4 + 4 * dims.length;
    }

    /** @return the length of the data that must follow the header */
    public long dataBytes() {
        return count * type.size();
    }

    /** @return e.g. {@code UBYTE [60000, 28, 28]} */
    @Override
    public String toString() {
        return type + " " + Arrays.toString(dims);
    }

    /**
     * Reads and checks a header from the start of an (uncompressed) IDX stream, consuming exactly
     * {@link #headerBytes()} bytes. Allocates nothing proportional to the sizes it claims.
     */
    static IdxHeader read(InputStream in, String source) throws IOException {
        byte[] magic = in.readNBytes(4);
        if (magic.length < 4) {
            throw new DataFormatException(source, "too short for an IDX header: " + magic.length + " bytes");
        }
        if (magic[0] != 0 || magic[1] != 0) {
            throw new DataFormatException(source, String.format(
                    "wrong magic number: expected 00 00 <type> <dims> but found %02x %02x %02x %02x",
                    magic[0], magic[1], magic[2], magic[3]));
        }
        IdxType type = IdxType.of(magic[2] & 0xff);
        if (type == null) {
            throw new DataFormatException(source, String.format(
                    "unknown IDX type byte 0x%02x (expected 08, 09, 0b, 0c, 0d or 0e)", magic[2] & 0xff));
        }
        int nd = magic[3] & 0xff;
        if (nd == 0 || nd > MAX_DIMS) {
            throw new DataFormatException(source, "dimension count " + nd + " is not in 1.." + MAX_DIMS);
        }
        byte[] sizes = in.readNBytes(4 * nd);
        if (sizes.length < 4 * nd) {
            throw new DataFormatException(source, "header names " + nd + " dimensions, needing " + (4 + 4 * nd)
                    + " header bytes, but the file has only " + (4 + sizes.length) + " bytes");
        }
        ByteBuffer buf = ByteBuffer.wrap(sizes);
        int[] dims = new int[nd];
        long count = 1;
        boolean overflow = false;
        for (int i = 0; i < nd; i++) {
            long d = Integer.toUnsignedLong(buf.getInt(4 * i));
            if (d > Integer.MAX_VALUE) {
                throw new DataFormatException(source, "dimension " + i + " claims " + d
                        + " items, more than a Java array holds (" + Integer.MAX_VALUE + ")");
            }
            dims[i] = (int) d;
            if (!overflow) {
                try {
                    count = Math.multiplyExact(count, d);
                    Math.multiplyExact(count, type.size());
                } catch (ArithmeticException e) {
                    overflow = true; // keep going: a later size may be the one to name
                }
            }
        }
        if (overflow) {
            throw new DataFormatException(source, "dimensions " + Arrays.toString(dims) + " of " + type
                    + " need more than 2^63 data bytes");
        }
        return new IdxHeader(type, dims, count);
    }

    /**
     * Refuses data whose length differs from what the sizes need.
     *
     * @param have the data bytes present after the header
     */
    void checkDataLength(long have, String source) throws DataFormatException {
        if (have != dataBytes()) {
            throw new DataFormatException(source, "dimensions " + Arrays.toString(dims) + " of " + type + " need "
                    + dataBytes() + " data bytes but the file has " + have + " after the " + headerBytes()
                    + "-byte header");
        }
    }

    /** Refuses data that cannot be held in one Java array, before anything is allocated. */
    void checkFitsOneArray(String source) throws DataFormatException {
        if (dataBytes() > Bytes.MAX_ARRAY) {
            throw new DataFormatException(source, "dimensions " + Arrays.toString(dims) + " of " + type + " need "
                    + dataBytes() + " data bytes, more than one Java array holds (" + Bytes.MAX_ARRAY + ")");
        }
    }

    /** Refuses anything but unsigned bytes in {@code rank} dimensions; {@code what} describes the expected file. */
    void requireUbyte(int rank, String what, String source) throws DataFormatException {
        if (type != IdxType.UBYTE || dims.length != rank) {
            throw new DataFormatException(source, "expected " + what + " but found " + type + " with dimensions "
                    + Arrays.toString(dims));
        }
    }
}
