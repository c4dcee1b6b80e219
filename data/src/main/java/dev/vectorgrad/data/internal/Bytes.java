package dev.vectorgrad.data.internal;

import dev.vectorgrad.data.DataFormatException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Reading whole files safely: gzip recognised from its magic bytes (1f 8b), never from the
 * name, and memory that grows only with bytes that really arrive, so a header claiming two
 * billion items cannot make a reader allocate before the data is there.
 */
public final class Bytes {
    /** The largest array the JVM reliably allocates. */
    public static final long MAX_ARRAY = Integer.MAX_VALUE - 16;

    private Bytes() {}

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
            return readAll(in, source);
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
        List<byte[]> chunks = new ArrayList<>();
        long total = 0;
        while (true) {
            byte[] chunk = in.readNBytes(1 << 20);
            if (chunk.length == 0) {
                break;
            }
            total += chunk.length;
            if (total > MAX_ARRAY) {
                throw new DataFormatException(source, "contents exceed " + MAX_ARRAY
                        + " bytes, more than one Java array holds");
            }
            chunks.add(chunk);
            if (chunk.length < (1 << 20)) {
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
