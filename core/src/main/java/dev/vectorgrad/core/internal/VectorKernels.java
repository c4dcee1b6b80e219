package dev.vectorgrad.core.internal;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The elementwise and reduction kernels on the Vector API. Each loop runs whole vectors up to
 * {@code species.loopBound(n)} and hands the tail to {@link ScalarKernels}, so there are no
 * masked loads (slow without AVX-512) and the scalar twin stays the definition.
 */
final class VectorKernels implements FloatKernels {

    // A static final species is a JIT constant; one read from an instance field is not, and
    // then C2 may fail to intrinsify the vector operations (boxing every vector on the heap).
    private static final VectorSpecies<Float> species = VectorMatmul.S;
    private static final int lanes = species.length();

    private final boolean fastFma;
    private final ScalarKernels tail = ScalarKernels.INSTANCE;

    VectorKernels(VectorSpecies<Float> species, boolean fastFma) {
        if (!species.equals(VectorKernels.species)) {
            throw new IllegalArgumentException("VectorKernels: the species is fixed at start-up to "
                    + VectorKernels.species + " (vectorgrad.vectorBitSize), got " + species);
        }
        this.fastFma = fastFma;
    }

    /*
     * Each loop switches on the operator inside its own body, with literal operators in every
     * case (the JIT intrinsifies only constant operators). No vector crosses a method call:
     * a shared helper taking and returning FloatVectors, once every op had made it hot, was
     * compiled on its own, too big to inline, and then every vector passed to it was boxed on
     * the heap (mulInPlace(float) on [50, 784] allocated 470 KB a call). Broadcasts sit inside
     * the loops too (C2 hoists them), so a run shorter than a vector creates no vector at all.
     */

    @Override
    public void binary(BinaryOp op, float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, int n) {
        if (op == BinaryOp.POW) {
            // VectorOperators.POW has no fast intrinsic on every CPU, and the scalar twin
            // special-cases squares; stay exactly equal to it.
            tail.binary(op, a, aOff, b, bOff, out, outOff, n);
            return;
        }
        int i = 0;
        int bound = species.loopBound(n);
        for (; i < bound; i += lanes) {
            FloatVector x = FloatVector.fromArray(species, a, aOff + i);
            FloatVector y = FloatVector.fromArray(species, b, bOff + i);
            FloatVector r = switch (op) {
                case ADD -> x.add(y);
                case SUB -> x.sub(y);
                case MUL -> x.mul(y);
                case DIV -> x.div(y);
                case MAX -> x.lanewise(VectorOperators.MAX, y);
                case MIN -> x.lanewise(VectorOperators.MIN, y);
                case POW -> throw new AssertionError("POW takes the scalar loop");
                case GT -> FloatVector.zero(species).blend(1f, x.compare(VectorOperators.GT, y));
                case GE -> FloatVector.zero(species).blend(1f, x.compare(VectorOperators.GE, y));
                case LT -> FloatVector.zero(species).blend(1f, x.compare(VectorOperators.LT, y));
                case LE -> FloatVector.zero(species).blend(1f, x.compare(VectorOperators.LE, y));
                case EQ -> FloatVector.zero(species).blend(1f, x.compare(VectorOperators.EQ, y));
                case NE -> FloatVector.zero(species).blend(1f, x.compare(VectorOperators.NE, y));
            };
            r.intoArray(out, outOff + i);
        }
        tail.binary(op, a, aOff + i, b, bOff + i, out, outOff + i, n - i);
    }

