package dev.vectorgrad.data.internal;

import dev.vectorgrad.core.Printable;
import dev.vectorgrad.data.DataFormatException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.zip.GZIPInputStream;

/**
 * Reading whole files safely: gzip recognised from its magic bytes (1f 8b), never from the
 * name, and memory that grows only with bytes that really arrive, so a header claiming two
 * billion items cannot make a reader allocate before the data is there.
 */
public final class Bytes {
    /** The largest array the JVM reliably allocates. */
    public static final long MAX_ARRAY = Integer.MAX_VALUE - 16;

    /**
     * System property: how many times its stored size compressed data (gzip, a zip entry) may
     * inflate to before it is refused as a decompression bomb; {@value #DEFAULT_MAX_RATIO} by
     * default. Real datasets stay far below: MNIST's IDX files inflate about 5 times, the
     * lesson's {@code mnist.pkl.gz} about 14 times.
     */
    public static final String MAX_RATIO_PROPERTY = "vectorgrad.data.maxInflateRatio";

    /** The default of {@link #MAX_RATIO_PROPERTY}. */
    public static final long DEFAULT_MAX_RATIO = 200;

    /** Output up to this size is always accepted, whatever the ratio: small files of zeros are fine. */
    public static final long FREE_INFLATE = 32L << 20;

    private static final int CHUNK = 1 << 18;

    private Bytes() {}

    /**
     * The most bytes compressed data of {@code storedBytes} may inflate to:
     * {@code max(FREE_INFLATE, ratio * storedBytes)}, at most {@link #MAX_ARRAY}.
     *
     * @param storedBytes the compressed size as really stored (not as a header claims)
     * @return the cap
     */
    public static long inflateCap(long storedBytes) {
        long ratio = maxRatio();
        long byRatio = storedBytes > MAX_ARRAY / ratio ? MAX_ARRAY : ratio * Math.max(storedBytes, 0);
        return Math.min(MAX_ARRAY, Math.max(FREE_INFLATE, byRatio));
    }

    /** @return the ratio {@link #MAX_RATIO_PROPERTY} sets, or its default */
    public static long maxRatio() {
        return maxRatio(System.getProperty(MAX_RATIO_PROPERTY));
    }

    /**
     * @param v a value of {@link #MAX_RATIO_PROPERTY}, or null
     * @return the ratio it sets, or the default when null or blank
     * @throws IllegalArgumentException naming the property if it is not a whole number >= 1
     */
    public static long maxRatio(String v) {
        if (v == null || v.isBlank()) {
            return DEFAULT_MAX_RATIO;
        }
        try {
            long r = Long.parseLong(v.strip());
            if (r >= 1) {
                return r;
            }
        } catch (NumberFormatException e) {
            // fall through to the message below
        }
        throw new IllegalArgumentException("-D" + MAX_RATIO_PROPERTY + "=" + Printable.escape(v) + ": expected a whole number >= 1");
    }

    /**
     * The error for compressed data that would inflate past {@link #inflateCap}.
     *
     * @param source the name used in the message
     * @param what what inflates ("gzip data", "entry x.npy")
     * @param inflated how far it inflated (or claims to)
     * @param stored its stored size
     * @return the exception to throw
     */
    public static DataFormatException bomb(String source, String what, long inflated, long stored) {
        return new DataFormatException(source, what + " inflates to " + (inflated > inflateCap(stored) ? "more than "
                + inflateCap(stored) : String.valueOf(inflated)) + " bytes from " + stored + " stored, more than "
                + maxRatio() + " times its size: refused as a decompression bomb (-D" + MAX_RATIO_PROPERTY
                + " raises the limit)");
    }

    /**
     * @param bytes raw bytes
     * @return true if they start with the gzip magic 1f 8b
     */
    public static boolean isGzip(byte[] bytes) {
        return bytes.length >= 2 && isGzip(bytes[0], bytes[1]);
    }

