package dev.vectorgrad.autograd;

import java.util.Arrays;
import java.util.function.Function;
import java.util.function.Supplier;

import dev.vectorgrad.core.Dims;
import dev.vectorgrad.core.Fused;
import dev.vectorgrad.core.LogSoftmax;
import dev.vectorgrad.core.Rng;
import dev.vectorgrad.core.Tensor;

/**
 * A tensor that takes part in automatic differentiation: PyTorch's tensor with
 * {@code requires_grad}, micrograd's {@code Value} over whole tensors.
 *
 * <p>Every op on a {@code Var} returns a new {@code Var} whose value is computed at once with
 * the matching {@link Tensor} op. When an input requires grad (and no {@link NoGrad} scope is
 * active) the result also remembers its inputs, the tensors its gradient needs and a backward
 * rule that <em>adds</em> into the inputs' gradients. {@link #backward()} sorts that graph and
 * runs the rules in reverse.
 *
 * <p>Gradients of leaves ({@link #param(Tensor)}) accumulate ({@code +=}) into the wrapped
 * tensor's {@link Tensor#grad()}: the same home the lesson's hand-written backward passes fill,
 * so {@code w.grad()} and {@code w.value().grad()} are one thing. Call {@link #zeroGrad()}
 * between steps. Gradients of intermediate results are not kept.
 *
 * <p>Elementwise ops broadcast as NumPy does; the backward rule sums the gradient back to each
 * input's shape. If a tensor saved for backward is modified in place before {@code backward()},
 * backward fails naming the op and the shape (the storage's {@link Tensor#version()} changed).
 * Second-order gradients are not supported: backward rules run on plain tensors.
 *
 * <p>Not thread-safe; build and differentiate each graph on one thread.
 */
public final class Var {

    private final Tensor value;
    private final boolean requiresGrad;
    private final Node node;

    private Var(Tensor value, boolean requiresGrad, Node node) {
        if (value == null) {
            throw new IllegalArgumentException("Var: the value must not be null");
        }
        this.value = value;
        this.requiresGrad = requiresGrad;
        this.node = node;
    }

    // ------------------------------------------------------------------ leaves

    /**
     * A leaf that requires grad: a parameter or an input to differentiate with respect to, as
     * {@code t.requires_grad_()}. Its gradient accumulates into {@code t.grad()}.
     *
     * @param t the tensor, wrapped without a copy
     * @return the leaf
     */
    public static Var param(Tensor t) {
        return new Var(t, true, null);
    }

    /**
     * A leaf that does not require grad (data, targets, constants).
     *
     * @param t the tensor, wrapped without a copy
     * @return the leaf
     */
    public static Var constant(Tensor t) {
        return new Var(t, false, null);
    }

    /**
     * A constant leaf holding a 0-d tensor.
     *
     * @param v the value
     * @return the leaf
     */
    public static Var scalar(float v) {
        return constant(Tensor.scalar(v));
    }

    // ------------------------------------------------------------------ state

    /** @return the wrapped tensor (not a copy) */
    public Tensor value() {
        return value;
    }

    /** @return the gradient accumulated into this Var's tensor ({@code value().grad()}), or null */
    public Tensor grad() {
        return value.grad();
    }

    /** @return whether gradients flow to or through this Var */
    public boolean requiresGrad() {
        return requiresGrad;
    }

    /** @return whether this Var was created directly ({@link #param}, {@link #constant}) rather than by an op */
    public boolean isLeaf() {
        return node == null;
    }

    /** @return the name of the op that computed this Var ("matmul", "add", ...), or null for a leaf or an unrecorded result */
    public String opName() {
        return node == null ? null : node.op;
    }

    /** @return a copy of the value's shape */
    public int[] shape() {
        return value.shape();
    }

    /**
     * @param dim a dim, negative counting from the end
     * @return the size of that dim
     */
    public int size(int dim) {
        return value.size(dim);
    }

    /** @return the number of dims */
    public int dim() {
        return value.dim();
    }

    /** @return the number of elements */
    public int numel() {
        return value.numel();
    }

    /** @return the only element of a one-element value */
    public float item() {
        return value.item();
    }

    /**
     * Sets the gradient in this Var's tensor to zero (in place when it exists, keeping its
     * memory for the next step). A no-op when there is no gradient yet.
     */
    public void zeroGrad() {
        Tensor g = value.grad();
        if (g == null) {
            return;
        }
        if (g.isContiguous()) {
            g.zeroInPlace();
        } else {
            value.setGrad(Tensor.zerosLike(value));
        }
    }

    /** @return a constant leaf sharing this Var's tensor, cut off from the graph ({@code x.detach()}) */
    public Var detach() {
        return constant(value);
    }

    // ------------------------------------------------------------------ backward

    /**
     * Backpropagates from this one-element Var (a loss), seeding its gradient with 1, then
     * releases the graph.
     */
    public void backward() {
        backward(null, false);
    }

    /**
     * Backpropagates from this one-element Var, seeding with 1.
     *
     * @param retainGraph keep the graph so that another backward can run through it
     */
    public void backward(boolean retainGraph) {
        backward(null, retainGraph);
    }

