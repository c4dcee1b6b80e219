package dev.vectorgrad.data.idx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vectorgrad.core.Tensor;
import dev.vectorgrad.data.DataFormatException;
import dev.vectorgrad.data.MnistDatasets;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxTest {

    /** Pixel bytes 0..255 cycling, so every grey level appears. */
    static byte[] imageBytes(int n, int rows, int cols) {
        byte[] b = new byte[n * rows * cols];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) ((i * 7) % 256);
        }
        return b;
    }

    static byte[] gzip(byte[] raw) throws Exception {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bo)) {
            gz.write(raw);
        }
        return bo.toByteArray();
    }

    @Test
    void imagesDecodeScaledToUnitRangeInBothLayouts() throws Exception {
        byte[] pixels = imageBytes(3, 4, 5);
        byte[] file = Idx.encode(IdxType.UBYTE, new int[] {3, 4, 5}, pixels);
        for (byte[] bytes : new byte[][] {file, gzip(file)}) {
            Tensor flat = Idx.decodeImages(bytes, "t", true);
            Tensor cube = Idx.decodeImages(bytes, "t", false);
            assertArrayEquals(new int[] {3, 20}, flat.shape());
            assertArrayEquals(new int[] {3, 4, 5}, cube.shape());
            float[] v = flat.toArray();
            for (int i = 0; i < v.length; i++) {
                assertEquals((pixels[i] & 0xff) / 255f, v[i]);
            }
            assertArrayEquals(v, cube.toArray());
        }
    }

    @Test
    void writeThenReadRoundTripsImagesAndLabels(@TempDir Path dir) throws Exception {
        Tensor images = Idx.decodeImages(Idx.encode(IdxType.UBYTE, new int[] {6, 28, 28}, imageBytes(6, 28, 28)), "t", false);
        Tensor labels = Tensor.of(new float[] {0, 9, 3, 255, 1, 7});
        for (boolean gz : new boolean[] {true, false}) {
            Path img = dir.resolve("img" + gz);
            Path lab = dir.resolve("lab" + gz);
            Idx.writeImages(img, images, gz);
            Idx.writeLabels(lab, labels, gz);
            assertEquals(gz, (Files.readAllBytes(img)[0] & 0xff) == 0x1f, "gzip chosen by the caller, detected by bytes");
            assertArrayEquals(images.toArray(), Idx.readImages3d(img).toArray());
            assertArrayEquals(images.reshape(6, 784).toArray(), Idx.readImages(img).toArray());
            assertArrayEquals(labels.toArray(), Idx.readLabels(lab).toArray());
            assertArrayEquals(new int[] {6, 28, 28}, Idx.read(img).shape());
        }
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.toString().endsWith(".part")), "no temporary file left behind");
        }
    }

    @Test
    void otherElementTypesDecodeBigEndian() throws Exception {
        ByteBuffer b = ByteBuffer.allocate(3 * 4);
        b.putFloat(1.5f).putFloat(-2f).putFloat(1e-3f);
        Tensor t = Idx.decode(Idx.encode(IdxType.FLOAT, new int[] {3}, b.array()), "t");
        assertArrayEquals(new float[] {1.5f, -2f, 1e-3f}, t.toArray());
        ByteBuffer s = ByteBuffer.allocate(4).putShort((short) -3).putShort((short) 300);
        assertArrayEquals(new float[] {-3, 300}, Idx.decode(Idx.encode(IdxType.SHORT, new int[] {2}, s.array()), "t").toArray());
    }

    @Test
    void writersRefuseValuesTheyCannotStore(@TempDir Path dir) {
        assertThrows(IllegalArgumentException.class,
                () -> Idx.writeImages(dir.resolve("a"), Tensor.full(1.5f, 1, 2, 2), false));
        assertThrows(IllegalArgumentException.class,
                () -> Idx.writeImages(dir.resolve("a"), Tensor.full(Float.NaN, 1, 2, 2), false));
        assertThrows(IllegalArgumentException.class,
                () -> Idx.writeLabels(dir.resolve("b"), Tensor.of(new float[] {1.5f}), false));
        assertTrue(!Files.exists(dir.resolve("a")) && !Files.exists(dir.resolve("b")));
    }

    // ---- bad input: one documented exception, naming the file ----

    private static DataFormatException bad(byte[] bytes) {
        DataFormatException e = assertThrows(DataFormatException.class, () -> Idx.decodeImages(bytes, "some-file.idx", true));
        assertTrue(e.getMessage().startsWith("some-file.idx: "), e.getMessage());
        return e;
    }

    @Test
    void truncatedGzipIsRefused() throws Exception {
        byte[] gz = gzip(Idx.encode(IdxType.UBYTE, new int[] {10, 28, 28}, imageBytes(10, 28, 28)));
        for (int cut : new int[] {1, 2, 5, 10, gz.length / 2, gz.length - 1}) {
            assertTrue(bad(Arrays.copyOf(gz, cut)).getMessage().contains("gzip")
                    || cut < 3, "cut at " + cut);
        }
    }

    @Test
    void corruptGzipIsRefused() throws Exception {
        byte[] gz = gzip(Idx.encode(IdxType.UBYTE, new int[] {10, 28, 28}, imageBytes(10, 28, 28)));
        byte[] crc = gz.clone();
        crc[crc.length - 6] ^= 0x55; // inside the CRC-32 trailer
        assertTrue(bad(crc).getMessage().contains("gzip"));
        byte[] body = gz.clone();
        body[12] = (byte) 0xff; // inside the deflate stream
        body[13] = (byte) 0xff;
        bad(body);
    }

    @Test
    void wrongMagicIsRefused() {
        byte[] file = Idx.encode(IdxType.UBYTE, new int[] {1, 2, 2}, new byte[4]);
        file[0] = 0x12;
        assertTrue(bad(file).problem().contains("magic"));
        byte[] type = Idx.encode(IdxType.UBYTE, new int[] {1, 2, 2}, new byte[4]);
        type[2] = 0x42;
        assertTrue(bad(type).problem().contains("type byte"));
    }

    @Test
    void dimensionsThatDisagreeWithTheLengthAreRefused() {
        byte[] file = Idx.encode(IdxType.UBYTE, new int[] {2, 28, 28}, imageBytes(2, 28, 28));
        assertTrue(bad(Arrays.copyOf(file, file.length - 1)).problem().contains("need 1568 data bytes"));
        assertTrue(bad(Arrays.copyOf(file, file.length + 3)).problem().contains("has 1571"));
        assertTrue(bad(Arrays.copyOf(file, 10)).problem().contains("header"));
    }

    @Test
    void headerClaimingTwoToThe31ItemsIsRefusedBeforeAllocating() {
        byte[] file = Idx.encode(IdxType.UBYTE, new int[] {1, 28, 28}, new byte[784]);
        ByteBuffer.wrap(file).putInt(4, 0x80000000); // 2^31 images
        assertTrue(bad(file).problem().contains("2147483648"));
        ByteBuffer.wrap(file).putInt(4, 0x7fffffff); // fits an int, but the data is absent
        bad(file);
        byte[] labels = Idx.encode(IdxType.UBYTE, new int[] {3}, new byte[3]);
        ByteBuffer.wrap(labels).putInt(4, -1);
        assertThrows(DataFormatException.class, () -> Idx.decodeLabels(labels, "labels"));
    }

    @Test
    void imageFileWhereLabelsBelongIsRefused() {
        byte[] images = Idx.encode(IdxType.UBYTE, new int[] {1, 2, 2}, new byte[4]);
        DataFormatException e = assertThrows(DataFormatException.class, () -> Idx.decodeLabels(images, "labels"));
        assertTrue(e.problem().contains("label file"));
    }

    @Test
    void labelCountDifferentFromImageCountIsRefused(@TempDir Path dir) throws Exception {
        Tensor images = Tensor.zeros(4, 28, 28);
        Idx.writeImages(dir.resolve("train-images-idx3-ubyte.gz"), images, true);
        Idx.writeLabels(dir.resolve("train-labels-idx1-ubyte.gz"), Tensor.zeros(3), true);
        Idx.writeImages(dir.resolve("t10k-images-idx3-ubyte"), images, false);
        Idx.writeLabels(dir.resolve("t10k-labels-idx1-ubyte"), Tensor.zeros(4), false);
        DataFormatException e = assertThrows(DataFormatException.class, () -> MnistDatasets.readFolder(dir));
        assertTrue(e.problem().contains("label count and image count differ"), e.getMessage());
        assertTrue(e.source().contains("train-images"), e.getMessage());
    }
}
