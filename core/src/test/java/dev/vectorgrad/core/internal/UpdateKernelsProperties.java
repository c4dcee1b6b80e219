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
 * The fused optimiser updates on the Vector API against their scalar twins, which must agree
 * bit for bit (neither uses a fused multiply-add), and the scalar twins against PyTorch's
 * recurrences written out here in double. VectorUpdateKernels is built explicitly, so the
 * comparison also runs in the Surefire run that forces the scalar kernels. Each array sits
 * at its own non-zero offset between sentinels, so a kernel that ignores an offset, or writes
 * past its run, fails.
 */
class UpdateKernelsProperties {

    private static final VectorSpecies<Float> SPECIES = VectorMatmul.S;
    private static final int LANES = SPECIES.length();
    private static final UpdateKernels SCALAR = ScalarUpdateKernels.INSTANCE;
    private static final UpdateKernels VECTOR = new VectorUpdateKernels(SPECIES);
    private static final float SENTINEL = -98765.43f;

    @Provide
    Arbitrary<Integer> sizes() {
        int l = LANES;
        return Arbitraries.of(0, 1, l - 1, l, l + 1, 2 * l + 1, 4 * l + 3, 13, 31, 97, 784, 1021);
    }

    /** {@code n} values at {@code off}, sentinels before and after (three after). */
    private static float[] run(SplittableRandom r, int off, int n, double scale, boolean positive) {
        float[] a = new float[off + n + 3];
        Arrays.fill(a, SENTINEL);
        for (int i = 0; i < n; i++) {
            double x = r.nextInt(8) == 0 ? r.nextInt(-2, 3) : r.nextGaussian() * scale; // some exact zeros
            a[off + i] = (float) (positive ? Math.abs(x) : x);
        }
        return a;
    }

    @Property(tries = 150)
    void sgdIsBitIdenticalToScalarAndMatchesTheDefinition(
            @ForAll("sizes") int n, @ForAll @IntRange(min = 1, max = 9) int off, @ForAll long seed,
            @ForAll boolean l2, @ForAll boolean decoupled) {
        SplittableRandom r = new SplittableRandom(seed);
        float lr = (float) r.nextDouble(1e-3, 0.5);
        float wd = l2 ? (float) r.nextDouble(1e-4, 0.1) : 0f;
        float decay = decoupled ? (float) (1 - lr * r.nextDouble(1e-4, 0.1)) : 1f;
        float[] p = run(r, off, n, 1, false);
        float[] g = run(r, 2 * off + 1, n, 0.1, false);
        float[] pScalar = p.clone();
        float[] pVector = p.clone();
        float[] gCopy = g.clone();
        SCALAR.sgd(pScalar, off, g, 2 * off + 1, n, lr, wd, decay);
        VECTOR.sgd(pVector, off, g, 2 * off + 1, n, lr, wd, decay);
        String what = "sgd n=" + n + " off=" + off + " l2=" + l2 + " decoupled=" + decoupled;
        KernelAssertions.assertSameBits(pScalar, pVector, what);
        KernelAssertions.assertSameBits(gCopy, g, what + ": the gradient is read only");
        KernelAssertions.assertSentinels(SENTINEL, pVector, off, n, what);
        for (int i = 0; i < n; i++) {
            double pi = p[off + i];
            double gi = g[2 * off + 1 + i];
            double d = gi + (double) wd * pi;
            double mag = Math.abs(pi) + lr * (Math.abs(gi) + Math.abs(wd * pi));
            assertWithin(pi * decay - lr * d, pScalar[off + i], 1e-6 * mag, what + " definition at " + i);
        }
    }

