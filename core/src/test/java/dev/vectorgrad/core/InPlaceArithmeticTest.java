package dev.vectorgrad.core;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.UnaryOperator;

import dev.vectorgrad.core.internal.Kernels;
import org.junit.jupiter.api.Test;

/**
 * The in-place forms a captured graph replays with (divInPlace, powInPlace, logInPlace,
 * clampMinInPlace) against the out-of-place ops: the same bits, NaN, infinities and signed zeros
 * included, over awkward sizes (0, 1, a vector's lanes and one either side, primes, 784, 1021),
 * on contiguous tensors and strided views, writing nothing outside the view.
 */
class InPlaceArithmeticTest {

    // 8 in the scalar run (any size is a tail there); the lanes of a float vector otherwise.
    private static final int LANES = Math.max(Kernels.VECTOR_BIT_SIZE / 32, 8);

    private static int[] sizes() {
        return new int[] {0, 1, LANES - 1, LANES, LANES + 1, 13, 31, 97, 784, 1021};
    }

    /** Gaussian values with zeros of both signs, ±inf, NaN, 1 and tiny values mixed in. */
    private static Tensor values(long seed, int... shape) {
        Tensor t = Tensor.randn(new Rng(seed), shape).mul(3f);
        float[] specials = {0f, -0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, 1f, -1f, 1e-30f};
        float[] v = t.toArray();
        for (int i = 0; i < v.length; i += 5) {
            v[i] = specials[(i / 5) % specials.length];
        }
        return Tensor.of(v, shape);
    }

    private static void assertSameBits(Tensor expected, Tensor actual, String what) {
        float[] e = expected.toArray();
        float[] a = actual.toArray();
        assertTrue(e.length == a.length, what + ": sizes " + e.length + " and " + a.length);
        for (int i = 0; i < e.length; i++) {
            if (Float.floatToIntBits(e[i]) != Float.floatToIntBits(a[i])) {
                throw new AssertionError(what + ": at " + i + " expected " + e[i] + " but was " + a[i]);
            }
        }
    }

    private record Op(String name, UnaryOperator<Tensor> eager, UnaryOperator<Tensor> inPlace) {}

    private static List<Op> ops(Tensor divisor) {
        return List.of(
                new Op("log", Tensor::log, Tensor::logInPlace),
                new Op("pow(0)", t -> t.pow(0f), t -> t.powInPlace(0f)),
                new Op("pow(1)", t -> t.pow(1f), t -> t.powInPlace(1f)),
                new Op("pow(2)", t -> t.pow(2f), t -> t.powInPlace(2f)),
                new Op("pow(0.5)", t -> t.pow(0.5f), t -> t.powInPlace(0.5f)),
                new Op("pow(-1)", t -> t.pow(-1f), t -> t.powInPlace(-1f)),
                new Op("pow(3)", t -> t.pow(3f), t -> t.powInPlace(3f)),
                new Op("add(0.3)", t -> t.add(0.3f), t -> t.addInPlace(0.3f)),
                new Op("add(-0)", t -> t.add(-0f), t -> t.addInPlace(-0f)),
                new Op("div(0.3)", t -> t.div(0.3f), t -> t.divInPlace(0.3f)),
                new Op("div(0)", t -> t.div(0f), t -> t.divInPlace(0f)),
                new Op("div(-0)", t -> t.div(-0f), t -> t.divInPlace(-0f)),
                new Op("div(tensor)", t -> t.div(divisor), t -> t.divInPlace(divisor)),
                new Op("clampMin(0)", t -> t.clampMin(0f), t -> t.clampMinInPlace(0f)),
                new Op("clampMin(-0.5)", t -> t.clampMin(-0.5f), t -> t.clampMinInPlace(-0.5f)));
    }

    @Test
    void inPlaceFormsGiveTheOpsBitsOnContiguousTensors() {
        for (int n : sizes()) {
            Tensor x = values(n, 2, n);
            Tensor divisor = values(n + 1, 2, n);
            for (Op op : ops(divisor)) {
                Tensor expected = op.eager().apply(x);
                Tensor target = x.copy();
                int version = target.version();
                assertSame(target, op.inPlace().apply(target), op.name() + " returns this");
                assertSameBits(expected, target, op.name() + " on [2, " + n + "]");
                assertTrue(n == 0 || target.version() > version, op.name() + ": an in-place write bumps the version");
            }
        }
    }

    @Test
    void inPlaceFormsGiveTheOpsBitsOnAStridedViewAndWriteNothingElse() {
        for (int n : sizes()) {
            Tensor base = values(3 * n + 7, n + 2, 6);
            Tensor view = base.slice(0, 1, n + 1).slice(1, 1, 5).t(); // [4, n], strided both ways
            Tensor divisor = values(n, 4, n).t().contiguous().t();    // a transposed divisor
            for (Op op : ops(divisor)) {
                Tensor b = base.copy();
                Tensor v = b.slice(0, 1, n + 1).slice(1, 1, 5).t();
                Tensor expected = op.eager().apply(view);
                op.inPlace().apply(v);
                assertSameBits(expected, v, op.name() + " on a strided [4, " + n + "] view");
                // Outside the view: rows 0 and n + 1, columns 0 and 5 hold what they held.
                assertSameBits(base.select(0, 0), b.select(0, 0), op.name() + ": row 0");
                assertSameBits(base.select(0, n + 1), b.select(0, n + 1), op.name() + ": the last row");
                assertSameBits(base.select(1, 0), b.select(1, 0), op.name() + ": column 0");
                assertSameBits(base.select(1, 5), b.select(1, 5), op.name() + ": column 5");
            }
        }
    }

    @Test
    void divInPlaceBroadcastsTheDivisorLikeDiv() {
        Tensor x = values(5, 7, LANES + 3);
        for (Tensor d : new Tensor[] {values(6, LANES + 3), values(7, 7, 1), values(8, 1, LANES + 3), Tensor.scalar(-0f),
                Tensor.scalar(2.5f)}) {
            assertSameBits(x.div(d), x.copy().divInPlace(d), "divInPlace by " + d.describe());
        }
    }

    @Test
    void badInPlaceCallsNameTheOpAndTheShapes() {
        Tensor x = Tensor.ones(3, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> x.divInPlace(Tensor.ones(3, 5)));
        assertTrue(e.getMessage().contains("divInPlace") && e.getMessage().contains("[3, 5]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Tensor.ones(4).divInPlace(Tensor.ones(3, 4)));
        assertTrue(e.getMessage().contains("[3, 4]") && e.getMessage().contains("[4]"), e.getMessage());
        Tensor expanded = Tensor.ones(4).expand(3, 4);
        for (Runnable r : List.<Runnable>of(expanded::logInPlace, () -> expanded.powInPlace(2f),
                () -> expanded.divInPlace(2f), () -> expanded.clampMinInPlace(0f), () -> expanded.addInPlace(1f))) {
            e = assertThrows(IllegalArgumentException.class, r::run);
            assertTrue(e.getMessage().contains("expanded view"), e.getMessage());
        }
    }

    @Test
    void aDivisorSharingTheTargetsStorageIsReadBeforeItIsOverwritten() {
        Tensor x = values(9, 4, 4);
        Tensor expected = x.div(x.t());
        x.divInPlace(x.t());
        assertSameBits(expected, x, "x /= x^T");
    }
}
