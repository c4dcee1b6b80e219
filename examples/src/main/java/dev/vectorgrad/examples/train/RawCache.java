package dev.vectorgrad.examples.train;

import dev.vectorgrad.data.idx.Idx;
import dev.vectorgrad.data.idx.IdxArray;
import dev.vectorgrad.data.idx.IdxType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Decompressed copies of the well-known datasets' gzip IDX files: inflating 26 MB is most of the
 * time before the first training step, so the first run keeps a plain copy and later runs read
 * that. A copy is named by the original's name, size and modification time, so a replaced file is
 * never answered by a stale copy. Any failure to use the cache falls back to the original.
 */
final class RawCache {

    /** Reads one IDX file (images or labels) with the data module's checks. */
    @FunctionalInterface
    interface Reader {
        IdxArray read(Path file) throws IOException;
    }

    /** {@code -Dvectorgrad.rawCache=DIR} moves the cache, {@code none} turns it off. */
    static final RawCache DEFAULT = fromProperty(System.getProperty("vectorgrad.rawCache",
            Path.of(System.getProperty("user.home"), ".cache", "vectorgrad", "raw").toString()));

    private final Path dir;

    /** @param dir where copies live, or null for no cache */
    RawCache(Path dir) {
        this.dir = dir;
    }

    private static RawCache fromProperty(String value) {
        return new RawCache(value.equals("none") ? null : Path.of(value));
    }

    /**
     * Reads {@code file} through the cache: a valid copy if there is one, else the file itself,
     * leaving a copy behind if it was gzip-compressed.
     */
    IdxArray read(Path file, Reader reader) throws IOException {
        Path cached = copyOf(file);
        if (cached != null && Files.isRegularFile(cached)) {
            try {
                return reader.read(cached);
            } catch (IOException e) {
                Files.deleteIfExists(cached); // damaged copy: use the original below
            }
        }
        IdxArray a = reader.read(file);
        // A plain IDX file is exactly its header and data (the reader checks that): any other
        // size means it was compressed, and only then is a plain copy worth keeping.
        if (cached != null && Files.size(file) != a.header().headerBytes() + a.header().dataBytes()) {
            try {
                Idx.write(cached, IdxType.UBYTE, a.header().dims(), a.data(), false);
            } catch (IOException | RuntimeException e) {
                // A read-only home or a full disk only costs the speed-up.
            }
        }
        return a;
    }

    /** @return where the copy of {@code file} lives, or null without a cache */
    Path copyOf(Path file) {
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
}
