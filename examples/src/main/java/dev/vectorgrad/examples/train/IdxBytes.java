package dev.vectorgrad.examples.train;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads IDX files of unsigned bytes (MNIST's format) straight into a byte array of the exact size,
 * without the float copy the data module's general reader makes: the trainer keeps pixels as
 * bytes to stay small. Gzip is recognised from its magic bytes.
 */
final class IdxBytes {

    /** The decoded contents: dimensions and the bytes. */
    record Contents(int[] dims, byte[] data) {}

    private IdxBytes() {}

    /**
     * Reads an IDX file; with {@code useCache} (the well-known datasets, not arbitrary folders) a
     * gzip file is decompressed once into {@link #RAW_CACHE} (named by the
     * file's name, size and modification time), and later reads take that copy, since inflating
     * 26 MB is most of the time before the first training step. Any failure to use the cache
     * falls back to reading the original.
     */
    static Contents read(Path file, int expectedDims, boolean useCache) throws IOException {
        Path cached = useCache ? cachedCopy(file) : null;
        if (cached != null && Files.isRegularFile(cached)) {
            try {
                return decode(cached, expectedDims);
            } catch (IOException e) {
                Files.deleteIfExists(cached); // damaged copy: use the original below
            }
        }
        Contents c = decode(file, expectedDims);
        if (cached != null && isGzip(file)) {
            writeCache(cached, c);
        }
        return c;
    }

    /** Where decompressed copies live; {@code -Dvectorgrad.rawCache=none} turns the cache off. */
    static final String RAW_CACHE = System.getProperty("vectorgrad.rawCache",
            Path.of(System.getProperty("user.home"), ".cache", "vectorgrad", "raw").toString());

    private static Path cachedCopy(Path file) {
        if (RAW_CACHE.equals("none")) {
            return null;
        }
        try {
            String name = file.getFileName().toString().replaceFirst("\\.gz$", "");
            return Path.of(RAW_CACHE, name + "-" + Files.size(file) + "-" + Files.getLastModifiedTime(file).toMillis());
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static boolean isGzip(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.read() == 0x1f && in.read() == 0x8b;
        }
    }

    private static void writeCache(Path cached, Contents c) {
        try {
            Files.createDirectories(cached.getParent());
            Path tmp = Files.createTempFile(cached.getParent(), cached.getFileName().toString(), ".part");
            try (java.io.DataOutputStream out = new java.io.DataOutputStream(
                    new java.io.BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16))) {
                out.writeInt(0x0800 | c.dims().length);
                for (int d : c.dims()) {
                    out.writeInt(d);
                }
                out.write(c.data());
            }
            Files.move(tmp, cached, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            // A read-only home or a full disk only costs the speed-up.
        }
    }

    private static Contents decode(Path file, int expectedDims) throws IOException {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            raw.mark(2);
            int b0 = raw.read();
            int b1 = raw.read();
            raw.reset();
            InputStream in = b0 == 0x1f && b1 == 0x8b ? new GZIPInputStream(raw, 1 << 16) : raw;
            DataInputStream data = new DataInputStream(in);
            int magic;
            try {
                magic = data.readInt();
            } catch (EOFException e) {
                throw new IOException(file + ": too short for an IDX header");
            }
            int type = (magic >>> 8) & 0xff;
            int rank = magic & 0xff;
            if ((magic >>> 16) != 0 || type != 0x08) {
                throw new IOException(file + ": not an IDX file of unsigned bytes (magic 0x"
                        + Integer.toHexString(magic) + ", expected 0x0000080" + expectedDims + ")");
            }
            if (rank != expectedDims) {
                throw new IOException(file + ": expected " + expectedDims + " dimensions, found " + rank);
            }
            int[] dims = new int[rank];
            long total = 1;
            for (int d = 0; d < rank; d++) {
                dims[d] = data.readInt();
                if (dims[d] < 0) {
                    throw new IOException(file + ": negative size " + dims[d] + " in the header");
                }
                total *= dims[d];
            }
            if (total > Integer.MAX_VALUE - 8) {
                throw new IOException(file + ": " + total + " elements is too large");
            }
            byte[] bytes = new byte[(int) total];
            // In 64 KB pieces: one 47 MB read() on a file stream makes the JDK allocate (and keep)
            // a native buffer of that size, 47 MB of resident memory for nothing.
            int read = 0;
            while (read < bytes.length) {
                int n = data.read(bytes, read, Math.min(1 << 16, bytes.length - read));
                if (n < 0) {
                    break;
                }
                read += n;
            }
            if (read != bytes.length) {
                throw new IOException(file + ": truncated: header promises " + total + " bytes of data, found " + read);
            }
            return new Contents(dims, bytes);
        }
    }

    /**
     * Reads an images file and its labels file into training data.
     *
     * @param name what to call the data
     * @param images the {@code *-images-idx3-ubyte[.gz]} file
     * @param labels the {@code *-labels-idx1-ubyte[.gz]} file
     * @param useCache whether to keep and use decompressed copies of gzip files
     * @return the data
     * @throws IOException if a file is missing, malformed, or the two disagree on the count
     */
    static ImageData readSplit(String name, Path images, Path labels, boolean useCache) throws IOException {
        Contents x = read(images, 3, useCache);
        Contents y = read(labels, 1, useCache);
        int n = x.dims()[0];
        if (y.dims()[0] != n) {
            throw new IOException(images + " holds " + n + " images but " + labels + " holds " + y.dims()[0] + " labels");
        }
        int[] ys = new int[n];
        for (int i = 0; i < n; i++) {
            ys[i] = y.data()[i] & 0xff;
        }
        return ImageData.ofBytes(name, n, x.dims()[1] * x.dims()[2], x.data(), ys);
    }
}