    /**
     * Backpropagates the upstream gradient {@code gradient} (of this Var's exact shape), then
     * releases the graph.
     *
     * @param gradient d(something)/d(this), or null to seed 1 for a one-element Var
     */
    public void backward(Tensor gradient) {
        backward(gradient, false);
    }

    /**
     * Backpropagates the upstream gradient {@code gradient}: every leaf that requires grad and
     * that this Var depends on gets the vector-Jacobian product added into its {@code grad()}.
     *
     * @param gradient d(something)/d(this), of this Var's exact shape; null seeds 1 and then
     *                 this Var must have one element
     * @param retainGraph keep the graph so that another backward can run through it; otherwise
     *                    the saved tensors are dropped and a second backward fails
     */
    public void backward(Tensor gradient, boolean retainGraph) {
        if (!requiresGrad) {
            throw new IllegalStateException("backward: this Var of shape " + Shapes.str(value.shape())
                    + " does not require grad: no input of its computation was a param, or it was computed"
                    + " inside a NoGrad scope");
        }
        Tensor seed;
        if (gradient == null) {
            if (value.numel() != 1) {
                throw new IllegalArgumentException("backward: a gradient can be seeded with 1 only for a"
                        + " one-element output, but this output has shape " + Shapes.str(value.shape())
                        + "; pass backward(gradient) with a gradient of that shape, or reduce it first (sum(), mean())");
            }
            seed = Tensor.onesLike(value);
        } else {
            if (!Arrays.equals(gradient.shape(), value.shape())) {
                throw new IllegalArgumentException("backward: gradient of shape " + Shapes.str(gradient.shape())
                        + " for an output of shape " + Shapes.str(value.shape()) + ": shapes must be equal");
            }
            seed = gradient;
        }
        Engine.run(this, seed, retainGraph);
    }

    Node node() {
        return node;
    }

    // ------------------------------------------------------------------ recording

    /**
     * Wraps an op's result: recorded with its backward rule and saved tensors when an input
     * requires grad and recording is on, else a plain constant.
     */
    private static Var record(String op, Tensor out, Var[] inputs, Tensor[] saved, BackwardFn fn) {
        return record(op, out, inputs, saved, fn, null);
    }

    /**
     * {@link #record(String, Tensor, Var[], Tensor[], BackwardFn)} for an op that a
     * {@link CapturedGraph} can replay: while a capture is under way, {@code replay} builds the
     * op's replay form over these very tensors (an op recorded without one makes the capture
     * refuse to replay, naming the op).
     */
    static Var record(String op, Tensor out, Var[] inputs, Tensor[] saved, BackwardFn fn, Supplier<Replay> replay) {
        boolean any = false;
        for (Var v : inputs) {
            any |= v.requiresGrad;
        }
        Var result;
        if (!any || !NoGrad.isGradEnabled()) {
            result = new Var(out, false, null);
        } else {
            SavedTensor[] s = new SavedTensor[saved.length];
            for (int i = 0; i < saved.length; i++) {
                s[i] = SavedTensor.of(saved[i]);
            }
            result = new Var(out, true, new Node(op, inputs, fn, s, out.shape()));
        }
        if (Tracer.active()) {
            Tracer.record(op, result, inputs, replay == null ? null : replay.get());
        }
        return result;
    }

    private static final Tensor[] NONE = new Tensor[0];

    /**
     * Defines an op of your own, as PyTorch's {@code autograd.Function}: compute the output
     * from the inputs' values with tensor ops, then call this to record it. When an input
     * requires grad (and recording is on), the result remembers the inputs, the rule and the
     * storage versions of {@code saved}; backward fails if any of those is modified in place in
     * between. Check the rule with {@link GradCheck}.
     *
     * <pre>{@code
     * Var cube(Var x) {
     *     Tensor v = x.value();
     *     return Var.custom("cube", v.pow(3f), new Var[] {x}, new Tensor[] {v},
     *             (g, sink) -> sink.add(0, v.pow(2f).mul(3f).mul(g), true));
     * }
     * }</pre>
     *
     * @param op a name for error messages and {@link #opName()}
     * @param output the op's result, computed from the inputs' values
     * @param inputs the Vars the output depends on, in the order the rule refers to them
     * @param saved the tensors the rule reads, guarded against in-place edits (may be empty)
     * @param backward the rule that adds the inputs' gradients
     * @return the recorded result (a plain constant when no input requires grad)
     */
    public static Var custom(String op, Tensor output, Var[] inputs, Tensor[] saved, BackwardFn backward) {
        if (op == null || output == null || inputs == null || saved == null || backward == null) {
            throw new IllegalArgumentException("custom: op, output, inputs, saved and backward must not be null");
        }
        return record(op, output, inputs.clone(), saved.clone(), backward);
    }

    private Var unary(String op, Tensor out, Tensor[] saved, BackwardFn fn) {
        return record(op, out, new Var[] {this}, saved, fn, null);
    }

    private Var unary(String op, Tensor out, Tensor[] saved, BackwardFn fn, Supplier<Replay> replay) {
        return record(op, out, new Var[] {this}, saved, fn, replay);
    }

    /** A view op: replayable when the result shares this Var's storage (a reshape that copied is not). */
    private Var view(String op, Tensor out, BackwardFn fn, Replays.View.Kind kind, Function<Tensor, Tensor> view) {
        Tensor in = value;
        return unary(op, out, NONE, fn, () -> {
            if (!out.sharesStorageWith(in)) {
                Tracer.refuse(op, "its result is a copy of a non-contiguous input, not a view");
                return null;
            }
            return new Replays.View(kind, view);
        });
    }

