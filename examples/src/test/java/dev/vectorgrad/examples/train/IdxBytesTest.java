package dev.vectorgrad.examples.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxBytesTest {

    private static byte[] idx(int[] dims, byte[] data) throws IOException {
        var bytes = new java.io.ByteArrayOutputStream();
        try (DataOutputStream d = new DataOutputStream(bytes)) {
            d.writeInt(0x0800 | dims.length);
            for (int s : dims) {
                d.writeInt(s);
            }
            d.write(data);
        }
        return bytes.toByteArray();
    }

    @Test
    void readsPlainAndGzipFilesLargerThanOneReadChunk(@TempDir Path tmp) throws IOException {
        int n = 150; // 150 * 784 bytes: several 64 KB pieces and a partial one
        byte[] px = new byte[n * 784];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (i * 31 + 7);
        }
        byte[] file = idx(new int[] {n, 28, 28}, px);
        Path plain = tmp.resolve("plain");
        Files.write(plain, file);
        Path gz = tmp.resolve("packed.gz");
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(gz))) {
            o.write(file);
        }
        for (Path p : new Path[] {plain, gz}) {
            IdxBytes.Contents c = IdxBytes.read(p, 3, false);
            assertArrayEquals(new int[] {n, 28, 28}, c.dims());
            assertArrayEquals(px, c.data());
        }
    }

    @Test
    void truncatedOrWrongFilesNameTheProblem(@TempDir Path tmp) throws IOException {
        byte[] file = idx(new int[] {3, 28, 28}, new byte[3 * 784]);
        Path cut = tmp.resolve("cut");
        Files.write(cut, Arrays.copyOf(file, file.length - 5));
        String m = assertThrows(IOException.class, () -> IdxBytes.read(cut, 3, false)).getMessage();
        assertTrue(m.contains("truncated") && m.contains(cut.toString()), m);
        Path labels = tmp.resolve("labels");
        Files.write(labels, idx(new int[] {3}, new byte[3]));
        m = assertThrows(IOException.class, () -> IdxBytes.read(labels, 3, false)).getMessage();
        assertTrue(m.contains("expected 3 dimensions, found 1"), m);
        Path empty = tmp.resolve("empty");
        Files.write(empty, new byte[2]);
        m = assertThrows(IOException.class, () -> IdxBytes.read(empty, 3, false)).getMessage();
        assertTrue(m.contains("too short"), m);
        Path floats = tmp.resolve("floats");
        Files.write(floats, new byte[] {0, 0, 0x0d, 1, 0, 0, 0, 0});
        m = assertThrows(IOException.class, () -> IdxBytes.read(floats, 1, false)).getMessage();
        assertTrue(m.contains("not an IDX file of unsigned bytes"), m);
    }

    @Test
    void imagesAndLabelsMustAgreeOnTheCount(@TempDir Path tmp) throws IOException {
        Path x = tmp.resolve("x");
        Path y = tmp.resolve("y");
        Files.write(x, idx(new int[] {2, 28, 28}, new byte[2 * 784]));
        Files.write(y, idx(new int[] {3}, new byte[] {1, 2, 3}));
        String m = assertThrows(IOException.class, () -> IdxBytes.readSplit("t", x, y, false)).getMessage();
        assertTrue(m.contains("2 images") && m.contains("3 labels"), m);
        Files.write(y, idx(new int[] {2}, new byte[] {4, 9}));
        ImageData d = IdxBytes.readSplit("t", x, y, false);
        assertEquals(2, d.size());
        assertEquals(10, d.classes());
        assertEquals(9, d.label(1));
    }
}
