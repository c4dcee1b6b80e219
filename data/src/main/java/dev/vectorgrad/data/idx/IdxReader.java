package dev.vectorgrad.data.idx;

import dev.vectorgrad.data.DataFormatException;
import dev.vectorgrad.data.internal.Bytes;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * The one IDX reader behind every entry point of {@link Idx}: files and byte arrays, plain or
 * gzip, streamed straight into an array of the data's exact size with no whole-file copy.
 *
 * <p>A plain file's length is known, so the header is checked against it before the data array
 * is allocated. A gzip file's decompressed length is not, and its trailer (ISIZE, CRC-32) is
 * only read by the inflater at the very end, so it sizes nothing: a header declaring more than
 * {@link Bytes#inflateCap} of the compressed length is refused before any data is read, and
 * otherwise the array grows as bytes really arrive, so a lying header or a forged trailer costs
 * memory only in proportion to the data actually present. The stream is then read to its end,
 * which makes the inflater check the trailer.
 */
final class IdxReader {
    /** Bytes per read: one large read() makes the JDK allocate, and keep per thread, a native buffer of that size. */
    private static final int PIECE = 1 << 16;

    /** What a caller demands of the header, checked before any data is read. */
    @FunctionalInterface
    interface Expectation {
        void check(IdxHeader header, String source) throws DataFormatException;
    }

    static final Expectation ANY = (h, s) -> {};

    private IdxReader() {}

    static IdxArray readFile(Path file, Expectation expect) throws IOException {
        String source = file.toString();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            ByteBuffer head = ByteBuffer.allocate(2);
            ch.read(head, 0);
            boolean gzip = head.position() == 2 && Bytes.isGzip(head.get(0), head.get(1));
            return read(Channels.newInputStream(ch), size, gzip, source, expect);
        }
    }

    static IdxArray readBytes(byte[] bytes, String source, Expectation expect) throws DataFormatException {
        boolean gzip = Bytes.isGzip(bytes);
        try {
            return read(new ByteArrayInputStream(bytes), bytes.length, gzip, source, expect);
        } catch (DataFormatException e) {
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException("a byte array cannot fail to read", e);
        }
    }

    /**
     * @param stored the bytes as stored (compressed or not), positioned at the start
     * @param storedLength their length
     */
    private static IdxArray read(InputStream stored, long storedLength, boolean gzip, String source,
            Expectation expect) throws IOException {
        if (!gzip) {
            IdxHeader h = IdxHeader.read(stored, source);
            expect.check(h, source);
            h.checkDataLength(storedLength - h.headerBytes(), source);
            h.checkFitsOneArray(source);
            return new IdxArray(h, readExact(stored, h, source));
        }
        try {
            InputStream in = new GZIPInputStream(stored, PIECE);
            IdxHeader h = IdxHeader.read(in, source);
            expect.check(h, source);
            h.checkFitsOneArray(source);
            long total = h.headerBytes() + h.dataBytes();
            long cap = Bytes.inflateCap(storedLength);
            if (total > cap) {
                // Refused before reading on: a forged header (or a bomb) would make us inflate for nothing.
                throw Bytes.bomb(source, "gzip data whose IDX header declares " + h.dataBytes() + " data bytes",
                        total, storedLength);
            }
            // The gzip trailer's ISIZE is never trusted to size a buffer: the data itself decides.
            byte[] data = readGrowing(in, h, source);
            // Reading to the end makes GZIPInputStream check the trailer's CRC-32 and ISIZE; data
            // past what the header declares is an error, counted only up to the cap.
            long extra = 0;
            byte[] sink = new byte[PIECE];
            for (int n; total + extra <= cap && (n = in.read(sink)) >= 0; ) {
                extra += n;
            }
            if (total + extra > cap) {
                throw new DataFormatException(source, "dimensions " + java.util.Arrays.toString(h.dims()) + " of "
                        + h.type() + " need " + h.dataBytes() + " data bytes but the gzip stream holds more than "
                        + (cap - h.headerBytes()) + " after the header");
            }
            if (extra > 0) {
                h.checkDataLength(h.dataBytes() + extra, source);
            }
            return new IdxArray(h, data);
        } catch (DataFormatException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw Bytes.corruptGzip(source, e);
        }
    }

    private static byte[] readExact(InputStream in, IdxHeader h, String source) throws IOException {
        byte[] data = new byte[(int) h.dataBytes()];
        int got = fill(in, data, 0);
        if (got < data.length) {
            h.checkDataLength(got, source);
        }
        return data;
    }

    /** Doubles the array as data arrives, ending at the exact size: memory at most twice the bytes present. */
    private static byte[] readGrowing(InputStream in, IdxHeader h, String source) throws IOException {
        long need = h.dataBytes();
        byte[] data = new byte[(int) Math.min(need, 1 << 20)];
        int got = 0;
        while (true) {
            got = fill(in, data, got);
            if (got < data.length || data.length == need) {
                break;
            }
            data = Arrays.copyOf(data, (int) Math.min(need, 2L * data.length));
        }
        if (got < need) {
            h.checkDataLength(got, source);
        }
        return data;
    }

    /** Reads into {@code data} from {@code from} until it is full or the stream ends; returns the bytes now held. */
    private static int fill(InputStream in, byte[] data, int from) throws IOException {
        int at = from;
        while (at < data.length) {
            int n = in.read(data, at, Math.min(PIECE, data.length - at));
            if (n < 0) {
                break;
            }
            at += n;
        }
        return at;
    }
}