    // ------------------------------------------------------------------ elementwise

    /**
     * {@code this + other} with broadcasting.
     *
     * @param other the addend
     * @return the sum
     */
    public Var add(Var other) {
        Tensor a = value;
        Tensor b = other.value;
        Tensor out = a.add(b);
        return record("add", out, new Var[] {this, other}, NONE, (g, sink) -> {
            sink.add(0, g, false);
            sink.add(1, g, false);
        }, () -> new Replays.AddSub(a, b, out, false));
    }

    /**
     * {@code this + s}.
     *
     * @param s the addend
     * @return the sum
     */
    public Var add(float s) {
        Tensor a = value;
        Tensor out = a.add(s);
        return unary("add", out, NONE, (g, sink) -> sink.add(0, g, false), () -> new Replays.Shift(a, out, s));
    }

    /**
     * {@code this - other} with broadcasting.
     *
     * @param other the subtrahend
     * @return the difference
     */
    public Var sub(Var other) {
        Tensor a = value;
        Tensor b = other.value;
        Tensor out = a.sub(b);
        return record("sub", out, new Var[] {this, other}, NONE, (g, sink) -> {
            sink.add(0, g, false);
            if (sink.needs(1)) {
                sink.add(1, g.neg(), true);
            }
        }, () -> new Replays.AddSub(a, b, out, true));
    }

    /**
     * {@code this - s}.
     *
     * @param s the subtrahend
     * @return the difference
     */
    public Var sub(float s) {
        Tensor a = value;
        Tensor out = a.sub(s);
        // a - s and (-s) + a are the same float.
        return unary("sub", out, NONE, (g, sink) -> sink.add(0, g, false), () -> new Replays.Shift(a, out, -s));
    }

    /**
     * {@code s - this}.
     *
     * @param s the minuend
     * @return the difference
     */
    public Var rsub(float s) {
        Tensor a = value;
        Tensor out = a.rsub(s);
        return unary("rsub", out, NONE, (g, sink) -> sink.add(0, g.neg(), true), () -> new Replays.Shift(a, out, s, true));
    }

    /**
     * {@code this * other} elementwise with broadcasting.
     *
     * @param other the factor
     * @return the product
     */
    public Var mul(Var other) {
        Tensor a = value;
        Tensor b = other.value;
        Tensor out = a.mul(b);
        return record("mul", out, new Var[] {this, other}, new Tensor[] {a, b}, (g, sink) -> {
            if (sink.needs(0)) {
                sink.add(0, g.mul(b), true);
            }
            if (sink.needs(1)) {
                sink.add(1, g.mul(a), true);
            }
        }, () -> new Replays.Mul(a, b, out));
    }

    /**
     * {@code this * s}.
     *
     * @param s the factor
     * @return the product
     */
    public Var mul(float s) {
        Tensor a = value;
        Tensor out = a.mul(s);
        return unary("mul", out, NONE, (g, sink) -> sink.add(0, g.mul(s), true), () -> new Replays.Scale(a, out, s));
    }

    /**
     * {@code this / other} elementwise with broadcasting.
     *
     * @param other the divisor
     * @return the quotient
     */
    public Var div(Var other) {
        Tensor a = value;
        Tensor b = other.value;
        Tensor out = a.div(b);
        return record("div", out, new Var[] {this, other}, new Tensor[] {a, b}, (g, sink) -> {
            Tensor gOverB = g.div(b);
            // d(a/b)/db = -a/b^2, computed as -(g/b) * a/b so that no b^2 can overflow; before
            // gOverB goes to the sink, which may keep it and add into it.
            Tensor gb = sink.needs(1) ? gOverB.mul(a).div(b).neg() : null;
            if (sink.needs(0)) {
                sink.add(0, gOverB, true);
            }
            if (gb != null) {
                sink.add(1, gb, true);
            }
        }, () -> new Replays.Div(a, b, out));
    }

    /**
     * {@code this / s}.
     *
     * @param s the divisor
     * @return the quotient
     */
    public Var div(float s) {
        Tensor a = value;
        Tensor out = a.div(s);
        return unary("div", out, NONE, (g, sink) -> sink.add(0, g.div(s), true), () -> new Replays.Scale(a, out, s, true));
    }

    /**
     * {@code s / this}.
     *
     * @param s the dividend
     * @return the quotient
     */
    public Var rdiv(float s) {
        return activation(ActivationReplay.Kind.RDIV, s, 0f);
    }

    /** @return {@code -this} */
    public Var neg() {
        Tensor a = value;
        Tensor out = a.neg();
        // -x and x * -1 are the same float, zeros and their signs included.
        return unary("neg", out, NONE, (g, sink) -> sink.add(0, g.neg(), true), () -> new Replays.Scale(a, out, -1f));
    }

    /**
     * {@code this ^ p} elementwise. The gradient is {@code p * x^(p-1)} as PyTorch's, so it is
     * infinite at 0 for {@code 0 < p < 1} and for negative {@code p}; for {@code p == 0} it is
     * exactly 0 everywhere, as the derivative of the constant 1 (not {@code 0 * 0^-1}, a NaN).
     *
     * @param p the exponent
     * @return the power
     */
    public Var pow(float p) {
        return activation(ActivationReplay.Kind.POW, p, 0f);
    }

