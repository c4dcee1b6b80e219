package dev.vectorgrad.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputDirTest {

    private static long count(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        }
    }

    @Test
    void aFailedWriteLeavesTheOldFileAndNoTemporaryFile(@TempDir Path tmp) throws IOException {
        Path target = Files.writeString(tmp.resolve("model.safetensors"), "old, complete");
        IOException e = assertThrows(IOException.class, () -> OutputDir.writeAtomically(target, f -> {
            Files.writeString(f, "half");
            throw new IOException("disk full");
        }));
        assertEquals("disk full", e.getMessage());
        assertEquals("old, complete", Files.readString(target));
        assertEquals(1, count(tmp), "the temporary file is gone");
        assertThrows(IllegalStateException.class, () -> OutputDir.writeAtomically(target, f -> {
            throw new IllegalStateException("no fonts");
        }));
        assertEquals(1, count(tmp));
        OutputDir.writeAtomically(target, f -> Files.writeString(f, "new"));
        assertEquals("new", Files.readString(target));
        assertEquals(1, count(tmp));
    }

    @Test
    void onlyStaleTemporariesOfTheNamedFilesAreRemoved(@TempDir Path tmp) throws IOException {
        FileTime old = FileTime.from(Instant.now().minus(Duration.ofHours(2)));
        Path a = Files.writeString(tmp.resolve("training.png123.part"), "x");
        Path b = Files.writeString(tmp.resolve("training.png.part"), "x");
        Path fresh = Files.writeString(tmp.resolve("training.png9.part"), "x");
        Path other = Files.writeString(tmp.resolve("training.pngx.part"), "x");
        Path dir = Files.createDirectories(tmp.resolve("training.png7.part"));
        for (Path p : new Path[] {a, b, other, dir}) {
            Files.setLastModifiedTime(p, old);
        }
        assertEquals(2, OutputDir.removeStaleTemps(tmp.resolve("training.png"), OutputDir.STALE_AFTER));
        assertFalse(Files.exists(a) || Files.exists(b));
        assertTrue(Files.exists(fresh) && Files.exists(other) && Files.isDirectory(dir));
        assertEquals(0, OutputDir.removeStaleTemps(tmp.resolve("missing/training.png"), Duration.ZERO));
    }

    @Test
    void prepareRefusesFilesAndCreatesFolders(@TempDir Path tmp) throws IOException, UsageException {
        Path nested = tmp.resolve("a/b/c");
        assertEquals(nested, OutputDir.prepare("train: --out", nested.toString(), "model.safetensors"));
        assertTrue(Files.isDirectory(nested));
        assertEquals(0, count(nested), "the write check leaves nothing behind");
        Path file = Files.writeString(tmp.resolve("f"), "");
        UsageException e = assertThrows(UsageException.class, () -> OutputDir.prepare("train: --out", file.toString()));
        assertEquals("train: --out " + file + " is a file, not a folder", e.getMessage());
        e = assertThrows(UsageException.class, () -> OutputDir.prepare("train: --out", "bad\u0000name"));
        assertTrue(e.getMessage().startsWith("train: --out bad\\x00name: not a usable folder name"), e.getMessage());
    }
}
