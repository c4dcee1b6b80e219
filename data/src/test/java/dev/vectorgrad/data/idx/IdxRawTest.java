package dev.vectorgrad.data.idx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vectorgrad.data.DataFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The byte-level readers ({@link Idx#readRaw}, {@link Idx#readImageBytes}, ...) on files the tests write. */
class IdxRawTest {
    @TempDir
    Path dir;

    /** 1.2 MB of pixels: many 64 KB read pieces and, when the array must grow, past its first 1 MB. */
    private static final int N = 1500;
    private static final int DATA = N * 28 * 28;
    private static final byte[] PIXELS = IdxTest.imageBytes(N, 28, 28);
    private static final byte[] IMAGES = Idx.encode(IdxType.UBYTE, new int[] {N, 28, 28}, PIXELS);

    interface Reader {
        IdxArray read(Path file) throws IOException;
    }

    private Path file(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    private static byte[] gzip(byte[] raw) throws Exception {
        return IdxTest.gzip(raw);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** The one documented exception, its message starting with the file's name; returns the problem. */
    private static String problem(Reader reader, Path file) {
        DataFormatException e = assertThrows(DataFormatException.class, () -> reader.read(file));
        assertEquals(file.toString(), e.source());
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        return e.problem();
    }

    private static void assertImages(IdxArray a) {
        assertEquals(IdxType.UBYTE, a.header().type());
        assertArrayEquals(new int[] {N, 28, 28}, a.header().dims());
        assertEquals(16, a.header().headerBytes());
        assertEquals(DATA, a.header().dataBytes());
        assertArrayEquals(PIXELS, a.data());
    }

    @Test
    void plainAndGzipFilesReadAsTheirHeaderAndBytes() throws Exception {
        for (Path f : new Path[] {file("plain", IMAGES), file("packed.gz", gzip(IMAGES))}) {
            assertImages(Idx.readRaw(f));
            assertImages(Idx.readImageBytes(f));
        }
        Path labels = file("labels.gz", gzip(Idx.encode(IdxType.UBYTE, new int[] {4}, new byte[] {7, 0, (byte) 255, 3})));
        IdxArray y = Idx.readLabelBytes(labels);
        assertArrayEquals(new int[] {4}, y.header().dims());
        assertArrayEquals(new byte[] {7, 0, (byte) 255, 3}, y.data());
        assertArrayEquals(new float[] {7, 0, 255, 3}, y.toTensor().toArray());
    }

    @Test
    void gzipWhoseTrailerDisagreesWithTheHeaderStillReadsWhenTheDataIsThere() throws Exception {
        // Two gzip members: the trailer names only the last one's length, so the reader cannot trust
        // it and grows its array as the bytes arrive.
        int half = IMAGES.length / 2;
        byte[] twoMembers = concat(gzip(Arrays.copyOf(IMAGES, half)), gzip(Arrays.copyOfRange(IMAGES, half, IMAGES.length)));
        assertImages(Idx.readImageBytes(file("two.gz", twoMembers)));
        assertImages(Idx.decodeRaw(twoMembers, "two.gz"));
    }

    @Test
    void truncatedFilesSayWhatWasNeededAndWhatCame() throws Exception {
        byte[] cut = Arrays.copyOf(IMAGES, IMAGES.length - 5);
        String need = "dimensions [1500, 28, 28] of UBYTE need 1176000 data bytes but the file has 1175995"
                + " after the 16-byte header";
        assertEquals(need, problem(Idx::readImageBytes, file("cut", cut)));
        assertEquals(need, problem(Idx::readRaw, file("cut-inside.gz", gzip(cut))));
        byte[] gz = gzip(IMAGES);
        String p = problem(Idx::readImageBytes, file("cut.gz", Arrays.copyOf(gz, gz.length / 2)));
        assertTrue(p.startsWith("corrupt or truncated gzip data"), p);
        assertEquals("too short for an IDX header: 2 bytes", problem(Idx::readRaw, file("tiny", new byte[2])));
        assertEquals("header names 3 dimensions, needing 16 header bytes, but the file has only 10 bytes",
                problem(Idx::readRaw, file("header-cut", Arrays.copyOf(IMAGES, 10))));
    }

    @Test
    void extraBytesAfterTheDataAreRefused() throws Exception {
        byte[] longer = Arrays.copyOf(IMAGES, IMAGES.length + 3);
        for (Path f : new Path[] {file("long", longer), file("long.gz", gzip(longer))}) {
            String p = problem(Idx::readImageBytes, f);
            assertTrue(p.contains("need 1176000 data bytes but the file has 1176003"), p);
        }
    }

    @Test
    void wrongMagicOrTypeIsRefusedNamingBoth() throws Exception {
        byte[] magic = IMAGES.clone();
        magic[0] = 0x12;
        assertEquals("wrong magic number: expected 00 00 <type> <dims> but found 12 00 08 03",
                problem(Idx::readRaw, file("magic", magic)));
        byte[] type = IMAGES.clone();
        type[2] = 0x42;
        assertEquals("unknown IDX type byte 0x42 (expected 08, 09, 0b, 0c, 0d or 0e)",
                problem(Idx::readRaw, file("type.gz", gzip(type))));
        Path labels = file("labels", Idx.encode(IdxType.UBYTE, new int[] {3}, new byte[3]));
        assertEquals("expected an image file (ubyte, 3 dimensions [n, rows, cols]) but found UBYTE with dimensions [3]",
                problem(Idx::readImageBytes, labels));
        Path floats = file("floats.gz", gzip(Idx.encode(IdxType.FLOAT, new int[] {2}, new byte[8])));
        assertEquals("expected a label file (ubyte, 1 dimension [n]) but found FLOAT with dimensions [2]",
                problem(Idx::readLabelBytes, floats));
        assertEquals(IdxType.FLOAT, Idx.readRaw(floats).header().type());
        assertEquals("expected a label file (ubyte, 1 dimension [n]) but found UBYTE with dimensions [1500, 28, 28]",
                problem(Idx::readLabelBytes, file("images", IMAGES)));
    }

    @Test
    void oversizeHeadersAreRefused() throws Exception {
        byte[] lie = Idx.encode(IdxType.UBYTE, new int[] {1, 28, 28}, new byte[784]);
        ByteBuffer.wrap(lie).putInt(4, 0x7fffffff); // 2^31 - 1 images, one present
        String plain = problem(Idx::readImageBytes, file("lie", lie));
        assertTrue(plain.contains("need 1683627179248 data bytes but the file has 784"), plain);
        String gz = problem(Idx::readImageBytes, file("lie.gz", gzip(lie)));
        assertTrue(gz.contains("more than one Java array holds"), gz);

        ByteBuffer.wrap(lie).putInt(4, 1 << 20); // 822 MB: fits one array, but no few hundred bytes inflate to it
        String bomb = problem(Idx::readImageBytes, file("lie2.gz", gzip(lie)));
        assertTrue(bomb.contains("declares 822083584 data bytes") && bomb.contains("decompression bomb"), bomb);
        // A trailer forged to agree with the header changes nothing: the trailer sizes no buffer.
        byte[] forged = gzip(lie);
        ByteBuffer.wrap(forged).order(ByteOrder.LITTLE_ENDIAN).putInt(forged.length - 4, 16 + (1 << 20) * 784);
        String p = problem(Idx::readImageBytes, file("forged.gz", forged));
        assertTrue(p.contains("decompression bomb"), p);
        // Below the inflation cap the header is believed only as far as the data goes: the array grows
        // to the 784 bytes present, then the inflater reaches the forged trailer and refuses it.
        ByteBuffer.wrap(lie).putInt(4, 1 << 14); // 12.8 MB declared, 784 bytes present
        byte[] forgedSmall = gzip(lie);
        ByteBuffer.wrap(forgedSmall).order(ByteOrder.LITTLE_ENDIAN).putInt(forgedSmall.length - 4, 16 + (1 << 14) * 784);
        String small = problem(Idx::readImageBytes, file("forged-small.gz", forgedSmall));
        assertTrue(small.startsWith("corrupt or truncated gzip data") && small.contains("Corrupt GZIP trailer"), small);
        ByteBuffer.wrap(forgedSmall).order(ByteOrder.LITTLE_ENDIAN).putInt(forgedSmall.length - 4, 16 + 784);
        String honest = problem(Idx::readImageBytes, file("honest-small.gz", forgedSmall));
        assertTrue(honest.contains("but the file has 784"), honest);

        byte[] zeroImages = Idx.encode(IdxType.UBYTE, new int[] {0, 28, 28}, new byte[0]);
        ByteBuffer.wrap(zeroImages).putInt(8, 1 << 16).putInt(12, 1 << 16);
        assertEquals("images of 65536 x 65536 pixels do not fit one row of a tensor",
                problem(Idx::readImageBytes, file("wide", zeroImages)));
    }
}
