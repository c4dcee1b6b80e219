package dev.vectorgrad.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BinaryOperator;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;

/**
 * Every elementwise op on every layout (and on pairs of layouts), against a reference
 * computed in this test from {@code get(...)}, one element at a time.
 */
class TensorElementwiseTest {

    private interface FloatBinary {
        float apply(float a, float b);
    }

    private interface FloatUnary {
        float apply(float a);
    }

    private record BinaryCase(BinaryOperator<Tensor> op, FloatBinary ref) {}

    private record UnaryCase(UnaryOperator<Tensor> op, FloatUnary ref, int ulps) {}

    /** PyTorch's maximum: NaN wins, and +0.0 counts as larger than -0.0. */
    private static float maximum(float a, float b) {
        if (a != a || b != b) {
            return Float.NaN;
        }
        if (a == b) {
            return Float.floatToRawIntBits(a) == 0 ? a : b;
        }
        return a > b ? a : b;
    }

    private static float minimum(float a, float b) {
        if (a != a || b != b) {
            return Float.NaN;
        }
        if (a == b) {
            return Float.floatToRawIntBits(a) != 0 ? a : b;
        }
        return a < b ? a : b;
    }

    private static Map<String, BinaryCase> binaryOps() {
        Map<String, BinaryCase> m = new LinkedHashMap<>();
        m.put("add", new BinaryCase(Tensor::add, (a, b) -> a + b));
        m.put("sub", new BinaryCase(Tensor::sub, (a, b) -> a - b));
        m.put("mul", new BinaryCase(Tensor::mul, (a, b) -> a * b));
        m.put("div", new BinaryCase(Tensor::div, (a, b) -> a / b));
        m.put("maximum", new BinaryCase(Tensor::maximum, TensorElementwiseTest::maximum));
        m.put("minimum", new BinaryCase(Tensor::minimum, TensorElementwiseTest::minimum));
        m.put("gt", new BinaryCase(Tensor::gt, (a, b) -> a > b ? 1 : 0));
        m.put("ge", new BinaryCase(Tensor::ge, (a, b) -> a >= b ? 1 : 0));
        m.put("lt", new BinaryCase(Tensor::lt, (a, b) -> a < b ? 1 : 0));
        m.put("le", new BinaryCase(Tensor::le, (a, b) -> a <= b ? 1 : 0));
        m.put("eq", new BinaryCase(Tensor::eq, (a, b) -> a == b ? 1 : 0));
        m.put("ne", new BinaryCase(Tensor::ne, (a, b) -> a != b ? 1 : 0));
        return m;
    }

    private static Map<String, UnaryCase> unaryOps() {
        Map<String, UnaryCase> m = new LinkedHashMap<>();
        m.put("neg", new UnaryCase(Tensor::neg, a -> -a, 0));
        m.put("abs", new UnaryCase(Tensor::abs, a -> a < 0 || Float.floatToRawIntBits(a) < 0 ? -a : a, 0));
        m.put("exp", new UnaryCase(Tensor::exp, a -> (float) StrictMath.exp(a), 4));
        m.put("log", new UnaryCase(Tensor::log, a -> (float) StrictMath.log(a), 4));
        m.put("sqrt", new UnaryCase(Tensor::sqrt, a -> (float) StrictMath.sqrt(a), 0));
        m.put("relu", new UnaryCase(Tensor::relu, a -> a != a ? a : a > 0 ? a : 0f, 0));
        m.put("add(0.5)", new UnaryCase(t -> t.add(0.5f), a -> a + 0.5f, 0));
        m.put("sub(0.5)", new UnaryCase(t -> t.sub(0.5f), a -> a - 0.5f, 0));
        m.put("rsub(0.5)", new UnaryCase(t -> t.rsub(0.5f), a -> 0.5f - a, 0));
        m.put("mul(-3)", new UnaryCase(t -> t.mul(-3f), a -> a * -3f, 0));
        m.put("div(3)", new UnaryCase(t -> t.div(3f), a -> a / 3f, 0));
        m.put("rdiv(3)", new UnaryCase(t -> t.rdiv(3f), a -> 3f / a, 0));
        m.put("pow(2)", new UnaryCase(t -> t.pow(2f), a -> a * a, 0));
        m.put("pow(3)", new UnaryCase(t -> t.pow(3f), a -> (float) StrictMath.pow(a, 3), 1));
        m.put("pow(0.5)", new UnaryCase(t -> t.pow(0.5f), a -> (float) StrictMath.pow(a, 0.5), 1));
        m.put("clampMin(0)", new UnaryCase(t -> t.clampMin(0f), a -> a != a ? a : a > 0 ? a : 0f, 0));
        m.put("clampMin(0.3)", new UnaryCase(t -> t.clampMin(0.3f), a -> a != a ? a : a > 0.3f ? a : 0.3f, 0));
        m.put("clampMax(0.3)", new UnaryCase(t -> t.clampMax(0.3f), a -> a != a ? a : a < 0.3f ? a : 0.3f, 0));
        m.put("gt(0)", new UnaryCase(t -> t.gt(0f), a -> a > 0 ? 1 : 0, 0));
        m.put("ge(0)", new UnaryCase(t -> t.ge(0f), a -> a >= 0 ? 1 : 0, 0));
        m.put("lt(0)", new UnaryCase(t -> t.lt(0f), a -> a < 0 ? 1 : 0, 0));
        m.put("le(0)", new UnaryCase(t -> t.le(0f), a -> a <= 0 ? 1 : 0, 0));
        m.put("eq(1)", new UnaryCase(t -> t.eq(1f), a -> a == 1 ? 1 : 0, 0));
        m.put("ne(1)", new UnaryCase(t -> t.ne(1f), a -> a != 1 ? 1 : 0, 0));
        return m;
    }

