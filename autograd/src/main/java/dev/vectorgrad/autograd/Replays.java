package dev.vectorgrad.autograd;

import java.util.function.BiConsumer;
import java.util.function.Function;

import dev.vectorgrad.core.Fused;
import dev.vectorgrad.core.Tensor;

/**
 * The replay forms of the ops a {@link CapturedGraph} can run without the eager engine. Each
 * computes exactly what the eager op computes, with the same kernels in the same order, so a
 * replayed gradient equals the eager one bit for bit where no sum is taken in another order.
 * Buffers a backward needs beyond the graph's (a product before it is summed back to a
 * broadcast input's shape) are made on the first backward and kept.
 */
final class Replays {

    private Replays() {}

    /** Compared size by size: {@link Tensor#shape()} returns a copy, which a replay must not allocate every step. */
    private static boolean sameShape(Tensor a, Tensor b) {
        if (a.dim() != b.dim()) {
            return false;
        }
        for (int d = 0; d < a.dim(); d++) {
            if (a.size(d) != b.size(d)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Writes {@code g}, summed down to {@code target}'s shape, into {@code target}, or adds it. An
     * addition adds the finished sum, as the eager engine does, so both round alike; a reduction
     * that is added goes through {@code scratch} (made on first use, of the target's shape).
     *
     * @return the scratch buffer, to keep for the next call
     */
    static Tensor put(Tensor g, Tensor target, boolean accumulate, Tensor scratch) {
        if (!accumulate || sameShape(g, target)) {
            Fused.sumToShape(g, target, accumulate);
            return scratch;
        }
        Tensor s = scratch != null ? scratch : Tensor.zeros(target.shape());
        Fused.sumToShape(g, s, false);
        target.addInPlace(s);
        return s;
    }

    /** Scratch buffers of a replay, one per input, made when first needed. */
    private static final class Scratch {
        private final Tensor[] buffers;

        Scratch(int inputs) {
            buffers = new Tensor[inputs];
        }

        void put(Tensor g, Tensor target, boolean accumulate, int input) {
            buffers[input] = Replays.put(g, target, accumulate, buffers[input]);
        }

        /** A buffer of {@code like}'s shape for input {@code input}'s finished contribution. */
        Tensor of(Tensor like, int input) {
            if (buffers[input] == null) {
                buffers[input] = Tensor.zeros(like.shape());
            }
            return buffers[input];
        }
    }

    /** {@code out = a + sign * b} with broadcasting: add and sub. */
    static final class AddSub implements Replay {
        private final Tensor a;
        private final Tensor b;
        private final Tensor out;
        private final boolean subtract;
        private final Scratch scratch = new Scratch(2);
        private Tensor negated;

        AddSub(Tensor a, Tensor b, Tensor out, boolean subtract) {
            this.a = a;
            this.b = b;
            this.out = out;
            this.subtract = subtract;
        }

        @Override
        public void forward() {
            if (!subtract && !sameShape(a, out) && sameShape(b, out)) {
                out.copyFrom(b).addInPlace(a);
            } else {
                out.copyFrom(a); // broadcasts a when it is the smaller one
                if (subtract) {
                    out.subInPlace(b);
                } else {
                    out.addInPlace(b);
                }
            }
        }

        @Override
        public void backward(Tensor g, Tensor[] gIn, boolean[] acc) {
            if (gIn[0] != null) {
                scratch.put(g, gIn[0], acc[0], 0);
            }
            if (gIn[1] != null) {
                if (!subtract) {
                    scratch.put(g, gIn[1], acc[1], 1);
                } else {
                    if (negated == null) {
                        negated = Tensor.zeros(g.shape());
                    }
                    negated.copyFrom(g).mulInPlace(-1f);
                    scratch.put(negated, gIn[1], acc[1], 1);
                }
            }
        }
    }

    /** {@code out = a * b} elementwise with broadcasting. */
    static final class Mul implements Replay {
        private final Tensor a;
        private final Tensor b;
        private final Tensor out;
        private final Scratch scratch = new Scratch(2);
        private Tensor product;

        Mul(Tensor a, Tensor b, Tensor out) {
            this.a = a;
            this.b = b;
            this.out = out;
        }

        @Override
        public void forward() {
            if (!sameShape(a, out) && sameShape(b, out)) {
                out.copyFrom(b).mulInPlace(a);
            } else {
                out.copyFrom(a).mulInPlace(b);
            }
        }

        @Override
        public void backward(Tensor g, Tensor[] gIn, boolean[] acc) {
            if (gIn[0] != null) {
                scratch.put(times(g, b), gIn[0], acc[0], 0);
            }
            if (gIn[1] != null) {
                scratch.put(times(g, a), gIn[1], acc[1], 1);
            }
        }

        /** {@code g * other} (as the eager rule's {@code g.mul(other)}) in a buffer of g's shape. */
        private Tensor times(Tensor g, Tensor other) {
            if (product == null) {
                product = Tensor.zeros(g.shape());
            }
            return product.copyFrom(g).mulInPlace(other);
        }
    }

    /**
     * {@code out = a / b} elementwise with broadcasting. The backward is the eager rule's:
     * {@code q = g / b} for a, {@code -(q * a) / b} for b (never {@code b^2}, which could
     * overflow), each summed back to its input's shape as {@link Mul}'s are.
     */
    static final class Div implements Replay {
        private final Tensor a;
        private final Tensor b;
        private final Tensor out;
        private final Scratch scratch = new Scratch(2);
        private Tensor quotient;
        private Tensor divisorGrad;

        Div(Tensor a, Tensor b, Tensor out) {
            this.a = a;
            this.b = b;
            this.out = out;
        }

        @Override
        public void forward() {
            out.copyFrom(a).divInPlace(b); // a broadcast to the output's shape, then divided by b broadcast
        }

        @Override
        public void backward(Tensor g, Tensor[] gIn, boolean[] acc) {
            if (quotient == null) {
                quotient = Tensor.zeros(g.shape());
            }
            Tensor q = quotient.copyFrom(g).divInPlace(b);
            Tensor gb = null;
            if (gIn[1] != null) {
                if (divisorGrad == null) {
                    divisorGrad = Tensor.zeros(g.shape());
                }
                gb = divisorGrad.copyFrom(q).mulInPlace(a).divInPlace(b).mulInPlace(-1f);
            }
            if (gIn[0] != null) {
                scratch.put(q, gIn[0], acc[0], 0);
            }
            if (gb != null) {
                scratch.put(gb, gIn[1], acc[1], 1);
            }
        }
    }

    /**
     * {@link Var#gatherColumns(Tensor)}: the forward picks each row's column again for the indices
     * the recorded index tensor holds now (a new batch's), the backward writes the output's
     * gradient at the same columns, as the eager rule does.
     */
    static final class GatherColumns implements Replay {
        private final Tensor x;
        private final Tensor indices;
        private final Tensor out;
        private Tensor scratch;

        GatherColumns(Tensor x, Tensor indices, Tensor out) {
            this.x = x;
            this.indices = indices;
            this.out = out;
        }

        @Override
        public void forward() {
            Fused.gatherColumns(x, indices, out);
        }

        @Override
        public void backward(Tensor g, Tensor[] gIn, boolean[] acc) {
            if (gIn[0] == null) {
                return;
            }
            if (!acc[0]) {
                Fused.gatherColumnsBackward(g, indices, gIn[0]);
                return;
            }
            // The whole [n, c] gradient is added, zeros included, as the eager engine adds it (-0 + 0 is +0).
            if (scratch == null) {
                scratch = Tensor.zeros(x.shape());
            }
            Fused.gatherColumnsBackward(g, indices, scratch);
            gIn[0].addInPlace(scratch);
        }
    }

    /**
     * {@code target (=|+=) g * s}, or {@code g / s}: the rounded product or quotient first, then
     * the sum, what the eager engine computes (not an FMA).
     *
     * @return the scratch buffer for an added result, to keep for the next call
     */
    private static Tensor scaledInto(Tensor g, float s, boolean divide, Tensor target, boolean accumulate, Tensor scratch) {
        if (!accumulate) {
            scale(target.copyFrom(g), s, divide);
            return scratch;
        }
        Tensor buffer = scratch != null ? scratch : Tensor.zeros(g.shape());
        target.addInPlace(scale(buffer.copyFrom(g), s, divide));
        return buffer;
    }

    private static Tensor scale(Tensor t, float s, boolean divide) {
        return divide ? t.divInPlace(s) : t.mulInPlace(s);
    }

    /**
     * {@code out = a * s} or {@code a / s}: mul and div by a number, neg (s = -1, -x and x * -1
     * being the same float, zeros and their signs included), and the sum or mean of a 0-d value
     * along its dim (s = 1: the value itself).
     */
    static final class Scale implements Replay {
        private final Tensor a;
        private final Tensor out;
        private final float s;
        private final boolean divide;
        private Tensor scaled;

        Scale(Tensor a, Tensor out, float s) {
            this(a, out, s, false);
        }

        /** @param divide divide by s (a true quotient, as the eager op) instead of multiplying */
        Scale(Tensor a, Tensor out, float s, boolean divide) {
            this.a = a;
            this.out = out;
            this.s = s;
            this.divide = divide;
        }

        @Override
        public void forward() {
            scale(out.copyFrom(a), s, divide);
        }

        @Override
        public void backward(Tensor g, Tensor[] gIn, boolean[] acc) {
            if (gIn[0] != null) {
                scaled = scaledInto(g, s, divide, gIn[0], acc[0], scaled);
            }
        }
    }

    /**
     * {@code out = a + s}, or {@code s - a}: add or subtract a number, and rsub. {@code s - a} is
     * computed as {@code s + (-1 * a)}, the same float ({@code -1 * a} is exact).
     */
    static final class Shift implements Replay {
        private final Tensor a;
        private final Tensor out;
        private final float s;
        private final boolean negate;
        private Tensor reduced;

        Shift(Tensor a, Tensor out, float s) {
            this(a, out, s, false);
        }

        /** @param negate compute {@code s - a} instead of {@code a + s} */
        Shift(Tensor a, Tensor out, float s, boolean negate) {
            this.a = a;
            this.out = out;
            this.s = s;
            this.negate = negate;
        }

        @Override
        public void forward() {
            out.fillInPlace(s);
            if (negate) {
                out.subInPlace(a);
            } else {
                out.addInPlace(a);
            }
        }

        @Override
        public void backward(Tensor g, Tensor[] gIn, boolean[] acc) {
            if (gIn[0] == null) {
                return;
            }
            if (negate) {
                reduced = scaledInto(g, -1f, false, gIn[0], acc[0], reduced); // the eager rule's g.neg()
            } else {
                reduced = put(g, gIn[0], acc[0], reduced);
            }
        }
    }

    /** {@code out = max(a, 0)}; the backward masks by the output, positive exactly where a was. */
    static final class Relu implements Replay {
        private final Tensor a;
        private final Tensor out;
        private final Scratch scratch = new Scratch(1);

        Relu(Tensor a, Tensor out) {
            this.a = a;
            this.out = out;
        }

        @Override
        public void forward() {
            out.copyFrom(a).reluInPlace();
        }

        @Override
        public void backward(Tensor g, Tensor[] gIn, boolean[] acc) {
            if (gIn[0] == null) {
                return;
            }
            if (!acc[0]) {
                Fused.reluBackward(g, out, gIn[0], false);
            } else {
                gIn[0].addInPlace(maskInto(scratch.of(g, 0), g));
            }
        }

        private Tensor maskInto(Tensor buffer, Tensor g) {
            Fused.reluBackward(g, out, buffer, false);
            return buffer;
        }
    }

    /**
     * {@code out = a @ b} for 2-d operands. A gradient that already holds a contribution gets the
     * product added as the eager engine adds it: inside the accumulating kernel for a leaf's
     * gradient, as a finished product for any other.
     */
    static final class Matmul implements Replay {
        private final Tensor a;
        private final Tensor b;
        private final Tensor out;
        private final Tensor aT;
        private final Tensor bT;
        private final boolean[] leaf;
        private final Scratch scratch = new Scratch(2);

        Matmul(Tensor a, Tensor b, Tensor out, boolean aIsLeaf, boolean bIsLeaf) {
            this.a = a;
            this.b = b;
            this.out = out;
            this.aT = a.t();
            this.bT = b.t();
            this.leaf = new boolean[] {aIsLeaf, bIsLeaf};
        }

        @Override
        public void forward() {
            out.matmulInPlace(a, b, false);
        }

        @Override
        public void backward(Tensor g, Tensor[] gIn, boolean[] acc) {
            if (gIn[0] != null) {
                product(gIn[0], g, bT, acc[0], 0);
            }
            if (gIn[1] != null) {
                product(gIn[1], aT, g, acc[1], 1);
            }
        }

        private void product(Tensor target, Tensor x, Tensor y, boolean accumulate, int input) {
            if (!accumulate || leaf[input]) {
                target.matmulInPlace(x, y, accumulate);
            } else {
                target.addInPlace(scratch.of(target, input).matmulInPlace(x, y, false));
            }
        }
    }

    /**
     * {@code out = x @ w^T + bias}, optionally followed by a relu whose output is {@code out}: the
     * graph fuses a linear and the relu that alone reads it into one of these.
     */
    static final class Linear implements Replay {
        final Tensor x;
        final Tensor w;
        final Tensor bias;
        final Tensor out;
        final boolean relu;
        private final Scratch scratch = new Scratch(3);

        Linear(Tensor x, Tensor w, Tensor bias, Tensor out, boolean relu) {
            this.x = x;
            this.w = w;
            this.bias = bias;
            this.out = out;
            this.relu = relu;
        }

        /** This linear with the relu reading it folded in: the relu's output becomes the output. */
        Linear withRelu(Tensor reluOut) {
            return new Linear(x, w, bias, reluOut, true);
        }

        @Override
        public void forward() {
            Fused.linear(x, w, bias, relu, out);
        }

        @Override
        public void backward(Tensor g, Tensor[] gIn, boolean[] acc) {
            if (relu) {
                // g belongs to the relu's output and nothing reads it after this step: mask it in place.
                Fused.reluBackward(g, out, g, false);
            }
            // Eager linear adds its finished gradients (Var.linear): so does a second contribution here.
            Tensor gx = target(gIn, acc, 0);
            Tensor gw = target(gIn, acc, 1);
            Tensor gb = gIn.length > 2 ? target(gIn, acc, 2) : null;
            Fused.linearBackward(g, x, w, gx, false, gw, false, gb, false);
            for (int k = 0; k < gIn.length; k++) {
                if (gIn[k] != null && acc[k]) {
                    gIn[k].addInPlace(scratch.of(gIn[k], k));
                }
            }
        }

        private Tensor target(Tensor[] gIn, boolean[] acc, int k) {
            return gIn[k] == null ? null : acc[k] ? scratch.of(gIn[k], k) : gIn[k];
        }
    }

    /**
     * A view op (reshape, squeeze, unsqueeze, t, transpose, expand, slice, select): the output
     * shares the input's storage, so the forward has nothing to do. The backward writes the
     * output's gradient into the input's through a view made once per gradient buffer.
     */
    static final class View implements Replay {
        /** How the input's gradient receives the output's: a view of one or the other. */
        enum Kind { OF_OUTPUT_GRADIENT, INTO_INPUT_GRADIENT }

        private final Kind kind;
        private final Function<Tensor, Tensor> view;
        private Tensor viewedFrom;
        private Tensor viewed;
        private Tensor reduced;

        /**
         * @param kind OF_OUTPUT_GRADIENT: {@code view} maps the output's gradient to a tensor of
         *             the input's shape (reshape, transpose; expand maps it to itself and the sum
         *             back to the input's shape does the rest); INTO_INPUT_GRADIENT: {@code view}
         *             maps the input's gradient to the region the output covers (slice, select)
         * @param view the view
         */
        View(Kind kind, Function<Tensor, Tensor> view) {
            this.kind = kind;
            this.view = view;
        }

        @Override
        public void forward() {
            // The output is a view of the input's storage, which the graph updates in place.
        }

        @Override
        public void backward(Tensor g, Tensor[] gIn, boolean[] acc) {
            Tensor target = gIn[0];
            if (target == null) {
                return;
            }
            if (kind == Kind.OF_OUTPUT_GRADIENT) {
                reduced = put(viewOf(g), target, acc[0], reduced);
            } else {
                if (!acc[0]) {
                    target.zeroInPlace();
                }
                viewOf(target).addInPlace(g);
            }
        }

        private Tensor viewOf(Tensor t) {
            if (t != viewedFrom) {
                viewed = view.apply(t);
                viewedFrom = t;
            }
            return viewed;
        }
    }

    /**
     * A reduction (sum or mean, of everything or along a dim) recomputed into its output by the
     * tensor's {@code sumInto}/{@code meanInto} (the eager op's bits, nothing allocated for a
     * contiguous input); the backward spreads the gradient, scaled for a mean, over the input.
     */
    static final class Reduce implements Replay {
        private final Tensor a;
        private final Tensor out;
        private final BiConsumer<Tensor, Tensor> reduceInto;
        /** The output's shape with the reduced dims kept as 1, so it broadcasts against the input. */
        private final int[] keptShape;
        private final float scale;
        private Tensor scaled;
        private Tensor keptFrom;
        private Tensor kept;

        Reduce(Tensor a, Tensor out, BiConsumer<Tensor, Tensor> reduceInto, int[] keptShape, float scale) {
            this.a = a;
            this.out = out;
            this.reduceInto = reduceInto;
            this.keptShape = keptShape;
            this.scale = scale;
        }

        @Override
        public void forward() {
            reduceInto.accept(a, out);
        }

        @Override
        public void backward(Tensor g, Tensor[] gIn, boolean[] acc) {
            Tensor target = gIn[0];
            if (target == null) {
                return;
            }
            if (g != keptFrom) {
                kept = g.reshape(keptShape);
                keptFrom = g;
            }
            Tensor spread = kept;
            if (scale != 1f) {
                if (scaled == null) {
                    scaled = Tensor.zeros(keptShape);
                }
                spread = scaled.copyFrom(spread).mulInPlace(scale);
            }
            if (acc[0]) {
                target.addInPlace(spread);
            } else {
                target.copyFrom(spread);
            }
        }
    }

    /**
     * A loss whose gradient with respect to its first input the graph can compute in the same pass
     * as the loss itself, when the loss is the graph's output (its upstream gradient is 1).
     */
    interface FusedLoss extends Replay {
        /**
         * From now on, each forward also writes the gradient for an upstream gradient of 1.
         *
         * @param gIn the input gradient buffers (null where none is wanted)
         * @param acc whether each is added to
         */
        void fuseGradient(Tensor[] gIn, boolean[] acc);
    }

    /** Mean softmax cross-entropy of logits against class indices held in a tensor, optionally label-smoothed. */
    static final class CrossEntropy implements FusedLoss {
        private final Tensor logits;
        private final Tensor targets;
        private final Tensor out;
        private final float labelSmoothing;
        private Tensor fusedGrad;
        private boolean fusedAcc;

        CrossEntropy(Tensor logits, Tensor targets, Tensor out) {
            this(logits, targets, out, 0f);
        }

        CrossEntropy(Tensor logits, Tensor targets, Tensor out, float labelSmoothing) {
            this.logits = logits;
            this.targets = targets;
            this.out = out;
            this.labelSmoothing = labelSmoothing;
        }

        @Override
        public void fuseGradient(Tensor[] gIn, boolean[] acc) {
            fusedGrad = gIn[0];
            fusedAcc = acc[0];
        }

        @Override
        public void forward() {
            out.fillInPlace((float) Fused.softmaxCrossEntropy(logits, targets, labelSmoothing, fusedGrad, 1f, fusedAcc));
        }

        @Override
        public void backward(Tensor g, Tensor[] gIn, boolean[] acc) {
            if (gIn[0] != null && fusedGrad == null) {
                Fused.softmaxCrossEntropy(logits, targets, labelSmoothing, gIn[0], g.item(), acc[0]);
            }
        }
    }

    /** Mean squared error of an input against a target of the same shape. */
    static final class MeanSquaredError implements FusedLoss {
        private final Tensor input;
        private final Tensor target;
        private final Tensor out;
        private Tensor[] fused;
        private boolean[] fusedAcc;

        MeanSquaredError(Tensor input, Tensor target, Tensor out) {
            this.input = input;
            this.target = target;
            this.out = out;
        }

        @Override
        public void fuseGradient(Tensor[] gIn, boolean[] acc) {
            fused = gIn.clone();
            fusedAcc = acc.clone();
        }

        @Override
        public void forward() {
            Tensor gInput = fused == null ? null : fused[0];
            out.fillInPlace((float) Fused.meanSquaredError(input, target, gInput, 1f, fused != null && fusedAcc[0]));
            if (fused != null && fused[1] != null) {
                // d/dt mean((x - t)^2) is the same formula with the roles swapped.
                Fused.meanSquaredError(target, input, fused[1], 1f, fusedAcc[1]);
            }
        }

        @Override
        public void backward(Tensor g, Tensor[] gIn, boolean[] acc) {
            if (fused != null) {
                return;
            }
            float s = g.item();
            if (gIn[0] != null) {
                Fused.meanSquaredError(input, target, gIn[0], s, acc[0]);
            }
            if (gIn[1] != null) {
                Fused.meanSquaredError(target, input, gIn[1], s, acc[1]);
            }
        }
    }
}