    @Override
    public void binaryScalarRight(BinaryOp op, float[] a, int aOff, float s, float[] out, int outOff, int n) {
        if (op == BinaryOp.POW) {
            tail.binaryScalarRight(op, a, aOff, s, out, outOff, n);
            return;
        }
        int i = 0;
        int bound = species.loopBound(n);
        for (; i < bound; i += lanes) {
            FloatVector x = FloatVector.fromArray(species, a, aOff + i);
            FloatVector y = FloatVector.broadcast(species, s);
            FloatVector r = switch (op) {
                case ADD -> x.add(y);
                case SUB -> x.sub(y);
                case MUL -> x.mul(y);
                case DIV -> x.div(y);
                case MAX -> x.lanewise(VectorOperators.MAX, y);
                case MIN -> x.lanewise(VectorOperators.MIN, y);
                case POW -> throw new AssertionError("POW takes the scalar loop");
                case GT -> FloatVector.zero(species).blend(1f, x.compare(VectorOperators.GT, y));
                case GE -> FloatVector.zero(species).blend(1f, x.compare(VectorOperators.GE, y));
                case LT -> FloatVector.zero(species).blend(1f, x.compare(VectorOperators.LT, y));
                case LE -> FloatVector.zero(species).blend(1f, x.compare(VectorOperators.LE, y));
                case EQ -> FloatVector.zero(species).blend(1f, x.compare(VectorOperators.EQ, y));
                case NE -> FloatVector.zero(species).blend(1f, x.compare(VectorOperators.NE, y));
            };
            r.intoArray(out, outOff + i);
        }
        tail.binaryScalarRight(op, a, aOff + i, s, out, outOff + i, n - i);
    }

    @Override
    public void binaryScalarLeft(BinaryOp op, float s, float[] b, int bOff, float[] out, int outOff, int n) {
        if (op == BinaryOp.POW) {
            tail.binaryScalarLeft(op, s, b, bOff, out, outOff, n);
            return;
        }
        int i = 0;
        int bound = species.loopBound(n);
        for (; i < bound; i += lanes) {
            FloatVector x = FloatVector.broadcast(species, s);
            FloatVector y = FloatVector.fromArray(species, b, bOff + i);
            FloatVector r = switch (op) {
                case ADD -> x.add(y);
                case SUB -> x.sub(y);
                case MUL -> x.mul(y);
                case DIV -> x.div(y);
                case MAX -> x.lanewise(VectorOperators.MAX, y);
                case MIN -> x.lanewise(VectorOperators.MIN, y);
                case POW -> throw new AssertionError("POW takes the scalar loop");
                case GT -> FloatVector.zero(species).blend(1f, x.compare(VectorOperators.GT, y));
                case GE -> FloatVector.zero(species).blend(1f, x.compare(VectorOperators.GE, y));
                case LT -> FloatVector.zero(species).blend(1f, x.compare(VectorOperators.LT, y));
                case LE -> FloatVector.zero(species).blend(1f, x.compare(VectorOperators.LE, y));
                case EQ -> FloatVector.zero(species).blend(1f, x.compare(VectorOperators.EQ, y));
                case NE -> FloatVector.zero(species).blend(1f, x.compare(VectorOperators.NE, y));
            };
            r.intoArray(out, outOff + i);
        }
        tail.binaryScalarLeft(op, s, b, bOff + i, out, outOff + i, n - i);
    }

    @Override
    public void unary(UnaryOp op, float[] a, int aOff, float[] out, int outOff, int n) {
        switch (op) {
            case TANH, SIGMOID, GELU, GELU_TANH, LOG1P, EXPM1 -> {
                activation(op, a, aOff, out, outOff, n);
                return;
            }
            case EXP, LOG -> {
                // Math.exp and Math.log, not lanewise(EXP/LOG): C2 compiles those to SVML while the
                // interpreter and C1 round differently, so results changed once the JIT got here.
                tail.unary(op, a, aOff, out, outOff, n);
                return;
            }
            default -> { }
        }
        int i = 0;
        int bound = species.loopBound(n);
        for (; i < bound; i += lanes) {
            FloatVector x = FloatVector.fromArray(species, a, aOff + i);
            FloatVector r = switch (op) {
                case NEG -> x.neg();
                case ABS -> x.abs();
                case SQRT -> x.sqrt();
                case RELU -> x.lanewise(VectorOperators.MAX, 0f);
                case EXP, LOG, TANH, SIGMOID, GELU, GELU_TANH, LOG1P, EXPM1 -> throw new AssertionError(op + " has its own loop");
            };
            r.intoArray(out, outOff + i);
        }
        tail.unary(op, a, aOff + i, out, outOff + i, n - i);
    }