    /** @return {@code e^this} elementwise */
    public Var exp() {
        return activation(ActivationReplay.Kind.EXP, 0f, 0f);
    }

    /** @return the natural logarithm elementwise */
    public Var log() {
        return activation(ActivationReplay.Kind.LOG, 0f, 0f);
    }

    /**
     * {@code max(this, 0)} elementwise. The gradient is 1 where the input is above 0 and 0
     * elsewhere, including at exactly 0, as PyTorch's relu.
     *
     * @return the rectified values
     */
    public Var relu() {
        Tensor x = value;
        Tensor out = x.relu();
        return unary("relu", out, new Tensor[] {out}, (g, sink) -> {
            Tensor d = Tensor.zeros(out.shape());
            Fused.reluBackward(g.contiguous(), out, d, false); // g may be a broadcast view (a sum's backward)
            sink.add(0, d, true);
        }, () -> new Replays.Relu(x, out));
    }

    // ------------------------------------------------------------------ smooth activations
    //
    // Each unary elementwise op (these, and exp, log, pow, clampMin, rdiv above and below)
    // computes its value with the Tensor op, saves what its derivative needs (the output where
    // that is cheapest, else the input) and has an allocation-free ActivationReplay that
    // recomputes it with the same kernel.

    private Var activation(ActivationReplay.Kind kind, float a, float b) {
        Tensor x = value;
        Tensor out = kind.forward(x, a, b);
        ActivationReplay.Reads reads = kind.reads;
        Tensor[] saved = reads == ActivationReplay.Reads.BOTH ? new Tensor[] {x, out}
                : new Tensor[] {reads.input ? x : out};
        return unary(kind.op, out, saved, (g, sink) -> {
            Tensor d = Tensor.zeros(out.shape());
            // g may be a broadcast view (a sum's backward), x a strided one; out is contiguous
            kind.backward(g.contiguous(), reads.input ? x.contiguous() : null, reads.output ? out : null, a, b, d);
            sink.add(0, d, true);
        }, () -> new ActivationReplay(kind, a, b, x, out));
    }

    /**
     * {@code tanh(this)}; the gradient {@code 1 - tanh^2} comes from the output.
     *
     * @return the hyperbolic tangent
     */
    public Var tanh() {
        return activation(ActivationReplay.Kind.TANH, 0f, 0f);
    }

    /**
     * The logistic sigmoid {@code 1 / (1 + e^-this)}; the gradient {@code s (1 - s)} comes from the
     * output, so a large |x| gives 0, never NaN.
     *
     * @return the sigmoid
     */
    public Var sigmoid() {
        return activation(ActivationReplay.Kind.SIGMOID, 0f, 0f);
    }

    /**
     * GELU, {@code x Phi(x)}, as PyTorch's {@code F.gelu(x)} (approximate='none'); see {@link Tensor#gelu()}.
     *
     * @return the GELU
     */
    public Var gelu() {
        return gelu("none");
    }

    /**
     * GELU with PyTorch's {@code approximate} argument ("none" or "tanh", see {@link Tensor#gelu(String)}).
     *
     * @param approximate "none" or "tanh"
     * @return the GELU
     */
    public Var gelu(String approximate) {
        if (!"none".equals(approximate) && !"tanh".equals(approximate)) {
            throw new IllegalArgumentException("gelu: approximate must be 'none' or 'tanh', got "
                    + (approximate == null ? "null" : "'" + approximate + "'"));
        }
        return activation("tanh".equals(approximate) ? ActivationReplay.Kind.GELU_TANH : ActivationReplay.Kind.GELU,
                0f, 0f);
    }

    /**
     * {@code x > 0 ? x : negativeSlope x}, as {@code F.leaky_relu}; the gradient is
     * {@code negativeSlope} at 0 and below, as PyTorch's.
     *
     * @param negativeSlope the slope below 0 (PyTorch's default 0.01)
     * @return the leaky relu
     */
    public Var leakyRelu(float negativeSlope) {
        return activation(ActivationReplay.Kind.LEAKY_RELU, negativeSlope, 0f);
    }

    /**
     * Softplus with PyTorch's defaults (beta 1, threshold 20).
     *
     * @return {@code log(1 + e^this)}
     */
    public Var softplus() {
        return softplus(1f, 20f);
    }

    /**
     * {@code log(1 + exp(beta x)) / beta}, and x where {@code beta x > threshold}, as
     * {@code F.softplus}; the gradient is {@code sigmoid(beta x)} (1 above the threshold).
     *
     * @param beta the sharpness, not 0
     * @param threshold where the op switches to x
     * @return the softplus
     */
    public Var softplus(float beta, float threshold) {
        return activation(ActivationReplay.Kind.SOFTPLUS, beta, threshold);
    }

    /**
     * {@code log(1 + this)}, accurate near 0; the gradient is {@code 1 / (1 + x)}.
     *
     * @return the log1p
     */
    public Var log1p() {
        return activation(ActivationReplay.Kind.LOG1P, 0f, 0f);
    }

