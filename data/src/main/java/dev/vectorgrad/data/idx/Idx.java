package dev.vectorgrad.data.idx;

import dev.vectorgrad.core.Tensor;
import dev.vectorgrad.data.DataFormatException;
import dev.vectorgrad.data.internal.AtomicFiles;
import dev.vectorgrad.data.internal.Bytes;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

/**
 * Reads and writes IDX files, the format of MNIST and Fashion-MNIST
 * ({@code train-images-idx3-ubyte[.gz]} and friends).
 *
 * <p>Layout: two zero bytes, a type byte, a dimension count, then one big-endian 32-bit size
 * per dimension, then the elements, big-endian, row-major. Gzip is recognised from the bytes
 * (1f 8b), not from the file name. Every size is checked against the real length before any
 * element array is allocated; anything wrong is a {@link DataFormatException} naming the file.
 */
public final class Idx {
    /** More dimensions than any sane IDX file has; a larger count means a corrupt header. */
    private static final int MAX_DIMS = 16;

    private Idx() {}

    /**
     * Reads any IDX file into a tensor of its own shape, values unscaled.
     *
     * @param file an IDX file, gzip-compressed or not
     * @return a float32 tensor shaped as the file's dimensions
     * @throws DataFormatException if the file is not a well-formed IDX file
     * @throws IOException if the file cannot be read
     */
    public static Tensor read(Path file) throws IOException {
        return decode(Bytes.readMaybeGzip(file), file.toString());
    }