    /*
     * The smooth activations. Each has its own loop in its own method, so the unary loop above
     * stays small enough for C2 to compile with every vector in registers; each evaluates the
     * scalar definition (UnaryOp.apply) with the same float operations in the same order and
     * Math's own exp (see exp() below), so sigmoid and gelu give the twin's bits; tanh, log1p and
     * expm1 are built from exp and log below (within a few ulps of Math's).
     */
    private void activation(UnaryOp op, float[] a, int aOff, float[] out, int outOff, int n) {
        int bound = species.loopBound(n);
        switch (op) {
            case TANH -> tanh(a, aOff, out, outOff, bound);
            case LOG1P -> log1p(a, aOff, out, outOff, bound);
            case EXPM1 -> expm1(a, aOff, out, outOff, bound);
            case SIGMOID -> sigmoid(a, aOff, out, outOff, bound);
            case GELU -> gelu(a, aOff, out, outOff, bound);
            case GELU_TANH -> geluTanh(a, aOff, out, outOff, bound);
            default -> throw new AssertionError(op);
        }
        tail.unary(op, a, aOff + bound, out, outOff + bound, n - bound);
    }

    /** Room for three vectors' lanes for {@link #expLanes} and {@link #logLanes}, one array per thread. */
    private static final ThreadLocal<float[]> MATH_LANES = ThreadLocal.withInitial(() -> new float[3 * lanes]);

    /** One vector's lanes for {@link #sumLanes} in {@link #reduce}, one array per thread (a new one cost 48 B a call). */
    private static final ThreadLocal<float[]> SUM_LANES = ThreadLocal.withInitial(() -> new float[lanes]);

    /*
     * Trick: e^x and log x lane by lane through Math.exp and Math.log, the scalar twin's calls,
     * not lanewise(EXP/LOG): C2 compiles those to SVML while the interpreter and C1 run a per-lane
     * fallback that rounds otherwise, so a kernel returned other bits before and after the JIT
     * reached it (a replay could differ from its eager pass). Math's intrinsics are one stub for
     * every tier, so the rest of the kernel stays SIMD and the results stay the same bits. The
     * lanes go through a per-thread float array and these float-only helpers: as above, no
     * vector may cross a call (a first version's exp(FloatVector) helper made gelu box 627 KB of
     * vectors a call).
     */

    /**
     * {@code buf[i] = e^buf[i]} for {@code i < n}; floats only, so nothing is boxed if C2 does not
     * inline it. Shared with {@link VectorSoftmaxKernels}.
     */
    static void expLanes(float[] buf, int n) {
        for (int l = 0; l < n; l++) {
            buf[l] = (float) Math.exp(buf[l]);
        }
    }

    /** {@code buf[i] = log(buf[i])} for {@code i < n}, as {@link #expLanes}. */
    private static void logLanes(float[] buf, int n) {
        for (int l = 0; l < n; l++) {
            buf[l] = (float) Math.log(buf[l]);
        }
    }

    /*
     * The Vector API's own TANH, LOG1P and EXPM1 have no intrinsic on x86 in JDK 25: they run
     * lane by lane, slower than the scalar loop (a probe: 270 us against 20 us for EXP over 16 K
     * floats). So these three are built from exp and log with the classic tricks that keep
     * accuracy near 0, where 1 + x and e^x - 1 cancel.
     */

    // Trick (Goldberg): log1p(x) = log(w) * (x / (w - 1)) with w = 1 + x rounded; the quotient
    // corrects the rounding of w. w == 1 means |x| is below half an ulp of 1: log1p(x) = x.
    private static void log1p(float[] a, int aOff, float[] out, int outOff, int bound) {
        float[] buf = MATH_LANES.get();
        for (int i = 0; i < bound; i += lanes) {
            FloatVector x = FloatVector.fromArray(species, a, aOff + i);
            FloatVector w = x.add(1f);
            w.intoArray(buf, 0);
            logLanes(buf, lanes);
            FloatVector logW = FloatVector.fromArray(species, buf, 0);
            FloatVector r = logW.mul(x.div(w.sub(1f)));
            r = r.blend(x, w.eq(1f).or(x.eq(Float.POSITIVE_INFINITY)));
            r.intoArray(out, outOff + i);
        }
    }

