package dev.vectorgrad.nn.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vectorgrad.core.Rng;
import dev.vectorgrad.core.Tensor;
import org.junit.jupiter.api.Test;

class ConfusionMatrixTest {

    @Test
    void countsMatchAHandWrittenArgmaxIncludingTiesAcrossBatches() {
        int classes = 7;
        Rng rng = new Rng(3);
        long[][] want = new long[classes][classes];
        ConfusionMatrix cm = new ConfusionMatrix(classes);
        long right = 0;
        for (int n : new int[] {1, 13, 0, 64}) {
            float[] z = new float[n * classes];
            float[] y = new float[n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < classes; j++) {
                    // Coarse values so that ties happen: the first largest must win.
                    z[i * classes + j] = rng.nextInt(4) - 1.5f;
                }
                y[i] = rng.nextInt(classes);
                int best = 0;
                for (int j = 1; j < classes; j++) {
                    if (z[i * classes + j] > z[i * classes + best]) {
                        best = j;
                    }
                }
                want[(int) y[i]][best]++;
                if (best == (int) y[i]) {
                    right++;
                }
            }
            cm.add(Tensor.wrap(z, n, classes), Tensor.wrap(y, n));
        }
        for (int i = 0; i < classes; i++) {
            assertArrayEquals(want[i], cm.toArray()[i], "row " + i);
        }
        assertEquals(78, cm.total());
        assertEquals(right, cm.correct());
        assertEquals((double) right / 78, cm.accuracy());
        cm.reset();
        assertEquals(0, cm.total());
        assertEquals(0, cm.count(3, 3));
    }

    @Test
    void recallAndPrecisionOfAKnownMatrix() {
        ConfusionMatrix cm = new ConfusionMatrix(3);
        // Class 0: 3 right, 1 as class 2. Class 1: 2 as class 0. Class 2: 1 right.
        for (int[] p : new int[][] {{0, 0}, {0, 0}, {0, 0}, {0, 2}, {1, 0}, {1, 0}, {2, 2}}) {
            cm.add(p[0], p[1]);
        }
        assertEquals(0.75, cm.recall(0));
        assertEquals(0.0, cm.recall(1));
        assertEquals(1.0, cm.recall(2));
        assertEquals(0.6, cm.precision(0), 1e-12);
        assertEquals(0.0, cm.precision(1), "nothing predicted as 1: 0, not NaN");
        assertEquals(0.5, cm.precision(2));
        assertEquals(4.0 / 7, cm.accuracy(), 1e-12);
        String table = cm.toString();
        assertTrue(table.contains("        0     3     0     1   0.7500\n"), table);
        assertTrue(table.contains("        1     2     0     0   0.0000\n"), table);
    }

    @Test
    void wrongShapesAndTargetsAreRefusedAndNothingIsCounted() {
        ConfusionMatrix cm = new ConfusionMatrix(3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> cm.add(Tensor.zeros(2, 4), Tensor.zeros(2)));
        assertEquals("ConfusionMatrix.add: expected logits [n, 3] and targets [n], got [2, 4] and [2]", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> cm.add(Tensor.zeros(2, 3), Tensor.zeros(3)));
        assertThrows(IllegalArgumentException.class, () -> cm.add(Tensor.zeros(2, 3), Tensor.zeros(2, 1)));
        for (float bad : new float[] {-1f, 3f, 0.5f, Float.NaN}) {
            e = assertThrows(IllegalArgumentException.class,
                    () -> cm.add(Tensor.zeros(2, 3), Tensor.wrap(new float[] {1f, bad}, 2)));
            assertTrue(e.getMessage().contains("target 1 is " + bad), e.getMessage());
        }
        assertEquals(0, cm.total(), "a refused batch counts nothing");
        assertThrows(IllegalStateException.class, cm::accuracy);
        assertThrows(IllegalArgumentException.class, () -> cm.add(3, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> cm.count(0, -1));
        assertThrows(IllegalArgumentException.class, () -> new ConfusionMatrix(0));
    }

    /** The same pairs counted by a dense and a sparse matrix, and by a hand-kept oracle. */
    @Test
    void manyClassesAreCountedSparselyAndAgreeWithAnOracle() {
        Rng rng = new Rng(5);
        for (int classes : new int[] {ConfusionMatrix.DENSE_MAX_CLASSES, ConfusionMatrix.DENSE_MAX_CLASSES + 1, 30_000}) {
            ConfusionMatrix cm = new ConfusionMatrix(classes);
            java.util.Map<Long, Long> want = new java.util.HashMap<>();
            long[] rows = new long[classes];
            long[] cols = new long[classes];
            long right = 0;
            for (int i = 0; i < 5000; i++) {
                // A few hot classes, so pairs repeat, plus strays across the whole range.
                int t = i % 3 == 0 ? rng.nextInt(classes) : rng.nextInt(7);
                int p = i % 5 == 0 ? rng.nextInt(classes) : (i % 2 == 0 ? t : rng.nextInt(7));
                cm.add(t, p);
                want.merge((long) t * classes + p, 1L, Long::sum);
                rows[t]++;
                cols[p]++;
                right += t == p ? 1 : 0;
            }
            long[] visited = new long[1];
            cm.forEachNonZero((t, p, n) -> {
                assertEquals(want.get((long) t * classes + p), n, t + " -> " + p);
                visited[0]++;
            });
            assertEquals(want.size(), visited[0], "every non-zero pair once, and no other");
            for (var e : want.entrySet()) {
                assertEquals(e.getValue(), cm.count((int) (e.getKey() / classes), (int) (e.getKey() % classes)));
            }
            assertEquals(0, cm.count(classes - 1, 0) - want.getOrDefault((long) (classes - 1) * classes, 0L));
            assertEquals((double) right / 5000, cm.accuracy(), 1e-15);
            for (int c : new int[] {0, 3, 6, classes - 1}) {
                long diag = want.getOrDefault((long) c * classes + c, 0L);
                assertEquals(rows[c] == 0 ? 0.0 : (double) diag / rows[c], cm.recall(c), 1e-15);
                assertEquals(cols[c] == 0 ? 0.0 : (double) diag / cols[c], cm.precision(c), 1e-15);
            }
            cm.reset();
            assertEquals(0, cm.total());
            assertEquals(0, cm.count(0, 0));
            assertEquals(0.0, cm.recall(0));
        }
    }

    @Test
    void largeMatricesPrintABoundedSummaryAndRefuseToCopyOutSquares() {
        ConfusionMatrix cm = new ConfusionMatrix(30_000);
        for (int i = 0; i < 100; i++) {
            cm.add(i, i);
            cm.add(i, 29_999 - i);
        }
        cm.add(7, 8);
        cm.add(7, 8);
        cm.add(7, 8);
        String s = cm.toString();
        assertTrue(s.startsWith("confusion matrix of 30000 classes"), s);
        assertTrue(s.contains("100 of 203 samples right"), s);
        String[] lines = s.split("\n");
        assertEquals(2 + 20, lines.length, s);
        assertEquals("        7 -> 8: 3", lines[2], "the most frequent confusion first");
        assertEquals("        0 -> 29999: 1", lines[3], "ties in (true, predicted) order");
        IllegalStateException e = assertThrows(IllegalStateException.class, cm::toArray);
        assertTrue(e.getMessage().contains("30000 x 30000"), e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> cm.recall(30_000));
        assertThrows(IndexOutOfBoundsException.class, () -> cm.precision(-1));

        ConfusionMatrix wide = new ConfusionMatrix(ConfusionMatrix.TABLE_MAX_CLASSES);
        wide.add(1, 2);
        assertTrue(wide.toString().contains("true\\pred"), "a table up to the bound");
        ConfusionMatrix beyond = new ConfusionMatrix(ConfusionMatrix.TABLE_MAX_CLASSES + 1);
        beyond.add(1, 1);
        assertTrue(beyond.toString().contains("no confusions"), beyond.toString());
        assertEquals(1, beyond.toArray()[1][1]);
    }
}