    /**
     * {@code e^this - 1}, accurate near 0; the gradient {@code e^x} comes from the output.
     *
     * @return the expm1
     */
    public Var expm1() {
        return activation(ActivationReplay.Kind.EXPM1, 0f, 0f);
    }

    /**
     * Inverted dropout, as {@code F.dropout(x, p, training=True)}: each element is zeroed with
     * probability p and the others scaled by {@code 1 / (1 - p)}, so the expected value is
     * unchanged; p = 1 zeroes everything ({@code x * 0}). The mask is drawn from {@code rng}, one
     * {@link Rng#nextFloat()} per element in row-major order (an element is kept when the draw is
     * at least p); the gradient is the mask. A {@link CapturedGraph} draws a fresh mask from the
     * same {@code rng} on every replayed forward, so eager steps and replayed steps from equal
     * seeds use equal masks. For evaluation, do not call it (the {@code Dropout} layer does so).
     *
     * @param p the probability of zeroing, in [0, 1]
     * @param rng where the mask comes from
     * @return the dropped-out values
     * @throws IllegalArgumentException if p is outside [0, 1] or rng is null
     */
    public Var dropout(float p, Rng rng) {
        DropoutReplay.check(p, rng);
        Tensor x = value;
        Tensor mask = DropoutReplay.mask(x.shape(), p, rng, null);
        Tensor out = x.mul(mask);
        return unary("dropout", out, new Tensor[] {mask}, (g, sink) -> sink.add(0, g.mul(mask), true),
                () -> new DropoutReplay(x, mask, out, p, rng));
    }

    /**
     * {@code max(this, min)} elementwise, the lesson's {@code clamp_min}. As PyTorch's
     * {@code clamp_min}, the gradient is 1 where the input is at or above {@code min} (so at
     * exactly {@code min} it differs from {@link #relu()}).
     *
     * @param min the lower bound
     * @return the clamped values
     */
    public Var clampMin(float min) {
        return activation(ActivationReplay.Kind.CLAMP_MIN, min, 0f);
    }

    // ------------------------------------------------------------------ reductions

    /** @return the sum of all elements, 0-d */
    public Var sum() {
        int[] in = value.shape();
        Tensor a = value;
        Tensor out = a.sum();
        return unary("sum", out, NONE, (g, sink) -> sink.add(0, g.expand(in), false),
                () -> new Replays.Reduce(a, out, Tensor::sumInto, ones(in.length), 1f));
    }

    private static int[] ones(int n) {
        int[] s = new int[n];
        Arrays.fill(s, 1);
        return s;
    }

    private static int[] kept(int[] shape, int d) {
        int[] s = shape.clone();
        s[d] = 1;
        return s;
    }

    /**
     * Sums along one dim, removing it (the lesson's {@code out.g.sum(0)}).
     *
     * @param dim the dim, negative counting from the end
     * @return the sums
     */
    public Var sum(int dim) {
        return sum(dim, false);
    }

    /**
     * Sums along one dim. A 0-d value, as in PyTorch, takes dim 0 or -1 and is its own sum
     * (0-d, also with keepdim).
     *
     * @param dim the dim, negative counting from the end
     * @param keepdim keep the dim with size 1
     * @return the sums
     */
    public Var sum(int dim, boolean keepdim) {
        int[] in = value.shape();
        if (in.length == 0) { // dim 0 or -1 of a 0-d value is the value itself, as in PyTorch; Tensor checks dim
            return itself("sum", value.sum(dim, keepdim));
        }
        int d = Dims.normalize("sum", dim, in);
        Tensor a = value;
        Tensor out = a.sum(d, keepdim);
        return unary("sum", out, NONE,
                (g, sink) -> sink.add(0, (keepdim ? g : g.unsqueeze(d)).expand(in), false),
                () -> new Replays.Reduce(a, out, (t, o) -> t.sumInto(d, o), kept(in, d), 1f));
    }

    /** A reduction of a 0-d value along its dim: a copy of the value, replayed as {@code x * 1}, the same float. */
    private Var itself(String op, Tensor copy) {
        Tensor a = value;
        return unary(op, copy, NONE, (g, sink) -> sink.add(0, g, false), () -> new Replays.Scale(a, copy, 1f));
    }

    /** @return the mean of all elements, 0-d */
    public Var mean() {
        int[] in = value.shape();
        float scale = 1f / value.numel();
        Tensor a = value;
        Tensor out = a.mean();
        return unary("mean", out, NONE, (g, sink) -> sink.add(0, g.mul(scale).expand(in), false),
                () -> new Replays.Reduce(a, out, Tensor::meanInto, ones(in.length), scale));
    }

    /**
     * Means along one dim, removing it.
     *
     * @param dim the dim, negative counting from the end
     * @return the means
     */
    public Var mean(int dim) {
        return mean(dim, false);
    }

