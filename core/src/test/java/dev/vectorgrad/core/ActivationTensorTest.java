package dev.vectorgrad.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;

import dev.vectorgrad.core.internal.UnaryGradOp;
import dev.vectorgrad.core.internal.UnaryOp;
import dev.vectorgrad.core.internal.UnaryParamOp;

/**
 * The smooth activations as Tensor methods: views give exactly the values of their contiguous
 * copies (so a captured graph's in-place replay matches), the in-place forms equal the new-tensor
 * forms bit for bit, each element is the scalar definition within its ulps, the Fused backward
 * helpers compute the definitions, and bad arguments are refused by name.
 */
class ActivationTensorTest {

    private static final Rng RNG = new Rng(2026);

    private record Op(String name, UnaryOperator<Tensor> out, UnaryOperator<Tensor> inPlace) {}

    private static final List<Op> OPS = List.of(
            new Op("tanh", Tensor::tanh, Tensor::tanhInPlace),
            new Op("sigmoid", Tensor::sigmoid, Tensor::sigmoidInPlace),
            new Op("gelu", Tensor::gelu, t -> t.geluInPlace("none")),
            new Op("gelu tanh", t -> t.gelu("tanh"), t -> t.geluInPlace("tanh")),
            new Op("leakyRelu", t -> t.leakyRelu(0.01f), t -> t.leakyReluInPlace(0.01f)),
            new Op("softplus", Tensor::softplus, t -> t.softplusInPlace(1f, 20f)),
            new Op("softplus beta 2", t -> t.softplus(2f, 5f), t -> t.softplusInPlace(2f, 5f)),
            new Op("log1p", t -> t.abs().log1p(), t -> t.abs().log1pInPlace()),
            new Op("expm1", Tensor::expm1, Tensor::expm1InPlace));

    private static Tensor spread(int... shape) {
        return Tensor.randn(RNG, shape).mul(8f);
    }

