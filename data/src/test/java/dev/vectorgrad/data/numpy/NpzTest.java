package dev.vectorgrad.data.numpy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vectorgrad.core.Tensor;
import dev.vectorgrad.data.DataFormatException;
import dev.vectorgrad.data.internal.Bytes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;

class NpzTest {
    private static final Path FIXTURES = Path.of("src", "test", "resources", "fixtures");

    /** An archive as numpy.savez writes it: sizes in the local headers, no data descriptors. */
    private static byte[] stored() throws IOException {
        return Files.readAllBytes(FIXTURES.resolve("arrays_stored.npz"));
    }

    private static int eocd(byte[] z) {
        for (int i = z.length - 22; i >= 0; i--) {
            if (ByteBuffer.wrap(z).order(ByteOrder.LITTLE_ENDIAN).getInt(i) == 0x06054b50) {
                return i;
            }
        }
        throw new AssertionError("no end record");
    }

    private static int firstCentralEntry(byte[] z) {
        return ByteBuffer.wrap(z).order(ByteOrder.LITTLE_ENDIAN).getInt(eocd(z) + 16);
    }

    @Test
    void everyCutOfAnArchiveIsRefusedAsNumPyRefusesIt() throws Exception {
        byte[] z = stored();
        assertTrue(Npz.decode(z, "whole.npz").size() > 1);
        for (int len = 0; len < z.length; len++) {
            byte[] cut = java.util.Arrays.copyOf(z, len);
            DataFormatException e = assertThrows(DataFormatException.class, () -> Npz.decode(cut, "cut.npz"), "length " + len);
            assertTrue(e.getMessage().startsWith("cut.npz: "), e.getMessage());
            assertTrue(e.problem().contains("cut short"), len + ": " + e.getMessage());
        }
    }

    @Test
    void aWrongCrcInTheDirectoryIsRefusedNamingTheEntry() throws Exception {
        byte[] z = stored();
        int cd = firstCentralEntry(z);
        z[cd + 16] ^= 1;
        DataFormatException e = assertThrows(DataFormatException.class, () -> Npz.decode(z, "crc.npz"));
        assertTrue(e.problem().matches("entry '.*\\.npy': CRC-32 [0-9a-f]{8} of its contents but the central directory "
                + "records [0-9a-f]{8}: corrupt archive"), e.getMessage());
    }

    @Test
    void aFlippedDataByteIsCaughtByTheCrc() throws Exception {
        byte[] z = stored();
        z[z.length / 4] ^= 0x10; // inside the first entry's raw .npy data or header
        DataFormatException e = assertThrows(DataFormatException.class, () -> Npz.decode(z, "flip.npz"));
        assertTrue(e.getMessage().startsWith("flip.npz"), e.getMessage());
    }

    @Test
    void bytesNoEntryOwnsAreRefused() throws Exception {
        byte[] z = stored();
        int cd = firstCentralEntry(z);
        // Point the first directory entry past its local header: its bytes now belong to no entry.
        ByteBuffer b = ByteBuffer.wrap(z).order(ByteOrder.LITTLE_ENDIAN);
        int nameLen = b.getShort(cd + 28);
        b.putInt(cd + 42, b.getInt(cd + 42) + 1);
        assertTrue(nameLen > 0);
        DataFormatException e = assertThrows(DataFormatException.class, () -> Npz.decode(z, "hole.npz"));
        assertTrue(e.problem().contains("no local header") || e.problem().contains("belong to no entry"), e.getMessage());
    }

    @Test
    void aZipBombIsRefusedByItsDeclaredSizeBeforeInflating() throws Exception {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        long size = Bytes.FREE_INFLATE + (16 << 20);
        try (ZipOutputStream zo = new ZipOutputStream(bo)) {
            zo.putNextEntry(new ZipEntry("zeros.npy"));
            byte[] block = new byte[1 << 16];
            for (long done = 0; done < size; done += block.length) {
                zo.write(block);
            }
            zo.closeEntry();
        }
        DataFormatException e = assertThrows(DataFormatException.class, () -> Npz.decode(bo.toByteArray(), "bomb.npz"));
        assertTrue(e.problem().startsWith("entry 'zeros.npy' (by its declared size) inflates to more than "), e.getMessage());
        assertTrue(e.problem().contains("decompression bomb"), e.getMessage());
    }

    @Test
    void archivesWithDataDescriptorsAsJavaWritesThemRoundTrip() throws Exception {
        Tensor t = Tensor.arange(12).reshape(3, 4);
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        try (ZipOutputStream zo = new ZipOutputStream(bo)) {
            zo.putNextEntry(new ZipEntry("a.npy"));
            zo.write(Npy.encode(t));
            zo.closeEntry();
            byte[] raw = Npy.encode(Tensor.arange(2));
            ZipEntry s = new ZipEntry("b.npy");
            s.setMethod(ZipEntry.STORED);
            s.setSize(raw.length);
            CRC32 c = new CRC32();
            c.update(raw);
            s.setCrc(c.getValue());
            zo.putNextEntry(s);
            zo.write(raw);
            zo.closeEntry();
        }
        Map<String, NdArray> m = Npz.decode(bo.toByteArray(), "java.npz");
        assertEquals(java.util.List.of("a", "b"), java.util.List.copyOf(m.keySet()));
        assertArrayEquals(t.toArray(), m.get("a").toTensor().toArray());
        assertArrayEquals(new float[] {0, 1}, m.get("b").toTensor().toArray());
    }
}
