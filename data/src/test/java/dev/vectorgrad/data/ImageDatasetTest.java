package dev.vectorgrad.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vectorgrad.core.Tensor;
import dev.vectorgrad.data.idx.Idx;
import dev.vectorgrad.data.idx.IdxCache;
import dev.vectorgrad.data.idx.IdxType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageDatasetTest {
    @TempDir
    Path tmp;

    /** Every byte value appears: pixel j of image i is (i * 37 + j * 11) mod 256. */
    private static byte[] pixels(int n, int features) {
        byte[] px = new byte[n * features];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < features; j++) {
                px[i * features + j] = (byte) (i * 37 + j * 11);
            }
        }
        return px;
    }

    private static int[] labels(int n) {
        int[] ys = new int[n];
        for (int i = 0; i < n; i++) {
            ys[i] = (i * 7) % 10;
        }
        return ys;
    }

    private static float[] asFloats(byte[] px) {
        float[] f = new float[px.length];
        for (int i = 0; i < px.length; i++) {
            f[i] = (px[i] & 0xff) / 255f;
        }
        return f;
    }

    @Test
    void bytePixelsReadAsByteOver255AtAnyOffsetTouchingNothingElse() {
        int n = 13;
        int features = 29; // not a multiple of any vector length
        byte[] px = pixels(n, features);
        ImageDataset d = ImageDataset.ofBytes("t", new int[] {features}, px, labels(n));
        assertEquals(n, d.size());
        assertArrayEquals(new int[] {features}, d.sampleShape());
        assertEquals(features, d.sampleSize());
        assertTrue(d.bytePixels());
        assertEquals(10, d.classes());
        float[] dest = new float[features + 10];
        for (int i = 0; i < n; i++) {
            Arrays.fill(dest, -7f);
            d.copyFeatures(i, dest, 3);
            for (int j = 0; j < 3; j++) {
                assertEquals(-7f, dest[j]);
            }
            for (int j = 0; j < features; j++) {
                assertEquals((px[i * features + j] & 0xff) / 255f, dest[3 + j]);
            }
            for (int j = 3 + features; j < dest.length; j++) {
                assertEquals(-7f, dest[j], "written past the sample");
            }
            assertEquals((i * 7) % 10, d.classIndex(i));
            assertEquals((i * 7) % 10, d.label(i));
        }
    }

    @Test
    void normalisedCopyMatchesTheTwoStepFormulaForBytesAndFloats() {
        int n = 256;
        int features = 7;
        byte[] px = pixels(n, features);
        ImageDataset bytes = ImageDataset.ofBytes("b", new int[] {features}, px, labels(n));
        ImageDataset floats = ImageDataset.ofFloats("f", new int[] {features}, asFloats(px), labels(n));
        float mean = 0.2860f;
        float invStd = 1f / 0.3530f;
        float[] got = new float[features + 2];
        float[] plain = new float[features];
        for (int i = 0; i < n; i++) {
            bytes.copyFeatures(i, plain, 0);
            Arrays.fill(got, Float.NaN);
            bytes.copyFeatures(i, got, 1, mean, invStd);
            assertTrue(Float.isNaN(got[0]) && Float.isNaN(got[features + 1]), "only the sample's slots are written");
            for (int j = 0; j < features; j++) {
                float want = (plain[j] - mean) * invStd;
                // One fused multiply-add instead of two rounded steps: a few ulps at most.
                assertEquals(want, got[1 + j], 4 * Math.ulp(Math.max(Math.abs(want), 1f)), "byte image " + i);
            }
            floats.copyFeatures(i, got, 1, mean, invStd);
            for (int j = 0; j < features; j++) {
                assertEquals((plain[j] - mean) * invStd, got[1 + j], "float image " + i + ": the exact two-step formula");
            }
        }
    }

    @Test
    void theDefaultNormalisedCopyOfAnyDatasetIsCopyThenRescale() {
        TensorDataset t = new TensorDataset(Tensor.wrap(new float[] {1, 2, 3, 4, 5, 6}, 2, 3), Tensor.wrap(new float[] {0, 1}, 2));
        float[] dest = {9, 9, 9, 9, 9};
        t.copyFeatures(1, dest, 1, 2f, 0.5f);
        assertArrayEquals(new float[] {9, 1f, 1.5f, 2f, 9}, dest);
    }

    @Test
    void subsetIsAViewInTheGivenOrderAndComposes() {
        int n = 20;
        byte[] px = pixels(n, 5);
        ImageDataset all = ImageDataset.ofBytes("all", new int[] {5}, px, labels(n));
        int[] pick = {19, 3, 3, 0, 7};
        ImageDataset s = all.subset("some", pick);
        assertEquals("some", s.name());
        assertEquals(5, s.size());
        float[] a = new float[5];
        float[] b = new float[5];
        for (int k = 0; k < pick.length; k++) {
            all.copyFeatures(pick[k], a, 0);
            s.copyFeatures(k, b, 0);
            assertArrayEquals(a, b);
            assertEquals(all.classIndex(pick[k]), s.classIndex(k));
        }
        ImageDataset ss = s.subset(new int[] {4, 0});
        assertEquals("some", ss.name());
        assertEquals(all.classIndex(7), ss.classIndex(0));
        assertEquals(all.classIndex(19), ss.classIndex(1));
        // Labels of 19, 3, 0, 7 are 3, 1, 0, 9: the view's classes come from its own labels.
        assertEquals(10, s.classes());
        assertEquals(2, all.subset(new int[] {3, 0}).classes());
        assertEquals(0, all.subset(new int[0]).classes());
        assertArrayEquals(new int[] {0, 0, 0, 1, 0, 0, 0, 0, 0, 1}, ss.classCounts());

        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> s.subset(new int[] {0, 5}));
        assertTrue(e.getMessage().contains("sample 5 outside [0, 5)"), e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> all.subset(new int[] {-1}));
        assertThrows(IndexOutOfBoundsException.class, () -> s.classIndex(5));
        assertThrows(IndexOutOfBoundsException.class, () -> s.label(-1));
        e = assertThrows(IndexOutOfBoundsException.class, () -> s.copyFeatures(5, new float[5], 0));
        assertTrue(e.getMessage().contains("copyFeatures: sample 5 outside [0, 5)"), e.getMessage());
        e = assertThrows(IndexOutOfBoundsException.class, () -> s.copyFeatures(0, new float[9], 5, 0f, 1f));
        assertEquals("some: copyFeatures: 5 floats at offset 5 do not fit a buffer of 9", e.getMessage());
    }

    /** The oracle: two passes in double over the floats copyFeatures gives. */
    private static double[] meanStd(Dataset d, int[] idx) {
        float[] row = new float[d.sampleSize()];
        double sum = 0;
        long count = 0;
        for (int i : idx) {
            d.copyFeatures(i, row, 0);
            for (float v : row) {
                sum += v;
                count++;
            }
        }
        double mean = sum / count;
        double sq = 0;
        for (int i : idx) {
            d.copyFeatures(i, row, 0);
            for (float v : row) {
                sq += (v - mean) * (v - mean);
            }
        }
        return new double[] {mean, Math.sqrt(sq / count)};
    }

    @Test
    void meanAndStdAgreeWithATwoPassOracleForBytesFloatsAndViews() {
        int n = 40;
        int features = 31;
        byte[] px = pixels(n, features);
        ImageDataset bytes = ImageDataset.ofBytes("b", new int[] {features}, px, labels(n));
        ImageDataset floats = ImageDataset.ofFloats("f", new int[] {features}, asFloats(px), labels(n));
        int[] idx = {0, 5, 6, 39, 17, 17};
        double[] want = meanStd(bytes, idx);
        for (ImageDataset d : new ImageDataset[] {bytes, floats}) {
            ImageDataset.MeanStd s = d.meanAndStd(idx);
            assertEquals(want[0], s.mean(), 1e-6, d.name());
            assertEquals(want[1], s.std(), 1e-5, d.name());
        }
        ImageDataset view = bytes.subset(new int[] {39, 17, 5});
        ImageDataset.MeanStd v = view.meanAndStd(new int[] {2, 0, 1});
        double[] w = meanStd(bytes, new int[] {5, 39, 17});
        assertEquals(w[0], v.mean(), 1e-6);
        assertEquals(w[1], v.std(), 1e-5);
        assertEquals(view.meanAndStd(new int[] {0, 1, 2}), view.meanAndStd());

        ImageDataset flat = ImageDataset.ofBytes("flat", new int[] {4}, new byte[] {9, 9, 9, 9, 9, 9, 9, 9}, new int[] {0, 1});
        assertEquals(new ImageDataset.MeanStd(9f / 255f, 1f), flat.meanAndStd(), "constant images: std 1, not 0");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> flat.meanAndStd(new int[0]));
        assertTrue(e.getMessage().contains("flat: meanAndStd"), e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> flat.meanAndStd(new int[] {2}));
    }

    @Test
    void sizesAndLabelsAreChecked() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ImageDataset.ofBytes("x", new int[] {2, 3}, new byte[11], new int[2]));
        assertEquals("x: 2 labels and samples of shape [2, 3] need 12 pixels, got 11", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ImageDataset.ofBytes("x", new int[] {1}, new byte[2], new int[] {0, -3}));
        assertTrue(e.getMessage().contains("label 1 is -3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> ImageDataset.ofFloats("x", new int[] {2}, new float[] {0f, Float.NaN}, new int[] {0}));
        assertTrue(e.getMessage().contains("pixel 1 of image 0 is NaN"), e.getMessage());
        for (float bad : new float[] {1.5f, -1f, Float.NaN, Float.POSITIVE_INFINITY, 1e9f}) {
            Split s = new Split("s", Tensor.zeros(2, 3), Tensor.wrap(new float[] {0f, bad}, 2));
            e = assertThrows(IllegalArgumentException.class, () -> ImageDataset.of("s", s), "label " + bad);
            assertTrue(e.getMessage().startsWith("s: label 1 is " + bad + ", expected a whole number"), e.getMessage());
        }
    }

    @Test
    void aSplitBecomesFloatSamplesShapedAsItsRows() {
        Split s = SyntheticDigits.generate("train", 12, 5);
        ImageDataset d = ImageDataset.of("synthetic", s);
        assertFalse(d.bytePixels());
        assertArrayEquals(new int[] {784}, d.sampleShape());
        float[] row = new float[784];
        for (int i = 0; i < 12; i++) {
            d.copyFeatures(i, row, 0);
            assertArrayEquals(s.images().slice(0, i, i + 1).toArray(), row);
            assertEquals(s.labels().get(i), d.label(i));
        }
    }

    private Path idx(String name, int[] dims, byte[] data, boolean gzip) throws IOException {
        Path p = tmp.resolve(name);
        Idx.write(p, IdxType.UBYTE, dims, data, gzip);
        return p;
    }

    @Test
    void readsPlainAndGzipIdxWithPixelsKeptAsBytes() throws IOException {
        byte[] px = pixels(150, 12);
        byte[] ys = new byte[150];
        for (int i = 0; i < ys.length; i++) {
            ys[i] = (byte) (i % 4);
        }
        for (boolean gz : new boolean[] {false, true}) {
            ImageDataset d = ImageDataset.readIdx("t", idx("x" + gz, new int[] {150, 3, 4}, px, gz),
                    idx("y" + gz, new int[] {150}, ys, gz), IdxCache.none());
            assertTrue(d.bytePixels());
            assertEquals(150, d.size());
            assertArrayEquals(new int[] {12}, d.sampleShape(), "flattened, as Idx.readImages does");
            assertEquals(4, d.classes());
            float[] row = new float[12];
            d.copyFeatures(149, row, 0);
            for (int j = 0; j < 12; j++) {
                assertEquals((px[149 * 12 + j] & 0xff) / 255f, row[j]);
            }
            assertEquals(1, d.classIndex(149));
        }
    }

    @Test
    void idxFilesThatDisagreeOrAreOfTheWrongKindAreRefusedByName() throws IOException {
        Path x = idx("x", new int[] {2, 28, 28}, new byte[2 * 784], false);
        Path y = idx("y", new int[] {3}, new byte[] {1, 2, 3}, true);
        DataFormatException e = assertThrows(DataFormatException.class, () -> ImageDataset.readIdx("t", x, y, IdxCache.none()));
        assertTrue(e.problem().contains(x + " holds 2 images") && e.problem().contains(y + " holds 3 labels"), e.getMessage());
        e = assertThrows(DataFormatException.class, () -> ImageDataset.readIdx("t", y, y, IdxCache.none()));
        assertEquals(y.toString(), e.source());
        assertTrue(e.problem().contains("expected an image file"), e.getMessage());
        Path cut = tmp.resolve("cut");
        byte[] bytes = Files.readAllBytes(x);
        Files.write(cut, Arrays.copyOf(bytes, bytes.length - 5));
        e = assertThrows(DataFormatException.class, () -> ImageDataset.readIdx("t", cut, y, IdxCache.none()));
        assertEquals(cut.toString(), e.source());
    }

    @Test
    void anIdxFolderSplitIsFoundGzipOrNot() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("folder"));
        byte[] px = pixels(6, 4);
        Idx.write(dir.resolve("train-images-idx3-ubyte.gz"), IdxType.UBYTE, new int[] {6, 2, 2}, px, true);
        Idx.write(dir.resolve("train-labels-idx1-ubyte"), IdxType.UBYTE, new int[] {6}, new byte[] {0, 1, 2, 0, 1, 2}, false);
        ImageDataset d = ImageDataset.readIdxFolder("train", dir, "train", IdxCache.none());
        assertEquals(6, d.size());
        assertEquals(3, d.classes());
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> ImageDataset.readIdxFolder("test", dir, "t10k", IdxCache.none()));
        assertEquals(dir + ": missing t10k-images-idx3-ubyte[.gz]", e.getMessage());
    }

    @Test
    void aLoaderOverImageDataGathersNormalisedBatchesIntoOneReusedBatch() {
        int n = 23;
        byte[] px = pixels(n, 9);
        ImageDataset d = ImageDataset.ofBytes("d", new int[] {9}, px, labels(n));
        ImageDataset.MeanStd s = d.meanAndStd();
        DataLoader loader = DataLoader.builder(d, 5).shuffle(3).normalize(s.mean(), s.std()).build();
        List<Batch> full = new ArrayList<>();
        List<Integer> seen = new ArrayList<>();
        float[] want = new float[9];
        for (Batch b : loader) {
            if (b.size() == 5) {
                full.add(b);
            }
            for (int r = 0; r < b.size(); r++) {
                int i = b.indices()[r];
                seen.add(i);
                d.copyFeatures(i, want, 0, s.mean(), 1f / s.std());
                assertArrayEquals(want, b.x().slice(0, r, r + 1).toArray());
                assertEquals(d.label(i), b.y().get(r));
            }
        }
        assertEquals(4, full.size());
        for (Batch b : full) {
            assertSame(full.get(0), b, "every full batch is the same object, refilled");
        }
        seen.sort(null);
        assertEquals(java.util.stream.IntStream.range(0, n).boxed().toList(), seen);
        var it = loader.iterator();
        Batch first = it.next();
        int[] firstIdx = first.indices().clone();
        it.next();
        assertFalse(Arrays.equals(firstIdx, first.indices()), "the indices are a reused buffer, like x and y");
    }
}
