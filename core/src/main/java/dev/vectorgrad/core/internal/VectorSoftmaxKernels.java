package dev.vectorgrad.core.internal;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The log-softmax kernels on the Vector API. A slice along the last dim ({@code inner == 1}) is
 * vectorised along itself; a slice along another dim is vectorised across the {@code inner}
 * neighbouring slices, so every load is a contiguous run of one row of the block; leftover floats
 * and leftover columns go to {@link ScalarSoftmaxKernels}.
 *
 * <p>Trick: the maximum, the shifts, the products and the differences are SIMD, while every
 * {@code exp} and {@code log} goes lane by lane through {@code Math.exp}/{@code Math.log} (one
 * stub for every JIT tier, where {@code lanewise(EXP)} rounds otherwise before C2 compiles it)
 * and is added into a double in the slice's element order, the scalar twin's order: so each
 * result has the twin's bits, interpreted or compiled, and a replay equals its eager pass.
 */
final class VectorSoftmaxKernels implements SoftmaxKernels {

    // A static final species is a JIT constant (see VectorKernels): C2 intrinsifies only then.
    private static final VectorSpecies<Float> species = VectorMatmul.S;
    private static final int lanes = species.length();

    /** A vector's lanes for Math.exp/Math.log, and per-lane double sums; one pair per thread. */
    private static final ThreadLocal<float[]> LANES = ThreadLocal.withInitial(() -> new float[lanes]);
    private static final ThreadLocal<double[]> SUMS = ThreadLocal.withInitial(() -> new double[lanes]);

    VectorSoftmaxKernels(VectorSpecies<Float> species) {
        if (!species.equals(VectorSoftmaxKernels.species)) {
            throw new IllegalArgumentException("VectorSoftmaxKernels: the species is fixed at start-up to "
                    + VectorSoftmaxKernels.species + " (vectorgrad.vectorBitSize), got " + species);
        }
    }

    @Override
    public void logSoftmax(float[] x, int xOff, float[] out, int outOff, int outer, int n, int inner) {
        if (n == 0) {
            return;
        }
        if (inner == 1) {
            float[] buf = LANES.get();
            for (int o = 0; o < outer; o++) {
                row(x, xOff + o * n, out, outOff + o * n, n, buf);
            }
            return;
        }
        int bound = species.loopBound(inner);
        for (int o = 0; o < outer; o++) {
            int base = o * n * inner;
            if (bound > 0) {
                columns(x, xOff + base, out, outOff + base, n, inner, bound, false);
            }
            for (int j = bound; j < inner; j++) {
                ScalarSoftmaxKernels.logSoftmaxSlice(x, xOff + base + j, out, outOff + base + j, n, inner);
            }
        }
    }

    @Override
    public void logSumExp(float[] x, int xOff, float[] lse, int lseOff, int outer, int n, int inner) {
        if (inner == 1) {
            float[] buf = LANES.get();
            for (int o = 0; o < outer; o++) {
                float m = rowShift(x, xOff + o * n, n);
                lse[lseOff + o] = rowLogSum(x, xOff + o * n, n, m, buf) + m;
            }
            return;
        }
        int bound = species.loopBound(inner);
        for (int o = 0; o < outer; o++) {
            if (bound > 0) {
                columns(x, xOff + o * n * inner, lse, lseOff + o * inner, n, inner, bound, true);
            }
            for (int j = bound; j < inner; j++) {
                lse[lseOff + o * inner + j] = ScalarSoftmaxKernels.logSumExpSlice(x, xOff + o * n * inner + j, n, inner);
            }
        }
    }

    private static void row(float[] x, int xOff, float[] out, int outOff, int n, float[] buf) {
        int bound = species.loopBound(n);
        float m = rowShift(x, xOff, n);
        float logSum = rowLogSum(x, xOff, n, m, buf);
        for (int i = 0; i < bound; i += lanes) {
            FloatVector.fromArray(species, x, xOff + i).sub(m).sub(logSum).intoArray(out, outOff + i);
        }
        ScalarSoftmaxKernels.writeShifted(x, xOff + bound, out, outOff + bound, n - bound, 1, m, logSum);
    }

