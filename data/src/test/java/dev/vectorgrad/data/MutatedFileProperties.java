package dev.vectorgrad.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vectorgrad.core.Tensor;
import dev.vectorgrad.data.idx.Idx;
import dev.vectorgrad.data.idx.IdxArray;
import dev.vectorgrad.data.idx.IdxType;
import dev.vectorgrad.data.internal.Bytes;
import dev.vectorgrad.data.numpy.NdArray;
import dev.vectorgrad.data.numpy.Npy;
import dev.vectorgrad.data.numpy.Npz;
import dev.vectorgrad.data.pickle.MnistPickle;
import dev.vectorgrad.data.pickle.Pickle;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Valid files with random bytes flipped, cut or inserted: every reader either parses them
 * (into something self-consistent) or throws its one documented {@link DataFormatException};
 * never another exception, an OutOfMemoryError or a hang.
 */
class MutatedFileProperties {
    static final Path FIXTURES = Path.of("src", "test", "resources", "fixtures");

    @Provide
    Arbitrary<List<ByteMutation>> mutations() {
        return ByteMutation.lists(4);
    }

    /** Edits placed near the start, where the headers are. */
    private static byte[] mutate(byte[] in, List<ByteMutation> ms) {
        return ByteMutation.applyAll(in, ms, true);
    }