    /**
     * Means along one dim. A 0-d value takes dim 0 or -1 and is its own mean, as for
     * {@link #sum(int, boolean)}.
     *
     * @param dim the dim, negative counting from the end
     * @param keepdim keep the dim with size 1
     * @return the means
     */
    public Var mean(int dim, boolean keepdim) {
        int[] in = value.shape();
        if (in.length == 0) { // the mean of one element, as sum(dim, keepdim)
            return itself("mean", value.mean(dim, keepdim));
        }
        int d = Dims.normalize("mean", dim, in);
        float scale = 1f / in[d];
        Tensor a = value;
        Tensor out = a.mean(d, keepdim);
        return unary("mean", out, NONE,
                (g, sink) -> sink.add(0, (keepdim ? g : g.unsqueeze(d)).mul(scale).expand(in), false),
                () -> new Replays.Reduce(a, out, (t, o) -> t.meanInto(d, o), kept(in, d), scale));
    }

    /**
     * {@code log(sum(exp(this), dim))}, computed stably by subtracting the largest value of each
     * slice first, so logits of 1e4 give no overflow ({@link LogSoftmax#logSumExp}'s kernel, which a
     * {@link CapturedGraph} replays too). Its gradient is the softmax along {@code dim}. A 0-d
     * value takes dim 0 or -1 and gives itself (0-d, also with keepdim).
     *
     * @param dim the dim, negative counting from the end
     * @param keepdim keep the dim with size 1
     * @return the log-sum-exp
     */
    public Var logSumExp(int dim, boolean keepdim) {
        Tensor x = value;
        int d = Shapes.reductionDim("logSumExp", dim, x.shape());
        Tensor out = LogSoftmax.logSumExp(x, d, keepdim);
        int[] kept = x.dim() == 0 ? new int[0] : kept(x.shape(), d);
        // d lse / dx = softmax(x) along d (1 for a 0-d value, NaN at an infinite one, as PyTorch's
        // logsumexp_backward), times the upstream gradient broadcast back along d.
        return unary("logSumExp", out, new Tensor[] {x},
                (g, sink) -> sink.add(0, LogSoftmax.forward(x, d).expInPlace().mulInPlace(g.reshape(kept)), true),
                () -> new LogSumExpReplay(x, out, d, kept));
    }

    /**
     * {@code this - logSumExp(this, dim)}: log-probabilities along {@code dim}, stable for large
     * logits ({@link LogSoftmax}'s kernel, which a {@link CapturedGraph} replays too). A 0-d value
     * takes dim 0 or -1 and gives 0, the log-probability of one element (NaN for an infinite one).
     *
     * @param dim the dim, negative counting from the end
     * @return the log-softmax, same shape
     */
    public Var logSoftmax(int dim) {
        Tensor x = value;
        int d = Shapes.reductionDim("logSoftmax", dim, x.shape());
        Tensor out = LogSoftmax.forward(x, d);
        return unary("logSoftmax", out, new Tensor[] {out}, (g, sink) -> {
            // d/dx_j sum_i g_i (x_i - lse) = g_j - softmax_j * sum_i g_i
            sink.add(0, LogSoftmax.backward(g, out, d, Tensor.zeros(out.shape()), false), true);
        }, () -> new LogSoftmaxReplay(x, out, d));
    }

    /**
     * Softmax along {@code dim}, as {@code logSoftmax(dim).exp()} (1 for a 0-d value and dim 0 or -1).
     *
     * @param dim the dim, negative counting from the end
     * @return probabilities, same shape
     */
    public Var softmax(int dim) {
        Shapes.reductionDim("softmax", dim, value.shape());
        return logSoftmax(dim).exp();
    }

    // ------------------------------------------------------------------ shape

    /**
     * The same elements in another shape ({@link Tensor#reshape}).
     *
     * @param shape the sizes, one may be -1
     * @return the reshaped Var
     */
    public Var reshape(int... shape) {
        int[] in = value.shape();
        return view("reshape", value.reshape(shape), (g, sink) -> sink.add(0, g.reshape(in), false),
                Replays.View.Kind.OF_OUTPUT_GRADIENT, g -> g.reshape(in));
    }

    /** @return this Var as 1-d */
    public Var flatten() {
        return reshape(value.numel());
    }

    /** @return the transpose of a 2-d Var */
    public Var t() {
        return view("t", value.t(), (g, sink) -> sink.add(0, g.t(), false),
                Replays.View.Kind.OF_OUTPUT_GRADIENT, Tensor::t);
    }

    /**
     * Swaps two dims.
     *
     * @param dim0 first dim
     * @param dim1 second dim
     * @return the transposed Var
     */
    public Var transpose(int dim0, int dim1) {
        return view("transpose", value.transpose(dim0, dim1), (g, sink) -> sink.add(0, g.transpose(dim0, dim1), false),
                Replays.View.Kind.OF_OUTPUT_GRADIENT, g -> g.transpose(dim0, dim1));
    }

    /** @return this Var without its size-1 dims */
    public Var squeeze() {
        int[] in = value.shape();
        return view("squeeze", value.squeeze(), (g, sink) -> sink.add(0, g.reshape(in), false),
                Replays.View.Kind.OF_OUTPUT_GRADIENT, g -> g.reshape(in));
    }

    /**
     * Removes one dim if its size is 1.
     *
     * @param dim the dim
     * @return the squeezed Var
     */
    public Var squeeze(int dim) {
        int[] in = value.shape();
        return view("squeeze", value.squeeze(dim), (g, sink) -> sink.add(0, g.reshape(in), false),
                Replays.View.Kind.OF_OUTPUT_GRADIENT, g -> g.reshape(in));
    }