    // Trick (Kahan): expm1(x) = (u - 1) * (x / log(u)) with u = e^x rounded; the quotient
    // corrects the rounding of u. u == 1: expm1(x) = x; u - 1 == -1: -1; u infinite: infinite.
    private static void expm1(float[] a, int aOff, float[] out, int outOff, int bound) {
        float[] buf = MATH_LANES.get();
        for (int i = 0; i < bound; i += lanes) {
            FloatVector x = FloatVector.fromArray(species, a, aOff + i);
            x.intoArray(buf, 0);
            expLanes(buf, lanes);
            FloatVector u = FloatVector.fromArray(species, buf, 0);
            FloatVector um1 = u.sub(1f);
            u.intoArray(buf, 0);
            logLanes(buf, lanes);
            FloatVector logU = FloatVector.fromArray(species, buf, 0);
            FloatVector r = um1.mul(x.div(logU));
            r = r.blend(x, u.eq(1f));
            r = r.blend(-1f, um1.eq(-1f));
            r = r.blend(u, u.eq(Float.POSITIVE_INFINITY));
            r.intoArray(out, outOff + i);
        }
    }

    // Trick: tanh|x| = -t / (t + 2) with t = expm1(-2|x|) (Kahan's form, as above), which never
    // overflows and keeps full accuracy for small |x|; the sign bit of x is put back last, so -0
    // stays -0 and a NaN stays NaN.
    private static void tanh(float[] a, int aOff, float[] out, int outOff, int bound) {
        float[] buf = MATH_LANES.get();
        for (int i = 0; i < bound; i += lanes) {
            FloatVector x = FloatVector.fromArray(species, a, aOff + i);
            FloatVector y = x.abs().mul(-2f);
            y.intoArray(buf, 0);
            expLanes(buf, lanes);
            FloatVector u = FloatVector.fromArray(species, buf, 0);
            FloatVector um1 = u.sub(1f);
            u.intoArray(buf, 0);
            logLanes(buf, lanes);
            FloatVector logU = FloatVector.fromArray(species, buf, 0);
            FloatVector t = um1.mul(y.div(logU));
            t = t.blend(y, u.eq(1f));
            t = t.blend(-1f, um1.eq(-1f));
            FloatVector r = t.neg().div(t.add(2f));
            r.blend(r.neg(), x.reinterpretAsInts().compare(VectorOperators.LT, 0).cast(species))
                    .intoArray(out, outOff + i);
        }
    }

    // Trick: 1 / (1 + e^-x) saturates to exactly 0 or 1 (e^-x is inf or 0), so no branch is needed.
    private static void sigmoid(float[] a, int aOff, float[] out, int outOff, int bound) {
        float[] buf = MATH_LANES.get();
        for (int i = 0; i < bound; i += lanes) {
            FloatVector x = FloatVector.fromArray(species, a, aOff + i);
            x.neg().intoArray(buf, 0);
            expLanes(buf, lanes);
            FloatVector e = FloatVector.fromArray(species, buf, 0);
            FloatVector.broadcast(species, 1f).div(e.add(1f)).intoArray(out, outOff + i);
        }
    }

    // Trick: erfc of |x| / sqrt 2 by a degree-9 polynomial and two exps (the exact -xh^2/2 and a
    // small rest, see UnaryOp.normalCdf) for every lane, then a blend picks erfc/2 (x < 0) or
    // 1 - erfc/2; no lane branches.
    private static void gelu(float[] a, int aOff, float[] out, int outOff, int bound) {
        float[] buf = MATH_LANES.get();
        for (int i = 0; i < bound; i += lanes) {
            FloatVector x = FloatVector.fromArray(species, a, aOff + i);
            FloatVector ax = x.abs();
            FloatVector z = ax.mul(UnaryOp.INV_SQRT2);
            FloatVector t = FloatVector.broadcast(species, 1f).div(z.mul(0.5f).add(1f));
            FloatVector p = t.mul(0.17087277f).add(-0.82215223f);
            p = t.mul(p).add(1.48851587f);
            p = t.mul(p).add(-1.13520398f);
            p = t.mul(p).add(0.27886807f);
            p = t.mul(p).add(-0.18628806f);
            p = t.mul(p).add(0.09678418f);
            p = t.mul(p).add(0.37409196f);
            p = t.mul(p).add(1.00002368f);
            p = t.mul(p).add(-1.26551223f);
            FloatVector xh = ax.reinterpretAsInts().and(UnaryOp.SPLIT_MASK).reinterpretAsFloats();
            // Both exponents through one scalar call: a vector crosses no call C2 may leave un-inlined.
            xh.mul(xh).mul(-0.5f).intoArray(buf, 0);
            xh.sub(ax).mul(xh.add(ax)).mul(0.5f).add(p).intoArray(buf, lanes);
            expLanes(buf, 2 * lanes);
            FloatVector e = FloatVector.fromArray(species, buf, 0).mul(FloatVector.fromArray(species, buf, lanes));
            FloatVector half = t.mul(0.5f).mul(e);
            FloatVector cdf = FloatVector.broadcast(species, 1f).sub(half).blend(half, x.compare(VectorOperators.LT, 0f));
            x.mul(cdf).intoArray(out, outOff + i);
        }
    }

