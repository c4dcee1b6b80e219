package dev.vectorgrad.data.idx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vectorgrad.data.DataFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxCacheTest {
    @TempDir
    Path tmp;

    private static byte[] pixels(int n, int seed) {
        byte[] px = new byte[n * 784];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (i * 31 + seed);
        }
        return px;
    }

    private Path images(String name, byte[] px, boolean gzip) throws IOException {
        Path p = tmp.resolve(name);
        Idx.write(p, IdxType.UBYTE, new int[] {px.length / 784, 28, 28}, px, gzip);
        return p;
    }

    @Test
    void gzipFilesAreReadFromTheirDecompressedCopyOnLaterReads() throws IOException {
        IdxCache cache = IdxCache.in(tmp.resolve("raw"));
        byte[] px = pixels(4, 1);
        Path gz = images("x.gz", px, true);
        Path plain = images("x", px, false);
        assertArrayEquals(px, cache.readImageBytes(gz).data());
        assertArrayEquals(px, cache.readImageBytes(plain).data());
        Path copy = cache.copyOf(gz);
        assertEquals(tmp.resolve("raw"), copy.getParent());
        assertTrue(copy.getFileName().toString().startsWith("x-" + Files.size(gz) + "-"), copy.toString());
        assertTrue(Files.isRegularFile(copy), "a copy of the gzip file");
        assertFalse(Files.exists(cache.copyOf(plain)), "no copy of a plain file");

        // Later reads take the copy: prove it by making the copy differ from the original.
        byte[] other = pixels(4, 2);
        Idx.write(copy, IdxType.UBYTE, new int[] {4, 28, 28}, other, false);
        assertArrayEquals(other, cache.readImageBytes(gz).data());

        // A damaged copy is dropped and the original read (and copied again).
        Files.write(copy, new byte[] {0, 0, 8});
        assertArrayEquals(px, cache.readImageBytes(gz).data());
        assertArrayEquals(px, Idx.readImageBytes(copy).data());
        try (var files = Files.list(copy.getParent())) {
            assertTrue(files.noneMatch(p -> p.toString().endsWith(".part")), "no temporary file left");
        }
    }

    @Test
    void aReplacedFileIsNeverAnsweredByTheCopyOfTheOldOne() throws IOException {
        IdxCache cache = IdxCache.in(tmp.resolve("raw"));
        Path gz = images("y.gz", pixels(3, 1), true);
        cache.readImageBytes(gz);
        Path oldCopy = cache.copyOf(gz);
        long then = Files.getLastModifiedTime(gz).toMillis();
        byte[] now = pixels(3, 9);
        images("y.gz", now, true);
        Files.setLastModifiedTime(gz, FileTime.fromMillis(then + 5_000));
        assertFalse(oldCopy.equals(cache.copyOf(gz)));
        assertArrayEquals(now, cache.readImageBytes(gz).data());
    }

    @Test
    void labelsGoThroughTheCacheTooAndErrorsNameTheOriginal() throws IOException {
        IdxCache cache = IdxCache.in(tmp.resolve("raw"));
        Path y = tmp.resolve("labels.gz");
        Idx.write(y, IdxType.UBYTE, new int[] {3}, new byte[] {7, 8, 9}, true);
        assertArrayEquals(new byte[] {7, 8, 9}, cache.readLabelBytes(y).data());
        assertTrue(Files.isRegularFile(cache.copyOf(y)));
        Path x = images("z.gz", pixels(1, 0), true);
        DataFormatException e = assertThrows(DataFormatException.class, () -> cache.readLabelBytes(x));
        assertEquals(x.toString(), e.source());
    }

    @Test
    void anUnusableCacheFolderCostsOnlyTheSpeedUp() throws IOException {
        Path notADir = Files.write(tmp.resolve("file"), new byte[] {1});
        IdxCache cache = IdxCache.in(notADir);
        byte[] px = pixels(2, 3);
        assertArrayEquals(px, cache.readImageBytes(images("a.gz", px, true)).data());
        assertArrayEquals(px, IdxCache.none().readImageBytes(images("b.gz", px, true)).data());
        assertNull(IdxCache.none().copyOf(tmp.resolve("b.gz")));
        assertNull(IdxCache.none().directory());
    }

    @Test
    void theDefaultFollowsTheProperty() {
        String before = System.getProperty(IdxCache.PROPERTY);
        try {
            System.setProperty(IdxCache.PROPERTY, "none");
            assertNull(IdxCache.defaults().directory());
            System.setProperty(IdxCache.PROPERTY, tmp.toString());
            assertEquals(tmp, IdxCache.defaults().directory());
            System.clearProperty(IdxCache.PROPERTY);
            assertEquals(Path.of(System.getProperty("user.home"), ".cache", "vectorgrad", "raw"), IdxCache.defaults().directory());
        } finally {
            if (before == null) {
                System.clearProperty(IdxCache.PROPERTY);
            } else {
                System.setProperty(IdxCache.PROPERTY, before);
            }
        }
    }
}
