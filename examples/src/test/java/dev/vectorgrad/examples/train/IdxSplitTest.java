package dev.vectorgrad.examples.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vectorgrad.data.DataFormatException;
import dev.vectorgrad.data.idx.Idx;
import dev.vectorgrad.data.idx.IdxArray;
import dev.vectorgrad.data.idx.IdxType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxSplitTest {
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

    private Path labels(String name, byte[] ys, boolean gzip) throws IOException {
        Path p = tmp.resolve(name);
        Idx.write(p, IdxType.UBYTE, new int[] {ys.length}, ys, gzip);
        return p;
    }

    @Test
    void readsPlainAndGzipSplitsAsBytes() throws IOException {
        byte[] px = pixels(150, 7);
        for (boolean gz : new boolean[] {false, true}) {
            ImageData d = IdxSplit.read("t", images("x" + gz, px, gz), labels("y" + gz, new byte[150], gz), false);
            assertEquals(150, d.size());
            assertEquals(784, d.features());
            float[] row = new float[784];
            d.copyNormalised(149, row, 0, 0f, 1f);
            for (int j = 0; j < 784; j++) {
                assertEquals(px[149 * 784 + j] & 0xff, Math.round(row[j] * 255f));
            }
        }
    }

    @Test
    void imagesAndLabelsMustAgreeOnTheCount() throws IOException {
        Path x = images("x", new byte[2 * 784], false);
        Path y = labels("y", new byte[] {1, 2, 3}, true);
        String m = assertThrows(IOException.class, () -> IdxSplit.read("t", x, y, false)).getMessage();
        assertTrue(m.contains(x + " holds 2 images") && m.contains(y + " holds 3 labels"), m);
        ImageData d = IdxSplit.read("t", x, labels("y2", new byte[] {4, 9}, false), false);
        assertEquals(10, d.classes());
        assertEquals(9, d.label(1));
    }

    @Test
    void wrongFilesAreRefusedNamingTheFileAndTheProblem() throws IOException {
        Path x = images("x", new byte[3 * 784], false);
        Path y = labels("y", new byte[3], false);
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxSplit.read("t", y, y, false));
        assertEquals(y.toString(), e.source());
        assertTrue(e.problem().contains("expected an image file") && e.problem().contains("dimensions [3]"), e.getMessage());
        Path cut = tmp.resolve("cut");
        byte[] bytes = Files.readAllBytes(x);
        Files.write(cut, Arrays.copyOf(bytes, bytes.length - 5));
        e = assertThrows(DataFormatException.class, () -> IdxSplit.read("t", cut, y, false));
        assertTrue(e.getMessage().startsWith(cut + ": ") && e.problem().contains("need 2352 data bytes but the file has 2347"),
                e.getMessage());
    }

    @Test
    void gzipFilesAreReadFromTheirDecompressedCopyOnLaterRuns() throws IOException {
        RawCache cache = new RawCache(tmp.resolve("raw"));
        byte[] px = pixels(4, 1);
        Path gz = images("x.gz", px, true);
        Path plain = images("x", px, false);
        assertArrayEquals(px, cache.read(gz, Idx::readImageBytes).data());
        assertArrayEquals(px, cache.read(plain, Idx::readImageBytes).data());
        Path copy = cache.copyOf(gz);
        assertTrue(Files.isRegularFile(copy), "a copy of the gzip file");
        assertFalse(Files.exists(cache.copyOf(plain)), "no copy of a plain file");

        // Later runs read the copy: prove it by making the copy differ from the original.
        byte[] other = pixels(4, 2);
        Idx.write(copy, IdxType.UBYTE, new int[] {4, 28, 28}, other, false);
        assertArrayEquals(other, cache.read(gz, Idx::readImageBytes).data());

        // A damaged copy is dropped and the original read (and copied again).
        Files.write(copy, new byte[] {0, 0, 8});
        IdxArray again = cache.read(gz, Idx::readImageBytes);
        assertArrayEquals(px, again.data());
        assertArrayEquals(px, Idx.readImageBytes(copy).data());
        try (var files = Files.list(copy.getParent())) {
            assertTrue(files.noneMatch(p -> p.toString().endsWith(".part")), "no temporary file left");
        }
    }
}