    /** A row's shift: its maximum, or 0 when that is infinite. */
    private static float rowShift(float[] x, int xOff, int n) {
        int bound = species.loopBound(n);
        FloatVector mv = FloatVector.broadcast(species, Float.NEGATIVE_INFINITY);
        for (int i = 0; i < bound; i += lanes) {
            mv = mv.lanewise(VectorOperators.MAX, FloatVector.fromArray(species, x, xOff + i));
        }
        // MAX does not depend on the order: the lanes' maximum then the tail's is the twin's maximum.
        return ScalarSoftmaxKernels.shift(ScalarSoftmaxKernels.max(x, xOff + bound, n - bound, 1,
                mv.reduceLanes(VectorOperators.MAX)));
    }

    /** {@code (float) log(sum exp(x - m))} over a row, the exps added in double in element order. */
    private static float rowLogSum(float[] x, int xOff, int n, float m, float[] buf) {
        int bound = species.loopBound(n);
        double sum = 0;
        for (int i = 0; i < bound; i += lanes) {
            FloatVector.fromArray(species, x, xOff + i).sub(m).intoArray(buf, 0);
            sum = addExps(sum, buf);
        }
        sum = ScalarSoftmaxKernels.expSum(x, xOff + bound, n - bound, 1, m, sum);
        return (float) Math.log(sum);
    }

    /**
     * Columns {@code [0, bound)} of one {@code [n, inner]} plane, a vector of columns at a time:
     * their log-softmax into {@code out} laid out as x, or only their log-sum-exp into
     * {@code out[j]} ({@code lseOnly}).
     */
    private static void columns(float[] x, int xOff, float[] out, int outOff, int n, int inner, int bound,
                                boolean lseOnly) {
        float[] buf = LANES.get();
        double[] sums = SUMS.get();
        for (int j = 0; j < bound; j += lanes) {
            FloatVector mv = FloatVector.broadcast(species, Float.NEGATIVE_INFINITY);
            for (int k = 0; k < n; k++) {
                mv = mv.lanewise(VectorOperators.MAX, FloatVector.fromArray(species, x, xOff + k * inner + j));
            }
            mv = mv.blend(0f, mv.abs().eq(Float.POSITIVE_INFINITY));
            java.util.Arrays.fill(sums, 0.0);
            for (int k = 0; k < n; k++) {
                FloatVector.fromArray(species, x, xOff + k * inner + j).sub(mv).intoArray(buf, 0);
                addExpLanes(buf, sums);
            }
            logLanes(sums, buf);
            FloatVector logSum = FloatVector.fromArray(species, buf, 0);
            if (lseOnly) {
                logSum.add(mv).intoArray(out, outOff + j);
                continue;
            }
            for (int k = 0; k < n; k++) {
                FloatVector.fromArray(species, x, xOff + k * inner + j).sub(mv).sub(logSum)
                        .intoArray(out, outOff + k * inner + j);
            }
        }
    }

    @Override
    public void logSoftmaxBackward(float[] g, int gOff, float[] y, int yOff, float[] gx, int gxOff,
                                   int outer, int n, int inner, boolean accumulate) {
        if (n == 0) {
            return;
        }
        if (inner == 1) {
            float[] buf = LANES.get();
            for (int o = 0; o < outer; o++) {
                backwardRow(g, gOff + o * n, y, yOff + o * n, gx, gxOff + o * n, n, accumulate, buf);
            }
            return;
        }
        int bound = species.loopBound(inner);
        for (int o = 0; o < outer; o++) {
            int base = o * n * inner;
            if (bound > 0) {
                backwardColumns(g, gOff + base, y, yOff + base, gx, gxOff + base, n, inner, bound, accumulate);
            }
            for (int j = bound; j < inner; j++) {
                float s = (float) ScalarSoftmaxKernels.sum(g, gOff + base + j, n, inner, 0.0);
                ScalarSoftmaxKernels.writeBackward(g, gOff + base + j, y, yOff + base + j, gx, gxOff + base + j,
                        n, inner, s, accumulate);
            }
        }
    }

