package dev.vectorgrad.data.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Writing files so that a reader never sees a half-written one: temp file, then rename. */
public final class AtomicFiles {
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
     * Writes {@code target} through a temporary sibling and renames it into place.
     *
     * @param target the file to create or replace
     * @param writer fills the file
     * @throws IOException if writing fails (the temporary file is removed)
     */
    public static void write(Path target, Writer writer) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, abs.getFileName().toString(), ".part");
        boolean done = false;
        try {
            try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(tmp), 65536)) {
                writer.writeTo(out);
            }
            moveIntoPlace(tmp, abs);
            done = true;
        } finally {
            if (!done) {
                Files.deleteIfExists(tmp);
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
