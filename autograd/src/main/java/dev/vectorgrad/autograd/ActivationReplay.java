package dev.vectorgrad.autograd;

import dev.vectorgrad.core.Fused;
import dev.vectorgrad.core.Tensor;

/**
 * The replay of a unary elementwise op (the smooth activations tanh, sigmoid, gelu, leaky relu,
 * softplus, log1p, expm1, and exp, log, pow, clampMin and a number divided by the input): the
 * forward copies the input into the recorded output and applies the op in place, the very kernel
 * over the very lanes the eager op used (which computes a strided input on a contiguous copy for
 * this reason), so replayed values equal eager ones bit for bit; the backward writes the gradient
 * with the op's rule, into the input's buffer or, when that already holds a contribution, into a
 * scratch buffer added afterwards, as the eager engine adds.
 */
final class ActivationReplay implements Replay {

    /** What an op's backward reads besides the output's gradient: its input, its output, or both. */
    enum Reads {
        INPUT(true, false), OUTPUT(false, true), BOTH(true, true);

        final boolean input;
        final boolean output;

        Reads(boolean input, boolean output) {
            this.input = input;
            this.output = output;
        }
    }

    /** The ops, with their eager forward, in-place forward and backward; {@code a} is the op's number where it has one. */
    enum Kind {
        TANH("tanh", Reads.OUTPUT),
        SIGMOID("sigmoid", Reads.OUTPUT),
        GELU("gelu", Reads.INPUT),
        GELU_TANH("gelu", Reads.INPUT),
        LEAKY_RELU("leakyRelu", Reads.INPUT),
        SOFTPLUS("softplus", Reads.INPUT),
        LOG1P("log1p", Reads.INPUT),
        EXPM1("expm1", Reads.OUTPUT),
        EXP("exp", Reads.OUTPUT),
        LOG("log", Reads.INPUT),
        /** {@code x^a}. */
        POW("pow", Reads.INPUT),
        /** {@code max(x, a)}. */
        CLAMP_MIN("clampMin", Reads.INPUT),
        /** {@code a / x}; its gradient {@code -(g * out) / x} never squares x, which could overflow. */
        RDIV("rdiv", Reads.BOTH);

        final String op;
        final Reads reads;

        Kind(String op, Reads reads) {
            this.op = op;
            this.reads = reads;
        }

        Tensor forward(Tensor x, float a, float b) {
            return switch (this) {
                case TANH -> x.tanh();
                case SIGMOID -> x.sigmoid();
                case GELU -> x.gelu("none");
                case GELU_TANH -> x.gelu("tanh");
                case LEAKY_RELU -> x.leakyRelu(a);
                case SOFTPLUS -> x.softplus(a, b);
                case LOG1P -> x.log1p();
                case EXPM1 -> x.expm1();
                case EXP -> x.exp();
                case LOG -> x.log();
                case POW -> x.pow(a);
                case CLAMP_MIN -> x.clampMin(a);
                case RDIV -> x.rdiv(a);
            };
        }

        /** {@code out = op(x)} into the recorded output, with the eager op's kernel. */
        void forwardInto(Tensor x, Tensor out, float a, float b) {
            if (this == RDIV) {
                out.fillInPlace(a).divInPlace(x); // s / x, the one IEEE quotient x.rdiv(s) computes
                return;
            }
            Tensor t = out.copyFrom(x);
            switch (this) {
                case TANH -> t.tanhInPlace();
                case SIGMOID -> t.sigmoidInPlace();
                case GELU -> t.geluInPlace("none");
                case GELU_TANH -> t.geluInPlace("tanh");
                case LEAKY_RELU -> t.leakyReluInPlace(a);
                case SOFTPLUS -> t.softplusInPlace(a, b);
                case LOG1P -> t.log1pInPlace();
                case EXPM1 -> t.expm1InPlace();
                case EXP -> t.expInPlace();
                case LOG -> t.logInPlace();
                case POW -> t.powInPlace(a);
                case CLAMP_MIN -> t.clampMinInPlace(a);
                case RDIV -> throw new AssertionError("rdiv fills out above");
            }
        }

        /**
         * Overwrites {@code target} with the input's gradient. {@code g}, {@code x} and {@code y}
         * (the op's input and output, null where {@link #reads} does not name them) are contiguous
         * and of target's shape; target is none of them.
         */
        void backward(Tensor g, Tensor x, Tensor y, float a, float b, Tensor target) {
            switch (this) {
                case TANH -> Fused.tanhBackward(g, y, target, false);
                case SIGMOID -> Fused.sigmoidBackward(g, y, target, false);
                case GELU -> Fused.geluBackward(g, x, "none", target, false);
                case GELU_TANH -> Fused.geluBackward(g, x, "tanh", target, false);
                case LEAKY_RELU -> Fused.leakyReluBackward(g, x, a, target, false);
                case SOFTPLUS -> Fused.softplusBackward(g, x, a, b, target, false);
                case LOG1P -> Fused.log1pBackward(g, x, target, false);
                case EXPM1 -> Fused.expm1Backward(g, y, target, false);
                case CLAMP_MIN -> Fused.clampMinBackward(g, x, a, target, false);
                // One or two roundings each, no fused kernel: the products and quotients of the
                // eager rules, in their order, written into target.
                case EXP -> target.copyFrom(g).mulInPlace(y);
                case LOG -> target.copyFrom(g).divInPlace(x);
                case RDIV -> target.copyFrom(g).mulInPlace(y).divInPlace(x).mulInPlace(-1f);
                case POW -> {
                    if (a == 0f) {
                        target.zeroInPlace(); // the derivative of the constant 1, not 0 * x^-1 (NaN at 0)
                    } else if (a == 2f) {
                        target.copyFrom(x).mulInPlace(2f).mulInPlace(g);
                    } else {
                        target.copyFrom(x).powInPlace(a - 1f).mulInPlace(a).mulInPlace(g);
                    }
                }
            }
        }
    }

    private final Kind kind;
    private final float a;
    private final float b;
    private final Tensor x;
    private final Tensor out;
    /** A contiguous copy of a strided input, refreshed each backward (made on first use). */
    private Tensor dense;
    private Tensor scratch;

    ActivationReplay(Kind kind, float a, float b, Tensor x, Tensor out) {
        this.kind = kind;
        this.a = a;
        this.b = b;
        this.x = x;
        this.out = out;
    }

    @Override
    public void forward() {
        kind.forwardInto(x, out, a, b);
    }

    @Override
    public void backward(Tensor g, Tensor[] gIn, boolean[] acc) {
        if (gIn[0] == null) {
            return;
        }
        Tensor input = kind.reads.input ? input() : null;
        Tensor output = kind.reads.output ? out : null;
        if (!acc[0]) {
            kind.backward(g, input, output, a, b, gIn[0]);
            return;
        }
        if (scratch == null) {
            scratch = Tensor.zeros(g.shape());
        }
        kind.backward(g, input, output, a, b, scratch);
        gIn[0].addInPlace(scratch);
    }

    private Tensor input() {
        if (x.isContiguous()) {
            return x;
        }
        if (dense == null) {
            dense = Tensor.zeros(x.shape());
        }
        return dense.copyFrom(x);
    }
}
