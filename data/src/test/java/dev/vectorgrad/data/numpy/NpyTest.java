package dev.vectorgrad.data.numpy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vectorgrad.core.Rng;
import dev.vectorgrad.core.Tensor;
import dev.vectorgrad.data.DataFormatException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The .npy/.npz fixtures were written by numpy.save / numpy.savez_compressed (src/test/python/make_fixtures.py). */
class NpyTest {
    static final Path FIXTURES = Path.of("src", "test", "resources", "fixtures");
    static final float[] ARANGE6 = {0, 1, 2, 3, 4, 5};

    @Test
    void readsWhatNumpySavesInEveryDtypeAndOrder() throws Exception {
        List<String> names = Files.readAllLines(FIXTURES.resolve("variants.txt"));
        assertEquals(18, names.size());
        for (String name : names) {
            NdArray a = Npy.read(FIXTURES.resolve("npy").resolve(name + ".npy"));
            assertArrayEquals(ARANGE6, a.toTensor().toArray(), name);
            assertArrayEquals(new int[] {2, 3}, a.shape(), name);
            assertEquals(name.endsWith("_F"), a.fortranOrder(), name);
        }
    }

    @Test
    void readsWhatNumpySavezAndSavezCompressedWrite() throws Exception {
        for (String file : new String[] {"arrays.npz", "arrays_stored.npz"}) {
            Map<String, NdArray> m = Npz.read(FIXTURES.resolve(file));
            assertEquals(Files.readAllLines(FIXTURES.resolve("variants.txt")), List.copyOf(m.keySet()), file);
            for (Map.Entry<String, NdArray> e : m.entrySet()) {
                assertArrayEquals(ARANGE6, e.getValue().toTensor().toArray(), file + " " + e.getKey());
            }
        }
    }

    @Test
    void writeThenReadRoundTripsAnyShape(@TempDir Path dir) throws Exception {
        Rng rng = new Rng(3);
        for (int[] shape : new int[][] {{}, {0}, {1}, {7}, {3, 4}, {2, 3, 5}}) {
            Tensor t = shape.length == 0 ? Tensor.scalar(2.5f) : Tensor.randn(rng, shape);
            Path f = dir.resolve("t" + shape.length + ".npy");
            Npy.write(f, t);
            byte[] bytes = Files.readAllBytes(f);
            int headerEnd = 10 + ((bytes[8] & 0xff) | (bytes[9] & 0xff) << 8);
            assertEquals(0, headerEnd % 64, "numpy aligns the data to 64 bytes");
            NdArray back = Npy.read(f);
            assertArrayEquals(t.shape(), back.shape());
            assertArrayEquals(t.toArray(), back.toTensor().toArray());
        }
        // A transposed view is written in row-major order of the view.
        Tensor m = Tensor.arange(6).reshape(2, 3).t();
        Npy.write(dir.resolve("t.npy"), m);
        assertArrayEquals(new float[] {0, 3, 1, 4, 2, 5}, Npy.readTensor(dir.resolve("t.npy")).toArray());
    }

    @Test
    void npzRoundTrips(@TempDir Path dir) throws Exception {
        Map<String, Tensor> in = new LinkedHashMap<>();
        in.put("w", Tensor.randn(new Rng(1), 4, 3));
        in.put("b", Tensor.zeros(3));
        Npz.write(dir.resolve("m.npz"), in);
        Map<String, NdArray> out = Npz.read(dir.resolve("m.npz"));
        assertEquals(List.of("w", "b"), List.copyOf(out.keySet()));
        assertArrayEquals(in.get("w").toArray(), out.get("w").toTensor().toArray());
    }

    @Test
    void badFilesAreRefusedNamingTheFile() throws Exception {
        byte[] good = Files.readAllBytes(FIXTURES.resolve("npy/f4_le_C.npy"));
        byte[] magic = good.clone();
        magic[1] = 'X';
        assertTrue(assertThrows(DataFormatException.class, () -> Npy.decode(magic, "m.npy")).getMessage().startsWith("m.npy: "));
        assertThrows(DataFormatException.class, () -> Npy.decode(Arrays.copyOf(good, good.length - 1), "cut.npy"));
        String h = new String(good, StandardCharsets.ISO_8859_1).replace("(2, 3)", "(2, 4)");
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> Npy.decode(h.getBytes(StandardCharsets.ISO_8859_1), "shape.npy"));
        assertTrue(e.problem().contains("needs 32 data bytes"), e.getMessage());
        String obj = new String(good, StandardCharsets.ISO_8859_1).replace("'<f4'", "'|O8'");
        assertThrows(DataFormatException.class, () -> Npy.decode(obj.getBytes(StandardCharsets.ISO_8859_1), "obj.npy"));
        String huge = new String(good, StandardCharsets.ISO_8859_1).replace("(2, 3)", "(2147483647, 2147483647, 9)");
        assertThrows(DataFormatException.class, () -> Npy.decode(huge.getBytes(StandardCharsets.ISO_8859_1), "huge.npy"));
        byte[] npz = Files.readAllBytes(FIXTURES.resolve("arrays.npz"));
        assertThrows(DataFormatException.class, () -> Npz.decode(Arrays.copyOf(npz, npz.length / 2), "cut.npz"));
        assertThrows(DataFormatException.class, () -> Npz.decode(new byte[] {1, 2, 3}, "junk.npz"));
    }

    @Test
    void writtenFilesHaveThePermissionsOfAPlainNewFile(@TempDir Path dir) throws Exception {
        // numpy.save opens with open(file, "wb"): mode 0666 & ~umask (0644 under umask 022), not
        // the 0600 of a temporary file. The JVM cannot read its umask directly, so a plain file
        // created as FileOutputStream would shows it. (Under umask 077 both are 0600 and this
        // test cannot tell the difference.)
        assumeTrue(Files.getFileAttributeView(dir, PosixFileAttributeView.class) != null, "needs a POSIX file system");
        Path probe = dir.resolve("probe");
        Files.newOutputStream(probe).close();
        Set<PosixFilePermission> plain = Files.getPosixFilePermissions(probe);
        Npy.write(dir.resolve("a.npy"), Tensor.arange(3));
        Npz.write(dir.resolve("a.npz"), Map.of("a", Tensor.arange(3)));
        for (String name : new String[] {"a.npy", "a.npz"}) {
            assertEquals(PosixFilePermissions.toString(plain),
                    PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(name))), name);
        }
        // Replacing an existing file gives the same: the new file is renamed over it.
        Npy.write(dir.resolve("a.npy"), Tensor.arange(4));
        assertEquals(plain, Files.getPosixFilePermissions(dir.resolve("a.npy")));
    }
}