    @Property(tries = 200)
    void sgdMomentumIsBitIdenticalToScalarAndMatchesTheDefinition(
            @ForAll("sizes") int n, @ForAll @IntRange(min = 1, max = 9) int off, @ForAll long seed,
            @ForAll boolean l2, @ForAll boolean decoupled, @ForAll boolean nesterov, @ForAll boolean firstStep) {
        SplittableRandom r = new SplittableRandom(seed);
        float lr = (float) r.nextDouble(1e-3, 0.5);
        float mu = (float) r.nextDouble(0.05, 0.99);
        float gradScale = nesterov ? 1f : (float) r.nextDouble(0.2, 1);
        float wd = l2 ? (float) r.nextDouble(1e-4, 0.1) : 0f;
        float decay = decoupled ? (float) (1 - lr * r.nextDouble(1e-4, 0.1)) : 1f;
        float[] p = run(r, off, n, 1, false);
        float[] g = run(r, off + 2, n, 0.1, false);
        float[] buf = run(r, 2 * off, n, 0.1, false);
        if (firstStep) {
            // Whatever an unstarted buffer holds must not matter: put NaNs in it.
            for (int i = 0; i < n; i++) {
                buf[2 * off + i] = Float.NaN;
            }
        }
        float[] pS = p.clone();
        float[] pV = p.clone();
        float[] bS = buf.clone();
        float[] bV = buf.clone();
        SCALAR.sgdMomentum(pS, off, g, off + 2, bS, 2 * off, n, lr, mu, gradScale, nesterov, wd, decay, firstStep);
        VECTOR.sgdMomentum(pV, off, g, off + 2, bV, 2 * off, n, lr, mu, gradScale, nesterov, wd, decay, firstStep);
        String what = "sgdMomentum n=" + n + " off=" + off + " nesterov=" + nesterov + " first=" + firstStep
                + " l2=" + l2 + " decoupled=" + decoupled;
        KernelAssertions.assertSameBits(pS, pV, what + " param");
        KernelAssertions.assertSameBits(bS, bV, what + " buffer");
        KernelAssertions.assertSentinels(SENTINEL, pV, off, n, what + " param");
        KernelAssertions.assertSentinels(SENTINEL, bV, 2 * off, n, what + " buffer");
        for (int i = 0; i < n; i++) {
            double pi = p[off + i];
            double gi = g[off + 2 + i];
            double d = gi + (double) wd * pi;
            double b = firstStep ? d : (double) mu * buf[2 * off + i] + (double) gradScale * d;
            double step = nesterov ? d + mu * b : b;
            double dMag = Math.abs(gi) + Math.abs(wd * pi);
            double bMag = (firstStep ? 0 : Math.abs(mu * buf[2 * off + i])) + dMag;
            double stepMag = nesterov ? dMag + mu * bMag : bMag;
            assertWithin(b, bS[2 * off + i], 1e-6 * bMag, what + " buffer definition at " + i);
            assertWithin(pi * decay - lr * step, pS[off + i], 1e-6 * (Math.abs(pi) + lr * stepMag),
                    what + " param definition at " + i);
        }
    }