    /**
     * Decodes IDX bytes (gzip-compressed or not) into a tensor of the file's shape.
     *
     * @param bytes the file's bytes
     * @param source the name used in error messages
     * @return a float32 tensor shaped as the file's dimensions, values unscaled
     * @throws DataFormatException if the bytes are not a well-formed IDX file
     */
    public static Tensor decode(byte[] bytes, String source) throws DataFormatException {
        byte[] b = Bytes.maybeGunzip(bytes, source);
        Header h = header(b, source);
        float[] values = new float[(int) h.count];
        ByteBuffer buf = ByteBuffer.wrap(b, h.dataStart, b.length - h.dataStart).slice();
        switch (h.type) {
            case UBYTE -> {
                for (int i = 0; i < values.length; i++) {
                    values[i] = buf.get(i) & 0xff;
                }
            }
            case BYTE -> {
                for (int i = 0; i < values.length; i++) {
                    values[i] = buf.get(i);
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
            default -> throw new AssertionError(h.type);
        }
        return Tensor.wrap(values, h.dims);
    }

    /**
     * Reads an image file as {@code [n, rows*cols]} floats in [0, 1], the lesson's layout.
     *
     * @param file a ubyte IDX file with three dimensions
     * @return images, one flattened image per row
     * @throws DataFormatException if the file is not a 3-d ubyte IDX file
     * @throws IOException if the file cannot be read
     */
    public static Tensor readImages(Path file) throws IOException {
        return decodeImages(Bytes.readMaybeGzip(file), file.toString(), true);
    }

    /**
     * Reads an image file as {@code [n, rows, cols]} floats in [0, 1].
     *
     * @param file a ubyte IDX file with three dimensions
     * @return images
     * @throws DataFormatException if the file is not a 3-d ubyte IDX file
     * @throws IOException if the file cannot be read
     */
    public static Tensor readImages3d(Path file) throws IOException {
        return decodeImages(Bytes.readMaybeGzip(file), file.toString(), false);
    }

    /**
     * Decodes image bytes.
     *
     * @param bytes an IDX file's bytes (gzip or not)
     * @param source the name used in error messages
     * @param flatten true for {@code [n, rows*cols]}, false for {@code [n, rows, cols]}
     * @return images scaled to [0, 1]
     * @throws DataFormatException if the bytes are not a 3-d ubyte IDX file
     */
    public static Tensor decodeImages(byte[] bytes, String source, boolean flatten) throws DataFormatException {
        byte[] b = Bytes.maybeGunzip(bytes, source);
        Header h = header(b, source);
        if (h.type != IdxType.UBYTE || h.dims.length != 3) {
            throw new DataFormatException(source, "expected an image file (ubyte, 3 dimensions [n, rows, cols]) but found "
                    + h.type + " with dimensions " + Arrays.toString(h.dims));
        }
        if ((long) h.dims[1] * h.dims[2] > Integer.MAX_VALUE) {
            throw new DataFormatException(source, "images of " + h.dims[1] + " x " + h.dims[2]
                    + " pixels do not fit one row of a tensor");
        }
        float[] values = new float[(int) h.count];
        for (int i = 0; i < values.length; i++) {
            values[i] = (b[h.dataStart + i] & 0xff) / 255f;
        }
        return flatten ? Tensor.wrap(values, h.dims[0], h.dims[1] * h.dims[2]) : Tensor.wrap(values, h.dims);
    }

    /**
     * Reads a label file as a 1-d tensor of class indices.
     *
     * @param file a ubyte IDX file with one dimension
     * @return labels {@code [n]}
     * @throws DataFormatException if the file is not a 1-d ubyte IDX file
     * @throws IOException if the file cannot be read
     */
    public static Tensor readLabels(Path file) throws IOException {
        return decodeLabels(Bytes.readMaybeGzip(file), file.toString());
    }

    /**
     * Decodes label bytes.
     *
     * @param bytes an IDX file's bytes (gzip or not)
     * @param source the name used in error messages
     * @return labels {@code [n]}
     * @throws DataFormatException if the bytes are not a 1-d ubyte IDX file
     */
    public static Tensor decodeLabels(byte[] bytes, String source) throws DataFormatException {
        byte[] b = Bytes.maybeGunzip(bytes, source);
        Header h = header(b, source);
        if (h.type != IdxType.UBYTE || h.dims.length != 1) {
            throw new DataFormatException(source, "expected a label file (ubyte, 1 dimension [n]) but found "
                    + h.type + " with dimensions " + Arrays.toString(h.dims));
        }
        float[] values = new float[(int) h.count];
        for (int i = 0; i < values.length; i++) {
            values[i] = b[h.dataStart + i] & 0xff;
        }
        return Tensor.wrap(values, h.dims[0]);
    }

    private record Header(IdxType type, int[] dims, long count, int dataStart) {}

    /** Parses and checks the header against the real length; allocates nothing proportional to claims. */
    private static Header header(byte[] b, String source) throws DataFormatException {
        if (b.length < 4) {
            throw new DataFormatException(source, "too short for an IDX header: " + b.length + " bytes");
        }
        if (b[0] != 0 || b[1] != 0) {
            throw new DataFormatException(source, String.format(
                    "wrong magic number: expected 00 00 <type> <dims> but found %02x %02x %02x %02x",
                    b[0], b[1], b[2], b[3]));
        }
        IdxType type = IdxType.of(b[2] & 0xff);
        if (type == null) {
            throw new DataFormatException(source, String.format(
                    "unknown IDX type byte 0x%02x (expected 08, 09, 0b, 0c, 0d or 0e)", b[2] & 0xff));
        }
        int nd = b[3] & 0xff;
        if (nd == 0 || nd > MAX_DIMS) {
            throw new DataFormatException(source, "dimension count " + nd + " is not in 1.." + MAX_DIMS);
        }
        int dataStart = 4 + 4 * nd;
        if (b.length < dataStart) {
            throw new DataFormatException(source, "header names " + nd + " dimensions, needing " + dataStart
                    + " header bytes, but the file has only " + b.length + " bytes");
        }
        ByteBuffer buf = ByteBuffer.wrap(b);
        int[] dims = new int[nd];
        long count = 1;
        boolean overflow = false;
        for (int i = 0; i < nd; i++) {
            long d = Integer.toUnsignedLong(buf.getInt(4 + 4 * i));
            if (d > Integer.MAX_VALUE) {
                throw new DataFormatException(source, "dimension " + i + " claims " + d
                        + " items, more than a Java array holds (" + Integer.MAX_VALUE + ")");
            }
            dims[i] = (int) d;
            if (!overflow) {
                try {
                    count = Math.multiplyExact(count, d);
                } catch (ArithmeticException e) {
                    overflow = true;
                }
            }
        }
        long have = b.length - (long) dataStart;
        long need = Long.MAX_VALUE;
        if (!overflow) {
            try {
                need = Math.multiplyExact(count, type.size());
            } catch (ArithmeticException e) {
                overflow = true;
            }
        }
        if (overflow || need != have) {
            throw new DataFormatException(source, "dimensions " + Arrays.toString(dims) + " of " + type
                    + " need " + (overflow ? "more than 2^63" : String.valueOf(need)) + " data bytes but the file has "
                    + have + " after the " + dataStart + "-byte header");
        }
        if (count > Bytes.MAX_ARRAY) {
            throw new DataFormatException(source, count + " elements do not fit one Java array");
        }
        return new Header(type, dims, count, dataStart);
    }

    /**
     * Writes images in [0, 1] as a ubyte IDX file ({@code round(v * 255)}), through a temporary
     * file renamed into place.
     *
     * @param file the file to write
     * @param images {@code [n, rows, cols]} values in [0, 1]
     * @param gzip true to gzip-compress
     * @throws IllegalArgumentException if the shape is not 3-d or a value is outside [0, 1] or NaN
     * @throws IOException if writing fails
     */
    public static void writeImages(Path file, Tensor images, boolean gzip) throws IOException {
        int[] s = images.shape();
        if (s.length != 3) {
            throw new IllegalArgumentException("Idx.writeImages: expected images [n, rows, cols] but got shape "
                    + Arrays.toString(s));
        }
        float[] v = images.toArray();
        byte[] out = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            float x = v[i];
            if (!(x >= 0f && x <= 1f)) {
                throw new IllegalArgumentException("Idx.writeImages: pixel " + i + " is " + x + ", expected a value in [0, 1]");
            }
            out[i] = (byte) Math.round(x * 255f);
        }
        write(file, IdxType.UBYTE, s, out, gzip);
    }

    /**
     * Writes class labels as a 1-d ubyte IDX file.
     *
     * @param file the file to write
     * @param labels {@code [n]} integers in 0..255
     * @param gzip true to gzip-compress
     * @throws IllegalArgumentException if not 1-d or a label is not an integer in 0..255
     * @throws IOException if writing fails
     */
    public static void writeLabels(Path file, Tensor labels, boolean gzip) throws IOException {
        int[] s = labels.shape();
        if (s.length != 1) {
            throw new IllegalArgumentException("Idx.writeLabels: expected labels [n] but got shape " + Arrays.toString(s));
        }
        float[] v = labels.toArray();
        byte[] out = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            float x = v[i];
            if (!(x >= 0f && x <= 255f) || x != Math.rint(x)) {
                throw new IllegalArgumentException("Idx.writeLabels: label " + i + " is " + x + ", expected an integer in 0..255");
            }
            out[i] = (byte) (int) x;
        }
        write(file, IdxType.UBYTE, s, out, gzip);
    }