    /**
     * Inserts a size-1 dim ({@code x[:, None]} is {@code unsqueeze(1)}).
     *
     * @param dim where the new dim goes
     * @return the unsqueezed Var
     */
    public Var unsqueeze(int dim) {
        int[] in = value.shape();
        return view("unsqueeze", value.unsqueeze(dim), (g, sink) -> sink.add(0, g.reshape(in), false),
                Replays.View.Kind.OF_OUTPUT_GRADIENT, g -> g.reshape(in));
    }

    /**
     * This Var broadcast to a larger shape; the gradient is summed back.
     *
     * @param shape the target shape, -1 keeping a size
     * @return the expanded Var
     */
    public Var expand(int... shape) {
        return view("expand", value.expand(shape), (g, sink) -> sink.add(0, g, false),
                Replays.View.Kind.OF_OUTPUT_GRADIENT, g -> g);
    }

    /**
     * The elements {@code start <= i < end} along one dim ({@code x[start:end]}).
     *
     * @param dim the dim
     * @param start first index, negative counting from the end
     * @param end exclusive end, negative counting from the end
     * @return the slice
     */
    public Var slice(int dim, int start, int end) {
        int[] in = value.shape();
        return view("slice", value.slice(dim, start, end), (g, sink) -> {
            Tensor z = Tensor.zeros(in);
            z.slice(dim, start, end).copyFrom(g);
            sink.add(0, z, true);
        }, Replays.View.Kind.INTO_INPUT_GRADIENT, gIn -> gIn.slice(dim, start, end));
    }

    /**
     * One index along one dim, removing that dim ({@code x[i]} for dim 0).
     *
     * @param dim the dim
     * @param index the index, negative counting from the end
     * @return the selected Var
     */
    public Var select(int dim, int index) {
        int[] in = value.shape();
        return view("select", value.select(dim, index), (g, sink) -> {
            Tensor z = Tensor.zeros(in);
            z.select(dim, index).copyFrom(g);
            sink.add(0, z, true);
        }, Replays.View.Kind.INTO_INPUT_GRADIENT, gIn -> gIn.select(dim, index));
    }

    /**
     * For a 2-d Var of shape [n, c], the element {@code indices[i]} of each row {@code i}, as a
     * Var of shape [n] ({@code x[range(n), indices]}): how the negative log-likelihood picks the
     * log-probability of each sample's class. An {@code int[]} is read once, when the op runs, so
     * a {@link CapturedGraph} refuses to replay this form (as {@code crossEntropy}'s int[] targets):
     * use {@link #gatherColumns(Tensor)} there.
     *
     * @param indices one column index per row, each in {@code [0, c)}
     * @return the picked elements
     */
    public Var gatherColumns(int[] indices) {
        return gather("gatherColumns", indices.clone());
    }

    /**
     * {@link #gatherColumns(int[])} with the indices held in a 1-d tensor of whole numbers
     * ({@link Fused#gatherColumns}), read when the op runs and saved for backward: a
     * {@link CapturedGraph} replays it with the indices the tensor holds then (a new batch's).
     *
     * @param indices a 1-d tensor of n whole numbers in {@code [0, c)}
     * @return the picked elements
     */
    public Var gatherColumns(Tensor indices) {
        Tensor x = value;
        if (x.dim() != 2) {
            throw new IllegalArgumentException("gatherColumns: expected a 2-d [rows, columns] input, got shape "
                    + Shapes.str(x.shape()));
        }
        Targets.toIndices("gatherColumns", indices, x.size(0), x.size(1)); // the op's own messages
        Tensor out = Fused.gatherColumns(x, indices, Tensor.zeros(x.size(0)));
        return unary("gatherColumns", out, new Tensor[] {indices}, (g, sink) -> {
            Tensor gx = Tensor.zeros(x.shape());
            Fused.gatherColumnsBackward(g, indices, gx);
            sink.add(0, gx, true);
        }, () -> new Replays.GatherColumns(x, indices, out));
    }

    Var gather(String op, int[] idx) {
        if (value.dim() != 2) {
            throw new IllegalArgumentException(op + ": expected a 2-d [rows, columns] input, got shape "
                    + Shapes.str(value.shape()));
        }
        int n = value.size(0);
        int c = value.size(1);
        Targets.check(op, idx, n, c);
        float[] picked = new float[n];
        for (int i = 0; i < n; i++) {
            picked[i] = value.get(i, idx[i]);
        }
        // An int[] is read once, when the op runs: a captured graph would replay these indices.
        Tracer.refuse(op, "its indices are an int[], read once; pass them as a Tensor to replay");
        return unary(op, Tensor.wrap(picked, n), NONE, (g, sink) -> {
            float[] z = new float[n * c];
            Tensor gc = g.contiguous();
            for (int i = 0; i < n; i++) {
                z[i * c + idx[i]] = gc.get(i);
            }
            sink.add(0, Tensor.wrap(z, n, c), true);
        });
    }

