package dev.vectorgrad.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vectorgrad.core.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class DataLoaderTest {
    /** Sample i has features (i, 10 i, 100 i) and label i % 7. */
    static TensorDataset dataset(int n) {
        float[] x = new float[n * 3];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            x[3 * i] = i;
            x[3 * i + 1] = 10 * i;
            x[3 * i + 2] = 100 * i;
            y[i] = i % 7;
        }
        return new TensorDataset(Tensor.wrap(x, n, 3), Tensor.wrap(y, n));
    }

    @Test
    void everySampleOnceWithMatchingLabelAndAPartialLastBatch() {
        DataLoader loader = DataLoader.builder(dataset(23), 5).build();
        assertEquals(5, loader.batchCount());
        List<Integer> seen = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        for (Batch b : loader) {
            sizes.add(b.size());
            assertArrayEquals(new int[] {b.size(), 3}, b.x().shape());
            assertArrayEquals(new int[] {b.size()}, b.y().shape());
            for (int r = 0; r < b.size(); r++) {
                int i = (int) b.x().get(r, 0);
                assertEquals(b.indices()[r], i);
                assertEquals(100f * i, b.x().get(r, 2));
                assertEquals(i % 7, b.y().get(r));
                seen.add(i);
            }
        }
        assertEquals(List.of(5, 5, 5, 5, 3), sizes);
        assertEquals(java.util.stream.IntStream.range(0, 23).boxed().toList(), seen, "no shuffle: dataset order");
    }

    @Test
    void dropLastSkipsThePartialBatch() {
        DataLoader loader = DataLoader.builder(dataset(23), 5).dropLast(true).shuffle(1).build();
        assertEquals(4, loader.batchCount());
        int batches = 0;
        for (Batch b : loader) {
            assertEquals(5, b.size());
            batches++;
        }
        assertEquals(4, batches);
    }

    @Test
    void shuffleIsSeededPerEpochAndAPermutation() {
        DataLoader a = DataLoader.builder(dataset(50), 8).shuffle(42).build();
        DataLoader b = DataLoader.builder(dataset(50), 8).shuffle(42).build();
        int[] e0 = order(a);
        int[] e1 = order(a);
        assertArrayEquals(e0, order(b), "same seed, same epoch: same order");
        assertArrayEquals(e1, order(b));
        assertFalse(Arrays.equals(e0, e1), "epochs differ");
        assertArrayEquals(e1, a.orderOfEpoch(1), "any epoch's order can be recomputed");
        int[] sorted = e0.clone();
        Arrays.sort(sorted);
        assertArrayEquals(java.util.stream.IntStream.range(0, 50).toArray(), sorted);
        assertEquals(2, a.epochsStarted());
        DataLoader c = DataLoader.builder(dataset(50), 8).shuffle(43).build();
        assertFalse(Arrays.equals(e0, order(c)), "another seed, another order");
    }

    private static int[] order(DataLoader l) {
        List<Integer> out = new ArrayList<>();
        for (Batch b : l) {
            for (int i : b.indices()) {
                out.add(i);
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    @Test
    void batchesReuseOneBufferAndTheLastIsAViewOfIt() {
        DataLoader loader = DataLoader.builder(dataset(12), 5).build();
        List<Tensor> xs = new ArrayList<>();
        for (Batch b : loader) {
            xs.add(b.x());
        }
        assertTrue(xs.get(0).sharesStorageWith(xs.get(1)));
        assertTrue(xs.get(0).sharesStorageWith(xs.get(2)));
        assertEquals(2, xs.get(2).size(0));
    }

    @Test
    void everyBatchBumpsTheBufferVersionSoStaleSavedBatchesAreDetectable() {
        DataLoader loader = DataLoader.builder(dataset(12), 5).build();
        var it = loader.iterator();
        Batch first = it.next();
        int v1 = first.x().version();
        int y1 = first.y().version();
        it.next();
        assertTrue(first.x().version() > v1, "x buffer rewritten");
        assertTrue(first.y().version() > y1, "y buffer rewritten");
    }

    @Test
    void normalisationIsAppliedWhileGathering() {
        DataLoader loader = DataLoader.builder(dataset(4), 4).normalize(10f, 4f).build();
        Batch b = loader.iterator().next();
        for (int r = 0; r < 4; r++) {
            assertEquals((10f * r - 10f) / 4f, b.x().get(r, 1), 1e-6f);
        }
        assertThrows(IllegalArgumentException.class, () -> DataLoader.builder(dataset(4), 4).normalize(0f, 0f));
        assertThrows(IllegalArgumentException.class, () -> DataLoader.builder(dataset(4), 0));
    }

    @Test
    void iteratorPastTheEndThrows() {
        var it = DataLoader.builder(dataset(3), 5).build().iterator();
        assertEquals(3, it.next().size());
        assertFalse(it.hasNext());
        assertThrows(java.util.NoSuchElementException.class, it::next);
    }

    @Test
    void normalisationThatWouldOverflowAFloatIsRefused() {
        TensorDataset d = dataset(4);
        for (float[] ms : new float[][] {{0f, 1e-40f}, {0f, Float.MIN_VALUE}, {3e38f, 0.5f}, {-3e38f, 0.1f}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> DataLoader.builder(d, 2).normalize(ms[0], ms[1]));
            assertTrue(e.getMessage().contains("overflows a float"), e.getMessage());
        }
        for (float[] ms : new float[][] {{Float.NaN, 1f}, {0f, 0f}, {0f, -1f}, {0f, Float.POSITIVE_INFINITY}}) {
            assertThrows(IllegalArgumentException.class, () -> DataLoader.builder(d, 2).normalize(ms[0], ms[1]));
        }
        // Small but representable: 1/std and mean/std stay finite.
        DataLoader ok = DataLoader.builder(d, 4).normalize(0.5f, 1e-30f).build();
        Batch b = ok.iterator().next();
        assertEquals(0.5e30f, b.x().get(1, 0), 1e24f);
    }

    @Test
    void aNanLabelIsRefusedNamingTheSampleNotTrainedOn() {
        float[] y = {0f, 1f, Float.NaN, 1f};
        TensorDataset d = new TensorDataset(Tensor.zeros(4, 3), Tensor.wrap(y, 4));
        DataLoader loader = DataLoader.builder(d, 4).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> loader.iterator().next());
        assertTrue(e.getMessage().startsWith("DataLoader: sample 2 of ") && e.getMessage().endsWith("has the label NaN"),
                e.getMessage());
        assertEquals(2, DataLoader.builder(d, 2).build().iterator().next().size(), "the batch before it is fine");
    }
}