    private static void checkBinary(String what, Tensor a, Tensor b, Tensor out, FloatBinary ref) {
        assertArrayEquals(a.shape(), out.shape(), what + " shape");
        assertTrue(out.isContiguous(), what + " result is contiguous");
        for (int[] idx : Layouts.indices(a.shape())) {
            float e = ref.apply(a.get(idx), b.get(idx));
            float g = out.get(idx);
            assertTrue(Layouts.sameBits(e, g), () -> what + " at " + java.util.Arrays.toString(idx) + ": expected "
                    + e + " but was " + g);
        }
    }

    @Test
    void binaryOpsOnEveryPairOfLayouts() {
        Rng rng = new Rng(1);
        for (int[] rc : new int[][] {{3, 5}, {4, 19}, {2, 1}}) {
            Map<String, Tensor> left = Layouts.twoDim(rng, rc[0], rc[1]);
            Map<String, Tensor> right = Layouts.twoDim(rng, rc[0], rc[1]);
            for (var l : left.entrySet()) {
                for (var r : right.entrySet()) {
                    float[] before = Layouts.elements(l.getValue());
                    for (var op : binaryOps().entrySet()) {
                        String what = op.getKey() + "(" + l.getKey() + ", " + r.getKey() + ") " + java.util.Arrays.toString(rc);
                        checkBinary(what, l.getValue(), r.getValue(), op.getValue().op().apply(l.getValue(), r.getValue()),
                                op.getValue().ref());
                    }
                    assertArrayEquals(before, Layouts.elements(l.getValue()), "ops never modify their inputs");
                }
            }
        }
    }

    @Test
    void unaryAndScalarOpsOnEveryLayout() {
        Rng rng = new Rng(2);
        for (int[] rc : new int[][] {{3, 5}, {5, 37}, {1, 1}}) {
            for (var l : Layouts.twoDim(rng, rc[0], rc[1]).entrySet()) {
                Tensor x = l.getValue();
                for (var op : unaryOps().entrySet()) {
                    Tensor out = op.getValue().op().apply(x);
                    assertArrayEquals(x.shape(), out.shape());
                    for (int[] idx : Layouts.indices(x.shape())) {
                        float e = op.getValue().ref().apply(x.get(idx));
                        float g = out.get(idx);
                        assertTrue(Layouts.withinUlps(e, g, op.getValue().ulps()), () -> op.getKey() + " on " + l.getKey()
                                + " at " + java.util.Arrays.toString(idx) + ": expected " + e + " but was " + g);
                    }
                }
            }
        }
    }