    /**
     * A lookup of rows of {@code weight} ({@code [numEmbeddings, dim]}) by index, as
     * {@code F.embedding(indices, weight)}: the result has shape {@code indices.shape + [dim]}.
     * The indices are whole numbers stored as floats (what a DataLoader batch holds), read when the
     * op runs, so a {@link CapturedGraph} replays it with new indices. The weight's gradient is the
     * scatter-add of the output's gradient rows.
     *
     * @param weight the table
     * @param indices whole numbers in [0, numEmbeddings), any shape
     * @return the looked-up rows
     * @throws IllegalArgumentException naming the first index out of range, or a weight that is not 2-d
     */
    public static Var embedding(Var weight, Tensor indices) {
        Tensor w = weight.value;
        if (w.dim() != 2 || indices == null) {
            throw new IllegalArgumentException("embedding: expected a 2-d [numEmbeddings, embeddingDim] weight and"
                    + " indices, got weight " + Shapes.str(w.shape()) + (indices == null ? " and null indices" : ""));
        }
        int[] shape = Arrays.copyOf(indices.shape(), indices.dim() + 1);
        shape[indices.dim()] = w.size(1);
        Tensor out = Fused.embedding(w, indices, Tensor.zeros(shape));
        return record("embedding", out, new Var[] {weight}, new Tensor[] {indices}, (g, sink) -> {
            Tensor gw = Tensor.zeros(w.shape());
            Fused.embeddingBackward(g, indices, gw, false);
            sink.add(0, gw, true);
        }, () -> new EmbeddingReplay(w, indices, out));
    }

    // ------------------------------------------------------------------ matmul

    /**
     * Matrix product {@code this @ other}: 2-d by 2-d, 1-d operands as row / column vectors,
     * and batched 3-d forms, as {@link Tensor#matmul}. Backward: {@code dA = g @ B^T},
     * {@code dB = A^T @ g} (summed over a shared batch), read from transposed views without
     * copies and accumulated in place into existing gradients where possible.
     *
     * @param other the right operand
     * @return the product
     */
    public Var matmul(Var other) {
        int ra = value.dim();
        int rb = other.value.dim();
        if (ra == 1 && rb >= 1) {
            Var r = unsqueeze(0).matmul(other);
            return r.squeeze(rb == 3 ? 1 : 0);
        }
        if (rb == 1 && ra >= 1) {
            return matmul(other.unsqueeze(1)).squeeze(-1);
        }
        Tensor a = value;
        Tensor b = other.value;
        Tensor out = a.matmul(b);
        Supplier<Replay> replay = ra == 2 && rb == 2 ? () -> new Replays.Matmul(a, b, out, isLeaf(), other.isLeaf()) : null;
        return record("matmul", out, new Var[] {this, other}, new Tensor[] {a, b}, (g, sink) -> {
            if (ra == 2 && rb == 2) {
                if (sink.needs(0)) {
                    sink.addMatmul(0, g, b.t());
                }
                if (sink.needs(1)) {
                    sink.addMatmul(1, a.t(), g);
                }
                return;
            }
            if (sink.needs(0)) {
                sink.add(0, g.matmul(b.transpose(-2, -1)), true);
            }
            if (sink.needs(1)) {
                sink.add(1, a.transpose(-2, -1).matmul(g), true);
            }
        }, replay);
    }

    /**
     * A fully connected layer's product, fused: {@code this @ weight^T + bias} for an input of
     * shape [n, in], a weight of shape [out, in] (PyTorch's {@code nn.Linear} layout, as
     * {@code F.linear}) and a bias of shape [out] or null. One kernel call forward
     * ({@link Fused#linear}) and one backward ({@link Fused#linearBackward}).
     *
     * @param weight the weight, [out, in]
     * @param bias the bias, [out], or null
     * @return the product, [n, out]
     */
    public Var linear(Var weight, Var bias) {
        if (value.dim() == 1) {
            return unsqueeze(0).linear(weight, bias).squeeze(0);
        }
        if (value.dim() > 2) {
            int[] shape = value.shape();
            int[] flat = {-1, shape[shape.length - 1]};
            shape[shape.length - 1] = weight.value.dim() == 2 ? weight.size(0) : -1;
            return reshape(flat).linear(weight, bias).reshape(shape);
        }
        Tensor x = value;
        Tensor w = weight.value;
        Tensor b = bias == null ? null : bias.value;
        Tensor out = Fused.linear(x, w, b, false);
        Var[] inputs = bias == null ? new Var[] {this, weight} : new Var[] {this, weight, bias};
        Tensor[] saved = {x, w};
        return record("linear", out, inputs, saved, (g, sink) -> {
            Tensor gx = sink.needs(0) ? Tensor.zeros(x.shape()) : null;
            Tensor gw = sink.needs(1) ? Tensor.zeros(w.shape()) : null;
            Tensor gb = b != null && sink.needs(2) ? Tensor.zeros(b.shape()) : null;
            Fused.linearBackward(g, x, w, gx, false, gw, false, gb, false);
            if (gx != null) {
                sink.add(0, gx, true);
            }
            if (gw != null) {
                sink.add(1, gw, true);
            }
            if (gb != null) {
                sink.add(2, gb, true);
            }
        }, () -> new Replays.Linear(x, w, b, out, false));
    }

    /** @return e.g. {@code Var[50] grad_fn=matmul} followed by the value */
    @Override
    public String toString() {
        String kind = node != null ? " grad_fn=" + node.op : requiresGrad ? " requires_grad" : "";
        return "Var" + Shapes.str(value.shape()) + kind + "\n" + value;
    }
}