    private static void geluTanh(float[] a, int aOff, float[] out, int outOff, int bound) {
        float[] buf = MATH_LANES.get();
        for (int i = 0; i < bound; i += lanes) {
            FloatVector x = FloatVector.fromArray(species, a, aOff + i);
            FloatVector u = x.add(x.mul(x).mul(x).mul(UnaryOp.GELU_CUBIC)).mul(UnaryOp.SQRT_2_OVER_PI);
            u.mul(-2f).intoArray(buf, 0);
            expLanes(buf, lanes);
            FloatVector e = FloatVector.fromArray(species, buf, 0);
            x.div(e.add(1f)).intoArray(out, outOff + i);
        }
    }

    @Override
    public void unaryParam(UnaryParamOp op, float pa, float pb, float[] a, int aOff, float[] out, int outOff, int n) {
        int bound = species.loopBound(n);
        switch (op) {
            case LEAKY_RELU -> {
                // Trick: a blend on x > 0 rather than max(x, a x), which is wrong for a slope above 1.
                for (int i = 0; i < bound; i += lanes) {
                    FloatVector x = FloatVector.fromArray(species, a, aOff + i);
                    x.mul(pa).blend(x, x.compare(VectorOperators.GT, 0f)).intoArray(out, outOff + i);
                }
            }
            case SOFTPLUS -> softplus(pa, pb, a, aOff, out, outOff, bound);
        }
        tail.unaryParam(op, pa, pb, a, aOff + bound, out, outOff + bound, n - bound);
    }

    private static void softplus(float beta, float threshold, float[] a, int aOff, float[] out, int outOff, int bound) {
        float[] buf = MATH_LANES.get();
        for (int i = 0; i < bound; i += lanes) {
            FloatVector x = FloatVector.fromArray(species, a, aOff + i);
            FloatVector bx = x.mul(beta);
            bx.intoArray(buf, 0);
            expLanes(buf, lanes);
            FloatVector u = FloatVector.fromArray(species, buf, 0);
            FloatVector w = u.add(1f);
            w.intoArray(buf, 0);
            logLanes(buf, lanes);
            FloatVector logW = FloatVector.fromArray(species, buf, 0);
            FloatVector lg = logW.mul(u.div(w.sub(1f))); // log1p(u), as in log1p()
            lg = lg.blend(u, w.eq(1f).or(u.eq(Float.POSITIVE_INFINITY)));
            FloatVector soft = lg.div(beta);
            soft.blend(x, bx.compare(VectorOperators.GT, threshold)).intoArray(out, outOff + i);
        }
    }

    @Override
    public void unaryBackward(UnaryGradOp op, float pa, float pb, float[] g, int gOff, float[] s, int sOff,
                              float[] out, int outOff, int n, boolean accumulate) {
        int bound = species.loopBound(n);
        switch (op) {
            case TANH, SIGMOID, LEAKY_RELU, LOG1P, EXPM1, CLAMP_MIN ->
                    simpleBackward(op, pa, g, gOff, s, sOff, out, outOff, bound, accumulate);
            case GELU -> geluBackward(g, gOff, s, sOff, out, outOff, bound, accumulate);
            case GELU_TANH -> geluTanhBackward(g, gOff, s, sOff, out, outOff, bound, accumulate);
            case SOFTPLUS -> softplusBackward(pa, pb, g, gOff, s, sOff, out, outOff, bound, accumulate);
        }
        tail.unaryBackward(op, pa, pb, g, gOff + bound, s, sOff + bound, out, outOff + bound, n - bound, accumulate);
    }

