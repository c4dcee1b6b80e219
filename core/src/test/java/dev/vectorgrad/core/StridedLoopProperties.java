package dev.vectorgrad.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * The strided loops on random layouts of rank 0 to 4: permuted, sliced with steps and offsets,
 * with size-1 and size-0 dims, broadcast against operands with dropped or unit dims. The
 * dim-merging in StridedLoop.Layout is where a wrong stride would hide; the reference here
 * walks every index with get().
 */
class StridedLoopProperties {

    /** A tensor of this logical shape laid out at random, with values from the generator. */
    static Tensor randomLayout(Rng rng, int[] shape) {
        int rank = shape.length;
        int[] order = new int[rank];
        for (int i = 0; i < rank; i++) {
            order[i] = i;
        }
        rng.shuffle(order);
        // Storage dims: the permuted shape, each maybe twice as long (sliced with step 2) or
        // with a leading offset of 1.
        int[] storageShape = new int[rank];
        int[] step = new int[rank];
        int[] start = new int[rank];
        for (int i = 0; i < rank; i++) {
            int size = shape[order[i]];
            step[i] = rng.nextInt(3) == 0 ? 2 : 1;
            start[i] = rng.nextInt(3) == 0 ? 1 : 0;
            storageShape[i] = start[i] + Math.max(size * step[i], 0);
        }
        Tensor t = Tensor.randn(rng, storageShape);
        for (int i = 0; i < rank; i++) {
            int size = shape[order[i]];
            t = t.slice(i, start[i], start[i] + size * step[i], step[i]);
        }
        int[] inverse = new int[rank];
        for (int i = 0; i < rank; i++) {
            inverse[order[i]] = i;
        }
        Tensor out = rank == 0 ? t : t.permute(inverse);
        assertArrayEquals(shape, out.shape());
        return out;
    }

    private static int[] randomShape(Rng rng) {
        int rank = rng.nextInt(5);
        int[] s = new int[rank];
        for (int i = 0; i < rank; i++) {
            int r = rng.nextInt(10);
            s[i] = r == 0 ? 0 : r < 3 ? 1 : 1 + rng.nextInt(9);
        }
        return s;
    }

    /** A shape that broadcasts to s: some leading dims dropped, some dims set to 1. */
    private static int[] broadcastable(Rng rng, int[] s) {
        int drop = rng.nextInt(s.length + 1);
        int[] b = Arrays.copyOfRange(s, drop, s.length);
        for (int i = 0; i < b.length; i++) {
            if (rng.nextInt(3) == 0) {
                b[i] = 1;
            }
        }
        return b;
    }

    private static float at(Tensor t, int[] outIdx) {
        int shift = outIdx.length - t.dim();
        int[] idx = new int[t.dim()];
        for (int d = 0; d < idx.length; d++) {
            idx[d] = t.size(d) == 1 ? 0 : outIdx[d + shift];
        }
        return t.get(idx);
    }

    @Property(tries = 200)
    void binaryOpsOnRandomLayoutsWithBroadcasting(@ForAll long seed) {
        Rng rng = new Rng(seed);
        int[] shape = randomShape(rng);
        Tensor a = randomLayout(rng, shape);
        Tensor b = randomLayout(rng, broadcastable(rng, shape));
        boolean swap = rng.nextInt(2) == 0;
        Tensor left = swap ? b : a;
        Tensor right = swap ? a : b;
        Tensor sum = left.add(right);
        Tensor prod = left.mul(right);
        Tensor max = left.maximum(right);
        assertArrayEquals(shape, sum.shape());
        for (int[] idx : Layouts.indices(shape)) {
            float x = at(left, idx);
            float y = at(right, idx);
            assertEquals(x + y, sum.get(idx), 0f, () -> "add at " + Arrays.toString(idx));
            assertEquals(x * y, prod.get(idx), 0f);
            assertEquals(Math.max(x, y), max.get(idx), 0f);
        }
        Tensor e = a.exp();
        Tensor s = a.mul(2f);
        for (int[] idx : Layouts.indices(shape)) {
            assertTrue(Layouts.withinUlps((float) Math.exp(a.get(idx)), e.get(idx), 4));
            assertEquals(2 * a.get(idx), s.get(idx), 0f);
        }
    }

