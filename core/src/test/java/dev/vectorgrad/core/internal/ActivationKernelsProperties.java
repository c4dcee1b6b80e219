package dev.vectorgrad.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;

import jdk.incubator.vector.VectorSpecies;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * The smooth activations (tanh, sigmoid, gelu, leaky relu, softplus, log1p, expm1) and their
 * backward rules: the SIMD kernels against the scalar twins over awkward sizes and offsets, within
 * each op's documented {@code vectorUlps()}; the scalar definitions against double-precision
 * references built on {@link Math} (and a high-accuracy erf series for GELU).
 */
class ActivationKernelsProperties {

    private static final VectorSpecies<Float> SPECIES = VectorMatmul.S;
    private static final int LANES = SPECIES.length();
    private static final FloatKernels SCALAR = ScalarKernels.INSTANCE;
    private static final FloatKernels VECTOR = new VectorKernels(SPECIES, true);
    private static final float SENTINEL = 12345.678f;
    private static final UnaryOp[] SMOOTH = {
        UnaryOp.TANH, UnaryOp.SIGMOID, UnaryOp.GELU, UnaryOp.GELU_TANH, UnaryOp.LOG1P, UnaryOp.EXPM1,
    };

    @Provide
    Arbitrary<Integer> sizes() {
        int l = LANES;
        return Arbitraries.of(0, 1, l - 1, l, l + 1, 2 * l + 1, 13, 31, 97, 784, 1021);
    }

