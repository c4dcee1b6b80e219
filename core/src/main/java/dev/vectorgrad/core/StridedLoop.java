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
 * (a transposed operand) take the scalar strided loop. The layout bookkeeping lives in one
 * {@link Layout} per thread, so a warm loop of up to {@link Layout#ROOM} dims allocates nothing
 * (a captured graph replays broadcasting ops every step).
 */
final class StridedLoop {

    private static final FloatKernels K = Kernels.ELEMENTWISE;

    private StridedLoop() {}

    /**
     * Whether every operand is contiguous with out's shape: then the whole operation is one
     * kernel call over {@code numel} elements, with no layout bookkeeping.
     */
    private static boolean flat(Tensor out, Tensor a) {
        return out.isContiguous() && a.isContiguous()
                && java.util.Arrays.equals(a.shapeRef(), out.shapeRef());
    }

    /** {@code out = op(a, b)}, with a and b already checked to broadcast to out's shape. */
    static void binary(BinaryOp op, Tensor a, Tensor b, Tensor out) {
        if (out.numel() == 0) {
            return; // nothing to write, and no layout to build
        }
        if (flat(out, a) && flat(out, b)) {
            K.binary(op, a.data(), a.offset(), b.data(), b.offset(), out.data(), out.offset(), out.numel());
            return;
        }
        Layout l = Layout.begin(out.shapeRef(), 3).operand(0, a).operand(1, b).operand(2, out).coalesce();
        try {
            float[] ad = a.data();
            float[] bd = b.data();
            float[] od = out.data();
            int n = l.inner;
            int sa = l.innerStride(0);
            int sb = l.innerStride(1);
            int so = l.innerStride(2);
            int[] off = l.off;
            for (int r = 0, runs = l.outerCount(); r < runs; r++) {
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
                l.advance();
            }
        } finally {
            l.release();
        }
    }

    /** {@code out = op(a, s)}, a with out's shape. */
    static void binaryScalarRight(BinaryOp op, Tensor a, float s, Tensor out) {
        if (out.numel() == 0) {
            return; // nothing to write, and no layout to build
        }
        if (flat(out, a)) {
            K.binaryScalarRight(op, a.data(), a.offset(), s, out.data(), out.offset(), out.numel());
            return;
        }
        Layout l = Layout.begin(out.shapeRef(), 2).operand(0, a).operand(1, out).coalesce();
        try {
            float[] ad = a.data();
            float[] od = out.data();
            int n = l.inner;
            int sa = l.innerStride(0);
            int so = l.innerStride(1);
            int[] off = l.off;
            for (int r = 0, runs = l.outerCount(); r < runs; r++) {
                if (so == 1 && sa == 1) {
                    K.binaryScalarRight(op, ad, off[0], s, od, off[1], n);
                } else {
                    for (int i = 0; i < n; i++) {
                        od[off[1] + i * so] = op.apply(ad[off[0] + i * sa], s);
                    }
                }
                l.advance();
            }
        } finally {
            l.release();
        }
    }

    /** {@code out = op(s, b)}, b with out's shape. */
    static void binaryScalarLeft(BinaryOp op, float s, Tensor b, Tensor out) {
        if (out.numel() == 0) {
            return; // nothing to write, and no layout to build
        }
        if (flat(out, b)) {
            K.binaryScalarLeft(op, s, b.data(), b.offset(), out.data(), out.offset(), out.numel());
            return;
        }
        Layout l = Layout.begin(out.shapeRef(), 2).operand(0, b).operand(1, out).coalesce();
        try {
            float[] bd = b.data();
            float[] od = out.data();
            int n = l.inner;
            int sb = l.innerStride(0);
            int so = l.innerStride(1);
            int[] off = l.off;
            for (int r = 0, runs = l.outerCount(); r < runs; r++) {
                if (so == 1 && sb == 1) {
                    K.binaryScalarLeft(op, s, bd, off[0], od, off[1], n);
                } else {
                    for (int i = 0; i < n; i++) {
                        od[off[1] + i * so] = op.apply(s, bd[off[0] + i * sb]);
                    }
                }
                l.advance();
            }
        } finally {
            l.release();
        }
    }

    /** {@code out = op(a)}, a with out's shape. */
    static void unary(UnaryOp op, Tensor a, Tensor out) {
        if (out.numel() == 0) {
            return; // nothing to write, and no layout to build
        }
        if (flat(out, a)) { // the one run the layout would make, without building it (a replay's in-place activations)
            K.unary(op, a.data(), a.offset(), out.data(), out.offset(), out.numel());
            return;
        }
        Layout l = Layout.begin(out.shapeRef(), 2).operand(0, a).operand(1, out).coalesce();
        try {
            float[] ad = a.data();
            float[] od = out.data();
            int n = l.inner;
            int sa = l.innerStride(0);
            int so = l.innerStride(1);
            int[] off = l.off;
            for (int r = 0, runs = l.outerCount(); r < runs; r++) {
                if (so == 1 && sa == 1) {
                    K.unary(op, ad, off[0], od, off[1], n);
                } else {
                    for (int i = 0; i < n; i++) {
                        od[off[1] + i * so] = op.apply(ad[off[0] + i * sa]);
                    }
                }
                l.advance();
            }
        } finally {
            l.release();
        }
    }

    /** {@code out = op(a, pa, pb)}, a with out's shape. */
    static void unaryParam(UnaryParamOp op, float pa, float pb, Tensor a, Tensor out) {
        if (out.numel() == 0) {
            return; // nothing to write, and no layout to build
        }
        if (flat(out, a)) {
            K.unaryParam(op, pa, pb, a.data(), a.offset(), out.data(), out.offset(), out.numel());
            return;
        }
        Layout l = Layout.begin(out.shapeRef(), 2).operand(0, a).operand(1, out).coalesce();
        try {
            float[] ad = a.data();
            float[] od = out.data();
            int n = l.inner;
            int sa = l.innerStride(0);
            int so = l.innerStride(1);
            int[] off = l.off;
            for (int r = 0, runs = l.outerCount(); r < runs; r++) {
                if (so == 1 && sa == 1) {
                    K.unaryParam(op, pa, pb, ad, off[0], od, off[1], n);
                } else {
                    for (int i = 0; i < n; i++) {
                        od[off[1] + i * so] = op.apply(ad[off[0] + i * sa], pa, pb);
                    }
                }
                l.advance();
            }
        } finally {
            l.release();
        }
    }

    /** {@code out += alpha * a}, a already broadcast-checked against out's shape. */
    static void addScaled(Tensor out, float alpha, Tensor a) {
        if (out.numel() == 0) {
            return; // nothing to write, and no layout to build
        }
        if (flat(out, a)) {
            K.addScaled(out.data(), out.offset(), alpha, a.data(), a.offset(), out.numel());
            return;
        }
        Layout l = Layout.begin(out.shapeRef(), 2).operand(0, a).operand(1, out).coalesce();
        try {
            float[] ad = a.data();
            float[] od = out.data();
            int n = l.inner;
            int sa = l.innerStride(0);
            int so = l.innerStride(1);
            int[] off = l.off;
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
                l.advance();
            }
        } finally {
            l.release();
        }
    }

    /** Copies a (broadcast to out's shape) into out. */
    static void copy(Tensor a, Tensor out) {
        if (out.numel() == 0) {
            return; // nothing to write, and no layout to build
        }
        if (flat(out, a)) {
            System.arraycopy(a.data(), a.offset(), out.data(), out.offset(), out.numel());
            return;
        }
        Layout l = Layout.begin(out.shapeRef(), 2).operand(0, a).operand(1, out).coalesce();
        try {
            float[] ad = a.data();
            float[] od = out.data();
            int n = l.inner;
            int sa = l.innerStride(0);
            int so = l.innerStride(1);
            int[] off = l.off;
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
                l.advance();
            }
        } finally {
            l.release();
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
        Layout l = Layout.begin(out.shapeRef(), 1).operand(0, out).coalesce();
        try {
            float[] od = out.data();
            int n = l.inner;
            int so = l.innerStride(0);
            int[] off = l.off;
            for (int r = 0, runs = l.outerCount(); r < runs; r++) {
                if (so == 1) {
                    java.util.Arrays.fill(od, off[0], off[0] + n, value);
                } else {
                    for (int i = 0; i < n; i++) {
                        od[off[0] + i * so] = value;
                    }
                }
                l.advance();
            }
        } finally {
            l.release();
        }
    }

    /**
     * A shape with its operands' strides and offsets, after merging adjacent dims that are
     * contiguous with each other in every operand; always at least rank 1, so there is always an
     * inner run. Each thread reuses one, so building it allocates nothing once the thread has run
     * a loop as deep: {@link #begin} hands out the thread's own, or a new one while that is in
     * use (a loop inside a loop), and {@link #release} gives it back.
     */
    static final class Layout {
        /** Dims and operands a thread's layout holds before growing. */
        static final int ROOM = 8;
        static final int MAX_OPERANDS = 4;
        private static final ThreadLocal<Layout> MINE = ThreadLocal.withInitial(Layout::new);

        /** The merged dims, {@code shape[0..rank)}; the last one is the inner run. */
        int rank;
        int[] shape = new int[ROOM];
        /** Each operand's stride along each merged dim. */
        final int[][] strides = new int[MAX_OPERANDS][ROOM];
        /** Each operand's offset at the current inner run, moved on by {@link #advance}. */
        final int[] off = new int[MAX_OPERANDS];
        int inner;
        private int[] counter = new int[ROOM];
        private int operands;
        private int[] target;
        private boolean busy;

        /** A layout over {@code shape} for {@code operands} operands, to be filled by {@link #operand}. */
        static Layout begin(int[] shape, int operands) {
            Layout mine = MINE.get();
            Layout l = mine.busy ? new Layout() : mine;
            l.busy = true;
            l.operands = operands;
            l.target = shape;
            int room = Math.max(shape.length, 1);
            if (l.shape.length < room) {
                l.shape = new int[room];
                l.counter = new int[room];
                for (int o = 0; o < MAX_OPERANDS; o++) {
                    l.strides[o] = new int[room];
                }
            }
            return l;
        }

        /** Operand o: t's strides broadcast to the shape (0 along a dim it repeats) and its offset. */
        Layout operand(int o, Tensor t) {
            int[] ts = t.shapeRef();
            int[] tst = t.stridesRef();
            int[] st = strides[o];
            int shift = target.length - ts.length;
            java.util.Arrays.fill(st, 0, shift, 0);
            for (int d = 0; d < ts.length; d++) {
                st[d + shift] = ts[d] == 1 && target[d + shift] != 1 ? 0 : tst[d];
            }
            off[o] = t.offset();
            return this;
        }

        /** Merges dims in place: merged dim k is written at or before the raw dim d it is read from. */
        Layout coalesce() {
            int[] s = target;
            int ops = operands;
            int r = 0;
            for (int d = 0; d < s.length; d++) {
                if (s[d] == 1 && s.length > 1) {
                    continue; // a size-1 dim never moves any offset
                }
                if (r > 0 && mergeable(r - 1, d, s[d])) {
                    shape[r - 1] *= s[d];
                    for (int o = 0; o < ops; o++) {
                        strides[o][r - 1] = strides[o][d];
                    }
                } else {
                    shape[r] = s[d];
                    for (int o = 0; o < ops; o++) {
                        strides[o][r] = strides[o][d];
                    }
                    r++;
                }
            }
            if (r == 0) { // a 0-d shape, or every dim was 1
                shape[0] = 1;
                for (int o = 0; o < ops; o++) {
                    strides[o][0] = 1;
                }
                r = 1;
            }
            rank = r;
            inner = shape[r - 1];
            java.util.Arrays.fill(counter, 0, r, 0);
            return this;
        }

        private boolean mergeable(int outer, int d, int size) {
            for (int o = 0; o < operands; o++) {
                if (strides[o][outer] != strides[o][d] * size) {
                    return false;
                }
            }
            return shape[outer] > 0;
        }

        /** Operand o's stride along the inner run. */
        int innerStride(int o) {
            return strides[o][rank - 1];
        }

        /** How many inner runs there are: the product of all dims but the last. */
        int outerCount() {
            int c = 1;
            for (int d = 0; d < rank - 1; d++) {
                c *= shape[d];
            }
            return inner == 0 ? 0 : c;
        }

        /** Moves each operand's offset to the next inner run, odometer style. */
        void advance() {
            for (int d = rank - 2; d >= 0; d--) {
                counter[d]++;
                for (int o = 0; o < operands; o++) {
                    off[o] += strides[o][d];
                }
                if (counter[d] < shape[d]) {
                    return;
                }
                for (int o = 0; o < operands; o++) {
                    off[o] -= strides[o][d] * shape[d];
                }
                counter[d] = 0;
            }
        }

        /** Gives the layout back to its thread. */
        void release() {
            target = null;
            busy = false;
        }
    }
}
