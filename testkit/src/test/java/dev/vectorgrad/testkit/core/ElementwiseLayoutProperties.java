package dev.vectorgrad.testkit.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BinaryOperator;
import java.util.function.UnaryOperator;

import dev.vectorgrad.core.Tensor;
import dev.vectorgrad.testkit.BroadcastShapes;
import dev.vectorgrad.testkit.Layout;
import dev.vectorgrad.testkit.ShapeArbitraries;
import dev.vectorgrad.testkit.TensorAssertions;
import dev.vectorgrad.testkit.Tensors;
import dev.vectorgrad.testkit.Values;
import dev.vectorgrad.testkit.View;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * core's elementwise ops on every layout the kit makes (and on pairs of layouts), against a
 * reference computed here element by element. They live in the kit's module because core's own
 * tests cannot depend on the kit (the kit depends on core); they run in both Surefire
 * executions, SIMD and scalar, as core's do.
 */
class ElementwiseLayoutProperties {

    /** Values with ties (a quarter small integers), so comparisons and maximum meet equal elements. */
    private static final Values VALUES = Values.standard().withTies();

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
        m.put("maximum", new BinaryCase(Tensor::maximum, ElementwiseLayoutProperties::maximum));
        m.put("minimum", new BinaryCase(Tensor::minimum, ElementwiseLayoutProperties::minimum));
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

    /** The reference applied element by element to (broadcast) copies read in row-major order. */
    private static Tensor reference(Tensor a, Tensor b, FloatBinary ref) {
        float[] x = a.toArray();
        float[] y = b.toArray();
        float[] out = new float[x.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = ref.apply(x[i], y[i]);
        }
        return tensorOf(out, a.shape());
    }

    private static Tensor reference(Tensor a, FloatUnary ref) {
        float[] x = a.toArray();
        float[] out = new float[x.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = ref.apply(x[i]);
        }
        return tensorOf(out, a.shape());
    }

    private static Tensor tensorOf(float[] v, int[] shape) {
        return shape.length == 0 ? Tensor.scalar(v[0]) : Tensor.of(v, shape);
    }

    @Provide
    Arbitrary<List<View>> pairsOfLayouts() {
        // Shapes with sizes >= 1 up to 19 columns (past a 16-lane vector), laid out two ways.
        Arbitrary<int[]> shapes = ShapeArbitraries.shapes(1, 3, 1, 19).filter(s -> Arrays.stream(s).reduce(1, (p, q) -> p * q) <= 400);
        return shapes.flatMap(s -> Tensors.laidOut(VALUES, s).list().ofSize(2));
    }

    @Property(tries = 60)
    void binaryOpsOnEveryPairOfLayouts(@ForAll("pairsOfLayouts") List<View> views) {
        Tensor a = views.get(0).tensor();
        Tensor b = views.get(1).tensor();
        float[] before = a.toArray();
        for (var op : binaryOps().entrySet()) {
            Tensor out = op.getValue().op().apply(a, b);
            assertTrue(out.isContiguous(), op.getKey() + " result is contiguous");
            TensorAssertions.assertSameBits(out, reference(a, b, op.getValue().ref()));
        }
        assertArrayEquals(before, a.toArray(), "ops never modify their inputs");
    }

    @Provide
    Arbitrary<View> layouts() {
        return Tensors.laidOut(VALUES, ShapeArbitraries.shapes(0, 3, 1, 37).filter(s -> Arrays.stream(s).reduce(1, (p, q) -> p * q) <= 400));
    }

    @Property(tries = 60)
    void unaryAndScalarOpsOnEveryLayout(@ForAll("layouts") View view) {
        Tensor x = view.tensor();
        for (var op : unaryOps().entrySet()) {
            Tensor out = op.getValue().op().apply(x);
            try {
                TensorAssertions.assertWithinUlps(out, reference(x, op.getValue().ref()), op.getValue().ulps());
            } catch (AssertionError e) {
                throw new AssertionError(op.getKey() + " on " + view + ": " + e.getMessage(), e);
            }
        }
    }

    @Provide
    Arbitrary<List<Tensor>> broadcastOperands() {
        return Arbitraries.oneOf(ShapeArbitraries.mutuallyBroadcastable(2, 0, 3, 0, 7),
                        ShapeArbitraries.mutuallyBroadcastable(2, 1, 2, 1, 19))
                .flatMap(b -> Tensors.operands(VALUES, b));
    }

    @Property(tries = 80)
    void broadcastingAgreesWithTheExplicitlyExpandedTensor(@ForAll("broadcastOperands") List<Tensor> ab) {
        Tensor a = ab.get(0);
        Tensor b = ab.get(1);
        int[] shape = BroadcastShapes.broadcast(a.shape(), b.shape());
        Tensor ae = a.expand(shape).contiguous();
        Tensor be = b.expand(shape).contiguous();
        for (var op : binaryOps().entrySet()) {
            Tensor broadcast = op.getValue().op().apply(a, b);
            assertArrayEquals(shape, broadcast.shape(), op.getKey());
            TensorAssertions.assertSameBits(broadcast, reference(ae, be, op.getValue().ref()));
            TensorAssertions.assertSameBits(broadcast, op.getValue().op().apply(ae, be));
        }
    }

    @Example
    void unaryOpsKeepTheShapeOfEmptyTensors() {
        Tensor e = Tensor.zeros(0, 3);
        for (var op : unaryOps().values()) {
            Tensor out = op.op().apply(e);
            assertArrayEquals(new int[] {0, 3}, out.shape());
            assertEquals(0, out.numel());
        }
        Tensor past = Tensors.laidOut(VALUES, new int[] {0, 3}, Layout.OFFSET).sample().tensor();
        assertEquals(0, past.neg().numel());
    }
}
