package dev.vectorgrad.data.idx;

import dev.vectorgrad.core.Tensor;
import dev.vectorgrad.data.DataFormatException;
import dev.vectorgrad.data.internal.AtomicFiles;
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
 * (1f 8b), not from the file name. Anything wrong is a {@link DataFormatException} naming the
 * file, what was expected and what came.
 *
 * <p>Two ways in, one reader behind both: as float tensors ({@link #read}, {@link #readImages},
 * {@link #readLabels}, the {@code decode...} methods), or as the raw bytes with their header
 * ({@link #readRaw}, {@link #readImageBytes}, {@link #readLabelBytes}, {@link #decodeRaw}) for
 * callers that keep MNIST's pixels as bytes. Files are streamed, in 64 KB reads, into an array of
 * the data's exact size. The header's sizes are checked (see {@link IdxHeader}) before that array
 * is allocated: against the length of a plain file; for gzip, whose decompressed length shows only
 * at its end, the array is allocated up front only when the gzip trailer agrees with the header
 * and deflate could expand the file that far; otherwise it grows as bytes arrive, so an
 * unconfirmed header cannot make the reader allocate more than about twice the data really present.
 */
public final class Idx {
    private static final String IMAGE_FILE = "an image file (ubyte, 3 dimensions [n, rows, cols])";
    private static final String LABEL_FILE = "a label file (ubyte, 1 dimension [n])";

    /** Rows times columns must also fit one tensor row (a file of 0 images could claim any size). */
    private static final IdxReader.Expectation IMAGES = (h, source) -> {
        h.requireUbyte(3, IMAGE_FILE, source);
        if ((long) h.size(1) * h.size(2) > Integer.MAX_VALUE) {
            throw new DataFormatException(source, "images of " + h.size(1) + " x " + h.size(2)
                    + " pixels do not fit one row of a tensor");
        }
    };
    private static final IdxReader.Expectation LABELS = (h, source) -> h.requireUbyte(1, LABEL_FILE, source);

    private Idx() {}

    /**
     * Reads any IDX file as its header and raw element bytes, without converting them.
     *
     * @param file an IDX file, gzip-compressed or not
     * @return the header and the data bytes (big-endian, row-major)
     * @throws DataFormatException if the file is not a well-formed IDX file
     * @throws IOException if the file cannot be read
     */
    public static IdxArray readRaw(Path file) throws IOException {
        return IdxReader.readFile(file, IdxReader.ANY);
    }

    /**
     * Reads an image file ({@code *-images-idx3-ubyte[.gz]}) as its pixel bytes, 0-255, without
     * converting them to floats. The type and dimensions are checked before any pixel is read.
     *
     * @param file a ubyte IDX file with three dimensions {@code [n, rows, cols]}
     * @return the header and {@code n*rows*cols} pixel bytes, row-major
     * @throws DataFormatException if the file is not a well-formed 3-d ubyte IDX file
     * @throws IOException if the file cannot be read
     */
    public static IdxArray readImageBytes(Path file) throws IOException {
        return IdxReader.readFile(file, IMAGES);
    }

    /**
     * Reads a label file ({@code *-labels-idx1-ubyte[.gz]}) as its bytes, one class index 0-255
     * per item.
     *
     * @param file a ubyte IDX file with one dimension {@code [n]}
     * @return the header and {@code n} label bytes
     * @throws DataFormatException if the file is not a well-formed 1-d ubyte IDX file
     * @throws IOException if the file cannot be read
     */
    public static IdxArray readLabelBytes(Path file) throws IOException {
        return IdxReader.readFile(file, LABELS);
    }

    /**
     * Decodes IDX bytes (gzip-compressed or not) into the header and raw element bytes.
     *
     * @param bytes the file's bytes
     * @param source the name used in error messages
     * @return the header and the data bytes (big-endian, row-major)
     * @throws DataFormatException if the bytes are not a well-formed IDX file
     */
    public static IdxArray decodeRaw(byte[] bytes, String source) throws DataFormatException {
        return IdxReader.readBytes(bytes, source, IdxReader.ANY);
    }

    /**
     * Reads any IDX file into a tensor of its own shape, values unscaled.
     *
     * @param file an IDX file, gzip-compressed or not
     * @return a float32 tensor shaped as the file's dimensions
     * @throws DataFormatException if the file is not a well-formed IDX file
     * @throws IOException if the file cannot be read
     */
    public static Tensor read(Path file) throws IOException {
        return readRaw(file).toTensor();
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
        return decodeRaw(bytes, source).toTensor();
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
        return scaledImages(readImageBytes(file), true);
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
        return scaledImages(readImageBytes(file), false);
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
        return scaledImages(IdxReader.readBytes(bytes, source, IMAGES), flatten);
    }

    private static Tensor scaledImages(IdxArray images, boolean flatten) {
        byte[] b = images.data();
        float[] values = new float[b.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = (b[i] & 0xff) / 255f;
        }
        IdxHeader h = images.header();
        return flatten ? Tensor.wrap(values, h.size(0), h.size(1) * h.size(2)) : Tensor.wrap(values, h.dims());
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
        return readLabelBytes(file).toTensor();
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
        return IdxReader.readBytes(bytes, source, LABELS).toTensor();
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
        byte[] header = header(type, dims, data.length);
        AtomicFiles.write(file, out -> {
            if (gzip) {
                try (GZIPOutputStream gz = new GZIPOutputStream(nonClosing(out), 65536)) {
                    writeInPieces(gz, header, data);
                }
            } else {
                writeInPieces(out, header, data);
            }
        });
    }

    /** In 64 KB pieces: one 47 MB write() to a file makes the JDK allocate, and keep, a native buffer that size. */
    private static void writeInPieces(OutputStream out, byte[] header, byte[] data) throws IOException {
        out.write(header);
        for (int at = 0; at < data.length; at += 65536) {
            out.write(data, at, Math.min(65536, data.length - at));
        }
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
        byte[] header = header(type, dims, data.length);
        byte[] out = Arrays.copyOf(header, header.length + data.length);
        System.arraycopy(data, 0, out, header.length, data.length);
        return out;
    }

    /** The header for {@code dataLength} bytes of elements, refusing sizes that do not match them. */
    private static byte[] header(IdxType type, int[] dims, int dataLength) {
        if (dims.length == 0 || dims.length > IdxHeader.MAX_DIMS) {
            throw new IllegalArgumentException("Idx.write: " + dims.length + " dimensions, expected 1.."
                    + IdxHeader.MAX_DIMS);
        }
        long n = type.size();
        for (int d : dims) {
            if (d < 0) {
                throw new IllegalArgumentException("Idx.write: negative size in " + Arrays.toString(dims));
            }
            n *= d;
        }
        if (n != dataLength) {
            throw new IllegalArgumentException("Idx.write: dims " + Arrays.toString(dims) + " of " + type + " need "
                    + n + " bytes but " + dataLength + " were given");
        }
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length);
        b.put((byte) 0).put((byte) 0).put((byte) type.code()).put((byte) dims.length);
        for (int d : dims) {
            b.putInt(d);
        }
        return b.array();
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