    private static void assertSameBits(Tensor expected, Tensor actual, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what);
        float[] e = expected.toArray();
        float[] a = actual.toArray();
        for (int i = 0; i < e.length; i++) {
            if (Float.floatToIntBits(e[i]) != Float.floatToIntBits(a[i])) {
                throw new AssertionError(what + ": at " + i + " expected " + e[i] + " but was " + a[i]);
            }
        }
    }

    @Test
    void viewsGiveTheBitsOfTheirContiguousCopies() {
        for (int[] shape : new int[][] {{0, 3}, {1, 1}, {7, 13}, {29, 31}, {28, 28}}) {
            Tensor base = spread(shape[1], shape[0]);
            Tensor transposed = base.t();
            Tensor sliced = spread(shape[0], shape[1] + 5).slice(1, 2, shape[1] + 2);
            for (Op op : OPS) {
                for (Tensor view : new Tensor[] {transposed, sliced}) {
                    Tensor fromView = op.out.apply(view);
                    Tensor fromCopy = op.out.apply(view.contiguous());
                    assertSameBits(fromCopy, fromView, op.name + " of a view " + java.util.Arrays.toString(shape));
                    assertTrue(fromView.isContiguous());
                    Tensor replayed = Tensor.zeros(view.shape()).copyFrom(view);
                    assertSameBits(fromCopy, op.inPlace.apply(replayed), op.name + " in place");
                }
            }
        }
    }

    @Test
    void elementsAreTheScalarDefinitions() {
        Tensor x = spread(3, 1021);
        float[] xs = x.toArray();
        check(x.tanh(), xs, v -> UnaryOp.TANH.apply(v), UnaryOp.TANH.vectorUlps(), "tanh");
        check(x.sigmoid(), xs, v -> UnaryOp.SIGMOID.apply(v), UnaryOp.SIGMOID.vectorUlps(), "sigmoid");
        check(x.gelu(), xs, v -> UnaryOp.GELU.apply(v), UnaryOp.GELU.vectorUlps(), "gelu");
        check(x.gelu("tanh"), xs, v -> UnaryOp.GELU_TANH.apply(v), UnaryOp.GELU_TANH.vectorUlps(), "gelu tanh");
        check(x.leakyRelu(0.2f), xs, v -> UnaryParamOp.LEAKY_RELU.apply(v, 0.2f, 0f), 0, "leakyRelu");
        check(x.softplus(), xs, v -> UnaryParamOp.SOFTPLUS.apply(v, 1f, 20f), UnaryParamOp.SOFTPLUS.vectorUlps(),
                "softplus");
        check(x.expm1(), xs, v -> UnaryOp.EXPM1.apply(v), UnaryOp.EXPM1.vectorUlps(), "expm1");
    }

    private interface F {
        float apply(float v);
    }

    private static void check(Tensor got, float[] xs, F def, int ulps, String what) {
        float[] g = got.toArray();
        for (int i = 0; i < xs.length; i++) {
            float e = def.apply(xs[i]);
            assertTrue(Ulps.withinUlps(e, g[i], ulps) || Math.abs(e - g[i]) < 1e-37f,
                    what + "(" + xs[i] + "): " + g[i] + " vs definition " + e);
        }
    }

    @Test
    void backwardHelpersComputeTheDefinitions() {
        Tensor x = spread(17, 13);
        Tensor g = Tensor.randn(RNG, 17, 13);
        Tensor init = Tensor.randn(RNG, 17, 13);
        record Case(String name, UnaryGradOp op, float a, float b, Tensor saved, Writer w) {}
        Tensor y = x.tanh();
        Tensor s = x.sigmoid();
        Tensor e = x.expm1();
        Tensor ax = x.abs();
        List<Case> cases = List.of(
                new Case("tanh", UnaryGradOp.TANH, 0, 0, y, (gi, acc) -> Fused.tanhBackward(g, y, gi, acc)),
                new Case("sigmoid", UnaryGradOp.SIGMOID, 0, 0, s, (gi, acc) -> Fused.sigmoidBackward(g, s, gi, acc)),
                new Case("gelu", UnaryGradOp.GELU, 0, 0, x, (gi, acc) -> Fused.geluBackward(g, x, "none", gi, acc)),
                new Case("gelu tanh", UnaryGradOp.GELU_TANH, 0, 0, x, (gi, acc) -> Fused.geluBackward(g, x, "tanh", gi, acc)),
                new Case("leakyRelu", UnaryGradOp.LEAKY_RELU, 0.3f, 0, x,
                        (gi, acc) -> Fused.leakyReluBackward(g, x, 0.3f, gi, acc)),
                new Case("softplus", UnaryGradOp.SOFTPLUS, 2f, 7f, x,
                        (gi, acc) -> Fused.softplusBackward(g, x, 2f, 7f, gi, acc)),
                new Case("log1p", UnaryGradOp.LOG1P, 0, 0, ax, (gi, acc) -> Fused.log1pBackward(g, ax, gi, acc)),
                new Case("expm1", UnaryGradOp.EXPM1, 0, 0, e, (gi, acc) -> Fused.expm1Backward(g, e, gi, acc)));
        float[] gs = g.toArray();
        float[] is = init.toArray();
        for (Case c : cases) {
            for (boolean acc : new boolean[] {false, true}) {
                Tensor gi = init.copy();
                int v = gi.version();
                c.w.write(gi, acc);
                assertTrue(gi.version() > v, c.name + " bumps the version");
                float[] ss = c.saved.toArray();
                float[] got = gi.toArray();
                for (int i = 0; i < ss.length; i++) {
                    float d = c.op.apply(gs[i], ss[i], c.a, c.b);
                    float want = acc ? is[i] + d : d;
                    float tol = (c.op.vectorUlps() + 2) * Math.ulp(Math.abs(gs[i]) * 2f + Math.abs(is[i]));
                    assertEquals(want, got[i], tol, c.name + " acc=" + acc + " at " + i);
                }
            }
        }
    }

    private interface Writer {
        void write(Tensor gradIn, boolean accumulate);
    }

    @Test
    void badArgumentsAreRefusedByName() {
        Tensor x = Tensor.ones(2, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> x.gelu("exact"));
        assertTrue(e.getMessage().contains("gelu: approximate must be 'none' or 'tanh', got 'exact'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> x.softplus(0f, 20f));
        assertTrue(e.getMessage().startsWith("softplus: beta must be finite and not 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Fused.tanhBackward(Tensor.ones(2, 3), Tensor.ones(3, 2), Tensor.zeros(2, 3), false));
        assertTrue(e.getMessage().contains("tanhBackward: gradOut [2, 3], output [3, 2], gradIn [2, 3]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Fused.geluBackward(Tensor.ones(2, 3), x, "none", Tensor.zeros(3, 2).t(), false));
        assertTrue(e.getMessage().contains("geluBackward: gradIn of shape [2, 3] is a strided view"), e.getMessage());
        Tensor expanded = Tensor.ones(3).expand(2, 3);
        e = assertThrows(IllegalArgumentException.class, expanded::tanhInPlace);
        assertTrue(e.getMessage().startsWith("tanhInPlace: cannot write into an expanded view"), e.getMessage());
    }
}