    /** The backward rules of plain float arithmetic: bit for bit the scalar twin's. */
    private static void simpleBackward(UnaryGradOp op, float pa, float[] g, int gOff, float[] s, int sOff,
                                       float[] out, int outOff, int bound, boolean accumulate) {
        for (int i = 0; i < bound; i += lanes) {
            FloatVector gv = FloatVector.fromArray(species, g, gOff + i);
            FloatVector sv = FloatVector.fromArray(species, s, sOff + i);
            FloatVector r = switch (op) {
                case TANH -> gv.mul(FloatVector.broadcast(species, 1f).sub(sv.mul(sv)));
                case SIGMOID -> gv.mul(FloatVector.broadcast(species, 1f).sub(sv).mul(sv));
                case LEAKY_RELU -> gv.mul(pa).blend(gv, sv.compare(VectorOperators.GT, 0f));
                case LOG1P -> gv.div(sv.add(1f));
                case EXPM1 -> gv.mul(sv.add(1f));
                case CLAMP_MIN -> FloatVector.zero(species).blend(1f, sv.compare(VectorOperators.GE, pa)).mul(gv);
                default -> throw new AssertionError(op);
            };
            if (accumulate) {
                r = FloatVector.fromArray(species, out, outOff + i).add(r);
            }
            r.intoArray(out, outOff + i);
        }
    }

    private static void geluBackward(float[] g, int gOff, float[] s, int sOff,
                                     float[] out, int outOff, int bound, boolean accumulate) {
        float[] buf = MATH_LANES.get();
        for (int i = 0; i < bound; i += lanes) {
            FloatVector x = FloatVector.fromArray(species, s, sOff + i);
            FloatVector ax = x.abs();
            FloatVector z = ax.mul(UnaryOp.INV_SQRT2);
            FloatVector t = FloatVector.broadcast(species, 1f).div(z.mul(0.5f).add(1f));
            FloatVector p = t.mul(0.17087277f).add(-0.82215223f);
            p = t.mul(p).add(1.48851587f);
            p = t.mul(p).add(-1.13520398f);
            p = t.mul(p).add(0.27886807f);
            p = t.mul(p).add(-0.18628806f);
            p = t.mul(p).add(0.09678418f);
            p = t.mul(p).add(0.37409196f);
            p = t.mul(p).add(1.00002368f);
            p = t.mul(p).add(-1.26551223f);
            FloatVector xh = ax.reinterpretAsInts().and(UnaryOp.SPLIT_MASK).reinterpretAsFloats();
            // The three exponents through one scalar call: a vector crosses no call C2 may leave un-inlined.
            xh.mul(xh).mul(-0.5f).intoArray(buf, 0);
            xh.sub(ax).mul(xh.add(ax)).mul(0.5f).add(p).intoArray(buf, lanes);
            x.mul(x).mul(-0.5f).intoArray(buf, 2 * lanes);
            expLanes(buf, 3 * lanes);
            FloatVector e = FloatVector.fromArray(species, buf, 0).mul(FloatVector.fromArray(species, buf, lanes));
            FloatVector half = t.mul(0.5f).mul(e);
            FloatVector cdf = FloatVector.broadcast(species, 1f).sub(half).blend(half, x.compare(VectorOperators.LT, 0f));
            FloatVector pdf = FloatVector.fromArray(species, buf, 2 * lanes).mul(UnaryOp.INV_SQRT_2PI);
            FloatVector r = FloatVector.fromArray(species, g, gOff + i).mul(cdf.add(x.mul(pdf)));
            if (accumulate) {
                r = FloatVector.fromArray(species, out, outOff + i).add(r);
            }
            r.intoArray(out, outOff + i);
        }
    }

