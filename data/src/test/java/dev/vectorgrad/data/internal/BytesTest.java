package dev.vectorgrad.data.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vectorgrad.data.DataFormatException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class BytesTest {
    private static byte[] gzipZeros(long n) throws IOException {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bo)) {
            byte[] block = new byte[1 << 16];
            for (long done = 0; done < n; done += block.length) {
                gz.write(block, 0, (int) Math.min(block.length, n - done));
            }
        }
        return bo.toByteArray();
    }

    @Test
    void theCapIsTheRatioTimesTheStoredSizeAboveAFloor() {
        assertEquals(Bytes.FREE_INFLATE, Bytes.inflateCap(0));
        assertEquals(Bytes.FREE_INFLATE, Bytes.inflateCap(1000));
        assertEquals(Bytes.DEFAULT_MAX_RATIO * (1L << 20), Bytes.inflateCap(1L << 20));
        assertEquals(Bytes.MAX_ARRAY, Bytes.inflateCap(Long.MAX_VALUE / 2));
    }

    @Test
    void smallFilesOfZerosInflateWhateverTheirRatio() throws IOException {
        byte[] gz = gzipZeros(4 << 20);
        assertTrue(gz.length * Bytes.DEFAULT_MAX_RATIO < (4 << 20), "the test needs a ratio above the limit");
        assertEquals(4 << 20, Bytes.maybeGunzip(gz, "zeros.gz").length);
    }

    @Test
    void aGzipBombIsRefusedAtTheCap() throws IOException {
        byte[] gz = gzipZeros(Bytes.FREE_INFLATE + (8 << 20));
        DataFormatException e = assertThrows(DataFormatException.class, () -> Bytes.maybeGunzip(gz, "bomb.gz"));
        assertTrue(e.getMessage().startsWith("bomb.gz: gzip data inflates to more than " + Bytes.FREE_INFLATE), e.getMessage());
        assertTrue(e.problem().contains("decompression bomb") && e.problem().contains(Bytes.MAX_RATIO_PROPERTY), e.getMessage());
    }

    @Test
    void aStreamOfExactlyTheLimitIsAcceptedAndOneByteMoreIsNot() throws IOException {
        byte[] data = new byte[(1 << 18) * 2 + 5];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31);
        }
        assertArrayEquals(data, Bytes.readAll(new ByteArrayInputStream(data), "s", data.length,
                () -> new DataFormatException("s", "too long")));
        DataFormatException e = assertThrows(DataFormatException.class, () -> Bytes.readAll(
                new ByteArrayInputStream(data), "s", data.length - 1, () -> new DataFormatException("s", "too long")));
        assertEquals("too long", e.problem());
    }

    @Test
    void aBadRatioPropertyIsNamed() {
        String old = System.getProperty(Bytes.MAX_RATIO_PROPERTY);
        try {
            System.setProperty(Bytes.MAX_RATIO_PROPERTY, "lots");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, Bytes::maxRatio);
            assertTrue(e.getMessage().contains("-D" + Bytes.MAX_RATIO_PROPERTY + "=lots"), e.getMessage());
            System.setProperty(Bytes.MAX_RATIO_PROPERTY, "5000");
            assertEquals(5000, Bytes.maxRatio());
        } finally {
            if (old == null) {
                System.clearProperty(Bytes.MAX_RATIO_PROPERTY);
            } else {
                System.setProperty(Bytes.MAX_RATIO_PROPERTY, old);
            }
        }
    }
}
