package dev.vectorgrad.autograd;

import dev.vectorgrad.core.Tensor;

/** Validation of class-index targets, so a bad label fails with its row and value, not inside a loop. */
final class Targets {

    private Targets() {}

    /** Reads a 1-d tensor of whole numbers in {@code [0, classes)}, one per row. */
    static int[] toIndices(String op, Tensor targets, int rows, int classes) {
        if (targets.dim() != 1) {
            throw new IllegalArgumentException(op + ": targets must be a 1-d tensor of " + rows
                    + " class indices, got shape " + Shapes.str(targets.shape()));
        }
        float[] t = targets.toArray();
        if (t.length != rows) {
            throw new IllegalArgumentException(op + ": " + t.length + " targets for " + rows
                    + " rows: need one class index per row");
        }
        int[] idx = new int[rows];
        for (int i = 0; i < rows; i++) {
            float v = t[i];
            if (!(v == Math.rint(v)) || Float.isInfinite(v)) {
                throw new IllegalArgumentException(op + ": target " + v + " at row " + i
                        + " is not a whole number; targets are class indices in [0, " + classes + ")");
            }
            if (v < 0 || v >= classes) {
                throw new IllegalArgumentException(op + ": target " + v + " at row " + i
                        + " is out of range for " + classes + " classes (expected 0 <= target < " + classes + ")");
            }
            idx[i] = (int) v;
        }
        return idx;
    }

    /** Checks int class indices: one per row, each in {@code [0, classes)}. */
    static void check(String op, int[] idx, int rows, int classes) {
        if (idx.length != rows) {
            throw new IllegalArgumentException(op + ": " + idx.length + " targets for " + rows
                    + " rows: need one class index per row");
        }
        for (int i = 0; i < rows; i++) {
            if (idx[i] < 0 || idx[i] >= classes) {
                throw new IllegalArgumentException(op + ": target " + idx[i] + " at row " + i
                        + " is out of range for " + classes + " classes (expected 0 <= target < " + classes + ")");
            }
        }
    }
}
