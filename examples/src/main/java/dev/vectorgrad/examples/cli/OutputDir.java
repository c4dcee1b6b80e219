package dev.vectorgrad.examples.cli;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * The folder a command writes its results to ({@code train --out}): checked before any work
 * starts (a folder or creatable, writable), created once the run is sure to need it, and written through temporary siblings
 * {@code <name><digits>.part} renamed into place, so that a file under its final name is always
 * complete. A run killed mid-save (a signal cannot run the clean-up) leaves its {@code .part}
 * file behind; the next run removes those of the names it writes once they are
 * {@link #STALE_AFTER} old, as the data module does for its downloads.
 */
public final class OutputDir {

    /**
     * How long a temporary file must go unmodified before it counts as abandoned. A live writer
     * (another run saving into the same folder) touches its file with every write, and no save
     * here pauses anywhere near this long.
     */
    public static final Duration STALE_AFTER = Duration.ofSeconds(30);

    /** Writes a file's content to a path. */
    @FunctionalInterface
    public interface Writer {
        /**
         * @param file the (temporary) file to fill
         * @throws IOException if writing fails
         */
        void writeTo(Path file) throws IOException;
    }

    private OutputDir() {}

    /**
     * Checks, without creating anything, that the folder can be written to: it is a folder, or
     * it does not exist and its nearest existing ancestor is a writable folder. Cheap enough to
     * run before any data is read; {@link #create} makes it once the run is sure to need it.
     *
     * @param what the command and flag, for messages: {@code "train: --out"}
     * @param value the folder as given
     * @return the folder
     * @throws UsageException if it is a file, lies under a file, or cannot be written to
     */
    public static Path check(String what, String value) throws UsageException {
        Path dir;
        try {
            dir = Path.of(value);
        } catch (InvalidPathException e) {
            throw new UsageException(what + " " + Messages.escape(value) + ": not a usable folder name (" + e.getReason() + ")");
        }
        Path existing = dir.toAbsolutePath();
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            throw new UsageException(what + " " + dir + " cannot be created: no part of it exists");
        }
        if (!Files.isDirectory(existing)) {
            String kind = Files.isRegularFile(existing) ? " is a file, not a folder" : " is not a folder";
            throw new UsageException(existing.equals(dir.toAbsolutePath())
                    ? what + " " + dir + kind
                    : what + " " + dir + " cannot be created: " + existing + kind);
        }
        if (!Files.isWritable(existing)) {
            throw new UsageException(what + " " + dir + (existing.equals(dir.toAbsolutePath()) ? " is not writable"
                    : " cannot be created: " + existing + " is not writable"));
        }
        return dir;
    }

    /**
     * Creates the folder {@link #check} accepted, proves it writable by creating (and deleting)
     * a file in it, and removes stale temporary files of {@code names} in it.
     *
     * @param what the command and flag, for messages: {@code "train: --out"}
     * @param dir the folder
     * @param names the files the command will write there, e.g. {@code model.safetensors}
     * @return the folder
     * @throws UsageException if it cannot be created or written to after all
     */
    public static Path create(String what, Path dir, String... names) throws UsageException {
        try {
            Files.createDirectories(dir);
        } catch (FileAlreadyExistsException e) {
            throw new UsageException(what + " " + dir + " cannot be created: " + e.getFile() + " is a file, not a folder");
        } catch (IOException | SecurityException e) {
            throw new UsageException(what + " " + dir + " cannot be created: " + reason(e));
        }
        // Files.isWritable asks the permission bits, which a read-only mount or an ACL can
        // contradict: creating a file is the question that matters.
        try {
            Path probe = Files.createTempFile(dir, ".vectorgrad-write-check", ".tmp");
            Files.delete(probe);
        } catch (IOException | SecurityException e) {
            throw new UsageException(what + " " + dir + " is not writable: " + reason(e));
        }
        for (String n : names) {
            removeStaleTemps(dir.resolve(n), STALE_AFTER);
        }
        return dir;
    }

    /**
     * {@link #check} then {@link #create}.
     *
     * @param what the command and flag, for messages: {@code "train: --out"}
     * @param value the folder as given
     * @param names the files the command will write there
     * @return the folder
     * @throws UsageException if it is a file, cannot be created or cannot be written to
     */
    public static Path prepare(String what, String value, String... names) throws UsageException {
        return create(what, check(what, value), names);
    }

    /**
     * Writes {@code target} through a temporary sibling {@code <name><digits>.part} renamed into
     * place, after removing stale temporary files of the same name. On failure the temporary
     * file is removed and {@code target}, if it existed, is untouched.
     *
     * @param target the file to create or replace
     * @param writer fills the temporary file
     * @throws IOException if writing or renaming fails
     */
    public static void writeAtomically(Path target, Writer writer) throws IOException {
        Path abs = target.toAbsolutePath();
        removeStaleTemps(abs, STALE_AFTER);
        Path tmp = createTemp(abs);
        try {
            writer.writeTo(tmp);
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException | RuntimeException | Error e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException | RuntimeException d) {
                e.addSuppressed(d);
            }
            throw e;
        }
    }

    /**
     * Removes {@code <name><digits>.part} and {@code <name>.part} (an earlier version's name)
     * next to {@code target} when last modified more than {@code age} ago. Best effort: a file
     * that cannot be listed or removed is left for a later run.
     *
     * @param target the file whose temporary siblings to remove
     * @param age how long a temporary file must have gone untouched
     * @return how many were removed
     */
    public static int removeStaleTemps(Path target, Duration age) {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            return 0;
        }
        Pattern temp = Pattern.compile(Pattern.quote(abs.getFileName().toString()) + "\\d*\\.part");
        FileTime cutoff = FileTime.from(Instant.now().minus(age));
        int removed = 0;
        try (DirectoryStream<Path> siblings = Files.newDirectoryStream(dir,
                p -> temp.matcher(p.getFileName().toString()).matches())) {
            for (Path p : siblings) {
                try {
                    if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)
                            && Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).compareTo(cutoff) < 0
                            && Files.deleteIfExists(p)) {
                        removed++;
                    }
                } catch (NoSuchFileException e) {
                    // removed by someone else meanwhile
                } catch (IOException | SecurityException e) {
                    // left for a later run; it never stops this one
                }
            }
        } catch (IOException | SecurityException e) {
            // an unlistable folder: the write itself will say what is wrong
        }
        return removed;
    }

    private static Path createTemp(Path target) throws IOException {
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

    private static String reason(Exception e) {
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "the file system refuses it (no such file or directory)";
        }
        if (e instanceof java.nio.file.FileSystemException) {
            return "the file system refuses it";
        }
        return e.getMessage() == null ? "the file system refuses it" : e.getMessage();
    }
}