    @Test
    void specialValuesFollowIeeeAndPyTorch() {
        Tensor x = Tensor.of(new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0f, 0f, -2f});
        assertTrue(Float.isNaN(x.relu().get(0)), "relu(NaN) is NaN");
        assertEquals(0f, x.relu().get(3));
        assertEquals(Float.POSITIVE_INFINITY, x.div(Tensor.zeros(6)).get(1));
        assertTrue(Float.isNaN(x.div(Tensor.zeros(6)).get(4)), "0/0 is NaN");
        assertEquals(Float.NEGATIVE_INFINITY, x.log().get(4));
        assertTrue(Float.isNaN(x.sqrt().get(5)));
        assertArrayEquals(new float[] {0, 0, 0, 1, 1, 0}, x.eq(0f).toArray(), "-0.0 == 0.0; NaN equals nothing");
        assertArrayEquals(new float[] {1, 1, 1, 0, 0, 1}, x.ne(0f).toArray());
        assertTrue(Float.isNaN(x.maximum(Tensor.zeros(6)).get(0)), "maximum propagates NaN");
        assertTrue(Float.isNaN(x.clampMax(1f).get(0)), "clamp keeps NaN");
        assertEquals(0f, Tensor.of(new float[] {3f}).pow(0f).get(0) - 1f);
    }

    @Test
    void broadcastingAgreesWithTheExplicitlyExpandedTensor() {
        Rng rng = new Rng(3);
        int[][][] pairs = {
            {{4, 19}, {19}}, {{4, 19}, {4, 1}}, {{4, 1}, {1, 19}}, {{4, 19}, {}}, {{}, {4, 19}},
            {{2, 3, 5}, {3, 1}}, {{2, 1, 5}, {1, 3, 5}}, {{1}, {7}}, {{3, 1, 1}, {2, 1}}, {{0, 3}, {3}},
        };
        for (int[][] p : pairs) {
            Tensor a = Layouts.values(rng, p[0]);
            Tensor b = Layouts.values(rng, p[1]);
            int[] shape = Shapes.broadcast("test", p[0], p[1]);
            Tensor ae = a.expand(shape).contiguous();
            Tensor be = b.expand(shape).contiguous();
            for (var op : binaryOps().entrySet()) {
                Tensor broadcast = op.getValue().op().apply(a, b);
                Tensor explicit = op.getValue().op().apply(ae, be);
                assertArrayEquals(shape, broadcast.shape(), op.getKey());
                checkBinary(op.getKey() + " " + Shapes.str(p[0]) + " with " + Shapes.str(p[1]), ae, be, broadcast,
                        op.getValue().ref());
                assertArrayEquals(explicit.toArray(), broadcast.toArray(), op.getKey());
            }
        }
    }

    @Test
    void zeroDimAndEmptyTensors() {
        Tensor s = Tensor.scalar(3f);
        assertEquals(0, s.dim());
        assertEquals(1, s.numel());
        assertEquals(-3f, s.neg().item());
        assertEquals(0, s.add(Tensor.scalar(2f)).dim());
        assertEquals(5f, s.add(Tensor.scalar(2f)).item());
        assertArrayEquals(new float[] {4f, 5f}, s.add(Tensor.of(new float[] {1f, 2f})).toArray());
        Tensor e = Tensor.zeros(0, 3);
        for (var op : unaryOps().values()) {
            Tensor out = op.op().apply(e);
            assertArrayEquals(new int[] {0, 3}, out.shape());
            assertEquals(0, out.numel());
        }
        assertArrayEquals(new int[] {0, 3}, e.add(Tensor.ones(3)).shape());
        assertArrayEquals(new int[] {2, 0}, Tensor.zeros(2, 1).mul(Tensor.zeros(0)).shape());
    }

    @Test
    void inPlaceOpsWriteThroughViewsAndBumpTheVersion() {
        Rng rng = new Rng(4);
        Tensor base = Layouts.values(rng, 5, 6);
        float[] original = base.toArray();
        Tensor view = base.slice(0, 1, 5, 2).t(); // rows 1 and 3, transposed: 6 x 2
        Tensor other = Layouts.values(rng, 6, 2);
        int v0 = base.version();
        view.addScaledInPlace(0.5f, other);
        assertEquals(v0 + 1, base.version(), "the source sees the view's edit count");
        assertEquals(base.version(), view.version());
        for (int i = 0; i < 5; i++) {
            for (int j = 0; j < 6; j++) {
                float expected = original[i * 6 + j];
                if (i == 1 || i == 3) {
                    expected += 0.5f * other.get(j, (i - 1) / 2);
                }
                assertEquals(expected, base.get(i, j), 0f, "at " + i + "," + j);
            }
        }
        List<Runnable> edits = List.of(
                () -> view.addInPlace(other), () -> view.subInPlace(other), () -> view.mulInPlace(2f),
                () -> view.mulInPlace(Tensor.ones(2)), () -> view.copyFrom(other), () -> view.fillInPlace(1f),
                () -> view.zeroInPlace(), () -> view.set(3f, 0, 0));
        for (Runnable edit : edits) {
            int before = base.version();
            edit.run();
            assertEquals(before + 1, base.version());
        }
        assertEquals(3f, base.get(1, 0));
        assertEquals(0f, base.get(3, 5));
        assertEquals(original[0], base.get(0, 0), "rows outside the view untouched");
        int before = base.version();
        base.add(1f);
        base.slice(0, 0, 2).sum();
        assertEquals(before, base.version(), "out-of-place ops do not count as edits");
    }

    @Test
    void inPlaceOpsWithBroadcastAndAliasedSources() {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        x.addInPlace(Tensor.of(new float[] {10, 20, 30}));
        assertArrayEquals(new float[] {11, 22, 33, 14, 25, 36}, x.toArray());
        x.mulInPlace(Tensor.of(new float[] {1, 2}, 2, 1));
        assertArrayEquals(new float[] {11, 22, 33, 28, 50, 72}, x.toArray());
        // Source overlapping the destination: read as it was before the edit.
        Tensor y = Tensor.arange(6);
        y.slice(0, 1, 6).copyFrom(y.slice(0, 0, 5));
        assertArrayEquals(new float[] {0, 0, 1, 2, 3, 4}, y.toArray());
        Tensor z = Tensor.arange(4).reshape(2, 2);
        z.addInPlace(z.t());
        assertArrayEquals(new float[] {0, 3, 3, 6}, z.toArray());
        Tensor w = Tensor.arange(3);
        w.addInPlace(w);
        assertArrayEquals(new float[] {0, 2, 4}, w.toArray());
        Tensor col = Tensor.zeros(3, 4).t(); // transposed destination with a broadcast source
        col.addScaledInPlace(2f, Tensor.scalar(1.5f));
        assertArrayEquals(new float[] {3f, 3f, 3f, 3f, 3f, 3f, 3f, 3f, 3f, 3f, 3f, 3f}, col.toArray());
    }
}