    /** Values over many magnitudes, large |x| included (saturation of sigmoid, softplus's threshold). */
    static float[] data(long seed, int length) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] a = new float[length];
        for (int i = 0; i < length; i++) {
            int kind = r.nextInt(10);
            if (kind == 0) {
                a[i] = (float) (r.nextDouble(-120, 120));
            } else if (kind == 1) {
                a[i] = r.nextInt(-3, 4);
            } else {
                a[i] = (float) (r.nextGaussian() * Math.pow(10, r.nextInt(-4, 2)));
            }
        }
        return a;
    }

    private static float[] sentinels(int n) {
        float[] out = new float[n];
        Arrays.fill(out, SENTINEL);
        return out;
    }

    /** Within {@code ulps} ulps of the larger of |expected| and {@code floor} (a scale below which absolute error counts). */
    private static void assertWithin(float[] expected, float[] actual, int ulps, float[] floor, String what) {
        for (int i = 0; i < expected.length; i++) {
            float e = expected[i];
            float a = actual[i];
            if (Float.floatToIntBits(e) == Float.floatToIntBits(a)) {
                continue;
            }
            float scale = Math.max(Math.abs(e), floor == null ? 0f : floor[i]);
            boolean close = Float.isFinite(e) && Float.isFinite(a)
                    && (Math.abs(e - a) <= ulps * Math.ulp(scale) || Math.abs(e - a) <= 1e-37f);
            if (!close) {
                throw new AssertionError(what + ": at " + i + " expected " + e + " but was " + a
                        + " (more than " + ulps + " ulps of " + scale + ")");
            }
        }
    }

    @Property(tries = 60)
    void smoothUnaryOpsMatchScalar(@ForAll("sizes") int n, @ForAll @IntRange(max = 7) int off, @ForAll long seed) {
        float[] a = data(seed, n + off);
        for (UnaryOp op : SMOOTH) {
            float[] expected = sentinels(n + off + 3);
            float[] actual = sentinels(n + off + 3);
            SCALAR.unary(op, a, off, expected, 3, n);
            VECTOR.unary(op, a, off, actual, 3, n);
            assertWithin(expected, actual, op.vectorUlps(), null, op + " n=" + n);
            assertEquals(SENTINEL, actual[0], op + " wrote before its range");
        }
    }

    @Property(tries = 60)
    void parametrisedOpsMatchScalar(@ForAll("sizes") int n, @ForAll @IntRange(max = 7) int off, @ForAll long seed) {
        float[] x = data(seed, n + off);
        SplittableRandom r = new SplittableRandom(seed);
        float[][] params = {{0.01f, 0f}, {(float) r.nextDouble(0, 3), 0f}, {1f, 20f}, {(float) r.nextDouble(0.2, 4), 5f},
            {-0.5f, 20f}};
        for (UnaryParamOp op : UnaryParamOp.values()) {
            for (float[] p : params) {
                float[] expected = sentinels(n + off + 2);
                float[] actual = sentinels(n + off + 2);
                SCALAR.unaryParam(op, p[0], p[1], x, off, expected, 2, n);
                VECTOR.unaryParam(op, p[0], p[1], x, off, actual, 2, n);
                assertWithin(expected, actual, op.vectorUlps(), null, op + Arrays.toString(p) + " n=" + n);
            }
        }
    }

    @Property(tries = 60)
    void backwardRulesMatchScalar(@ForAll("sizes") int n, @ForAll @IntRange(max = 7) int off, @ForAll long seed,
                                  @ForAll boolean accumulate) {
        float[] g = data(seed + 1, n + off);
        float[] s = data(seed, n + 2 * off);
        float[] init = data(seed + 2, n + 1);
        for (UnaryGradOp op : UnaryGradOp.values()) {
            float a = op == UnaryGradOp.LEAKY_RELU ? 0.2f : 1.5f;
            float b = 20f;
            float[] saved = s.clone();
            if (op.fromOutput()) { // a real output of the op, so the saved value is in its range
                for (int i = 0; i < saved.length; i++) {
                    saved[i] = switch (op) {
                        case TANH -> UnaryOp.TANH.apply(saved[i]);
                        case SIGMOID -> UnaryOp.SIGMOID.apply(saved[i]);
                        default -> UnaryOp.EXPM1.apply(Math.min(saved[i], 80f));
                    };
                }
            }
            float[] expected = sentinels(n + 1);
            float[] actual = sentinels(n + 1);
            System.arraycopy(init, 0, expected, 1, n);
            System.arraycopy(init, 0, actual, 1, n);
            SCALAR.unaryBackward(op, a, b, g, off, saved, 2 * off, expected, 1, n, accumulate);
            VECTOR.unaryBackward(op, a, b, g, off, saved, 2 * off, actual, 1, n, accumulate);
            // A derivative that crosses 0 cancels: measure the error against |g| and the init.
            float[] floor = new float[n + 1];
            for (int i = 0; i < n; i++) {
                floor[1 + i] = Math.abs(g[off + i]) * 2f + (accumulate ? Math.abs(init[i]) : 0f);
            }
            assertWithin(expected, actual, op.vectorUlps() + (accumulate ? 1 : 0), floor, op + " n=" + n);
            assertEquals(SENTINEL, actual[0], op + " wrote before its range");
        }
    }

    @Example
    void backwardMayWriteOverItsGradient() {
        int n = 4 * LANES + 3;
        float[] s = data(5, n);
        for (UnaryGradOp op : UnaryGradOp.values()) {
            float[] g = data(6, n);
            float[] expected = new float[n];
            SCALAR.unaryBackward(op, 0.1f, 20f, g, 0, s, 0, expected, 0, n, false);
            VECTOR.unaryBackward(op, 0.1f, 20f, g, 0, s, 0, g, 0, n, false);
            assertWithin(expected, g, op.vectorUlps(), null, op + " in place");
        }
    }

    @Example
    void hotKernelsStillAgree() {
        int n = 8 * LANES + 3;
        float[] a = data(11, n);
        float[] out = new float[n];
        for (int iter = 0; iter < 6_000; iter++) {
            VECTOR.unary(SMOOTH[iter % SMOOTH.length], a, 0, out, 0, n);
            VECTOR.unaryParam(UnaryParamOp.values()[iter % 2], 0.5f, 20f, a, 0, out, 0, n);
            VECTOR.unaryBackward(UnaryGradOp.values()[iter % UnaryGradOp.values().length], 0.5f, 20f, a, 0, a, 0,
                    out, 0, n, false);
        }
        float[] expected = new float[n];
        for (UnaryOp op : SMOOTH) {
            VECTOR.unary(op, a, 0, out, 0, n);
            SCALAR.unary(op, a, 0, expected, 0, n);
            assertWithin(expected, out, op.vectorUlps(), null, "hot " + op);
        }
        for (UnaryParamOp op : UnaryParamOp.values()) {
            VECTOR.unaryParam(op, 0.5f, 20f, a, 0, out, 0, n);
            SCALAR.unaryParam(op, 0.5f, 20f, a, 0, expected, 0, n);
            assertWithin(expected, out, op.vectorUlps(), null, "hot " + op);
        }
    }

    // ------------------------------------------------------------------ scalar definitions vs double

    /** erf by its Taylor series (|x| < 3) or continued fraction of erfc, accurate to ~1e-15. */
    static double erf(double x) {
        double ax = Math.abs(x);
        if (ax < 3) {
            double sum = 0;
            double term = ax;
            for (int k = 0; k < 200; k++) {
                double t = term / (2 * k + 1);
                sum += t;
                term *= -ax * ax / (k + 1);
                if (Math.abs(t) < 1e-17 * Math.abs(sum)) {
                    break;
                }
            }
            return Math.copySign(sum * 2 / Math.sqrt(Math.PI), x);
        }
        return Math.copySign(1 - erfc(ax), x);
    }

    /** erfc(x) for x >= 3 by Lentz's continued fraction. */
    static double erfc(double x) {
        if (x < 3) {
            return 1 - erf(x);
        }
        // erfc(x) = exp(-x^2)/sqrt(pi) * 1/(x + 1/2/(x + 1/(x + 3/2/(x + ...))))
        double f = x;
        for (int k = 120; k >= 1; k--) {
            f = x + (k / 2.0) / f;
        }
        return Math.exp(-x * x) / Math.sqrt(Math.PI) / f;
    }

    /** x Phi(x) in double, Phi(x) = erfc(-x / sqrt 2) / 2 (accurate for large negative x). */
    static double geluRef(double x) {
        double z = x / Math.sqrt(2);
        double cdf = z < 0 ? 0.5 * erfc(-z) : 0.5 * (1 + erf(z));
        return x * cdf;
    }

    @Property(tries = 40)
    void definitionsAgreeWithDoubleReferences(@ForAll long seed) {
        float[] x = data(seed, 400);
        for (float v : x) {
            double d = v;
            check("tanh", UnaryOp.TANH.apply(v), Math.tanh(d), 2, v);
            check("sigmoid", UnaryOp.SIGMOID.apply(v), 1 / (1 + Math.exp(-d)), 3, v);
            check("gelu", UnaryOp.GELU.apply(v), geluRef(d), 8, v); // the erfc fit: 1.2e-7 relative, plus float rounding
            double u = Math.sqrt(2 / Math.PI) * (d + 0.044715 * d * d * d);
            check("gelu tanh", UnaryOp.GELU_TANH.apply(v), 0.5 * d * (1 + Math.tanh(u)), 6, v,
                    Math.abs(d) * 1e-7);
            check("log1p", UnaryOp.LOG1P.apply(Math.abs(v)), Math.log1p(Math.abs(d)), 1, v);
            check("expm1", UnaryOp.EXPM1.apply(Math.min(v, 80f)), Math.expm1(Math.min(d, 80)), 1, v);
            double sp = d > 20 ? d : Math.log1p(Math.exp(d));
            check("softplus", UnaryParamOp.SOFTPLUS.apply(v, 1f, 20f), sp, 3, v);
            check("leaky relu", UnaryParamOp.LEAKY_RELU.apply(v, 0.01f, 0f), d > 0 ? d : 0.01 * d, 1, v);
        }
    }

    private static void check(String what, float got, double ref, int ulps, float x) {
        check(what, got, ref, ulps, x, 0);
    }

    /** Within {@code ulps} float ulps of the reference, or {@code abs} (cancellation in the reference's own form). */
    private static void check(String what, float got, double ref, int ulps, float x, double abs) {
        double err = Math.abs(got - ref);
        double allowed = Math.max(ulps * Math.ulp((float) ref), abs) + Float.MIN_NORMAL; // subnormals lose precision
        if (!(err <= allowed)) {
            throw new AssertionError(what + "(" + x + ") = " + got + ", reference " + ref + ": error " + err
                    + " above " + allowed);
        }
    }

    @Example
    void pyTorchEdgeSemantics() {
        assertEquals(0f, UnaryOp.SIGMOID.apply(-1000f));
        assertEquals(1f, UnaryOp.SIGMOID.apply(1000f));
        assertEquals(1f, UnaryOp.SIGMOID.apply(Float.POSITIVE_INFINITY));
        assertEquals(0f, UnaryOp.GELU.apply(0f));
        assertEquals(100f, UnaryOp.GELU.apply(100f));
        assertEquals(-0f, UnaryOp.GELU.apply(-100f));
        assertEquals(30f, UnaryParamOp.SOFTPLUS.apply(30f, 1f, 20f), "above the threshold softplus is x");
        assertEquals(0f, UnaryParamOp.SOFTPLUS.apply(-200f, 1f, 20f));
        assertEquals(-0.01f * 3f, UnaryParamOp.LEAKY_RELU.apply(-3f, 0.01f, 0f));
        assertTrue(Float.isNaN(UnaryParamOp.LEAKY_RELU.apply(Float.NaN, 0.01f, 0f)));
        assertTrue(Float.isNaN(UnaryOp.TANH.apply(Float.NaN)));
        assertEquals(Float.NEGATIVE_INFINITY, UnaryOp.LOG1P.apply(-1f));
        // Softplus's gradient at large |x| stays finite: sigmoid, not z / (z + 1) with z = inf.
        assertEquals(1f, UnaryGradOp.SOFTPLUS.apply(1f, 19.9f, 1f, 20f), 1e-6f);
        assertEquals(1f, UnaryGradOp.SOFTPLUS.apply(1f, 500f, 1f, 1000f));
        assertEquals(0f, UnaryGradOp.SOFTPLUS.apply(1f, -500f, 1f, 20f));
    }
}
