package dev.vectorgrad.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
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
 * The SIMD kernels against their scalar twins. VectorKernels is built here explicitly, so
 * these properties compare both paths even in the Surefire run that forces the scalar kernels.
 * Sizes straddle the vector length and the four-accumulator unroll; offsets are non-zero so
 * a kernel that ignores them fails; a sentinel around each output catches writes out of range.
 */
class VectorKernelsProperties {

    private static final VectorSpecies<Float> SPECIES = VectorMatmul.S; // the width VectorKernels is fixed to
    private static final int LANES = SPECIES.length();
    private static final FloatKernels SCALAR = ScalarKernels.INSTANCE;
    private static final float SENTINEL = 12345.678f;
    private static final float[] SPECIALS = {
        Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0f, 0f, 1f, -1f,
        Float.MAX_VALUE, -Float.MAX_VALUE, Float.MIN_VALUE, Float.MIN_NORMAL,
    };

    /** Both FMA settings: the flag only changes addScaled, but both code paths must be right. */
    private static FloatKernels vector(boolean fma) {
        return new VectorKernels(SPECIES, fma);
    }

    @Provide
    Arbitrary<Integer> sizes() {
        int l = LANES;
        return Arbitraries.of(0, 1, l - 1, l, l + 1, 2 * l + 1, 4 * l - 1, 4 * l, 4 * l + 1, 8 * l + 3,
                13, 31, 97, 784, 1021);
    }

