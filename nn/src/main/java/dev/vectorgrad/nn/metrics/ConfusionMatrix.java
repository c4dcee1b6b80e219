package dev.vectorgrad.nn.metrics;

import dev.vectorgrad.core.Tensor;
import java.util.Arrays;
import java.util.Locale;

/**
 * Counts of (true class, predicted class) pairs of a classifier, accumulated batch by batch, and
 * the accuracy, per-class recall and precision they give. The prediction of a row of logits is
 * its first largest entry ({@link Tensor#argmax(int, boolean)}), as {@code logits.argmax(1)} in
 * PyTorch.
 *
 * <pre>{@code
 * ConfusionMatrix cm = new ConfusionMatrix(10);
 * for (Batch b : testLoader) {
 *     cm.add(model.call(b.x()).value(), b.y());
 * }
 * double accuracy = cm.accuracy();
 * }</pre>
 *
 * <p>Memory stays bounded by what was counted: up to {@link #DENSE_MAX_CLASSES} classes the
 * counts are a dense {@code classes x classes} array, beyond it a hash map of the pairs seen
 * (at most one entry per sample), so that a model of 30,000 classes does not ask for 7 GB of
 * counts. {@link #toString} prints a table up to {@link #TABLE_MAX_CLASSES} classes and a
 * summary of the most frequent confusions beyond.
 */
public final class ConfusionMatrix {

    /** The most classes counted in a dense array ({@code 1024^2} longs, 8 MB). */
    public static final int DENSE_MAX_CLASSES = 1024;
    /** The most classes {@link #toArray} copies out ({@code 4096^2} longs, 128 MB). */
    public static final int ARRAY_MAX_CLASSES = 4096;
    /** The most classes {@link #toString} prints as a table; beyond, the most frequent confusions. */
    public static final int TABLE_MAX_CLASSES = 64;
    /** How many confusions {@link #toString} lists when the matrix is too large for a table. */
    static final int SUMMARY_CONFUSIONS = 20;

    /** Receives the non-zero counts of {@link #forEachNonZero}. */
    @FunctionalInterface
    public interface CountConsumer {
        /**
         * @param truth the true class
         * @param predicted the predicted class
         * @param count how many samples, at least 1
         */
        void accept(int truth, int predicted, long count);
    }

    private final int classes;
    /** Dense counts {@code [truth * classes + predicted]}, or null when {@link #sparse} holds them. */
    private final long[] counts;
    private final SparseCounts sparse;
    /** Samples per true class and per predicted class: recall and precision without a scan. */
    private final long[] rowTotals;
    private final long[] columnTotals;
    private long total;
    private long correct;

    /**
     * @param classes the number of classes, at least 1
     */
    public ConfusionMatrix(int classes) {
        if (classes < 1) {
            throw new IllegalArgumentException("ConfusionMatrix: classes must be >= 1, got " + classes);
        }
        this.classes = classes;
        this.counts = classes <= DENSE_MAX_CLASSES ? new long[classes * classes] : null;
        this.sparse = counts == null ? new SparseCounts() : null;
        this.rowTotals = new long[classes];
        this.columnTotals = new long[classes];
    }

    /** @return the number of classes */
    public int classes() {
        return classes;
    }

    /**
     * Counts one batch: row {@code i} of {@code logits} predicts its largest entry's index, against
     * the true class {@code targets[i]}.
     *
     * @param logits {@code [n, classes]} scores (logits or probabilities: only their order matters)
     * @param targets {@code [n]} true class indices as floats, whole numbers in {@code [0, classes)}
     * @throws IllegalArgumentException if the shapes disagree or a target is not a class index
     *     (nothing of the batch is counted then)
     */
    public void add(Tensor logits, Tensor targets) {
        if (logits.dim() != 2 || logits.size(1) != classes || targets.dim() != 1 || targets.size(0) != logits.size(0)) {
            throw new IllegalArgumentException("ConfusionMatrix.add: expected logits [n, " + classes + "] and targets [n], got "
                    + Arrays.toString(logits.shape()) + " and " + Arrays.toString(targets.shape()));
        }
        int n = logits.size(0);
        if (n == 0) {
            return;
        }
        float[] y = targets.toArray();
        for (int i = 0; i < n; i++) {
            checkClass("target", i, y[i]);
        }
        float[] predicted = logits.argmax(1, false).toArray();
        for (int i = 0; i < n; i++) {
            add((int) y[i], (int) predicted[i]);
        }
    }

    private void checkClass(String what, int row, float v) {
        if (!(v >= 0f && v < classes && v == Math.rint(v))) {
            throw new IllegalArgumentException("ConfusionMatrix.add: " + what + " " + row + " is " + v
                    + ", expected a class index in 0.." + (classes - 1));
        }
    }