    /**
     * Writes raw big-endian elements with an IDX header.
     *
     * @param file the file to write
     * @param type element type of {@code data}
     * @param dims sizes
     * @param data the elements, big-endian, row-major
     * @param gzip true to gzip-compress
     * @throws IllegalArgumentException if {@code data} does not hold exactly the elements the dims need
     * @throws IOException if writing fails
     */
    public static void write(Path file, IdxType type, int[] dims, byte[] data, boolean gzip) throws IOException {
        byte[] bytes = encode(type, dims, data);
        AtomicFiles.write(file, out -> {
            if (gzip) {
                try (GZIPOutputStream gz = new GZIPOutputStream(nonClosing(out), 65536)) {
                    gz.write(bytes);
                }
            } else {
                out.write(bytes);
            }
        });
    }

    /**
     * The bytes of an IDX file (uncompressed).
     *
     * @param type element type
     * @param dims sizes
     * @param data the elements, big-endian, row-major
     * @return header and data
     */
    public static byte[] encode(IdxType type, int[] dims, byte[] data) {
        if (dims.length == 0 || dims.length > MAX_DIMS) {
            throw new IllegalArgumentException("Idx.write: " + dims.length + " dimensions, expected 1.." + MAX_DIMS);
        }
        long n = type.size();
        for (int d : dims) {
            if (d < 0) {
                throw new IllegalArgumentException("Idx.write: negative size in " + Arrays.toString(dims));
            }
            n *= d;
        }
        if (n != data.length) {
            throw new IllegalArgumentException("Idx.write: dims " + Arrays.toString(dims) + " of " + type + " need "
                    + n + " bytes but " + data.length + " were given");
        }
        java.io.ByteArrayOutputStream bo = new java.io.ByteArrayOutputStream(data.length + 4 + 4 * dims.length);
        try (DataOutputStream d = new DataOutputStream(bo)) {
            d.writeShort(0);
            d.writeByte(type.code());
            d.writeByte(dims.length);
            for (int x : dims) {
                d.writeInt(x);
            }
            d.write(data);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return bo.toByteArray();
    }

    private static OutputStream nonClosing(OutputStream out) {
        return new java.io.FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        };
    }
}