    /**
     * @param first a file's first byte
     * @param second its second byte
     * @return true if they are the gzip magic 1f 8b
     */
    public static boolean isGzip(byte first, byte second) {
        return (first & 0xff) == 0x1f && (second & 0xff) == 0x8b;
    }

    /**
     * The error for a gzip stream that failed to inflate: EOFException (cut short), ZipException
     * (bad header, bad CRC, bad block) and the like all mean a bad file.
     *
     * @param source the name used in the message
     * @param cause what the stream threw
     * @return the exception to throw
     */
    public static DataFormatException corruptGzip(String source, Exception cause) {
        return new DataFormatException(source, "corrupt or truncated gzip data (" + cause + ")", cause);
    }

    /**
     * Reads a file and, if it is gzip-compressed, decompresses it.
     *
     * @param file the file
     * @return the (decompressed) contents
     * @throws DataFormatException if the gzip data is corrupt or truncated
     * @throws IOException if the file cannot be read
     */
    public static byte[] readMaybeGzip(Path file) throws IOException {
        long size = Files.size(file);
        if (size > MAX_ARRAY) {
            // Files.readAllBytes would fail with an OutOfMemoryError; say what is wrong instead.
            throw new DataFormatException(file.toString(), "file of " + size + " bytes exceeds " + MAX_ARRAY
                    + " bytes, more than one Java array holds");
        }
        return maybeGunzip(Files.readAllBytes(file), file.toString());
    }

    /**
     * Decompresses {@code raw} if it starts with the gzip magic, else returns it.
     *
     * @param raw the bytes as stored
     * @param source the name used in error messages
     * @return the contents
     * @throws DataFormatException if the gzip data is corrupt or truncated
     */
    public static byte[] maybeGunzip(byte[] raw, String source) throws DataFormatException {
        if (!isGzip(raw)) {
            return raw;
        }
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(raw), 65536)) {
            long cap = inflateCap(raw.length);
            return readAll(in, source, cap, () -> bomb(source, "gzip data", cap + 1, raw.length));
        } catch (DataFormatException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw corruptGzip(source, e);
        }
    }

    /**
     * Reads a stream to its end in chunks, so memory follows the bytes actually delivered.
     *
     * @param in the stream
     * @param source the name used in error messages
     * @return everything the stream delivered
     * @throws IOException if reading fails
     * @throws DataFormatException if the contents exceed {@link #MAX_ARRAY} bytes
     */
    public static byte[] readAll(InputStream in, String source) throws IOException {
        return readAll(in, source, MAX_ARRAY, () -> new DataFormatException(source, "contents exceed " + MAX_ARRAY
                + " bytes, more than one Java array holds"));
    }

    /**
     * Reads a stream to its end in chunks, so memory follows the bytes actually delivered, and
     * refuses it the moment it delivers more than {@code limit} bytes, before the chunks are
     * joined into one array.
     *
     * @param in the stream
     * @param source the name used in error messages
     * @param limit the most bytes accepted, at most {@link #MAX_ARRAY}
     * @param tooLong the error for a stream longer than {@code limit}
     * @return everything the stream delivered
     * @throws IOException if reading fails
     * @throws DataFormatException the one {@code tooLong} makes, if the stream is longer than {@code limit}
     */
    public static byte[] readAll(InputStream in, String source, long limit, Supplier<DataFormatException> tooLong)
            throws IOException {
        List<byte[]> chunks = new ArrayList<>();
        long total = 0;
        while (true) {
            // Chunks stay below half a G1 region even in a small heap, so they are not "humongous"
            // objects that each waste most of two regions.
            byte[] chunk = in.readNBytes(CHUNK);
            total += chunk.length;
            if (total > limit) {
                throw tooLong.get();
            }
            if (chunk.length > 0) {
                chunks.add(chunk);
            }
            if (chunk.length < CHUNK) {
                // readNBytes returns short only at end of stream.
                break;
            }
        }
        byte[] out = new byte[(int) total];
        int pos = 0;
        for (byte[] c : chunks) {
            System.arraycopy(c, 0, out, pos, c.length);
            pos += c.length;
        }
        return out;
    }
}