    @Property(tries = 200)
    void adamIsBitIdenticalToScalarAndMatchesTheDefinition(
            @ForAll("sizes") int n, @ForAll @IntRange(min = 1, max = 9) int off, @ForAll long seed,
            @ForAll boolean l2, @ForAll boolean decoupled, @ForAll @IntRange(min = 1, max = 5000) int t) {
        SplittableRandom r = new SplittableRandom(seed);
        float lr = (float) r.nextDouble(1e-4, 0.1);
        float b1 = (float) r.nextDouble(0, 0.99);
        float b2 = (float) r.nextDouble(0.5, 0.9999);
        float eps = (float) Math.pow(10, -r.nextInt(4, 9));
        float wd = l2 ? (float) r.nextDouble(1e-4, 0.1) : 0f;
        float decay = decoupled ? (float) (1 - lr * r.nextDouble(1e-4, 0.1)) : 1f;
        float stepSize = (float) (lr / (1 - Math.pow(b1, t)));
        float bc2Sqrt = (float) Math.sqrt(1 - Math.pow(b2, t));
        float c1 = (float) (1.0 - b1);
        float c2 = (float) (1.0 - b2);
        float[] p = run(r, off, n, 1, false);
        float[] g = run(r, off + 1, n, 0.1, false);
        float[] m = run(r, off + 3, n, t == 1 ? 0 : 0.05, false);
        float[] v = run(r, 2 * off, n, t == 1 ? 0 : 0.01, true);
        float[] pS = p.clone();
        float[] pV = p.clone();
        float[] mS = m.clone();
        float[] mV = m.clone();
        float[] vS = v.clone();
        float[] vV = v.clone();
        SCALAR.adam(pS, off, g, off + 1, mS, off + 3, vS, 2 * off, n, c1, b2, c2, eps, stepSize, bc2Sqrt, wd, decay);
        VECTOR.adam(pV, off, g, off + 1, mV, off + 3, vV, 2 * off, n, c1, b2, c2, eps, stepSize, bc2Sqrt, wd, decay);
        String what = "adam n=" + n + " off=" + off + " t=" + t + " l2=" + l2 + " decoupled=" + decoupled;
        KernelAssertions.assertSameBits(pS, pV, what + " param");
        KernelAssertions.assertSameBits(mS, mV, what + " m");
        KernelAssertions.assertSameBits(vS, vV, what + " v");
        KernelAssertions.assertSentinels(SENTINEL, pV, off, n, what + " param");
        KernelAssertions.assertSentinels(SENTINEL, mV, off + 3, n, what + " m");
        KernelAssertions.assertSentinels(SENTINEL, vV, 2 * off, n, what + " v");
        for (int i = 0; i < n; i++) {
            double pi = p[off + i];
            double gi = g[off + 1 + i];
            double m0 = m[off + 3 + i];
            double v0 = v[2 * off + i];
            double d = gi + (double) wd * pi;
            double mi = b1 * m0 + (1 - (double) b1) * d;
            double vi = b2 * v0 + (1 - (double) b2) * d * d;
            double denom = Math.sqrt(vi / (1 - Math.pow(b2, t))) + eps;
            double expected = pi * decay - lr / (1 - Math.pow(b1, t)) * mi / denom;
            // Float rounding is relative to the terms' magnitudes, not to a result that may cancel.
            double dMag = Math.abs(gi) + Math.abs(wd * pi);
            double mMag = Math.abs(m0) + dMag; // the lerp m + (1-b1)(d-m) rounds d-m at |m|+|d|
            double vMag = b2 * v0 + (1 - b2) * dMag * dMag;
            assertWithin(mi, mS[off + 3 + i], 1e-6 * mMag, what + " m definition at " + i);
            assertWithin(vi, vS[2 * off + i], 1e-6 * vMag, what + " v definition at " + i);
            double stepMag = lr / (1 - Math.pow(b1, t)) * mMag / denom;
            // v's rounding, relative to vMag, reaches the step through sqrt(v) in the denominator:
            // large when d cancels (vMag / v is (|g| + |wd*p|)^2 / d^2 at t = 1)
            double denomMag = vi > 0 ? lr / (1 - Math.pow(b1, t)) * Math.abs(mi) / denom * (vMag / vi) : 0;
            assertWithin(expected, pS[off + i], 1e-6 * Math.abs(pi) + 1e-5 * (stepMag + denomMag),
                    what + " param definition at " + i);
        }
    }

    private static void assertWithin(double expected, float actual, double tol, String what) {
        if (!(Math.abs(expected - actual) <= tol + 1e-37)) {
            throw new AssertionError(what + ": expected " + expected + " but was " + actual + " (tolerance " + tol + ")");
        }
    }

    @Example
    void nonFiniteValuesPropagateIdenticallyThroughTheVectorBody() {
        // A NaN or infinite gradient must poison the same elements in both, and only those.
        int n = 4 * LANES + 3;
        float[] p = new float[n];
        float[] g = new float[n];
        for (int i = 0; i < n; i++) {
            p[i] = i * 0.25f - 1;
            g[i] = (i % 3 - 1) * 0.5f;
        }
        g[1] = Float.NaN;
        g[LANES] = Float.POSITIVE_INFINITY;
        g[n - 1] = Float.NEGATIVE_INFINITY;
        float[][] s = {p.clone(), new float[n], new float[n]};
        float[][] v = {p.clone(), new float[n], new float[n]};
        SCALAR.adam(s[0], 0, g, 0, s[1], 0, s[2], 0, n, 0.1f, 0.999f, 0.001f, 1e-8f, 1e-3f, 0.0316f, 0.01f, 0.999f);
        VECTOR.adam(v[0], 0, g, 0, v[1], 0, v[2], 0, n, 0.1f, 0.999f, 0.001f, 1e-8f, 1e-3f, 0.0316f, 0.01f, 0.999f);
        for (int k = 0; k < 3; k++) {
            KernelAssertions.assertSameBits(s[k], v[k], "adam array " + k);
        }
        assertTrue(Float.isNaN(v[0][1]) && Float.isFinite(v[0][0]) && Float.isFinite(v[0][2]));
        float[] ps = p.clone();
        float[] pv = p.clone();
        float[] bs = new float[n];
        float[] bv = new float[n];
        SCALAR.sgdMomentum(ps, 0, g, 0, bs, 0, n, 0.1f, 0.9f, 1f, true, 0f, 1f, false);
        VECTOR.sgdMomentum(pv, 0, g, 0, bv, 0, n, 0.1f, 0.9f, 1f, true, 0f, 1f, false);
        KernelAssertions.assertSameBits(ps, pv, "sgdMomentum param");
        KernelAssertions.assertSameBits(bs, bv, "sgdMomentum buffer");
    }

