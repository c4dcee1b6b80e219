package dev.vectorgrad.core;

import dev.vectorgrad.core.internal.BinaryOp;
import dev.vectorgrad.core.internal.FloatKernels;
import dev.vectorgrad.core.internal.Kernels;
import dev.vectorgrad.core.internal.UnaryOp;
import dev.vectorgrad.core.internal.UnaryParamOp;

/**
 * Runs elementwise kernels over tensors of any strides. Dims that are laid out back to back in
 * every operand are merged first, so a contiguous tensor is one kernel call and a broadcast
 * row or column is one call per row; only runs whose inner stride is neither 0 nor 1
 * (a transposed operand) take the scalar strided loop.
 */
final class StridedLoop {

    private static final FloatKernels K = Kernels.ELEMENTWISE;

    private StridedLoop() {}

    /**
     * Whether every operand is contiguous with out's shape: then the whole operation is one
     * kernel call over {@code numel} elements, with no layout bookkeeping (and no allocation,
     * which matters for optimisers that run a few in-place operations per training step).
     */
    private static boolean flat(Tensor out, Tensor a) {
        return out.isContiguous() && a.isContiguous()
                && java.util.Arrays.equals(a.shapeRef(), out.shapeRef());
    }

    /** {@code out = op(a, b)}, with a and b already checked to broadcast to out's shape. */
    static void binary(BinaryOp op, Tensor a, Tensor b, Tensor out) {
        if (out.numel() == 0) {
            return; // nothing to write, and no layout to build (which would allocate)
        }
        if (flat(out, a) && flat(out, b)) {
            K.binary(op, a.data(), a.offset(), b.data(), b.offset(), out.data(), out.offset(), out.numel());
            return;
        }
        int[] shape = out.shapeRef();
        int[][] strides = {
            Shapes.broadcastStrides(a.shapeRef(), a.stridesRef(), shape),
            Shapes.broadcastStrides(b.shapeRef(), b.stridesRef(), shape),
            out.stridesRef(),
        };
        Layout l = Layout.coalesce(shape, strides);
        float[] ad = a.data();
        float[] bd = b.data();
        float[] od = out.data();
        int n = l.inner;
        int sa = l.strides[0][l.rank - 1];
        int sb = l.strides[1][l.rank - 1];
        int so = l.strides[2][l.rank - 1];
        int[] off = {a.offset(), b.offset(), out.offset()};
        int runs = l.outerCount();
        int[] counter = new int[Math.max(l.rank - 1, 0)];
        for (int r = 0; r < runs; r++) {
            int oa = off[0];
            int ob = off[1];
            int oo = off[2];
            if (so == 1 && sa == 1 && sb == 1) {
                K.binary(op, ad, oa, bd, ob, od, oo, n);
            } else if (so == 1 && sa == 1 && sb == 0) {
                K.binaryScalarRight(op, ad, oa, bd[ob], od, oo, n);
            } else if (so == 1 && sa == 0 && sb == 1) {
                K.binaryScalarLeft(op, ad[oa], bd, ob, od, oo, n);
            } else {
                for (int i = 0; i < n; i++) {
                    od[oo + i * so] = op.apply(ad[oa + i * sa], bd[ob + i * sb]);
                }
            }
            l.advance(counter, off);
        }
    }

    /** {@code out = op(a, s)}, a with out's shape. */
    static void binaryScalarRight(BinaryOp op, Tensor a, float s, Tensor out) {
        if (out.numel() == 0) {
            return; // nothing to write, and no layout to build (which would allocate)
        }
        if (flat(out, a)) {
            K.binaryScalarRight(op, a.data(), a.offset(), s, out.data(), out.offset(), out.numel());
            return;
        }
        Layout l = Layout.coalesce(out.shapeRef(), new int[][] {a.stridesRef(), out.stridesRef()});
        float[] ad = a.data();
        float[] od = out.data();
        int n = l.inner;
        int sa = l.strides[0][l.rank - 1];
        int so = l.strides[1][l.rank - 1];
        int[] off = {a.offset(), out.offset()};
        int[] counter = new int[Math.max(l.rank - 1, 0)];
        for (int r = 0, runs = l.outerCount(); r < runs; r++) {
            if (so == 1 && sa == 1) {
                K.binaryScalarRight(op, ad, off[0], s, od, off[1], n);
            } else {
                for (int i = 0; i < n; i++) {
                    od[off[1] + i * so] = op.apply(ad[off[0] + i * sa], s);
                }
            }
            l.advance(counter, off);
        }
    }

