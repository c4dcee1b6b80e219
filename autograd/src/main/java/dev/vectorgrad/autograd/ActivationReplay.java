package dev.vectorgrad.autograd;

import dev.vectorgrad.core.Fused;
import dev.vectorgrad.core.Tensor;

/**
 * The replay of a smooth activation (tanh, sigmoid, gelu, leaky relu, softplus, log1p, expm1, exp):
 * the forward copies the input into the recorded output and applies the op in place, the very
 * kernel over the very lanes the eager op used (which computes a strided input on a contiguous
 * copy for this reason), so replayed values equal eager ones bit for bit; the backward writes the
 * gradient with the op's Fused backward, into the input's buffer or, when that already holds a
 * contribution, into a scratch buffer added afterwards, as the eager engine adds.
 */
final class ActivationReplay implements Replay {

    /** The ops, with their eager forward, in-place forward and backward. */
    enum Kind {
        TANH("tanh", true),
        SIGMOID("sigmoid", true),
        GELU("gelu", false),
        GELU_TANH("gelu", false),
        LEAKY_RELU("leakyRelu", false),
        SOFTPLUS("softplus", false),
        LOG1P("log1p", false),
        EXPM1("expm1", true),
        EXP("exp", true);

        final String op;
        /** Whether the backward reads the op's output (else its input). */
        final boolean fromOutput;

        Kind(String op, boolean fromOutput) {
            this.op = op;
            this.fromOutput = fromOutput;
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
            };
        }

        void forwardInPlace(Tensor t, float a, float b) {
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
            }
        }

        void backward(Tensor g, Tensor saved, float a, float b, Tensor target, boolean acc) {
            switch (this) {
                case TANH -> Fused.tanhBackward(g, saved, target, acc);
                case SIGMOID -> Fused.sigmoidBackward(g, saved, target, acc);
                case GELU -> Fused.geluBackward(g, saved, "none", target, acc);
                case GELU_TANH -> Fused.geluBackward(g, saved, "tanh", target, acc);
                case LEAKY_RELU -> Fused.leakyReluBackward(g, saved, a, target, acc);
                case SOFTPLUS -> Fused.softplusBackward(g, saved, a, b, target, acc);
                case LOG1P -> Fused.log1pBackward(g, saved, target, acc);
                case EXPM1 -> Fused.expm1Backward(g, saved, target, acc);
                // g·e^x is one product: no fused kernel, the eager rule's g.mul(out) written into target
                case EXP -> {
                    if (acc) {
                        target.addInPlace(g.mul(saved));
                    } else {
                        target.copyFrom(g).mulInPlace(saved);
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
        kind.forwardInPlace(out.copyFrom(x), a, b);
    }

    @Override
    public void backward(Tensor g, Tensor[] gIn, boolean[] acc) {
        if (gIn[0] == null) {
            return;
        }
        Tensor saved = kind.fromOutput ? out : input();
        if (!acc[0]) {
            kind.backward(g, saved, a, b, gIn[0], false);
            return;
        }
        if (scratch == null) {
            scratch = Tensor.zeros(g.shape());
        }
        kind.backward(g, saved, a, b, scratch, false);
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