    /**
     * Counts one sample.
     *
     * @param truth its true class
     * @param predicted the class it was given
     * @throws IllegalArgumentException if either is outside {@code [0, classes)}
     */
    public void add(int truth, int predicted) {
        if (truth < 0 || truth >= classes || predicted < 0 || predicted >= classes) {
            throw new IllegalArgumentException("ConfusionMatrix.add: true class " + truth + " and predicted class "
                    + predicted + " must be in 0.." + (classes - 1));
        }
        long key = (long) truth * classes + predicted;
        if (counts != null) {
            counts[(int) key]++;
        } else {
            sparse.increment(key);
        }
        rowTotals[truth]++;
        columnTotals[predicted]++;
        total++;
        if (truth == predicted) {
            correct++;
        }
    }

    /**
     * @param truth a true class
     * @param predicted a predicted class
     * @return how many samples of class {@code truth} were predicted as {@code predicted}
     */
    public long count(int truth, int predicted) {
        if (truth < 0 || truth >= classes || predicted < 0 || predicted >= classes) {
            throw new IndexOutOfBoundsException("ConfusionMatrix.count: (" + truth + ", " + predicted
                    + ") outside a " + classes + " x " + classes + " matrix");
        }
        long key = (long) truth * classes + predicted;
        return counts != null ? counts[(int) key] : sparse.get(key);
    }

    /**
     * Visits every (true, predicted) pair counted at least once, in no particular order for more
     * than {@link #DENSE_MAX_CLASSES} classes, row by row otherwise.
     *
     * @param consumer receives each pair and its count
     */
    public void forEachNonZero(CountConsumer consumer) {
        if (counts != null) {
            for (int k = 0; k < counts.length; k++) {
                if (counts[k] != 0) {
                    consumer.accept(k / classes, k % classes, counts[k]);
                }
            }
        } else {
            sparse.forEach((key, n) -> consumer.accept((int) (key / classes), (int) (key % classes), n));
        }
    }

    /** @return the number of samples counted */
    public long total() {
        return total;
    }

    /** @return the number of samples predicted as their true class */
    public long correct() {
        return correct;
    }

    /**
     * @return the fraction of samples predicted right
     * @throws IllegalStateException if nothing was counted (there is no accuracy of nothing)
     */
    public double accuracy() {
        if (total == 0) {
            throw new IllegalStateException("ConfusionMatrix.accuracy: no samples counted yet");
        }
        return (double) correct / total;
    }

    /**
     * @param c a class
     * @return the fraction of class {@code c}'s samples predicted as {@code c}; 0 if there were none
     */
    public double recall(int c) {
        long row = rowTotals[checkIndex(c, "recall")];
        return row == 0 ? 0.0 : (double) count(c, c) / row;
    }

    /**
     * @param c a class
     * @return the fraction of samples predicted as {@code c} that are {@code c}; 0 if none were
     */
    public double precision(int c) {
        long column = columnTotals[checkIndex(c, "precision")];
        return column == 0 ? 0.0 : (double) count(c, c) / column;
    }

    private int checkIndex(int c, String op) {
        if (c < 0 || c >= classes) {
            throw new IndexOutOfBoundsException("ConfusionMatrix." + op + ": class " + c + " outside 0.." + (classes - 1));
        }
        return c;
    }

    /**
     * @return a copy of the counts, {@code [truth][predicted]}
     * @throws IllegalStateException for more than {@link #ARRAY_MAX_CLASSES} classes, whose square
     *     array would not fit a heap (use {@link #forEachNonZero} or {@link #count})
     */
    public long[][] toArray() {
        if (classes > ARRAY_MAX_CLASSES) {
            throw new IllegalStateException("ConfusionMatrix.toArray: " + classes + " classes would make " + classes + " x "
                    + classes + " counts; at most " + ARRAY_MAX_CLASSES + " classes are copied out (use forEachNonZero)");
        }
        long[][] m = new long[classes][classes];
        forEachNonZero((t, p, n) -> m[t][p] = n);
        return m;
    }

    /** Forgets every count. */
    public void reset() {
        if (counts != null) {
            Arrays.fill(counts, 0);
        } else {
            sparse.clear();
        }
        Arrays.fill(rowTotals, 0);
        Arrays.fill(columnTotals, 0);
        total = 0;
        correct = 0;
    }