    private static void backwardRow(float[] g, int gOff, float[] y, int yOff, float[] gx, int gxOff, int n,
                                    boolean accumulate, float[] buf) {
        // The sum stays a scalar loop in double: the order is the twin's, and it costs far less than the exps.
        float s = (float) ScalarSoftmaxKernels.sum(g, gOff, n, 1, 0.0);
        int bound = species.loopBound(n);
        for (int i = 0; i < bound; i += lanes) {
            FloatVector.fromArray(species, y, yOff + i).intoArray(buf, 0);
            VectorKernels.expLanes(buf, lanes);
            FloatVector e = FloatVector.fromArray(species, buf, 0);
            FloatVector r = FloatVector.fromArray(species, g, gOff + i).sub(e.mul(s));
            if (accumulate) {
                r = FloatVector.fromArray(species, gx, gxOff + i).add(r);
            }
            r.intoArray(gx, gxOff + i);
        }
        ScalarSoftmaxKernels.writeBackward(g, gOff + bound, y, yOff + bound, gx, gxOff + bound, n - bound, 1, s,
                accumulate);
    }

    private static void backwardColumns(float[] g, int gOff, float[] y, int yOff, float[] gx, int gxOff, int n,
                                        int inner, int bound, boolean accumulate) {
        float[] buf = LANES.get();
        double[] sums = SUMS.get();
        for (int j = 0; j < bound; j += lanes) {
            java.util.Arrays.fill(sums, 0.0);
            for (int k = 0; k < n; k++) {
                FloatVector.fromArray(species, g, gOff + k * inner + j).intoArray(buf, 0);
                addLanes(buf, sums);
            }
            roundLanes(sums, buf);
            FloatVector s = FloatVector.fromArray(species, buf, 0);
            for (int k = 0; k < n; k++) {
                int at = k * inner + j;
                FloatVector.fromArray(species, y, yOff + at).intoArray(buf, 0);
                VectorKernels.expLanes(buf, lanes);
                FloatVector e = FloatVector.fromArray(species, buf, 0);
                FloatVector r = FloatVector.fromArray(species, g, gOff + at).sub(e.mul(s));
                if (accumulate) {
                    r = FloatVector.fromArray(species, gx, gxOff + at).add(r);
                }
                r.intoArray(gx, gxOff + at);
            }
        }
    }

    // Float and double arrays only across these calls: a vector passed to a method C2 leaves
    // un-inlined is boxed on the heap (see VectorKernels).

    /** {@code sum} plus {@code (float) exp(buf[l])} for each lane, lane 0 first. */
    private static double addExps(double sum, float[] buf) {
        double s = sum;
        for (int l = 0; l < lanes; l++) {
            s += (float) Math.exp(buf[l]);
        }
        return s;
    }

    /** {@code sums[l] += (float) exp(buf[l])}. */
    private static void addExpLanes(float[] buf, double[] sums) {
        for (int l = 0; l < lanes; l++) {
            sums[l] += (float) Math.exp(buf[l]);
        }
    }

    /** {@code sums[l] += buf[l]}. */
    private static void addLanes(float[] buf, double[] sums) {
        for (int l = 0; l < lanes; l++) {
            sums[l] += buf[l];
        }
    }

    /** {@code buf[l] = (float) log(sums[l])}. */
    private static void logLanes(double[] sums, float[] buf) {
        for (int l = 0; l < lanes; l++) {
            buf[l] = (float) Math.log(sums[l]);
        }
    }

    /** {@code buf[l] = (float) sums[l]}. */
    private static void roundLanes(double[] sums, float[] buf) {
        for (int l = 0; l < lanes; l++) {
            buf[l] = (float) sums[l];
        }
    }

    @Override
    public String describe() {
        return "log-softmax, Vector API, " + lanes + " float lanes";
    }
}
