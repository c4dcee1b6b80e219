package dev.vectorgrad.core;

import java.util.Arrays;

import dev.vectorgrad.core.internal.Kernels;
import dev.vectorgrad.core.internal.SoftmaxKernels;

/**
 * The log-softmax along one dim, {@code torch.log_softmax(x, dim)}, its backward and its
 * normaliser {@code torch.logsumexp(x, dim)}, written into tensors the caller owns: the one
 * implementation behind autograd's {@code Var.logSoftmax} (and so {@code softmax}) and
 * {@code Var.logSumExp}, and the replays of them in a captured graph, which therefore agree bit
 * for bit.
 *
 * <p>Forward: {@code out = (x - m) - log(sum exp(x - m))} along {@code dim}, with {@code m} the
 * slice's maximum (0 when that maximum is infinite), stable for logits of 1e4; an all
 * {@code -inf} slice, or one holding {@code +inf} or NaN, gives NaN where PyTorch does. Backward:
 * {@code gradIn (=|+=) gradOut - exp(output) * sum(gradOut)} along {@code dim}. Each {@code exp}
 * and {@code log} is {@code Math}'s rounded to float and each sum is taken in double in element
 * order, so the SIMD kernels and their scalar twins ({@code -Dvectorgrad.vectorBitSize=0}) give
 * the same bits. A 0-d tensor is one slice of one element, along dim 0 or -1, as in PyTorch.
 *
 * <p>Tensors read may be any view (transposed, sliced, expanded); tensors written must be
 * contiguous and share no storage with what is read. A strided input is first copied into
 * {@code out}, a strided gradient into {@code gradIn} (into a new tensor when accumulating), and
 * the kernels then work in place. With contiguous tensors nothing is allocated; a strided copy
 * costs {@link Tensor#copyFrom}'s layout bookkeeping, a few hundred bytes. Every method validates first and throws
 * {@link IllegalArgumentException} (a dim out of range: {@link IndexOutOfBoundsException}) naming
 * the op, what was expected and what came, before anything is written; written tensors have their
 * {@link Tensor#version()} bumped.
 */
public final class LogSoftmax {

    private static final SoftmaxKernels K = Kernels.SOFTMAX;

    private LogSoftmax() {}

    /**
     * {@code log_softmax(x, dim)} into a new contiguous tensor of x's shape.
     *
     * @param x the input, any shape and layout
     * @param dim the dim, negative counting from the end (0 or -1 for a 0-d x)
     * @return the log-probabilities
     * @throws IndexOutOfBoundsException if dim is out of range for x's shape
     */
    public static Tensor forward(Tensor x, int dim) {
        int d = checkInput("logSoftmax", "x", x, dim);
        Tensor out = Tensor.zeros(x.shapeRef());
        run(x, d, out);
        return out;
    }

    /**
     * {@code out = log_softmax(x, dim)}.
     *
     * @param x the input, any shape and layout
     * @param dim the dim, negative counting from the end (0 or -1 for a 0-d x)
     * @param out contiguous, of x's shape, sharing no storage with x
     * @return {@code out}
     * @throws IllegalArgumentException if out is null, of another shape, strided or overlaps x
     * @throws IndexOutOfBoundsException if dim is out of range for x's shape
     */
    public static Tensor forward(Tensor x, int dim, Tensor out) {
        String op = "logSoftmax";
        int d = checkInput(op, "x", x, dim);
        checkWritten(op, "out", out, "x", x);
        run(x, d, out);
        out.bumpVersion();
        return out;
    }

    private static void run(Tensor x, int d, Tensor out) {
        if (x.numel() == 0) {
            return;
        }
        Tensor src = x;
        if (!x.isContiguous()) {
            src = out.copyFrom(x); // the kernel then works in place, which it allows
        }
        int[] s = x.shapeRef();
        K.logSoftmax(src.data(), src.offset(), out.data(), out.offset(),
                Reductions.prod(s, 0, d), size(s, d), Reductions.prod(s, d + 1, s.length));
    }

    /**
     * {@code torch.logsumexp(x, dim, keepdim)} into a new contiguous tensor: the log-softmax's
     * normaliser {@code m + log(sum exp(x - m))}, with the forward's {@code m}, exps, double sum and
     * log, so {@code x - logSumExp} and {@link #forward} agree in meaning (not necessarily in the
     * last bit: the forward subtracts {@code m} and the log separately). An empty slice or an all
     * {@code -inf} one gives {@code -inf}, one holding {@code +inf} gives {@code +inf}; a 0-d x gives itself.
     *
     * @param x the input, any shape and layout
     * @param dim the dim, negative counting from the end (0 or -1 for a 0-d x)
     * @param keepdim keep the dim with size 1
     * @return the log-sum-exp, x's shape without dim (or with it of size 1)
     * @throws IndexOutOfBoundsException if dim is out of range for x's shape
     */
    public static Tensor logSumExp(Tensor x, int dim, boolean keepdim) {
        int d = checkInput("logSumExp", "x", x, dim);
        Tensor out = Tensor.zeros(Shapes.reducedShape(x.shapeRef(), d, keepdim));
        runLogSumExp(x, d, out);
        return out;
    }

