package dev.vectorgrad.data.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributeView;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path dir;

    private List<String> names() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private Path aged(String name, Duration age) throws IOException {
        Path p = Files.write(dir.resolve(name), new byte[] {1, 2, 3});
        Files.setLastModifiedTime(p, FileTime.from(Instant.now().minus(age)));
        return p;
    }

    @Test
    void writeReplacesTheTargetAndLeavesNoTemporaryFile() throws IOException {
        Path target = dir.resolve("f.bin");
        Files.write(target, new byte[] {9});
        AtomicFiles.write(target, out -> out.write(new byte[] {1, 2}));
        assertArrayEquals(new byte[] {1, 2}, Files.readAllBytes(target));
        assertEquals(List.of("f.bin"), names());
    }

    @Test
    void anExceptionWhileWritingRemovesTheTemporaryFileAndKeepsTheOldTarget() throws IOException {
        Path target = dir.resolve("f.bin");
        Files.write(target, new byte[] {9});
        IOException io = new IOException("disk full");
        assertSame(io, assertThrows(IOException.class, () -> AtomicFiles.write(target, out -> {
            out.write(new byte[100_000]); // past the buffer: bytes really reached the temporary file
            throw io;
        })));
        IllegalStateException bug = new IllegalStateException("writer bug");
        assertSame(bug, assertThrows(IllegalStateException.class, () -> AtomicFiles.write(target, out -> {
            out.write(new byte[100_000]);
            throw bug;
        })));
        assertArrayEquals(new byte[] {9}, Files.readAllBytes(target));
        assertEquals(List.of("f.bin"), names());
    }

    @Test
    void staleTemporaryFilesOfTheTargetAreRemovedOnTheNextWrite() throws IOException {
        aged("f.bin123456789.part", Duration.ofHours(2)); // killed mid-write: removed
        aged("f.bin42.part", Duration.ofDays(30)); // removed
        aged("f.bin77.part", Duration.ofMinutes(1)); // another process still writing: kept
        aged("g.bin99.part", Duration.ofDays(30)); // another target's: kept
        aged("f.bin.part", Duration.ofDays(30)); // not a name createTemp makes: kept
        aged("f.binary", Duration.ofDays(30)); // not a temporary file: kept
        AtomicFiles.write(dir.resolve("f.bin"), out -> out.write(1));
        assertEquals(List.of("f.bin", "f.bin.part", "f.bin77.part", "f.binary", "g.bin99.part"), names());
    }

    @Test
    void removeStaleTempsCountsWhatItRemovedAndMatchesTheNameLiterally() throws IOException {
        aged("a+b(1)7.part", Duration.ofHours(3));
        aged("aab17.part", Duration.ofHours(3)); // would match if the name were read as a regex
        assertEquals(1, AtomicFiles.removeStaleTemps(dir.resolve("a+b(1)"), AtomicFiles.STALE_AFTER));
        assertEquals(List.of("aab17.part"), names());
        assertEquals(0, AtomicFiles.removeStaleTemps(dir.resolve("missing-folder").resolve("x"), Duration.ZERO));
    }

    @Test
    void createTempMakesANameTheCleanupRecognises() throws IOException {
        Path tmp = AtomicFiles.createTemp(dir.resolve("t.gz"));
        assertTrue(tmp.getFileName().toString().matches("t\\.gz\\d+\\.part"), tmp.toString());
        Files.setLastModifiedTime(tmp, FileTime.from(Instant.now().minus(Duration.ofHours(2))));
        assertEquals(1, AtomicFiles.removeStaleTemps(dir.resolve("t.gz"), AtomicFiles.STALE_AFTER));
        assertEquals(List.of(), names());
    }

    @Test
    void writtenAndTemporaryFilesHaveThePermissionsOfAPlainNewFile() throws IOException {
        // 0666 & ~umask as FileOutputStream gives (and NumPy, PyTorch, curl), not the 0600 of
        // Files.createTempFile: the file is renamed into place and keeps its mode.
        assumeTrue(Files.getFileAttributeView(dir, PosixFileAttributeView.class) != null, "needs a POSIX file system");
        Path probe = dir.resolve("probe");
        Files.newOutputStream(probe).close();
        var plain = Files.getPosixFilePermissions(probe);
        Path target = dir.resolve("f.bin");
        AtomicFiles.write(target, out -> out.write(1));
        assertEquals(plain, Files.getPosixFilePermissions(target));
        Path tmp = AtomicFiles.createTemp(dir.resolve("d.gz"));
        assertEquals(plain, Files.getPosixFilePermissions(tmp), "what a download is renamed from");
    }

    @Test
    void createTempNeverReusesAnExistingName() throws IOException {
        Path target = dir.resolve("t.gz");
        java.util.Set<Path> made = new java.util.HashSet<>();
        for (int i = 0; i < 200; i++) {
            assertTrue(made.add(AtomicFiles.createTemp(target)), "a fresh file each time");
        }
        assertEquals(200, names().size());
    }
}