    /**
     * @return up to {@link #TABLE_MAX_CLASSES} classes, the matrix as a table (rows true classes,
     *     columns predicted, with each class's recall); beyond, the accuracy and the
     *     {@value #SUMMARY_CONFUSIONS} most frequent confusions, so that the text stays short
     */
    @Override
    public String toString() {
        if (classes > TABLE_MAX_CLASSES) {
            return summary();
        }
        long max = 0;
        for (long v : counts) {
            max = Math.max(max, v);
        }
        int w = Math.max(6, Long.toString(Math.max(max, classes - 1)).length() + 2);
        StringBuilder sb = new StringBuilder("confusion matrix (rows: true class, columns: predicted)\n");
        sb.append("true\\pred");
        for (int j = 0; j < classes; j++) {
            sb.append(String.format(Locale.ROOT, "%" + w + "d", j));
        }
        sb.append("   recall\n");
        for (int i = 0; i < classes; i++) {
            sb.append(String.format(Locale.ROOT, "%9d", i));
            for (int j = 0; j < classes; j++) {
                sb.append(String.format(Locale.ROOT, "%" + w + "d", counts[i * classes + j]));
            }
            sb.append(String.format(Locale.ROOT, "   %.4f\n", recall(i)));
        }
        return sb.toString();
    }

    private String summary() {
        // The largest off-diagonal counts, kept in a min-heap of bounded size.
        java.util.PriorityQueue<long[]> top = new java.util.PriorityQueue<>(
                (a, b) -> a[2] != b[2] ? Long.compare(a[2], b[2]) : Long.compare(b[0] * classes + b[1], a[0] * classes + a[1]));
        forEachNonZero((t, p, n) -> {
            if (t != p) {
                top.add(new long[] {t, p, n});
                if (top.size() > SUMMARY_CONFUSIONS) {
                    top.poll();
                }
            }
        });
        java.util.List<long[]> list = new java.util.ArrayList<>(top);
        list.sort((a, b) -> a[2] != b[2] ? Long.compare(b[2], a[2])
                : Long.compare(a[0] * classes + a[1], b[0] * classes + b[1]));
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                "confusion matrix of %d classes (more than %d, so no table): %d of %d samples right\n",
                classes, TABLE_MAX_CLASSES, correct, total));
        if (list.isEmpty()) {
            sb.append("no confusions\n");
        } else {
            sb.append("most frequent confusions (true -> predicted: count)\n");
            for (long[] e : list) {
                sb.append(String.format(Locale.ROOT, "%9d -> %d: %d\n", e[0], e[1], e[2]));
            }
        }
        return sb.toString();
    }

    /**
     * Counts keyed by {@code truth * classes + predicted}, open addressing with linear probing:
     * one entry per distinct pair seen, so memory follows the samples counted, not the classes.
     */
    @FunctionalInterface
    private interface KeyCount {
        void accept(long key, long count);
    }

    private static final class SparseCounts {
        private static final long EMPTY = -1;
        private long[] keys = newKeys(64);
        private long[] values = new long[64];
        private int size;

        private static long[] newKeys(int n) {
            long[] k = new long[n];
            Arrays.fill(k, EMPTY);
            return k;
        }

        private static int slot(long key, int mask) {
            long h = key * 0x9E3779B97F4A7C15L;
            return (int) (h ^ (h >>> 32)) & mask;
        }

        void increment(long key) {
            if (2 * (size + 1) > keys.length) {
                grow();
            }
            int mask = keys.length - 1;
            int i = slot(key, mask);
            while (keys[i] != EMPTY && keys[i] != key) {
                i = (i + 1) & mask;
            }
            if (keys[i] == EMPTY) {
                keys[i] = key;
                size++;
            }
            values[i]++;
        }

        long get(long key) {
            int mask = keys.length - 1;
            for (int i = slot(key, mask); keys[i] != EMPTY; i = (i + 1) & mask) {
                if (keys[i] == key) {
                    return values[i];
                }
            }
            return 0;
        }

        void forEach(KeyCount consumer) {
            for (int i = 0; i < keys.length; i++) {
                if (keys[i] != EMPTY) {
                    consumer.accept(keys[i], values[i]);
                }
            }
        }

        void clear() {
            keys = newKeys(64);
            values = new long[64];
            size = 0;
        }

        private void grow() {
            long[] oldKeys = keys;
            long[] oldValues = values;
            keys = newKeys(oldKeys.length * 2);
            values = new long[oldKeys.length * 2];
            int mask = keys.length - 1;
            for (int j = 0; j < oldKeys.length; j++) {
                if (oldKeys[j] != EMPTY) {
                    int i = slot(oldKeys[j], mask);
                    while (keys[i] != EMPTY) {
                        i = (i + 1) & mask;
                    }
                    keys[i] = oldKeys[j];
                    values[i] = oldValues[j];
                }
            }
        }
    }
}