    /**
     * {@code out = logsumexp(x, dim)}, as {@link #logSumExp(Tensor, int, boolean)}.
     *
     * @param x the input, any shape and layout (a strided one is read from a contiguous copy)
     * @param dim the dim, negative counting from the end (0 or -1 for a 0-d x)
     * @param out contiguous, of x's shape without dim or with it of size 1, sharing no storage with x
     * @return {@code out}
     * @throws IllegalArgumentException if out is null, of another shape, strided or overlaps x
     * @throws IndexOutOfBoundsException if dim is out of range for x's shape
     */
    public static Tensor logSumExp(Tensor x, int dim, Tensor out) {
        String op = "logSumExp";
        int d = checkInput(op, "x", x, dim);
        int[] s = x.shapeRef();
        if (out == null || !Shapes.isReduced(out.shapeRef(), s, d)) {
            throw new IllegalArgumentException(op + ": x " + Shapes.str(s) + ", dim " + d + ": expected out of shape "
                    + Shapes.str(Shapes.reducedShape(s, d, false)) + " or " + Shapes.str(Shapes.reducedShape(s, d, true))
                    + ", got " + (out == null ? "null" : Shapes.str(out.shapeRef())));
        }
        if (!out.isContiguous()) {
            throw new IllegalArgumentException(op + ": out of shape " + Shapes.str(out.shapeRef())
                    + " is a strided view; the tensor written must be contiguous");
        }
        checkDisjoint(op, "out", out, "x", x);
        runLogSumExp(x, d, out);
        out.bumpVersion();
        return out;
    }

    private static void runLogSumExp(Tensor x, int d, Tensor out) {
        if (out.numel() == 0) {
            return;
        }
        Tensor src = x.contiguous();
        int[] s = x.shapeRef();
        K.logSumExp(src.data(), src.offset(), out.data(), out.offset(),
                Reductions.prod(s, 0, d), size(s, d), Reductions.prod(s, d + 1, s.length));
    }

    /**
     * The backward of {@link #forward}: {@code gradIn (=|+=) gradOut - exp(output) *
     * sum(gradOut, dim)}, the gradient of the log-softmax's input.
     *
     * @param gradOut the gradient of the log-softmax's output, of output's shape, any layout
     * @param output the log-softmax's output, any layout
     * @param dim the dim the forward ran along
     * @param gradIn contiguous, of output's shape, sharing no storage with gradOut or output
     * @param accumulate add into gradIn instead of overwriting it
     * @return {@code gradIn}
     * @throws IllegalArgumentException if a tensor is null, a shape differs, gradIn is strided or overlaps
     * @throws IndexOutOfBoundsException if dim is out of range for output's shape
     */
    public static Tensor backward(Tensor gradOut, Tensor output, int dim, Tensor gradIn, boolean accumulate) {
        String op = "logSoftmaxBackward";
        int d = checkInput(op, "output", output, dim);
        if (gradOut == null) {
            throw new IllegalArgumentException(op + ": gradOut is null");
        }
        if (!Arrays.equals(gradOut.shapeRef(), output.shapeRef())) {
            throw new IllegalArgumentException(op + ": expected gradOut of output's shape "
                    + Shapes.str(output.shapeRef()) + ", got " + Shapes.str(gradOut.shapeRef()));
        }
        checkWritten(op, "gradIn", gradIn, "output", output);
        checkDisjoint(op, "gradIn", gradIn, "gradOut", gradOut);
        if (output.numel() > 0) {
            Tensor y = output.contiguous();
            // A strided gradient is copied into gradIn and used in place, which the kernel allows.
            Tensor g = gradOut.isContiguous() ? gradOut : accumulate ? gradOut.contiguous() : gradIn.copyFrom(gradOut);
            int[] s = output.shapeRef();
            K.logSoftmaxBackward(g.data(), g.offset(), y.data(), y.offset(), gradIn.data(), gradIn.offset(),
                    Reductions.prod(s, 0, d), size(s, d), Reductions.prod(s, d + 1, s.length), accumulate);
        }
        gradIn.bumpVersion();
        return gradIn;
    }

    /** The size along the softmax's dim: 1 for a 0-d tensor, a slice of one element. */
    private static int size(int[] shape, int d) {
        return shape.length == 0 ? 1 : shape[d];
    }

    private static int checkInput(String op, String name, Tensor t, int dim) {
        if (t == null) {
            throw new IllegalArgumentException(op + ": " + name + " is null");
        }
        int[] s = t.shapeRef();
        // A 0-d tensor takes dim 0 or -1, as a tensor reduction does (PyTorch's rule).
        return Shapes.normalizeDim(op, dim, s, Math.max(1, s.length));
    }

    private static void checkWritten(String op, String name, Tensor w, String readName, Tensor read) {
        if (w == null) {
            throw new IllegalArgumentException(op + ": " + name + " is null; pass a contiguous tensor of "
                    + readName + "'s shape " + Shapes.str(read.shapeRef()));
        }
        if (!Arrays.equals(w.shapeRef(), read.shapeRef())) {
            throw new IllegalArgumentException(op + ": expected " + name + " of " + readName + "'s shape "
                    + Shapes.str(read.shapeRef()) + ", got " + Shapes.str(w.shapeRef()));
        }
        if (!w.isContiguous()) {
            throw new IllegalArgumentException(op + ": " + name + " of shape " + Shapes.str(w.shapeRef())
                    + " is a strided view with strides " + Arrays.toString(w.stridesRef())
                    + "; the tensor written must be contiguous");
        }
        checkDisjoint(op, name, w, readName, read);
    }

    private static void checkDisjoint(String op, String name, Tensor w, String readName, Tensor read) {
        if (Fused.overlaps(w, read)) {
            throw new IllegalArgumentException(op + ": " + name + " " + Shapes.str(w.shapeRef())
                    + " shares storage with " + readName + " " + Shapes.str(read.shapeRef())
                    + "; pass a tensor of its own");
        }
    }
}