    private static void geluTanhBackward(float[] g, int gOff, float[] s, int sOff,
                                         float[] out, int outOff, int bound, boolean accumulate) {
        float[] buf = MATH_LANES.get();
        for (int i = 0; i < bound; i += lanes) {
            FloatVector x = FloatVector.fromArray(species, s, sOff + i);
            FloatVector x2 = x.mul(x);
            FloatVector u = x.add(x2.mul(x).mul(UnaryOp.GELU_CUBIC)).mul(UnaryOp.SQRT_2_OVER_PI);
            FloatVector one = FloatVector.broadcast(species, 1f);
            u.mul(-2f).intoArray(buf, 0);
            expLanes(buf, lanes);
            FloatVector e = FloatVector.fromArray(species, buf, 0);
            FloatVector sig = one.div(e.add(1f));
            FloatVector du = x2.mul(3f * UnaryOp.GELU_CUBIC).add(1f).mul(UnaryOp.SQRT_2_OVER_PI);
            FloatVector d = sig.add(x.mul(sig.mul(one.sub(sig))).mul(du.mul(2f)));
            FloatVector r = FloatVector.fromArray(species, g, gOff + i).mul(d);
            if (accumulate) {
                r = FloatVector.fromArray(species, out, outOff + i).add(r);
            }
            r.intoArray(out, outOff + i);
        }
    }

    private static void softplusBackward(float beta, float threshold, float[] g, int gOff, float[] s, int sOff,
                                         float[] out, int outOff, int bound, boolean accumulate) {
        float[] buf = MATH_LANES.get();
        for (int i = 0; i < bound; i += lanes) {
            FloatVector bx = FloatVector.fromArray(species, s, sOff + i).mul(beta);
            FloatVector gv = FloatVector.fromArray(species, g, gOff + i);
            bx.neg().intoArray(buf, 0);
            expLanes(buf, lanes);
            FloatVector e = FloatVector.fromArray(species, buf, 0);
            FloatVector sig = FloatVector.broadcast(species, 1f).div(e.add(1f));
            FloatVector r = gv.mul(sig).blend(gv, bx.compare(VectorOperators.GT, threshold));
            if (accumulate) {
                r = FloatVector.fromArray(species, out, outOff + i).add(r);
            }
            r.intoArray(out, outOff + i);
        }
    }

    @Override
    public void addScaled(float[] dst, int dstOff, float alpha, float[] src, int srcOff, int n) {
        int i = 0;
        int bound = species.loopBound(n);
        for (; i < bound; i += lanes) {
            FloatVector va = FloatVector.broadcast(species, alpha);
            FloatVector d = FloatVector.fromArray(species, dst, dstOff + i);
            FloatVector s = FloatVector.fromArray(species, src, srcOff + i);
            // Without hardware FMA, fma() is emulated per lane and is far slower than mul+add.
            (fastFma ? s.fma(va, d) : s.mul(va).add(d)).intoArray(dst, dstOff + i);
        }
        tail.addScaled(dst, dstOff + i, alpha, src, srcOff + i, n - i);
    }

    @Override
    public float reduce(ReduceOp op, float[] a, int off, int n) {
        // One loop per operation, each written out: a shared fold(op, acc, x) helper, whenever C2
        // did not inline it, boxed every vector crossing it (hundreds of bytes to kilobytes a call).
        return switch (op) {
            case SUM -> sum(a, off, n);
            case MAX -> max(a, off, n);
            case MIN -> min(a, off, n);
        };
    }

    /** Four independent accumulators hide the add latency; the lanes are summed once, in lane order. */
    private float sum(float[] a, int off, int n) {
        FloatVector acc0 = FloatVector.zero(species);
        FloatVector acc1 = acc0;
        FloatVector acc2 = acc0;
        FloatVector acc3 = acc0;
        int i = 0;
        int bound4 = n - n % (4 * lanes);
        for (; i < bound4; i += 4 * lanes) {
            acc0 = acc0.add(FloatVector.fromArray(species, a, off + i));
            acc1 = acc1.add(FloatVector.fromArray(species, a, off + i + lanes));
            acc2 = acc2.add(FloatVector.fromArray(species, a, off + i + 2 * lanes));
            acc3 = acc3.add(FloatVector.fromArray(species, a, off + i + 3 * lanes));
        }
        int bound = species.loopBound(n);
        for (; i < bound; i += lanes) {
            acc0 = acc0.add(FloatVector.fromArray(species, a, off + i));
        }
        float result = sumLanes(acc0.add(acc1).add(acc2.add(acc3)), SUM_LANES.get());
        return result + tail.reduce(ReduceOp.SUM, a, off + i, n - i);
    }