    /** Values mixing ordinary numbers, small integers (ties), and now and then a special value. */
    static float[] data(long seed, int length, boolean specials) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] a = new float[length];
        for (int i = 0; i < length; i++) {
            int kind = r.nextInt(20);
            if (specials && kind == 0) {
                a[i] = SPECIALS[r.nextInt(SPECIALS.length)];
            } else if (kind < 5) {
                a[i] = r.nextInt(-3, 4); // exact ties and exact zeros
            } else {
                a[i] = (float) (r.nextGaussian() * Math.pow(10, r.nextInt(-3, 3)));
            }
        }
        return a;
    }

    private static float[] sentinels(int length) {
        float[] out = new float[length];
        Arrays.fill(out, SENTINEL);
        return out;
    }

    /** Bit-identical, except that all NaNs are equal. */
    private static void assertWithinUlps(float[] expected, float[] actual, int ulps, String what) {
        for (int i = 0; i < expected.length; i++) {
            float e = expected[i];
            float a = actual[i];
            if (Float.floatToIntBits(e) == Float.floatToIntBits(a)) {
                continue;
            }
            boolean close = Float.isFinite(e) && Float.isFinite(a)
                    && (Math.abs(e - a) <= ulps * Math.ulp(e) || Math.abs(e - a) <= 1e-37f);
            if (!close) {
                throw new AssertionError(what + ": at " + i + " expected " + e + " but was " + a
                        + " (more than " + ulps + " ulps apart)");
            }
        }
    }

    @Property(tries = 150)
    void binaryIsBitIdenticalToScalar(@ForAll("sizes") int n, @ForAll @IntRange(max = 9) int off,
                                      @ForAll long seed, @ForAll boolean fma) {
        float[] a = data(seed, n + off + 2, true);
        float[] b = data(seed + 1, n + 2 * off + 1, true);
        for (BinaryOp op : BinaryOp.values()) {
            float[] expected = sentinels(n + 3 * off + 2);
            float[] actual = sentinels(n + 3 * off + 2);
            SCALAR.binary(op, a, off, b, 2 * off, expected, 3 * off, n);
            vector(fma).binary(op, a, off, b, 2 * off, actual, 3 * off, n);
            KernelAssertions.assertSameBits(expected, actual, op + " n=" + n + " off=" + off);
            checkOracle(expected, 3 * off, n, i -> op.apply(a[off + i], b[2 * off + i]), op.toString());
        }
    }

    @Property(tries = 120)
    void binaryWithBroadcastScalarIsBitIdentical(@ForAll("sizes") int n, @ForAll @IntRange(max = 9) int off,
                                                 @ForAll long seed, @ForAll boolean fma) {
        float[] a = data(seed, n + off, true);
        float s = data(seed ^ 0x5DEECE66DL, 1, true)[0];
        for (BinaryOp op : BinaryOp.values()) {
            float[] eRight = sentinels(n + off + 1);
            float[] aRight = sentinels(n + off + 1);
            SCALAR.binaryScalarRight(op, a, off, s, eRight, off + 1, n);
            vector(fma).binaryScalarRight(op, a, off, s, aRight, off + 1, n);
            KernelAssertions.assertSameBits(eRight, aRight, op + " right s=" + s + " n=" + n);
            float[] eLeft = sentinels(n + off + 1);
            float[] aLeft = sentinels(n + off + 1);
            SCALAR.binaryScalarLeft(op, s, a, off, eLeft, off + 1, n);
            vector(fma).binaryScalarLeft(op, s, a, off, aLeft, off + 1, n);
            KernelAssertions.assertSameBits(eLeft, aLeft, op + " left s=" + s + " n=" + n);
        }
    }

    @Property(tries = 100)
    void binaryMayWriteOverItsLeftOperand(@ForAll("sizes") int n, @ForAll long seed) {
        for (BinaryOp op : BinaryOp.values()) {
            float[] a = data(seed, n + 3, true);
            float[] b = data(seed + 7, n + 3, true);
            float[] expected = a.clone();
            SCALAR.binary(op, expected, 3, b, 3, expected, 3, n);
            vector(true).binary(op, a, 3, b, 3, a, 3, n);
            KernelAssertions.assertSameBits(expected, a, op + " in place n=" + n);
        }
    }

    @Property(tries = 150)
    void unaryMatchesScalar(@ForAll("sizes") int n, @ForAll @IntRange(max = 9) int off, @ForAll long seed) {
        float[] a = data(seed, n + off, true);
        for (UnaryOp op : UnaryOp.values()) {
            float[] expected = sentinels(n + off + 5);
            float[] actual = sentinels(n + off + 5);
            SCALAR.unary(op, a, off, expected, 5, n);
            vector(true).unary(op, a, off, actual, 5, n);
            if (op.vectorUlps() > 0) {
                // The vector exp/log are not correctly rounded; a few ulps is their contract.
                assertWithinUlps(expected, actual, op.vectorUlps(), op + " n=" + n);
            } else {
                KernelAssertions.assertSameBits(expected, actual, op + " n=" + n);
            }
            checkOracle(expected, 5, n, i -> op.apply(a[off + i]), op.toString());
        }
    }

    @Example
    void unaryOnSpecialValues() {
        float[] a = SPECIALS.clone();
        for (UnaryOp op : UnaryOp.values()) {
            float[] expected = new float[a.length];
            float[] actual = new float[a.length];
            SCALAR.unary(op, a, 0, expected, 0, a.length);
            // Pass the specials through the vector body, not only its scalar tail.
            float[] padded = Arrays.copyOf(a, 4 * LANES + a.length);
            float[] out = new float[padded.length];
            for (int shift = 0; shift < 4 * LANES; shift += LANES) {
                System.arraycopy(a, 0, padded, shift, a.length);
                vector(true).unary(op, padded, 0, out, 0, padded.length);
                System.arraycopy(out, shift, actual, 0, a.length);
                if (op.vectorUlps() > 0) {
                    assertWithinUlps(expected, actual, op.vectorUlps(), op + " specials");
                } else {
                    KernelAssertions.assertSameBits(expected, actual, op + " specials");
                }
            }
        }
        // Definitions that PyTorch users rely on.
        assertEquals(0f, UnaryOp.RELU.apply(-0f));
        assertTrue(Float.isNaN(UnaryOp.RELU.apply(Float.NaN)), "relu keeps NaN, as clamp_min does");
        assertEquals(Float.NEGATIVE_INFINITY, UnaryOp.LOG.apply(0f));
        assertTrue(Float.isNaN(UnaryOp.SQRT.apply(-1f)));
    }

    @Property(tries = 150)
    void addScaledMatchesScalarWithinRounding(@ForAll("sizes") int n, @ForAll @IntRange(max = 9) int off,
                                              @ForAll long seed, @ForAll boolean fma) {
        float[] src = data(seed, n + off, false);
        float[] dst = data(seed + 3, n + 2 * off + 1, false);
        float alpha = (float) new SplittableRandom(seed).nextDouble(-2, 2);
        float[] expected = dst.clone();
        float[] actual = dst.clone();
        SCALAR.addScaled(expected, 2 * off, alpha, src, off, n);
        vector(fma).addScaled(actual, 2 * off, alpha, src, off, n);
        for (int i = 0; i < dst.length; i++) {
            if (i < 2 * off || i >= 2 * off + n) {
                assertEquals(dst[i], actual[i], "addScaled wrote outside its range at " + i);
                continue;
            }
            // With FMA the product is not rounded before the add: both results lie within
            // half an ulp of the product plus half an ulp of the sum from the exact value.
            double exact = dst[i] + (double) alpha * src[i - off];
            double bound = Math.ulp(Math.abs(alpha * src[i - off])) + Math.ulp((float) exact);
            assertTrue(Math.abs(actual[i] - exact) <= bound, "vector addScaled at " + i);
            assertTrue(Math.abs(expected[i] - exact) <= bound, "scalar addScaled at " + i);
        }
    }

    @Property(tries = 200)
    void reduceMatchesScalar(@ForAll("sizes") int n, @ForAll @IntRange(max = 9) int off,
                             @ForAll long seed, @ForAll boolean specials) {
        float[] a = data(seed, n + off, specials);
        FloatKernels v = vector(true);
        KernelAssertions.assertSameBits(new float[] {SCALAR.reduce(ReduceOp.MAX, a, off, n)},
                new float[] {v.reduce(ReduceOp.MAX, a, off, n)}, "MAX n=" + n);
        KernelAssertions.assertSameBits(new float[] {SCALAR.reduce(ReduceOp.MIN, a, off, n)},
                new float[] {v.reduce(ReduceOp.MIN, a, off, n)}, "MIN n=" + n);
        // Sums: another summation order, so compare both with the double-precision sum within
        // the classical bound n * eps * sum |x|. Finite values near the float limit would
        // overflow in one order and not another, so they are replaced for this part.
        for (int i = 0; i < a.length; i++) {
            if (Float.isFinite(a[i]) && Math.abs(a[i]) > 1e30f) {
                a[i] = 1f;
            }
        }
        double exact = 0;
        double magnitude = 0;
        for (int i = 0; i < n; i++) {
            exact += a[off + i];
            magnitude += Math.abs(a[off + i]);
        }
        float s = SCALAR.reduce(ReduceOp.SUM, a, off, n);
        float vs = v.reduce(ReduceOp.SUM, a, off, n);
        if (Double.isNaN(exact) || Double.isInfinite(exact)) {
            KernelAssertions.assertSameBits(new float[] {(float) exact}, new float[] {vs}, "SUM of non-finite n=" + n);
            KernelAssertions.assertSameBits(new float[] {(float) exact}, new float[] {s}, "scalar SUM of non-finite n=" + n);
        } else {
            double bound = (n + 1) * 0x1p-24 * magnitude;
            assertTrue(Math.abs(vs - exact) <= bound, "vector SUM " + vs + " vs " + exact + " n=" + n);
            assertTrue(Math.abs(s - exact) <= bound, "scalar SUM " + s + " vs " + exact + " n=" + n);
        }
    }

    @Example
    void reduceOfNothingIsTheIdentity() {
        FloatKernels v = vector(true);
        float[] a = {1f, 2f};
        for (ReduceOp op : ReduceOp.values()) {
            assertEquals(op.identity(), v.reduce(op, a, 1, 0), op.toString());
            assertEquals(op.identity(), SCALAR.reduce(op, a, 1, 0), op.toString());
        }
    }

    @Property(tries = 200)
    void argExtremesMatchScalarAndDefinition(@ForAll("sizes") int n, @ForAll @IntRange(max = 9) int off,
                                             @ForAll long seed, @ForAll boolean specials) {
        float[] a = data(seed, n + off, specials);
        FloatKernels v = vector(true);
        int expectedMax = firstExtreme(a, off, n, true);
        int expectedMin = firstExtreme(a, off, n, false);
        assertEquals(expectedMax, SCALAR.argmax(a, off, n), "scalar argmax n=" + n);
        assertEquals(expectedMax, v.argmax(a, off, n), "vector argmax n=" + n);
        assertEquals(expectedMin, SCALAR.argmin(a, off, n), "scalar argmin n=" + n);
        assertEquals(expectedMin, v.argmin(a, off, n), "vector argmin n=" + n);
    }

    @Example
    void argmaxTiesNaNAndSignedZeros() {
        FloatKernels v = vector(true);
        for (FloatKernels k : List.of(SCALAR, v)) {
            float[] ties = new float[3 * LANES + 3];
            Arrays.fill(ties, 5f);
            assertEquals(0, k.argmax(ties, 0, ties.length), k.describe());
            assertEquals(0, k.argmin(ties, 0, ties.length), k.describe());
            ties[2 * LANES + 1] = 7f;
            ties[3 * LANES + 2] = 7f;
            assertEquals(2 * LANES + 1, k.argmax(ties, 0, ties.length), "first of two maxima " + k.describe());
            ties[3 * LANES] = Float.NaN;
            ties[3 * LANES + 1] = Float.NaN;
            assertEquals(3 * LANES, k.argmax(ties, 0, ties.length), "NaN counts as largest " + k.describe());
            assertEquals(3 * LANES, k.argmin(ties, 0, ties.length), "NaN counts as smallest " + k.describe());
            float[] zeros = {-0f, 0f, -0f, 0f, -0f, 0f, -0f, 0f, -0f, 0f, -0f, 0f, -0f, 0f, -0f, 0f, -0f, 0f};
            assertEquals(0, k.argmax(zeros, 0, zeros.length), "-0.0 ties with 0.0 " + k.describe());
            assertEquals(0, k.argmin(zeros, 1, zeros.length - 1), "0.0 ties with -0.0 " + k.describe());
            assertEquals(-1, k.argmax(zeros, 3, 0));
            float[] infs = {Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY};
            assertEquals(0, k.argmax(infs, 0, 2), "all -inf " + k.describe());
        }
    }

    /** The definition: the first index of the largest (smallest) value, NaN beating everything. */
    private static int firstExtreme(float[] a, int off, int n, boolean max) {
        int best = -1;
        for (int i = 0; i < n; i++) {
            float x = a[off + i];
            if (Float.isNaN(x)) {
                return i;
            }
            if (best < 0 || (max ? x > a[off + best] : x < a[off + best])) {
                best = i;
            }
        }
        return best;
    }

    private interface IndexFn {
        float at(int i);
    }

    /** The scalar twin itself against the op's one-element definition, and no stray writes. */
    private static void checkOracle(float[] out, int outOff, int n, IndexFn def, String what) {
        for (int i = 0; i < out.length; i++) {
            if (i >= outOff && i < outOff + n) {
                KernelAssertions.assertSameBits(new float[] {def.at(i - outOff)}, new float[] {out[i]}, what + " definition");
            } else {
                assertEquals(SENTINEL, out[i], what + " wrote outside its range at " + i);
            }
        }
    }

    @Example
    void describeNamesTheWidth() {
        String d = vector(true).describe();
        assertTrue(d.contains(SPECIES.vectorBitSize() + " bits") && d.contains(LANES + " float lanes"), d);
        assertTrue(vector(false).describe().contains("no FMA"));
    }

    /**
     * The same comparisons after the kernels have run hot: the Vector API only becomes SIMD
     * instructions once C2 compiles the caller, and an intrinsic could round or treat NaN and
     * -0.0 differently from the Java fallback the short properties above mostly exercise.
     */
    @Example
    void agreeWhenCompiledByC2() {
        FloatKernels v = vector(true);
        int n = 8 * LANES + 3;
        float[] a = data(99, n, true);
        float[] b = data(100, n, true);
        float[] out = new float[n];
        float[] expected = new float[n];
        BinaryOp[] binaries = BinaryOp.values();
        UnaryOp[] unaries = UnaryOp.values();
        for (int iter = 0; iter < 25_000; iter++) {
            BinaryOp op = binaries[iter % binaries.length];
            v.binary(op, a, 0, b, 0, out, 0, n);
            UnaryOp u = unaries[iter % unaries.length];
            v.unary(u, a, 0, out, 0, n);
            v.reduce(ReduceOp.values()[iter % 3], a, 0, n);
            v.argmax(a, 0, n);
        }
        for (BinaryOp op : binaries) {
            v.binary(op, a, 0, b, 0, out, 0, n);
            SCALAR.binary(op, a, 0, b, 0, expected, 0, n);
            KernelAssertions.assertSameBits(expected, out, "hot " + op);
            v.binaryScalarRight(op, a, 0, b[1], out, 0, n);
            SCALAR.binaryScalarRight(op, a, 0, b[1], expected, 0, n);
            KernelAssertions.assertSameBits(expected, out, "hot right " + op);
        }
        for (UnaryOp op : unaries) {
            v.unary(op, a, 0, out, 0, n);
            SCALAR.unary(op, a, 0, expected, 0, n);
            if (op.vectorUlps() > 0) {
                assertWithinUlps(expected, out, op.vectorUlps(), "hot " + op);
            } else {
                KernelAssertions.assertSameBits(expected, out, "hot " + op);
            }
        }
        for (ReduceOp op : new ReduceOp[] {ReduceOp.MAX, ReduceOp.MIN}) {
            KernelAssertions.assertSameBits(new float[] {SCALAR.reduce(op, a, 0, n)}, new float[] {v.reduce(op, a, 0, n)}, "hot " + op);
        }
        assertEquals(SCALAR.argmax(a, 0, n), v.argmax(a, 0, n));
        assertEquals(SCALAR.argmin(b, 0, n), v.argmin(b, 0, n));
    }
}
