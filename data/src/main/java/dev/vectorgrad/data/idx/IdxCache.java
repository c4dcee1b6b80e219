package dev.vectorgrad.data.idx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Decompressed copies of gzip IDX files: inflating MNIST's 26 MB of gzip is most of the time
 * before a first training step, so the first read keeps a plain copy and later reads take that
 * (in 64 KB pieces, like every read of {@link Idx}). A copy is named by the original's file name,
 * size and modification time, so a replaced file is never answered by a stale copy. Any failure to
 * use the cache (an unwritable folder, a full disk, a damaged copy) falls back to the original: the
 * cache can cost only its speed-up, never a result.
 *
 * <p>Plain IDX files are read directly and never copied. Instances are immutable and safe to use
 * from several threads (copies are written atomically: a reader never sees half a copy).
 */
public final class IdxCache {

    /** Reads one IDX file with the checks it needs, e.g. {@link Idx#readImageBytes}. */
    @FunctionalInterface
    public interface Reader {
        /**
         * @param file the file to read
         * @return its header and bytes
         * @throws IOException if the file cannot be read or is malformed
         */
        IdxArray read(Path file) throws IOException;
    }

    /** The system property that moves the default cache (a folder) or turns it off ({@code none}). */
    public static final String PROPERTY = "vectorgrad.rawCache";

    private static final IdxCache NONE = new IdxCache(null);

    private final Path dir;

    private IdxCache(Path dir) {
        this.dir = dir;
    }

    /**
     * The cache used when a caller asks for none in particular: {@code ~/.cache/vectorgrad/raw},
     * or the folder named by {@code -Dvectorgrad.rawCache=DIR}, or no cache with
     * {@code -Dvectorgrad.rawCache=none}. The property is read on each call.
     *
     * @return the default cache
     */
    public static IdxCache defaults() {
        String value = System.getProperty(PROPERTY,
                Path.of(System.getProperty("user.home"), ".cache", "vectorgrad", "raw").toString());
        return value.equals("none") ? NONE : new IdxCache(Path.of(value));
    }

    /**
     * @param dir the folder to keep copies in (created when the first copy is written)
     * @return a cache there
     */
    public static IdxCache in(Path dir) {
        return new IdxCache(Objects.requireNonNull(dir, "IdxCache.in: dir"));
    }

    /** @return a cache that keeps nothing: every read goes to the file itself */
    public static IdxCache none() {
        return NONE;
    }

    /** @return the folder copies live in, or null for {@link #none()} */
    public Path directory() {
        return dir;
    }

    /**
     * Reads an image file's pixel bytes through the cache ({@link Idx#readImageBytes}).
     *
     * @param file a {@code *-images-idx3-ubyte[.gz]} file
     * @return its header and pixels
     * @throws IOException as {@link Idx#readImageBytes} does
     */
    public IdxArray readImageBytes(Path file) throws IOException {
        return read(file, Idx::readImageBytes);
    }

    /**
     * Reads a label file's bytes through the cache ({@link Idx#readLabelBytes}).
     *
     * @param file a {@code *-labels-idx1-ubyte[.gz]} file
     * @return its header and labels
     * @throws IOException as {@link Idx#readLabelBytes} does
     */
    public IdxArray readLabelBytes(Path file) throws IOException {
        return read(file, Idx::readLabelBytes);
    }

    /**
     * Reads {@code file} through the cache: a valid copy if there is one, else the file itself,
     * leaving a copy behind if it was gzip-compressed.
     *
     * @param file an IDX file, gzip-compressed or not
     * @param reader how to read (and check) it; applied to the copy and to the original alike
     * @return what {@code reader} returns
     * @throws IOException if the original cannot be read or is malformed (errors name it, not the copy)
     */
    public IdxArray read(Path file, Reader reader) throws IOException {
        Path cached = copyOf(file);
        if (cached != null && Files.isRegularFile(cached)) {
            try {
                return reader.read(cached);
            } catch (IOException e) {
                deleteQuietly(cached); // a damaged copy: read the original below, which copies it again
            }
        }
        IdxArray a = reader.read(file);
        // A plain IDX file is exactly its header and data (the reader checks that): any other
        // size means it was compressed, and only then is a plain copy worth keeping.
        if (cached != null && Files.size(file) != a.header().headerBytes() + a.header().dataBytes()) {
            try {
                Idx.write(cached, a.header().type(), a.header().dims(), a.data(), false);
            } catch (IOException | RuntimeException e) {
                // A read-only home or a full disk only costs the speed-up.
            }
        }
        return a;
    }

    /**
     * @param file an IDX file
     * @return where its decompressed copy lives (whether or not it exists yet), or null without a
     *     cache or when the file's size or time cannot be read
     */
    public Path copyOf(Path file) {
        if (dir == null) {
            return null;
        }
        try {
            String name = file.getFileName().toString().replaceFirst("\\.gz$", "");
            return dir.resolve(name + "-" + Files.size(file) + "-" + Files.getLastModifiedTime(file).toMillis());
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // The next successful read overwrites it.
        }
    }

    @Override
    public String toString() {
        return dir == null ? "IdxCache(none)" : "IdxCache(" + dir + ")";
    }
}
