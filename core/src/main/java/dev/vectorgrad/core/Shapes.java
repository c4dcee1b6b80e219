package dev.vectorgrad.core;

import java.util.Arrays;

/** Shape arithmetic and the checks that turn bad shapes into clear messages. */
final class Shapes {

    private Shapes() {}

    /** {@code [10000, 50]}. */
    static String str(int[] shape) {
        return Arrays.toString(shape);
    }

    /** The number of elements, refusing negative sizes and totals beyond one Java array. */
    static int numel(String op, int[] shape) {
        for (int s : shape) {
            if (s < 0) {
                throw new IllegalArgumentException(op + ": shape " + str(shape) + " has a negative size");
            }
        }
        for (int s : shape) {
            if (s == 0) {
                return 0; // however large the other sizes, nothing is allocated
            }
        }
        long n = 1;
        for (int s : shape) {
            n *= s;
            if (n > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException(op + ": shape " + str(shape)
                        + " holds more than " + (Integer.MAX_VALUE - 8) + " elements, the most one tensor can hold");
            }
        }
        return (int) n;
    }

    /** Row-major strides of a contiguous tensor of this shape. */
    static int[] contiguousStrides(int[] shape) {
        int[] strides = new int[shape.length];
        int s = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            strides[d] = s;
            s *= Math.max(shape[d], 1);
        }
        return strides;
    }

    /** A dim in {@code [-rank, rank)} made non-negative, or a message naming the valid range. */
    static int normalizeDim(String op, int dim, int[] shape) {
        return normalizeDim(op, dim, shape, shape.length);
    }

    /** Same, for ops such as unsqueeze whose valid range is {@code [-rank', rank')} for another rank. */
    static int normalizeDim(String op, int dim, int[] shape, int rank) {
        if (rank == 0) {
            throw new IndexOutOfBoundsException(op + ": dim " + dim + " is out of range for a 0-d tensor, which has no dims");
        }
        if (dim < -rank || dim >= rank) {
            throw new IndexOutOfBoundsException(op + ": dim " + dim + " is out of range for shape "
                    + str(shape) + " (expected a dim in [" + -rank + ", " + (rank - 1) + "])");
        }
        return dim < 0 ? dim + rank : dim;
    }

    /**
     * NumPy broadcasting: align on the right; two sizes agree when equal or when one is 1.
     */
    static int[] broadcast(String op, int[] a, int[] b) {
        int rank = Math.max(a.length, b.length);
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
            int db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException(op + ": shapes " + str(a) + " and " + str(b)
                        + " cannot broadcast: sizes " + da + " and " + db + " at dim " + (i - rank)
                        + " must be equal or one of them 1");
            }
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    /** Whether {@code from} broadcasts to exactly {@code to}: no more dims, each trailing one equal or 1. */
    static boolean broadcastsTo(int[] from, int[] to) {
        int shift = to.length - from.length;
        if (shift < 0) {
            return false;
        }
        for (int d = 0; d < from.length; d++) {
            if (from[d] != 1 && from[d] != to[d + shift]) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code r} is {@code shape} reduced along d, kept or not; compared in place (a replay checks every step). */
    static boolean isReduced(int[] r, int[] shape, int d) {
        if (shape.length == 0) {
            return r.length == 0;
        }
        boolean kept = r.length == shape.length;
        if (!kept && r.length != shape.length - 1) {
            return false;
        }
        for (int k = 0, j = 0; k < shape.length; k++) {
            if (k == d) {
                if (kept && r[j++] != 1) {
                    return false;
                }
            } else if (r[j++] != shape[k]) {
                return false;
            }
        }
        return true;
    }

    /** x's shape reduced along d (a 0-d shape stays 0-d). */
    static int[] reducedShape(int[] shape, int d, boolean keepdim) {
        if (shape.length == 0) {
            return shape.clone();
        }
        if (keepdim) {
            int[] k = shape.clone();
            k[d] = 1;
            return k;
        }
        int[] r = new int[shape.length - 1];
        System.arraycopy(shape, 0, r, 0, d);
        System.arraycopy(shape, d + 1, r, d, shape.length - d - 1);
        return r;
    }
}