    /** {@code out = op(s, b)}, b with out's shape. */
    static void binaryScalarLeft(BinaryOp op, float s, Tensor b, Tensor out) {
        if (out.numel() == 0) {
            return; // nothing to write, and no layout to build (which would allocate)
        }
        Layout l = Layout.coalesce(out.shapeRef(), new int[][] {b.stridesRef(), out.stridesRef()});
        float[] bd = b.data();
        float[] od = out.data();
        int n = l.inner;
        int sb = l.strides[0][l.rank - 1];
        int so = l.strides[1][l.rank - 1];
        int[] off = {b.offset(), out.offset()};
        int[] counter = new int[Math.max(l.rank - 1, 0)];
        for (int r = 0, runs = l.outerCount(); r < runs; r++) {
            if (so == 1 && sb == 1) {
                K.binaryScalarLeft(op, s, bd, off[0], od, off[1], n);
            } else {
                for (int i = 0; i < n; i++) {
                    od[off[1] + i * so] = op.apply(s, bd[off[0] + i * sb]);
                }
            }
            l.advance(counter, off);
        }
    }

    /** {@code out = op(a)}, a with out's shape. */
    static void unary(UnaryOp op, Tensor a, Tensor out) {
        if (out.numel() == 0) {
            return; // nothing to write, and no layout to build (which would allocate)
        }
        if (flat(out, a)) { // the one run the layout would make, without building it (a replay's in-place activations)
            K.unary(op, a.data(), a.offset(), out.data(), out.offset(), out.numel());
            return;
        }
        Layout l = Layout.coalesce(out.shapeRef(), new int[][] {a.stridesRef(), out.stridesRef()});
        float[] ad = a.data();
        float[] od = out.data();
        int n = l.inner;
        int sa = l.strides[0][l.rank - 1];
        int so = l.strides[1][l.rank - 1];
        int[] off = {a.offset(), out.offset()};
        int[] counter = new int[Math.max(l.rank - 1, 0)];
        for (int r = 0, runs = l.outerCount(); r < runs; r++) {
            if (so == 1 && sa == 1) {
                K.unary(op, ad, off[0], od, off[1], n);
            } else {
                for (int i = 0; i < n; i++) {
                    od[off[1] + i * so] = op.apply(ad[off[0] + i * sa]);
                }
            }
            l.advance(counter, off);
        }
    }

    /** {@code out = op(a, pa, pb)}, a with out's shape. */
    static void unaryParam(UnaryParamOp op, float pa, float pb, Tensor a, Tensor out) {
        if (out.numel() == 0) {
            return; // nothing to write, and no layout to build (which would allocate)
        }
        if (flat(out, a)) {
            K.unaryParam(op, pa, pb, a.data(), a.offset(), out.data(), out.offset(), out.numel());
            return;
        }
        Layout l = Layout.coalesce(out.shapeRef(), new int[][] {a.stridesRef(), out.stridesRef()});
        float[] ad = a.data();
        float[] od = out.data();
        int n = l.inner;
        int sa = l.strides[0][l.rank - 1];
        int so = l.strides[1][l.rank - 1];
        int[] off = {a.offset(), out.offset()};
        int[] counter = new int[Math.max(l.rank - 1, 0)];
        for (int r = 0, runs = l.outerCount(); r < runs; r++) {
            if (so == 1 && sa == 1) {
                K.unaryParam(op, pa, pb, ad, off[0], od, off[1], n);
            } else {
                for (int i = 0; i < n; i++) {
                    od[off[1] + i * so] = op.apply(ad[off[0] + i * sa], pa, pb);
                }
            }
            l.advance(counter, off);
        }
    }

    /** {@code out += alpha * a}, a already broadcast-checked against out's shape. */
    static void addScaled(Tensor out, float alpha, Tensor a) {
        if (out.numel() == 0) {
            return; // nothing to write, and no layout to build (which would allocate)
        }
        if (flat(out, a)) {
            K.addScaled(out.data(), out.offset(), alpha, a.data(), a.offset(), out.numel());
            return;
        }
        int[] shape = out.shapeRef();
        Layout l = Layout.coalesce(shape, new int[][] {
            Shapes.broadcastStrides(a.shapeRef(), a.stridesRef(), shape), out.stridesRef()});
        float[] ad = a.data();
        float[] od = out.data();
        int n = l.inner;
        int sa = l.strides[0][l.rank - 1];
        int so = l.strides[1][l.rank - 1];
        int[] off = {a.offset(), out.offset()};
        int[] counter = new int[Math.max(l.rank - 1, 0)];
        for (int r = 0, runs = l.outerCount(); r < runs; r++) {
            if (so == 1 && sa == 1) {
                K.addScaled(od, off[1], alpha, ad, off[0], n);
            } else if (so == 1 && sa == 0) {
                K.binaryScalarRight(BinaryOp.ADD, od, off[1], alpha * ad[off[0]], od, off[1], n);
            } else {
                for (int i = 0; i < n; i++) {
                    od[off[1] + i * so] += alpha * ad[off[0] + i * sa];
                }
            }
            l.advance(counter, off);
        }
    }

