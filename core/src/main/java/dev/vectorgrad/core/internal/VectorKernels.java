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
        int i = 0;
        int bound = species.loopBound(n);
        for (; i < bound; i += lanes) {
            FloatVector x = FloatVector.fromArray(species, a, aOff + i);
            FloatVector r = switch (op) {
                case NEG -> x.neg();
                case ABS -> x.abs();
                case EXP -> x.lanewise(VectorOperators.EXP);
                case LOG -> x.lanewise(VectorOperators.LOG);
                case SQRT -> x.sqrt();
                case RELU -> x.lanewise(VectorOperators.MAX, 0f);
            };
            r.intoArray(out, outOff + i);
        }
        tail.unary(op, a, aOff + i, out, outOff + i, n - i);
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
        // Four independent accumulators hide the add latency; one lane reduction at the end.
        FloatVector acc0 = FloatVector.broadcast(species, op.identity());
        FloatVector acc1 = acc0;
        FloatVector acc2 = acc0;
        FloatVector acc3 = acc0;
        int i = 0;
        int bound4 = n - n % (4 * lanes);
        for (; i < bound4; i += 4 * lanes) {
            acc0 = fold(op, acc0, FloatVector.fromArray(species, a, off + i));
            acc1 = fold(op, acc1, FloatVector.fromArray(species, a, off + i + lanes));
            acc2 = fold(op, acc2, FloatVector.fromArray(species, a, off + i + 2 * lanes));
            acc3 = fold(op, acc3, FloatVector.fromArray(species, a, off + i + 3 * lanes));
        }
        int bound = species.loopBound(n);
        for (; i < bound; i += lanes) {
            acc0 = fold(op, acc0, FloatVector.fromArray(species, a, off + i));
        }
        FloatVector acc = fold(op, fold(op, acc0, acc1), fold(op, acc2, acc3));
        float result = switch (op) {
            case SUM -> sumLanes(acc, new float[lanes]);
            case MAX -> acc.reduceLanes(VectorOperators.MAX);
            case MIN -> acc.reduceLanes(VectorOperators.MIN);
        };
        return op.combine(result, tail.reduce(op, a, off + i, n - i));
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

    private static FloatVector fold(ReduceOp op, FloatVector acc, FloatVector x) {
        return switch (op) {
            case SUM -> acc.add(x);
            case MAX -> acc.lanewise(VectorOperators.MAX, x);
            case MIN -> acc.lanewise(VectorOperators.MIN, x);
        };
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
