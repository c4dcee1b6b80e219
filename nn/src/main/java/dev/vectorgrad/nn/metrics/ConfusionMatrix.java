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
 */
public final class ConfusionMatrix {

    private final int classes;
    private final long[] counts;
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
        this.counts = new long[Math.multiplyExact(classes, classes)];
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
        counts[truth * classes + predicted]++;
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
        return counts[truth * classes + predicted];
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
        long row = 0;
        for (int j = 0; j < classes; j++) {
            row += count(c, j);
        }
        return row == 0 ? 0.0 : (double) count(c, c) / row;
    }

    /**
     * @param c a class
     * @return the fraction of samples predicted as {@code c} that are {@code c}; 0 if none were
     */
    public double precision(int c) {
        long column = 0;
        for (int i = 0; i < classes; i++) {
            column += count(i, c);
        }
        return column == 0 ? 0.0 : (double) count(c, c) / column;
    }

    /** @return a copy of the counts, {@code [truth][predicted]} */
    public long[][] toArray() {
        long[][] m = new long[classes][];
        for (int i = 0; i < classes; i++) {
            m[i] = Arrays.copyOfRange(counts, i * classes, (i + 1) * classes);
        }
        return m;
    }

    /** Forgets every count. */
    public void reset() {
        Arrays.fill(counts, 0);
        total = 0;
        correct = 0;
    }

    /** @return the matrix as a table: rows true classes, columns predicted, with each class's recall */
    @Override
    public String toString() {
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
}
