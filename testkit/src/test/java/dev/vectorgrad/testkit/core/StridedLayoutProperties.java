package dev.vectorgrad.testkit.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;

import dev.vectorgrad.core.Tensor;
import dev.vectorgrad.testkit.Indices;
import dev.vectorgrad.testkit.Layout;
import dev.vectorgrad.testkit.ShapeArbitraries;
import dev.vectorgrad.testkit.TensorAssertions;
import dev.vectorgrad.testkit.Tensors;
import dev.vectorgrad.testkit.Values;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.FloatRange;
import net.jqwik.api.constraints.IntRange;

/**
 * core's strided loops on the kit's mixed layouts of rank 0 to 4 (permuted, stepped and offset
 * dim by dim, with size-1 and size-0 dims), broadcast against operands with dropped or unit
 * dims. The dim merging in core's {@code StridedLoop.Layout} is where a wrong stride would
 * hide; the reference here walks every index with {@code get()}. In the kit's module for the
 * reason given in {@link ElementwiseLayoutProperties}.
 */
class StridedLayoutProperties {

    private static final Values VALUES = Values.standard();

    /** A tensor of exactly this shape, laid out dim by dim at random (or offset, for 0-d). */
    private static Arbitrary<Tensor> laidOut(int[] shape) {
        return Tensors.views(VALUES, Arbitraries.just(shape), Layout.MIXED, Layout.OFFSET);
    }

    /** A full shape (sizes 0 to 9, rank 0 to 4) and a pair of mixed-layout operands: one of it, one broadcast to it. */
    @Provide
    Arbitrary<List<Tensor>> operandPairs() {
        return ShapeArbitraries.shapes(0, 4, 0, 9).filter(s -> Arrays.stream(s).reduce(1, (p, q) -> p * q) <= 2000)
                .flatMap(s -> ShapeArbitraries.broadcastableTo(s).flatMap(b -> laidOut(s).list().ofSize(1)
                        .flatMap(a -> laidOut(b).map(bt -> List.of(a.get(0), bt)))));
    }

    /** The element of broadcast operand {@code t} at index {@code outIdx} of the full shape. */
    private static float at(Tensor t, int[] outIdx) {
        int shift = outIdx.length - t.dim();
        int[] idx = new int[t.dim()];
        for (int d = 0; d < idx.length; d++) {
            idx[d] = t.size(d) == 1 ? 0 : outIdx[d + shift];
        }
        return t.get(idx);
    }

    @Property(tries = 200)
    void binaryOpsOnMixedLayoutsWithBroadcasting(@ForAll("operandPairs") List<Tensor> ab, @ForAll boolean swap) {
        Tensor a = ab.get(0);
        Tensor left = swap ? ab.get(1) : a;
        Tensor right = swap ? a : ab.get(1);
        int[] shape = a.shape();
        Tensor sum = left.add(right);
        Tensor prod = left.mul(right);
        Tensor max = left.maximum(right);
        assertArrayEquals(shape, sum.shape());
        for (int[] idx : Indices.of(shape)) {
            float x = at(left, idx);
            float y = at(right, idx);
            assertEquals(x + y, sum.get(idx), 0f, () -> "add at " + Arrays.toString(idx));
            assertEquals(x * y, prod.get(idx), 0f);
            assertEquals(Math.max(x, y), max.get(idx), 0f);
        }
        float[] exp = a.toArray();
        for (int i = 0; i < exp.length; i++) {
            exp[i] = (float) Math.exp(exp[i]);
        }
        TensorAssertions.assertWithinUlps(a.exp(), shape.length == 0 ? Tensor.scalar(exp[0]) : Tensor.of(exp, shape), 4);
        for (int[] idx : Indices.of(shape)) {
            assertEquals(2 * a.get(idx), a.mul(2f).get(idx), 0f);
        }
    }

    @Property(tries = 200)
    void inPlaceOpsOnMixedLayoutsTouchExactlyTheView(@ForAll("operandPairs") List<Tensor> ab,
                                                     @ForAll @FloatRange(min = -0.5f, max = 0.5f) float alpha) {
        Tensor dst = ab.get(0);
        Tensor src = ab.get(1);
        int[] shape = dst.shape();
        Tensor before = dst.copy();
        dst.addScaledInPlace(alpha, src);
        List<int[]> all = Indices.of(shape);
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
    void untouchedStorageStaysUntouched(@ForAll @IntRange(min = 0, max = 5) int r0, @ForAll @IntRange(min = 0, max = 6) int c0,
                                        @ForAll @IntRange(min = 1, max = 2) int step, @ForAll boolean transposed) {
        Tensor base = Tensors.tensors(VALUES, 6, 7).sample();
        float[] original = base.toArray();
        Tensor view = base.slice(0, r0, 6, step).slice(1, c0, 7, step);
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

    @Provide
    Arbitrary<Tensor> mixed() {
        return ShapeArbitraries.shapes(1, 4, 0, 9).filter(s -> Arrays.stream(s).reduce(1, (p, q) -> p * q) <= 2000)
                .flatMap(StridedLayoutProperties::laidOut);
    }

    @Property(tries = 150)
    void reductionsAlongEveryDimOfAMixedLayout(@ForAll("mixed") Tensor x, @ForAll @IntRange(min = 0, max = 3) int dim) {
        int[] shape = x.shape();
        int d = dim % shape.length;
        int[] outShape = shape.clone();
        outShape[d] = 1;
        Tensor sum = x.sum(d, true);
        assertArrayEquals(outShape, sum.shape());
        boolean defined = shape[d] > 0;
        Tensor max = defined ? x.max(d, true) : null;
        Tensor arg = defined ? x.argmin(d, true) : null;
        for (int[] o : Indices.of(outShape)) {
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
