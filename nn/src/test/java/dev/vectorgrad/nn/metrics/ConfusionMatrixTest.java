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
}