    private static byte[] gzip(byte[] raw) {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bo)) {
            gz.write(raw);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bo.toByteArray();
    }

    private static byte[] read(String name) {
        try {
            return Files.readAllBytes(FIXTURES.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final byte[] IDX_IMAGES;
    private static final byte[] IDX_LABELS;

    static {
        byte[] px = new byte[5 * 28 * 28];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (i * 13);
        }
        IDX_IMAGES = Idx.encode(IdxType.UBYTE, new int[] {5, 28, 28}, px);
        IDX_LABELS = Idx.encode(IdxType.UBYTE, new int[] {5}, new byte[] {1, 2, 3, 4, 5});
    }

    @Property(tries = 300)
    void idxReadersThrowOnlyTheirException(@ForAll("mutations") List<ByteMutation> ms, @ForAll boolean gz) {
        byte[] images = mutate(gz ? gzip(IDX_IMAGES) : IDX_IMAGES, ms);
        byte[] labels = mutate(gz ? gzip(IDX_LABELS) : IDX_LABELS, ms);
        try {
            Tensor t = Idx.decodeImages(images, "images", true);
            assertEquals(2, t.dim());
            float[] v = t.toArray();
            for (float x : v) {
                assertTrue(x >= 0f && x <= 1f);
            }
        } catch (DataFormatException expected) {
            assertTrue(expected.getMessage().startsWith("images: "));
        }
        try {
            Tensor t = Idx.decodeLabels(labels, "labels");
            assertEquals(1, t.dim());
        } catch (DataFormatException expected) {
            assertTrue(expected.getMessage().startsWith("labels: "));
        }
        try {
            Idx.decode(images, "any");
        } catch (DataFormatException expected) {
            // the one documented failure
        }
        sameOutcomeFromAFile(images, labels);
    }

    /**
     * The file entry points (readRaw, readImageBytes, readLabelBytes) against the array ones on
     * the same mutated bytes: both fail with the same problem or both give the same values, so a
     * check made on one path only shows up here.
     */
    private static void sameOutcomeFromAFile(byte[] images, byte[] labels) {
        try {
            Path dir = Files.createTempDirectory("mutated-idx");
            Path imageFile = Files.write(dir.resolve("images"), images);
            Path labelFile = Files.write(dir.resolve("labels"), labels);
            try {
                agree(() -> Idx.decodeRaw(images, "images").toTensor(), () -> Idx.readRaw(imageFile), 1f);
                agree(() -> Idx.decodeImages(images, "images", false), () -> Idx.readImageBytes(imageFile), 255f);
                agree(() -> Idx.decodeLabels(labels, "labels"), () -> Idx.readLabelBytes(labelFile), 1f);
            } finally {
                Files.delete(imageFile);
                Files.delete(labelFile);
                Files.delete(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    interface Read<T> {
        T get() throws IOException;
    }

    /** Both fail with the same problem, or both succeed with the same shape and values ({@code scale} apart). */
    private static void agree(Read<Tensor> fromArray, Read<IdxArray> fromFile, float scale) throws IOException {
        Tensor expected;
        try {
            expected = fromArray.get();
        } catch (DataFormatException e) {
            DataFormatException f = assertThrows(DataFormatException.class, fromFile::get);
            assertEquals(e.problem(), f.problem());
            return;
        }
        IdxArray got = fromFile.get();
        assertArrayEquals(expected.shape(), got.header().dims());
        float[] scaled = got.toTensor().toArray();
        for (int i = 0; i < scaled.length; i++) {
            scaled[i] /= scale;
        }
        assertArrayEquals(expected.toArray(), scaled);
    }

    private static final byte[] PY2 = read("mnist_py2_cpickle.pkl.gz");
    private static final byte[] P2 = read("mnist_py3_p2.pkl.gz");
    private static final byte[] P5 = read("mnist_py3_p5.pkl.gz");
    private static final byte[] ARRAYS_P4 = read("arrays_p4.pkl");

    private static byte[] gunzip(byte[] b) {
        try {
            return Bytes.maybeGunzip(b, "fixture");
        } catch (DataFormatException e) {
            throw new IllegalStateException(e);
        }
    }

    @Property(tries = 300)
    void pickleReaderThrowsOnlyItsException(@ForAll("mutations") List<ByteMutation> ms, @ForAll int which, @ForAll boolean raw) {
        byte[][] seeds = {PY2, P2, P5};
        byte[] seed = seeds[Math.floorMod(which, 3)];
        byte[] input = mutate(raw ? gunzip(seed) : seed, ms);
        try {
            MnistPickle m = MnistPickle.decode(input, "m.pkl");
            assertEquals(m.train().images().size(0), m.train().labels().size(0));
        } catch (DataFormatException expected) {
            assertTrue(expected.getMessage().startsWith("m.pkl: "));
        }
        try {
            Object v = Pickle.load(mutate(ARRAYS_P4, ms), "a.pkl");
            if (v instanceof List<?> l) {
                for (Object o : l) {
                    if (o instanceof NdArray a) {
                        assertEquals(a.numel(), a.toTensor().numel());
                    }
                }
            }
        } catch (DataFormatException expected) {
            assertTrue(expected.getMessage().startsWith("a.pkl: "));
        }
    }

    private static final byte[] NPY_F8_BE_F = read("npy/f8_be_F.npy");
    private static final byte[] NPY_U1 = read("npy/u1_le_C.npy");
    private static final byte[] NPY_WRITTEN = Npy.encode(Tensor.arange(12).reshape(3, 4));

    @Property(tries = 300)
    void npyAndNpzReadersThrowOnlyTheirException(@ForAll("mutations") List<ByteMutation> ms, @ForAll int which) {
        byte[][] seeds = {NPY_F8_BE_F, NPY_U1, NPY_WRITTEN};
        byte[] input = mutate(seeds[Math.floorMod(which, 3)], ms);
        try {
            NdArray a = Npy.decode(input, "a.npy");
            assertEquals(a.numel(), a.toTensor().numel());
        } catch (DataFormatException expected) {
            assertTrue(expected.getMessage().startsWith("a.npy: "));
        }
        try {
            for (NdArray a : Npz.decode(mutate(which % 2 == 0 ? NPZ : NPZ_STORED, ms), "a.npz").values()) {
                assertEquals(a.numel(), a.toTensor().numel());
            }
        } catch (DataFormatException expected) {
            assertTrue(expected.getMessage().startsWith("a.npz"));
        }
    }

    private static final byte[] NPZ = read("arrays.npz");
    private static final byte[] NPZ_STORED = read("arrays_stored.npz");
}