    @Property(tries = 200)
    void inPlaceOpsOnRandomLayoutsTouchExactlyTheView(@ForAll long seed) {
        Rng rng = new Rng(seed);
        int[] shape = randomShape(rng);
        Tensor dst = randomLayout(rng, shape);
        Tensor src = randomLayout(rng, broadcastable(rng, shape));
        Tensor before = dst.copy();
        float alpha = rng.nextFloat() - 0.5f;
        dst.addScaledInPlace(alpha, src);
        List<int[]> all = Layouts.indices(shape);
        for (int[] idx : all) {
            assertEquals(before.get(idx) + alpha * at(src, idx), dst.get(idx), 1e-6f * (1 + Math.abs(dst.get(idx))),
                    () -> "addScaledInPlace at " + Arrays.toString(idx));
        }
        dst.copyFrom(src);
        for (int[] idx : all) {
            assertEquals(at(src, idx), dst.get(idx), 0f);
        }
        dst.mulInPlace(src);
        for (int[] idx : all) {
            assertEquals(at(src, idx) * at(src, idx), dst.get(idx), 0f);
        }
        dst.fillInPlace(3f);
        for (int[] idx : all) {
            assertEquals(3f, dst.get(idx), 0f);
        }
    }

    @Property(tries = 150)
    void untouchedStorageStaysUntouched(@ForAll long seed) {
        Rng rng = new Rng(seed);
        Tensor base = Tensor.randn(rng, 6, 7);
        float[] original = base.toArray();
        int r0 = rng.nextInt(6);
        int c0 = rng.nextInt(7);
        int step = 1 + rng.nextInt(2);
        Tensor view = base.slice(0, r0, 6, step).slice(1, c0, 7, step);
        boolean transposed = rng.nextInt(2) == 0;
        Tensor target = transposed ? view.t() : view;
        target.fillInPlace(Float.NaN);
        for (int i = 0; i < 6; i++) {
            for (int j = 0; j < 7; j++) {
                boolean inside = i >= r0 && j >= c0 && (i - r0) % step == 0 && (j - c0) % step == 0;
                float v = base.get(i, j);
                assertEquals(inside, Float.isNaN(v), "at " + i + "," + j);
                if (!inside) {
                    assertEquals(original[i * 7 + j], v, 0f);
                }
            }
        }
    }

    @Property(tries = 150)
    void reductionsAlongARandomDimOfARandomLayout(@ForAll long seed) {
        Rng rng = new Rng(seed);
        int[] shape = randomShape(rng);
        if (shape.length == 0) {
            return;
        }
        Tensor x = randomLayout(rng, shape);
        int d = rng.nextInt(shape.length);
        int[] outShape = shape.clone();
        outShape[d] = 1;
        Tensor sum = x.sum(d, true);
        assertArrayEquals(outShape, sum.shape());
        boolean defined = shape[d] > 0;
        Tensor max = defined ? x.max(d, true) : null;
        Tensor arg = defined ? x.argmin(d, true) : null;
        for (int[] o : Layouts.indices(outShape)) {
            double acc = 0;
            double mag = 0;
            float best = Float.POSITIVE_INFINITY;
            float hi = Float.NEGATIVE_INFINITY;
            int bestAt = -1;
            int[] idx = o.clone();
            for (int i = 0; i < shape[d]; i++) {
                idx[d] = i;
                float v = x.get(idx);
                acc += v;
                mag += Math.abs(v);
                hi = Math.max(hi, v);
                if (v < best) {
                    best = v;
                    bestAt = i;
                }
            }
            assertEquals(acc, sum.get(o), 1e-6 * (1 + mag), () -> "sum at " + Arrays.toString(o));
            if (defined) {
                assertEquals(hi, max.get(o), 0f);
                assertEquals(bestAt, arg.get(o), 0f);
            }
        }
    }
}