    @Example
    void zeroWeightDecayLeavesTheGradientUntouched() {
        // PyTorch skips the L2 term when it is 0; adding 0*p instead would turn an infinite
        // parameter's step into NaN and a -0.0 gradient into +0.0.
        for (UpdateKernels k : new UpdateKernels[] {SCALAR, VECTOR}) {
            int n = 2 * LANES + 1;
            float[] p = new float[n];
            Arrays.fill(p, Float.POSITIVE_INFINITY);
            float[] g = new float[n];
            Arrays.fill(g, 1f);
            k.sgd(p, 0, g, 0, n, 0.5f, 0f, 1f);
            for (float x : p) {
                assertEquals(Float.POSITIVE_INFINITY, x, k.describe());
            }
            float[] q = new float[n];
            float[] gz = new float[n];
            Arrays.fill(gz, -0f);
            float[] buf = new float[n];
            k.sgdMomentum(q, 0, gz, 0, buf, 0, n, 0.5f, 0.9f, 1f, false, 0f, 1f, true);
            for (float x : buf) {
                assertEquals(Float.floatToIntBits(-0f), Float.floatToIntBits(x), k.describe() + ": buffer = -0.0 gradient");
            }
        }
    }

    /**
     * After the kernels run hot: the Vector API becomes SIMD instructions only once C2
     * compiles the caller, and the short properties above mostly exercise the Java fallback.
     */
    @Example
    void agreeWhenCompiledByC2() {
        int n = 8 * LANES + 5;
        SplittableRandom r = new SplittableRandom(7);
        float[] p = run(r, 0, n, 1, false);
        float[] g = run(r, 0, n, 0.1, false);
        float[][] vs = {p.clone(), new float[n + 3], new float[n + 3], p.clone(), new float[n + 3]};
        float[][] ss = {p.clone(), new float[n + 3], new float[n + 3], p.clone(), new float[n + 3]};
        for (int iter = 1; iter <= 20_000; iter++) {
            float stepSize = (float) (1e-3 / (1 - Math.pow(0.9, iter)));
            float bc2 = (float) Math.sqrt(1 - Math.pow(0.999, iter));
            VECTOR.adam(vs[0], 0, g, 0, vs[1], 0, vs[2], 0, n, 0.1f, 0.999f, 0.001f, 1e-8f, stepSize, bc2, 1e-4f, 0.9999f);
            VECTOR.sgdMomentum(vs[3], 0, g, 0, vs[4], 0, n, 1e-3f, 0.9f, 1f, iter % 2 == 0, 1e-4f, 0.9999f, iter == 1);
            VECTOR.sgd(vs[3], 0, g, 0, n, 1e-3f, 0f, 1f);
            SCALAR.adam(ss[0], 0, g, 0, ss[1], 0, ss[2], 0, n, 0.1f, 0.999f, 0.001f, 1e-8f, stepSize, bc2, 1e-4f, 0.9999f);
            SCALAR.sgdMomentum(ss[3], 0, g, 0, ss[4], 0, n, 1e-3f, 0.9f, 1f, iter % 2 == 0, 1e-4f, 0.9999f, iter == 1);
            SCALAR.sgd(ss[3], 0, g, 0, n, 1e-3f, 0f, 1f);
        }
        for (int k = 0; k < vs.length; k++) {
            KernelAssertions.assertSameBits(ss[k], vs[k], "hot, array " + k);
        }
    }

    @Example
    void describeNamesTheImplementation() {
        assertTrue(VECTOR.describe().contains(LANES + " float lanes"), VECTOR.describe());
        assertTrue(SCALAR.describe().contains("scalar"), SCALAR.describe());
    }
}
