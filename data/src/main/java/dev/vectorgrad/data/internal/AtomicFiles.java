package dev.vectorgrad.data.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Writing files so that a reader never sees a half-written one: a temporary sibling
 * {@code <name><digits>.part}, renamed into place when complete.
 *
 * <p>Temporary files are removed on every failure path, exceptions from the writer included. A
 * process killed mid-write cannot remove its own, so each later write of the same target first
 * removes <em>stale</em> ones: siblings named {@code <name><digits>.part} whose last modification
 * is older than {@link #STALE_AFTER}. A live writer (another process downloading the same file)
 * touches its temporary file with every write, so it is never taken for stale.
 */
public final class AtomicFiles {
    /**
     * How long a temporary file must go unmodified before it counts as abandoned: far longer than
     * any read timeout between two writes of a live download.
     */
    public static final Duration STALE_AFTER = Duration.ofHours(1);

    private AtomicFiles() {}

    /** Writes the content of a file into a stream. */
    @FunctionalInterface
    public interface Writer {
        /**
         * @param out the stream to fill
         * @throws IOException if writing fails
         */
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Writes {@code target} through a temporary sibling and renames it into place, after removing
     * stale temporary files of earlier, killed writes.
     *
     * @param target the file to create or replace
     * @param writer fills the file
     * @throws IOException if writing fails (the temporary file is removed, the target untouched)
     */
    public static void write(Path target, Writer writer) throws IOException {
        Path abs = target.toAbsolutePath();
        Files.createDirectories(abs.getParent());
        removeStaleTemps(abs, STALE_AFTER);
        Path tmp = createTemp(abs);
        try {
            try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(tmp), 65536)) {
                writer.writeTo(out);
            }
            moveIntoPlace(tmp, abs);
        } catch (Throwable t) {
            discard(tmp, t);
            throw t;
        }
    }

    /**
     * Creates an empty temporary sibling of {@code target}, named {@code <name><digits>.part},
     * with the permissions a plain new file gets ({@code 0666 & ~umask} on POSIX), which the
     * target keeps when renamed into place: the same mode NumPy's {@code save} or a download with
     * curl would give it. ({@link Files#createTempFile} would make it {@code 0600}.) The name is
     * random and the creation exclusive, so two writers never share a temporary file.
     *
     * @param target the file it will become (absolute, its folder existing)
     * @return the temporary file
     * @throws IOException if it cannot be created
     */
    public static Path createTemp(Path target) throws IOException {
        String prefix = target.getFileName().toString();
        while (true) {
            long digits = ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE;
            try {
                return Files.createFile(target.resolveSibling(prefix + digits + ".part"));
            } catch (FileAlreadyExistsException e) {
                // another writer's name: draw again
            }
        }
    }

    /**
     * Removes the temporary siblings {@code <name><digits>.part} of {@code target} last modified
     * more than {@code age} ago. Best effort: a file that vanishes meanwhile (another process
     * cleaning up) or cannot be removed is skipped.
     *
     * @param target the file whose temporary siblings to remove
     * @param age how long a temporary file must have been left untouched
     * @return how many were removed
     * @throws IOException if the folder cannot be listed
     */
    public static int removeStaleTemps(Path target, Duration age) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        Pattern temp = Pattern.compile(Pattern.quote(abs.getFileName().toString()) + "\\d+\\.part");
        FileTime cutoff = FileTime.from(Instant.now().minus(age));
        int removed = 0;
        try (DirectoryStream<Path> siblings = Files.newDirectoryStream(dir,
                p -> temp.matcher(p.getFileName().toString()).matches())) {
            for (Path p : siblings) {
                try {
                    boolean stale = Files.isRegularFile(p) && Files.getLastModifiedTime(p).compareTo(cutoff) < 0;
                    if (stale && Files.deleteIfExists(p)) {
                        removed++;
                    }
                } catch (NoSuchFileException e) {
                    // removed by someone else meanwhile
                } catch (IOException e) {
                    // left for a later run; it never stops this write
                }
            }
        }
        return removed;
    }

    /**
     * Deletes a temporary file after a failure, never hiding that failure: a problem deleting it
     * is attached to {@code failure} as suppressed (and the file is left to {@link #removeStaleTemps}).
     *
     * @param tmp the temporary file
     * @param failure what went wrong, or null
     */
    public static void discard(Path tmp, Throwable failure) {
        try {
            Files.deleteIfExists(tmp);
        } catch (IOException | RuntimeException e) {
            if (failure != null) {
                failure.addSuppressed(e);
            }
        }
    }

    /**
     * Renames {@code tmp} onto {@code target}, atomically where the file system allows.
     *
     * @param tmp the finished temporary file
     * @param target its final name
     * @throws IOException if the rename fails
     */
    public static void moveIntoPlace(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