    /** Copies a (broadcast to out's shape) into out. */
    static void copy(Tensor a, Tensor out) {
        if (out.numel() == 0) {
            return; // nothing to write, and no layout to build (which would allocate)
        }
        if (flat(out, a)) {
            System.arraycopy(a.data(), a.offset(), out.data(), out.offset(), out.numel());
            return;
        }
        int[] shape = out.shapeRef();
        Layout l = Layout.coalesce(shape, new int[][] {
            Shapes.broadcastStrides(a.shapeRef(), a.stridesRef(), shape), out.stridesRef()});
        float[] ad = a.data();
        float[] od = out.data();
        int n = l.inner;
        int sa = l.strides[0][l.rank - 1];
        int so = l.strides[1][l.rank - 1];
        int[] off = {a.offset(), out.offset()};
        int[] counter = new int[Math.max(l.rank - 1, 0)];
        for (int r = 0, runs = l.outerCount(); r < runs; r++) {
            if (so == 1 && sa == 1) {
                System.arraycopy(ad, off[0], od, off[1], n);
            } else if (so == 1 && sa == 0) {
                java.util.Arrays.fill(od, off[1], off[1] + n, ad[off[0]]);
            } else {
                for (int i = 0; i < n; i++) {
                    od[off[1] + i * so] = ad[off[0] + i * sa];
                }
            }
            l.advance(counter, off);
        }
    }

    /** Fills out with one value. */
    static void fill(Tensor out, float value) {
        if (out.numel() == 0) {
            return; // an empty view's offset may lie past the end of its storage
        }
        if (out.isContiguous()) {
            // One call, no layout bookkeeping: zeroInPlace runs once per parameter per step.
            java.util.Arrays.fill(out.data(), out.offset(), out.offset() + out.numel(), value);
            return;
        }
        Layout l = Layout.coalesce(out.shapeRef(), new int[][] {out.stridesRef()});
        float[] od = out.data();
        int n = l.inner;
        int so = l.strides[0][l.rank - 1];
        int[] off = {out.offset()};
        int[] counter = new int[Math.max(l.rank - 1, 0)];
        for (int r = 0, runs = l.outerCount(); r < runs; r++) {
            if (so == 1) {
                java.util.Arrays.fill(od, off[0], off[0] + n, value);
            } else {
                for (int i = 0; i < n; i++) {
                    od[off[0] + i * so] = value;
                }
            }
            l.advance(counter, off);
        }
    }

    /**
     * A shape with its operands' strides after merging adjacent dims that are contiguous with
     * each other in every operand. Always at least rank 1, so there is always an inner run.
     */
    static final class Layout {
        final int rank;
        final int[] shape;
        final int[][] strides;
        final int inner;

        private Layout(int[] shape, int[][] strides) {
            this.rank = shape.length;
            this.shape = shape;
            this.strides = strides;
            this.inner = shape[rank - 1];
        }

        static Layout coalesce(int[] shape, int[][] strides) {
            int ops = strides.length;
            int[] s = new int[Math.max(shape.length, 1)];
            int[][] st = new int[ops][s.length];
            if (shape.length == 0) {
                s[0] = 1;
                return new Layout(s, st);
            }
            int rank = 0;
            for (int d = 0; d < shape.length; d++) {
                if (shape[d] == 1 && shape.length > 1) {
                    continue; // a size-1 dim never moves any offset
                }
                if (rank > 0 && mergeable(s[rank - 1], st, rank - 1, strides, d, shape[d])) {
                    s[rank - 1] *= shape[d];
                    for (int o = 0; o < ops; o++) {
                        st[o][rank - 1] = strides[o][d];
                    }
                } else {
                    s[rank] = shape[d];
                    for (int o = 0; o < ops; o++) {
                        st[o][rank] = strides[o][d];
                    }
                    rank++;
                }
            }
            if (rank == 0) { // every dim was 1
                s[0] = 1;
                for (int o = 0; o < ops; o++) {
                    st[o][0] = 1;
                }
                rank = 1;
            }
            int[] fs = java.util.Arrays.copyOf(s, rank);
            int[][] fst = new int[ops][];
            for (int o = 0; o < ops; o++) {
                fst[o] = java.util.Arrays.copyOf(st[o], rank);
            }
            return new Layout(fs, fst);
        }

        private static boolean mergeable(int outerSize, int[][] merged, int outerIdx,
                                         int[][] strides, int d, int size) {
            for (int o = 0; o < strides.length; o++) {
                if (merged[o][outerIdx] != strides[o][d] * size) {
                    return false;
                }
            }
            return outerSize > 0;
        }

        /** How many inner runs there are: the product of all dims but the last. */
        int outerCount() {
            int c = 1;
            for (int d = 0; d < rank - 1; d++) {
                c *= shape[d];
            }
            return inner == 0 ? 0 : c;
        }

        /** Moves each operand offset to the next inner run, odometer style. */
        void advance(int[] counter, int[] off) {
            for (int d = rank - 2; d >= 0; d--) {
                counter[d]++;
                for (int o = 0; o < off.length; o++) {
                    off[o] += strides[o][d];
                }
                if (counter[d] < shape[d]) {
                    return;
                }
                for (int o = 0; o < off.length; o++) {
                    off[o] -= strides[o][d] * shape[d];
                }
                counter[d] = 0;
            }
        }
    }
}
