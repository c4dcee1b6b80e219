package dev.vectorgrad.core;

import dev.vectorgrad.core.internal.BinaryOp;
import dev.vectorgrad.core.internal.FloatKernels;
import dev.vectorgrad.core.internal.Kernels;
import dev.vectorgrad.core.internal.ReduceOp;

/**
 * Reductions along one dim. The input is viewed as {@code [outer, n, inner]}: when the reduced
 * dim is last ({@code inner == 1}) each output is one contiguous kernel reduction; otherwise
 * whole rows of {@code inner} values are folded together with the elementwise kernel, which
 * stays vectorised (this is how {@code out.g.sum(0)} of the lesson runs).
 */
final class Reductions {

    private static final FloatKernels K = Kernels.ELEMENTWISE;

    private Reductions() {}

    /** Values of the reduction of a contiguous tensor along {@code dim}, shaped with that dim removed. */
    static float[] reduce(ReduceOp op, Tensor x, int dim) {
        int[] shape = x.shapeRef();
        float[] out = new float[prod(shape, 0, dim) * prod(shape, dim + 1, shape.length)];
        reduceInto(op, x, dim, out, 0);
        return out;
    }

    /**
     * The reduction of a contiguous tensor along {@code dim}, written from {@code out[at]} on in
     * row-major order; {@link #reduce} goes through it, so both give the same bits.
     */
    static void reduceInto(ReduceOp op, Tensor x, int dim, float[] out, int at) {
        int[] shape = x.shapeRef();
        int outer = prod(shape, 0, dim);
        int n = shape[dim];
        int inner = prod(shape, dim + 1, shape.length);
        float[] src = x.data();
        int base = x.offset();
        if (inner == 1) {
            for (int o = 0; o < outer; o++) {
                out[at + o] = K.reduce(op, src, base + o * n, n);
            }
            return;
        }
        BinaryOp merge = op.asBinary();
        for (int o = 0; o < outer; o++) {
            int dst = at + o * inner;
            if (n == 0) {
                java.util.Arrays.fill(out, dst, dst + inner, op.identity());
                continue;
            }
            System.arraycopy(src, base + o * n * inner, out, dst, inner);
            for (int r = 1; r < n; r++) {
                K.binary(merge, out, dst, src, base + (o * n + r) * inner, out, dst, inner);
            }
        }
    }

    /** Indices of the first maximum (or minimum) along {@code dim} of a contiguous tensor. */
    static float[] argExtreme(boolean max, Tensor x, int dim) {
        int[] shape = x.shapeRef();
        int outer = prod(shape, 0, dim);
        int n = shape[dim];
        int inner = prod(shape, dim + 1, shape.length);
        float[] src = x.data();
        int base = x.offset();
        float[] out = new float[outer * inner];
        if (inner == 1) {
            for (int o = 0; o < outer; o++) {
                out[o] = max ? K.argmax(src, base + o * n, n) : K.argmin(src, base + o * n, n);
            }
            return out;
        }
        float[] best = new float[inner];
        for (int o = 0; o < outer; o++) {
            System.arraycopy(src, base + o * n * inner, best, 0, inner);
            int dst = o * inner;
            for (int r = 1; r < n; r++) {
                int row = base + (o * n + r) * inner;
                for (int j = 0; j < inner; j++) {
                    float v = src[row + j];
                    float b = best[j];
                    boolean better = !Float.isNaN(b) && (max ? v > b : v < b) || !Float.isNaN(b) && Float.isNaN(v);
                    if (better) {
                        best[j] = v;
                        out[dst + j] = r;
                    }
                }
            }
        }
        return out;
    }

    static int prod(int[] shape, int from, int to) {
        int p = 1;
        for (int d = from; d < to; d++) {
            p *= shape[d];
        }
        return p;
    }
}