    /** As {@link #sum}, with the lanes' maximum (order-free, so reduceLanes may take it). */
    private float max(float[] a, int off, int n) {
        FloatVector acc0 = FloatVector.broadcast(species, Float.NEGATIVE_INFINITY);
        FloatVector acc1 = acc0;
        int i = 0;
        int bound2 = n - n % (2 * lanes);
        for (; i < bound2; i += 2 * lanes) {
            acc0 = acc0.max(FloatVector.fromArray(species, a, off + i));
            acc1 = acc1.max(FloatVector.fromArray(species, a, off + i + lanes));
        }
        int bound = species.loopBound(n);
        for (; i < bound; i += lanes) {
            acc0 = acc0.max(FloatVector.fromArray(species, a, off + i));
        }
        float result = acc0.max(acc1).reduceLanes(VectorOperators.MAX);
        return Math.max(result, tail.reduce(ReduceOp.MAX, a, off + i, n - i));
    }

    /** As {@link #max}, for the minimum. */
    private float min(float[] a, int off, int n) {
        FloatVector acc0 = FloatVector.broadcast(species, Float.POSITIVE_INFINITY);
        FloatVector acc1 = acc0;
        int i = 0;
        int bound2 = n - n % (2 * lanes);
        for (; i < bound2; i += 2 * lanes) {
            acc0 = acc0.min(FloatVector.fromArray(species, a, off + i));
            acc1 = acc1.min(FloatVector.fromArray(species, a, off + i + lanes));
        }
        int bound = species.loopBound(n);
        for (; i < bound; i += lanes) {
            acc0 = acc0.min(FloatVector.fromArray(species, a, off + i));
        }
        float result = acc0.min(acc1).reduceLanes(VectorOperators.MIN);
        return Math.min(result, tail.reduce(ReduceOp.MIN, a, off + i, n - i));
    }

    /**
     * The sum of a vector's lanes, lane 0 first, through {@code buf} (at least a vector long).
     * Not {@code reduceLanes(ADD)}: its order is unspecified, and C2's intrinsic adds in a tree
     * while the interpreted code adds in lane order, so one call gave different bits before and
     * after the method was compiled (seen in the lesson's gradients: 0 or 2^-18 from run to run).
     * MAX and MIN do not depend on the order.
     */
    static float sumLanes(FloatVector v, float[] buf) {
        v.intoArray(buf, 0);
        float sum = buf[0];
        for (int i = 1; i < v.length(); i++) {
            sum += buf[i];
        }
        return sum;
    }

    @Override
    public int argmax(float[] a, int off, int n) {
        return firstIndexOf(a, off, n, reduce(ReduceOp.MAX, a, off, n));
    }

    @Override
    public int argmin(float[] a, int off, int n) {
        return firstIndexOf(a, off, n, reduce(ReduceOp.MIN, a, off, n));
    }

    /** Two passes (find the extreme, then its first position) beat tracking indices per lane. */
    private int firstIndexOf(float[] a, int off, int n, float target) {
        if (n == 0) {
            return -1;
        }
        if (Float.isNaN(target)) {
            for (int i = 0; i < n; i++) {
                if (Float.isNaN(a[off + i])) {
                    return i;
                }
            }
        }
        int i = 0;
        int bound = species.loopBound(n);
        for (; i < bound; i += lanes) {
            VectorMask<Float> hit = FloatVector.fromArray(species, a, off + i).eq(target);
            if (hit.anyTrue()) {
                return i + hit.firstTrue();
            }
        }
        for (; i < n; i++) {
            if (a[off + i] == target) {
                return i;
            }
        }
        return -1; // unreachable: target came from the same run
    }

    @Override
    public String describe() {
        return "Vector API, " + species.vectorBitSize() + " bits, " + lanes + " float lanes, "
                + (fastFma ? "FMA" : "no FMA");
    }
}
