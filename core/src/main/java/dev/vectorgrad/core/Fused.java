package dev.vectorgrad.core;

import java.util.Arrays;

import dev.vectorgrad.core.internal.BinaryOp;
import dev.vectorgrad.core.internal.FusedKernels;
import dev.vectorgrad.core.internal.Kernels;
import dev.vectorgrad.core.internal.MatmulKernel;
import dev.vectorgrad.core.internal.UnaryGradOp;
import dev.vectorgrad.core.internal.UnaryOp;

/**
 * The fused operations of an MLP training step, written into tensors the caller owns: a
 * linear layer's forward ({@code act(x @ weight^T + bias)}) and backward, the relu's backward,
 * softmax cross-entropy and mean squared error with their gradients, and the backward of a
 * broadcast. A captured training step replays them allocation-free.
 *
 * <p>Every operation validates all its arguments first (shapes, contiguity of the tensors it
 * writes, overlaps between what it reads and what it writes, class indices) and throws
 * {@link IllegalArgumentException} naming the operation, the shapes and the rule broken before
 * anything is written; a bad call leaves every output untouched. Each written tensor's
 * {@link Tensor#version()} is bumped once per call, as Tensor's in-place operations do.
 *
 * <p>Tensors read may be any view (transposed, sliced) unless a method says otherwise; the
 * transposes the products need ({@code weight^T}, {@code gradOut^T}) are read through their
 * strides, never copied. With contiguous operands nothing is allocated (the matmul kernel may
 * hand a product too big for one thread to its worker pool, which costs a small task object).
 * Tensors written must be contiguous. An {@code accumulate} flag adds to the target instead of
 * overwriting it, as gradients accumulate.
 */
public final class Fused {

    private static final FusedKernels F = Kernels.FUSED;
    private static final MatmulKernel M = Kernels.MATMUL;

    private Fused() {}

    // ------------------------------------------------------------------ linear

    /**
     * {@code out = act(x @ weight^T + bias)}, act the identity or relu: the forward of
     * PyTorch's {@code nn.Linear} (and of a following {@code relu}) in one product and one
     * epilogue pass over its rows.
     *
     * @param x the input {@code [n, in]}, any strides
     * @param weight the weight {@code [out, in]} (nn.Linear's layout), any strides
     * @param bias the bias {@code [out]}, or null for none
     * @param relu whether to apply {@code max(v, 0)} after the bias
     * @param out the result {@code [n, out]}, contiguous, sharing no element with x, weight or bias
     * @return {@code out}
     * @throws IllegalArgumentException if a shape does not fit, out is not contiguous or overlaps an input
     */
    public static Tensor linear(Tensor x, Tensor weight, Tensor bias, boolean relu, Tensor out) {
        checkLinear(x, weight, bias);
        if (out == null) {
            throw new IllegalArgumentException("linear: out is null; use linear(x, weight, bias, relu) to allocate it");
        }
        int n = x.size(0);
        int outF = weight.size(0);
        if (!hasShape(out, n, outF)) {
            throw wrongTarget("linear", linearShapes(x, weight, bias), "out", n, outF, "x's rows by weight's rows", out);
        }
        checkContiguous("linear", "out", out);
        checkDisjoint("linear", "out", out, "x", x);
        checkDisjoint("linear", "out", out, "weight", weight);
        if (bias != null) {
            checkDisjoint("linear", "out", out, "bias", bias);
        }
        linearUnchecked(x, weight, bias, relu, out);
        return out;
    }

    /**
     * {@link #linear(Tensor, Tensor, Tensor, boolean, Tensor)} into a new tensor.
     *
     * @param x the input {@code [n, in]}
     * @param weight the weight {@code [out, in]}
     * @param bias the bias {@code [out]}, or null
     * @param relu whether to apply relu after the bias
     * @return a new contiguous {@code [n, out]} tensor
     */
    public static Tensor linear(Tensor x, Tensor weight, Tensor bias, boolean relu) {
        checkLinear(x, weight, bias);
        Tensor out = Tensor.zeros(x.size(0), weight.size(0));
        linearUnchecked(x, weight, bias, relu, out);
        return out;
    }

    private static void checkLinear(Tensor x, Tensor weight, Tensor bias) {
        if (x == null || weight == null) {
            throw new IllegalArgumentException("linear: x and weight must not be null");
        }
        if (x.dim() != 2 || weight.dim() != 2) {
            throw new IllegalArgumentException("linear: " + linearShapes(x, weight, bias)
                    + ": expected a 2-d x [n, in] and a 2-d weight [out, in]");
        }
        if (x.size(1) != weight.size(1)) {
            throw new IllegalArgumentException("linear: " + linearShapes(x, weight, bias) + ": x has "
                    + x.size(1) + " input features but weight has " + weight.size(1)
                    + " (weight is [out, in], nn.Linear's layout; x @ weight^T needs equal in)");
        }
        if (bias != null && (bias.dim() != 1 || bias.size(0) != weight.size(0))) {
            throw new IllegalArgumentException("linear: " + linearShapes(x, weight, bias)
                    + ": expected a bias of shape [" + weight.size(0) + "] (one per output feature)");
        }
    }

    private static String linearShapes(Tensor x, Tensor weight, Tensor bias) {
        return "x " + str(x) + ", weight " + str(weight) + (bias == null ? "" : ", bias " + str(bias));
    }

    private static void linearUnchecked(Tensor x, Tensor weight, Tensor bias, boolean relu, Tensor out) {
        int n = x.size(0);
        int in = x.size(1);
        int outF = weight.size(0);
        if (n > 0 && outF > 0) {
            int[] xs = x.stridesRef();
            int[] ws = weight.stridesRef();
            // B = weight^T: B[p][j] = weight[j][p], so B's row stride is weight's column stride.
            M.matmul(n, outF, in,
                    x.data(), x.offset(), xs[0], xs[1],
                    weight.data(), weight.offset(), ws[1], ws[0],
                    out.data(), out.offset(), outF, false);
            if (bias == null || bias.stridesRef()[0] == 1 || outF == 1) {
                F.biasRelu(out.data(), out.offset(), outF, n, outF,
                        bias == null ? null : bias.data(), bias == null ? 0 : bias.offset(), relu);
            } else {
                stridedBiasRelu(out, bias, relu, n, outF);
            }
        }
        out.bumpVersion();
    }

    /** The epilogue for a bias read through a stride (a strided view): plain loops. */
    private static void stridedBiasRelu(Tensor out, Tensor bias, boolean relu, int n, int outF) {
        float[] o = out.data();
        float[] b = bias.data();
        int bs = bias.stridesRef()[0];
        for (int i = 0; i < n; i++) {
            int row = out.offset() + i * outF;
            for (int j = 0; j < outF; j++) {
                float v = o[row + j] + b[bias.offset() + j * bs];
                o[row + j] = relu ? Math.max(v, 0f) : v;
            }
        }
    }

    /**
     * The backward of {@link #linear} given {@code gradOut}, the gradient of its output (already
     * masked by the relu, if any, e.g. with {@link #reluBackward}):
     * {@code gradX (=|+=) gradOut @ weight}, {@code gradWeight (=|+=) gradOut^T @ x} and
     * {@code gradBias (=|+=)} the column sums of {@code gradOut}. Any target may be null, and is
     * then skipped.
     *
     * @param gradOut {@code [n, out]}, any strides
     * @param x the forward's input {@code [n, in]}, any strides
     * @param weight the weight {@code [out, in]}, any strides
     * @param gradX {@code [n, in]} contiguous, or null
     * @param accumulateX add into gradX instead of overwriting it
     * @param gradWeight {@code [out, in]} contiguous, or null
     * @param accumulateWeight add into gradWeight instead of overwriting it
     * @param gradBias {@code [out]} contiguous, or null
     * @param accumulateBias add into gradBias instead of overwriting it
     * @throws IllegalArgumentException if a shape does not fit, a target is not contiguous, or
     *         a target shares an element with an input or with another target
     */
    public static void linearBackward(Tensor gradOut, Tensor x, Tensor weight,
                                      Tensor gradX, boolean accumulateX,
                                      Tensor gradWeight, boolean accumulateWeight,
                                      Tensor gradBias, boolean accumulateBias) {
        String op = "linearBackward";
        if (gradOut == null || x == null || weight == null) {
            throw new IllegalArgumentException(op + ": gradOut, x and weight must not be null");
        }
        if (gradOut.dim() != 2 || x.dim() != 2 || weight.dim() != 2) {
            throw new IllegalArgumentException(op + ": " + backwardShapes(gradOut, x, weight)
                    + ": expected 2-d gradOut [n, out], x [n, in] and weight [out, in]");
        }
        int n = x.size(0);
        int in = x.size(1);
        int outF = weight.size(0);
        if (weight.size(1) != in || gradOut.size(0) != n || gradOut.size(1) != outF) {
            throw new IllegalArgumentException(op + ": " + backwardShapes(gradOut, x, weight)
                    + ": expected weight [out, in] = [" + outF + ", " + in + "] to match x's " + in
                    + " input features, and gradOut [n, out] = [" + n + ", " + outF + "]");
        }
        if (gradX != null) {
            if (!hasShape(gradX, n, in)) {
                throw wrongTarget(op, backwardShapes(gradOut, x, weight), "gradX", n, in, "x's shape", gradX);
            }
            checkContiguous(op, "gradX", gradX);
            checkReads(op, "gradX", gradX, gradOut, x, weight);
        }
        if (gradWeight != null) {
            if (!hasShape(gradWeight, outF, in)) {
                throw wrongTarget(op, backwardShapes(gradOut, x, weight), "gradWeight", outF, in, "weight's shape",
                        gradWeight);
            }
            checkContiguous(op, "gradWeight", gradWeight);
            checkReads(op, "gradWeight", gradWeight, gradOut, x, weight);
        }
        if (gradBias != null) {
            if (gradBias.dim() != 1 || gradBias.size(0) != outF) {
                throw new IllegalArgumentException(op + ": " + backwardShapes(gradOut, x, weight)
                        + ": expected gradBias of shape [" + outF + "] (one per row of weight), got " + str(gradBias));
            }
            checkContiguous(op, "gradBias", gradBias);
            checkReads(op, "gradBias", gradBias, gradOut, x, weight);
        }
        if (gradX != null && gradWeight != null) {
            checkDisjoint(op, "gradX", gradX, "gradWeight", gradWeight);
        }
        if (gradX != null && gradBias != null) {
            checkDisjoint(op, "gradX", gradX, "gradBias", gradBias);
        }
        if (gradWeight != null && gradBias != null) {
            checkDisjoint(op, "gradWeight", gradWeight, "gradBias", gradBias);
        }

        int[] gs = gradOut.stridesRef();
        if (gradX != null) {
            if (n > 0 && in > 0) {
                if (outF == 0) {
                    zeroUnless(gradX, accumulateX);
                } else {
                    int[] ws = weight.stridesRef();
                    M.matmul(n, in, outF,
                            gradOut.data(), gradOut.offset(), gs[0], gs[1],
                            weight.data(), weight.offset(), ws[0], ws[1],
                            gradX.data(), gradX.offset(), in, accumulateX);
                }
            }
            gradX.bumpVersion();
        }
        if (gradWeight != null) {
            if (outF > 0 && in > 0) {
                if (n == 0) {
                    zeroUnless(gradWeight, accumulateWeight);
                } else {
                    int[] xs = x.stridesRef();
                    // A = gradOut^T: A[i][p] = gradOut[p][i], so A's row stride is gradOut's column stride.
                    M.matmul(outF, in, n,
                            gradOut.data(), gradOut.offset(), gs[1], gs[0],
                            x.data(), x.offset(), xs[0], xs[1],
                            gradWeight.data(), gradWeight.offset(), in, accumulateWeight);
                }
            }
            gradWeight.bumpVersion();
        }
        if (gradBias != null) {
            if (outF > 0) {
                if (n == 0) {
                    zeroUnless(gradBias, accumulateBias);
                } else if (gs[1] == 1 || outF == 1) {
                    F.columnSums(gradOut.data(), gradOut.offset(), gs[0], n, outF,
                            gradBias.data(), gradBias.offset(), accumulateBias);
                } else {
                    stridedColumnSums(gradOut, n, outF, gradBias, accumulateBias);
                }
            }
            gradBias.bumpVersion();
        }
    }

    private static String backwardShapes(Tensor gradOut, Tensor x, Tensor weight) {
        return "gradOut " + str(gradOut) + ", x " + str(x) + ", weight " + str(weight);
    }

    private static void checkReads(String op, String name, Tensor target, Tensor gradOut, Tensor x, Tensor weight) {
        checkDisjoint(op, name, target, "gradOut", gradOut);
        checkDisjoint(op, name, target, "x", x);
        checkDisjoint(op, name, target, "weight", weight);
    }

    /** Column sums of a gradOut whose columns are not adjacent (a transposed view): plain loops, same order. */
    private static void stridedColumnSums(Tensor src, int rows, int cols, Tensor dst, boolean accumulate) {
        float[] s = src.data();
        float[] d = dst.data();
        int[] st = src.stridesRef();
        for (int j = 0; j < cols; j++) {
            float sum = 0f;
            for (int i = 0; i < rows; i++) {
                sum += s[src.offset() + i * st[0] + j * st[1]];
            }
            int at = dst.offset() + j;
            d[at] = accumulate ? d[at] + sum : sum;
        }
    }

    private static void zeroUnless(Tensor target, boolean accumulate) {
        if (!accumulate && target.numel() > 0) {
            Arrays.fill(target.data(), target.offset(), target.offset() + target.numel(), 0f);
        }
    }

    // ------------------------------------------------------------------ relu

    /**
     * The relu's backward from its output: {@code gradIn (=|+=) output > 0 ? gradOut : 0}.
     * The output is positive exactly where the relu's input was, so the input need not be kept.
     * This is a select, as PyTorch's {@code threshold_backward}: where the relu was off the
     * result is 0 even for an infinite or NaN gradient.
     *
     * @param gradOut the gradient of the relu's output, contiguous
     * @param output the relu's output, contiguous, of gradOut's shape
     * @param gradIn the gradient of its input, contiguous, of the same shape; may be exactly
     *        gradOut (masking in place) or output, but may not partly overlap either
     * @param accumulate add into gradIn instead of overwriting it
     * @throws IllegalArgumentException if the shapes differ, a tensor is not contiguous, or
     *         gradIn partly overlaps an input
     */
    public static void reluBackward(Tensor gradOut, Tensor output, Tensor gradIn, boolean accumulate) {
        String op = "reluBackward";
        if (gradOut == null || output == null || gradIn == null) {
            throw new IllegalArgumentException(op + ": gradOut, output and gradIn must not be null");
        }
        if (!Arrays.equals(gradOut.shapeRef(), output.shapeRef()) || !Arrays.equals(gradOut.shapeRef(), gradIn.shapeRef())) {
            throw new IllegalArgumentException(op + ": gradOut " + str(gradOut) + ", output " + str(output)
                    + ", gradIn " + str(gradIn) + ": shapes must be equal (no broadcasting)");
        }
        checkContiguous(op, "gradOut", gradOut);
        checkContiguous(op, "output", output);
        checkContiguous(op, "gradIn", gradIn);
        checkDisjointOrSame(op, "gradIn", gradIn, "gradOut", gradOut);
        checkDisjointOrSame(op, "gradIn", gradIn, "output", output);
        int n = gradIn.numel();
        if (n > 0) {
            F.reluBackward(gradOut.data(), gradOut.offset(), output.data(), output.offset(),
                    gradIn.data(), gradIn.offset(), n, accumulate);
        }
        gradIn.bumpVersion();
    }

    // ------------------------------------------------------------------ smooth activations

    /**
     * The backward of {@link Tensor#tanh()} from its output y: {@code gradIn (=|+=) gradOut * (1 - y^2)}.
     * The tensors follow the rules of {@link #reluBackward}: equal shapes, contiguous, gradIn
     * either exactly gradOut or output or sharing nothing with them.
     *
     * @param gradOut the gradient of the output
     * @param output the op's output
     * @param gradIn the gradient of the input, written or added to
     * @param accumulate add instead of overwrite
     */
    public static void tanhBackward(Tensor gradOut, Tensor output, Tensor gradIn, boolean accumulate) {
        activationBackward("tanhBackward", UnaryGradOp.TANH, 0f, 0f, gradOut, output, gradIn, accumulate);
    }

    /**
     * The backward of {@link Tensor#sigmoid()} from its output y: {@code gradIn (=|+=) gradOut * (1 - y) * y}.
     *
     * @param gradOut the gradient of the output
     * @param output the op's output
     * @param gradIn the gradient of the input (rules as {@link #tanhBackward})
     * @param accumulate add instead of overwrite
     */
    public static void sigmoidBackward(Tensor gradOut, Tensor output, Tensor gradIn, boolean accumulate) {
        activationBackward("sigmoidBackward", UnaryGradOp.SIGMOID, 0f, 0f, gradOut, output, gradIn, accumulate);
    }

    /**
     * The backward of {@link Tensor#gelu(String)} from its input x: {@code gradOut * (Phi(x) + x phi(x))}
     * for "none", the derivative of the tanh form for "tanh".
     *
     * @param gradOut the gradient of the output
     * @param input the op's input
     * @param approximate "none" or "tanh"
     * @param gradIn the gradient of the input (rules as {@link #tanhBackward})
     * @param accumulate add instead of overwrite
     */
    public static void geluBackward(Tensor gradOut, Tensor input, String approximate, Tensor gradIn, boolean accumulate) {
        UnaryGradOp op = Tensor.geluKind("geluBackward", approximate) == UnaryOp.GELU ? UnaryGradOp.GELU : UnaryGradOp.GELU_TANH;
        activationBackward("geluBackward", op, 0f, 0f, gradOut, input, gradIn, accumulate);
    }

    /**
     * The backward of {@link Tensor#leakyRelu(float)} from its input x: {@code x > 0 ? gradOut : negativeSlope * gradOut}.
     *
     * @param gradOut the gradient of the output
     * @param input the op's input
     * @param negativeSlope the slope below 0
     * @param gradIn the gradient of the input (rules as {@link #tanhBackward})
     * @param accumulate add instead of overwrite
     */
    public static void leakyReluBackward(Tensor gradOut, Tensor input, float negativeSlope, Tensor gradIn,
                                         boolean accumulate) {
        activationBackward("leakyReluBackward", UnaryGradOp.LEAKY_RELU, negativeSlope, 0f, gradOut, input, gradIn,
                accumulate);
    }

    /**
     * The backward of {@link Tensor#softplus(float, float)} from its input x:
     * {@code beta x > threshold ? gradOut : gradOut * sigmoid(beta x)}.
     *
     * @param gradOut the gradient of the output
     * @param input the op's input
     * @param beta the sharpness, not 0
     * @param threshold where the op switched to x
     * @param gradIn the gradient of the input (rules as {@link #tanhBackward})
     * @param accumulate add instead of overwrite
     */
    public static void softplusBackward(Tensor gradOut, Tensor input, float beta, float threshold, Tensor gradIn,
                                        boolean accumulate) {
        Tensor.checkSoftplus("softplusBackward", beta, threshold);
        activationBackward("softplusBackward", UnaryGradOp.SOFTPLUS, beta, threshold, gradOut, input, gradIn, accumulate);
    }

    /**
     * The backward of {@link Tensor#log1p()} from its input x: {@code gradOut / (1 + x)}.
     *
     * @param gradOut the gradient of the output
     * @param input the op's input
     * @param gradIn the gradient of the input (rules as {@link #tanhBackward})
     * @param accumulate add instead of overwrite
     */
    public static void log1pBackward(Tensor gradOut, Tensor input, Tensor gradIn, boolean accumulate) {
        activationBackward("log1pBackward", UnaryGradOp.LOG1P, 0f, 0f, gradOut, input, gradIn, accumulate);
    }

    /**
     * The backward of {@link Tensor#expm1()} from its output y: {@code gradOut * (y + 1)}.
     *
     * @param gradOut the gradient of the output
     * @param output the op's output
     * @param gradIn the gradient of the input (rules as {@link #tanhBackward})
     * @param accumulate add instead of overwrite
     */
    public static void expm1Backward(Tensor gradOut, Tensor output, Tensor gradIn, boolean accumulate) {
        activationBackward("expm1Backward", UnaryGradOp.EXPM1, 0f, 0f, gradOut, output, gradIn, accumulate);
    }

    /**
     * The backward of {@link Tensor#clampMin(float)} from its input x:
     * {@code (x >= min ? 1 : 0) * gradOut}, the gradient passing where the input is at or above
     * the bound (at exactly {@code min} too, as PyTorch's clamp_min).
     *
     * @param gradOut the gradient of the output
     * @param input the op's input
     * @param min the lower bound
     * @param gradIn the gradient of the input (rules as {@link #tanhBackward})
     * @param accumulate add instead of overwrite
     */
    public static void clampMinBackward(Tensor gradOut, Tensor input, float min, Tensor gradIn, boolean accumulate) {
        activationBackward("clampMinBackward", UnaryGradOp.CLAMP_MIN, min, 0f, gradOut, input, gradIn, accumulate);
    }

    private static void activationBackward(String op, UnaryGradOp kind, float a, float b, Tensor gradOut, Tensor saved,
                                           Tensor gradIn, boolean accumulate) {
        String savedName = kind.fromOutput() ? "output" : "input";
        if (gradOut == null || saved == null || gradIn == null) {
            throw new IllegalArgumentException(op + ": gradOut, " + savedName + " and gradIn must not be null");
        }
        if (!Arrays.equals(gradOut.shapeRef(), saved.shapeRef()) || !Arrays.equals(gradOut.shapeRef(), gradIn.shapeRef())) {
            throw new IllegalArgumentException(op + ": gradOut " + str(gradOut) + ", " + savedName + " " + str(saved)
                    + ", gradIn " + str(gradIn) + ": shapes must be equal (no broadcasting)");
        }
        checkContiguous(op, "gradOut", gradOut);
        checkContiguous(op, savedName, saved);
        checkContiguous(op, "gradIn", gradIn);
        checkDisjointOrSame(op, "gradIn", gradIn, "gradOut", gradOut);
        checkDisjointOrSame(op, "gradIn", gradIn, savedName, saved);
        int n = gradIn.numel();
        if (n > 0) {
            Kernels.ELEMENTWISE.unaryBackward(kind, a, b, gradOut.data(), gradOut.offset(), saved.data(), saved.offset(),
                    gradIn.data(), gradIn.offset(), n, accumulate);
        }
        gradIn.bumpVersion();
    }

    // ------------------------------------------------------------------ losses

    /**
     * Mean softmax cross-entropy of {@code logits} against class indices stored as floats (as
     * {@code DataLoader}'s {@code Batch.y()} holds them), as PyTorch's {@code F.cross_entropy}:
     * {@code mean_i (logsumexp(logits[i]) - logits[i][targets[i]])}, each row shifted by its
     * maximum (so large logits stay finite) and summed in double.
     *
     * @param logits {@code [n, c]}, n and c at least 1, any strides (a row-contiguous view is
     *        read in place; others are copied first)
     * @param targets {@code [n]}: whole numbers in {@code [0, c)}, any strides
     * @param gradLogits null, or {@code [n, c]} contiguous, sharing nothing with logits or
     *        targets: written (or added to) with {@code gradScale * (softmax - onehot) / n}
     * @param gradScale the gradient of whatever is computed from the loss, usually 1; finite
     * @param accumulate add into gradLogits instead of overwriting it
     * @return the mean loss
     * @throws IllegalArgumentException if a shape does not fit, n or c is 0, a target is NaN,
     *         not whole or out of range (naming the row, the value and c), or gradLogits is bad
     */
    public static double softmaxCrossEntropy(Tensor logits, Tensor targets, Tensor gradLogits,
                                             float gradScale, boolean accumulate) {
        return softmaxCrossEntropy(logits, targets, 0f, gradLogits, gradScale, accumulate);
    }

    /**
     * {@link #softmaxCrossEntropy(Tensor, Tensor, Tensor, float, boolean)} with label smoothing,
     * as {@code F.cross_entropy(logits, targets, label_smoothing=eps)}: each row's loss is
     * {@code (1 - eps) * nll + eps * mean_j(-log p_j)} (the target mixed with the uniform
     * distribution), and the gradient {@code gradScale * (softmax - (1 - eps) onehot - eps / c) / n}.
     * {@code eps = 0} gives the plain loss and gradient bit for bit.
     *
     * @param logits {@code [n, c]}, n and c at least 1, any strides
     * @param targets {@code [n]}: whole numbers in {@code [0, c)}, any strides
     * @param labelSmoothing eps, in {@code [0, 1]}
     * @param gradLogits null, or {@code [n, c]} contiguous, sharing nothing with logits or targets
     * @param gradScale the gradient's scale, usually 1; finite
     * @param accumulate add into gradLogits instead of overwriting it
     * @return the mean loss
     * @throws IllegalArgumentException as the plain form, and if labelSmoothing is outside [0, 1]
     */
    public static double softmaxCrossEntropy(Tensor logits, Tensor targets, float labelSmoothing, Tensor gradLogits,
                                             float gradScale, boolean accumulate) {
        String op = "softmaxCrossEntropy";
        checkLabelSmoothing(op, labelSmoothing);
        checkLogits(op, logits, gradLogits, gradScale);
        int n = logits.size(0);
        int c = logits.size(1);
        if (targets == null || targets.dim() != 1 || targets.size(0) != n) {
            throw new IllegalArgumentException(op + ": logits " + str(logits) + ", targets "
                    + (targets == null ? "null" : str(targets)) + ": expected targets of shape [" + n
                    + "] (one class index per row of logits)");
        }
        if (gradLogits != null) {
            checkDisjoint(op, "gradLogits", gradLogits, "targets", targets);
        }
        float[] td = targets.data();
        int toff = targets.offset();
        int ts = targets.stridesRef()[0];
        for (int i = 0; i < n; i++) {
            float v = td[toff + i * ts];
            if (!(v >= 0f && v < c && v == Math.rint(v))) {
                throw new IllegalArgumentException(op + ": target at row " + i + " is " + v
                        + "; expected a whole number in [0, " + c + ") (a class index for logits of shape "
                        + str(logits) + ")");
            }
        }
        Tensor rows = rowContiguous(logits);
        float scale = (float) ((double) gradScale / n);
        double total = 0;
        for (int i = 0; i < n; i++) {
            total += rowLoss(rows, i, c, (int) td[toff + i * ts], labelSmoothing, gradLogits, scale, accumulate);
        }
        if (gradLogits != null) {
            gradLogits.bumpVersion();
        }
        return total / n;
    }

    /**
     * {@link #softmaxCrossEntropy(Tensor, Tensor, Tensor, float, boolean)} with the class
     * indices as ints.
     *
     * @param logits {@code [n, c]}, n and c at least 1
     * @param targets n class indices in {@code [0, c)}
     * @param gradLogits null, or {@code [n, c]} contiguous, written with {@code gradScale * (softmax - onehot) / n}
     * @param gradScale the gradient's scale, usually 1; finite
     * @param accumulate add into gradLogits instead of overwriting it
     * @return the mean loss
     * @throws IllegalArgumentException as the float form, and if {@code targets.length != n}
     */
    public static double softmaxCrossEntropy(Tensor logits, int[] targets, Tensor gradLogits,
                                             float gradScale, boolean accumulate) {
        String op = "softmaxCrossEntropy";
        checkLogits(op, logits, gradLogits, gradScale);
        int n = logits.size(0);
        int c = logits.size(1);
        if (targets == null || targets.length != n) {
            throw new IllegalArgumentException(op + ": logits " + str(logits) + ": expected " + n
                    + " targets (one class index per row), got " + (targets == null ? "null" : targets.length));
        }
        for (int i = 0; i < n; i++) {
            if (targets[i] < 0 || targets[i] >= c) {
                throw new IllegalArgumentException(op + ": target at row " + i + " is " + targets[i]
                        + "; expected a class index in [0, " + c + ") for logits of shape " + str(logits));
            }
        }
        Tensor rows = rowContiguous(logits);
        float scale = (float) ((double) gradScale / n);
        double total = 0;
        for (int i = 0; i < n; i++) {
            total += rowLoss(rows, i, c, targets[i], gradLogits, scale, accumulate);
        }
        if (gradLogits != null) {
            gradLogits.bumpVersion();
        }
        return total / n;
    }

    private static void checkLogits(String op, Tensor logits, Tensor gradLogits, float gradScale) {
        if (logits == null) {
            throw new IllegalArgumentException(op + ": logits must not be null");
        }
        if (logits.dim() != 2) {
            throw new IllegalArgumentException(op + ": logits " + str(logits) + ": expected a 2-d [n, c] tensor");
        }
        if (logits.size(0) == 0 || logits.size(1) == 0) {
            throw new IllegalArgumentException(op + ": logits " + str(logits)
                    + ": expected at least one row and one class; the mean over nothing is undefined");
        }
        if (!Float.isFinite(gradScale)) {
            throw new IllegalArgumentException(op + ": gradScale must be finite, got " + gradScale);
        }
        if (gradLogits != null) {
            if (!hasShape(gradLogits, logits.size(0), logits.size(1))) {
                throw wrongTarget(op, "logits " + str(logits), "gradLogits", logits.size(0), logits.size(1),
                        "logits' shape", gradLogits);
            }
            checkContiguous(op, "gradLogits", gradLogits);
            checkDisjoint(op, "gradLogits", gradLogits, "logits", logits);
        }
    }

    /** Logits whose rows are runs of adjacent floats: the tensor itself, or a copy of a transposed view. */
    private static Tensor rowContiguous(Tensor logits) {
        return logits.stridesRef()[1] == 1 || logits.size(1) == 1 ? logits : logits.contiguous();
    }

    /** PyTorch's rule for {@code label_smoothing}: a number in [0, 1]. */
    static void checkLabelSmoothing(String op, float eps) {
        if (!(eps >= 0f && eps <= 1f)) {
            throw new IllegalArgumentException(op + ": labelSmoothing must be in [0, 1], got " + eps);
        }
    }

    private static double rowLoss(Tensor rows, int i, int c, int target, float eps, Tensor grad, float scale,
                                  boolean accumulate) {
        int off = rows.offset() + i * rows.stridesRef()[0];
        return grad == null
                ? F.softmaxCrossEntropyRow(rows.data(), off, c, target, eps, null, 0, scale, accumulate)
                : F.softmaxCrossEntropyRow(rows.data(), off, c, target, eps, grad.data(), grad.offset() + i * c,
                        scale, accumulate);
    }

    private static double rowLoss(Tensor rows, int i, int c, int target, Tensor grad, float scale, boolean accumulate) {
        int off = rows.offset() + i * rows.stridesRef()[0];
        return grad == null
                ? F.softmaxCrossEntropyRow(rows.data(), off, c, target, null, 0, scale, accumulate)
                : F.softmaxCrossEntropyRow(rows.data(), off, c, target, grad.data(), grad.offset() + i * c,
                        scale, accumulate);
    }

    /**
     * Mean squared error {@code mean((input - target)^2)}, as PyTorch's {@code F.mse_loss},
     * summed in double. The shapes must be equal: a {@code [n, 1]} input against an {@code [n]}
     * target would broadcast to {@code [n, n]} in PyTorch, a classic silent bug, so here it is
     * an error.
     *
     * @param input the prediction, at least one element, any strides (non-contiguous operands are copied first)
     * @param target the target, of input's shape, any strides
     * @param gradInput null, or contiguous of input's shape: written (or added to) with
     *        {@code gradScale * 2 * (input - target) / numel}; may be exactly input or target
     * @param gradScale the gradient's scale, usually 1; finite
     * @param accumulate add into gradInput instead of overwriting it
     * @return the mean squared error
     * @throws IllegalArgumentException if the shapes differ, there are no elements, or gradInput is bad
     */
    public static double meanSquaredError(Tensor input, Tensor target, Tensor gradInput,
                                          float gradScale, boolean accumulate) {
        String op = "meanSquaredError";
        if (input == null || target == null) {
            throw new IllegalArgumentException(op + ": input and target must not be null");
        }
        if (!Arrays.equals(input.shapeRef(), target.shapeRef())) {
            throw new IllegalArgumentException(op + ": input " + str(input) + " and target " + str(target)
                    + ": shapes must be equal (no broadcasting: reshape one of them, e.g. squeeze an [n, 1] input)");
        }
        int n = input.numel();
        if (n == 0) {
            throw new IllegalArgumentException(op + ": input " + str(input)
                    + " has no elements; the mean over nothing is undefined");
        }
        if (!Float.isFinite(gradScale)) {
            throw new IllegalArgumentException(op + ": gradScale must be finite, got " + gradScale);
        }
        if (gradInput != null) {
            if (!Arrays.equals(gradInput.shapeRef(), input.shapeRef())) {
                throw new IllegalArgumentException(op + ": input " + str(input) + ", gradInput " + str(gradInput)
                        + ": expected gradInput of input's shape " + str(input));
            }
            checkContiguous(op, "gradInput", gradInput);
            checkDisjointOrSame(op, "gradInput", gradInput, "input", input);
            checkDisjointOrSame(op, "gradInput", gradInput, "target", target);
        }
        Tensor a = input.contiguous();
        Tensor b = target.contiguous();
        float scale = (float) (2.0 * gradScale / n);
        double sum = gradInput == null
                ? F.squaredError(a.data(), a.offset(), b.data(), b.offset(), n, null, 0, scale, accumulate)
                : F.squaredError(a.data(), a.offset(), b.data(), b.offset(), n,
                        gradInput.data(), gradInput.offset(), scale, accumulate);
        if (gradInput != null) {
            gradInput.bumpVersion();
        }
        return sum / n;
    }

    /**
     * Mean negative log-likelihood {@code -mean_i logProbs[i][targets[i]]}, as {@code F.nll_loss}
     * (mean reduction, no class weights), summed in double.
     *
     * @param logProbs {@code [n, c]} log-probabilities, n and c at least 1, any strides
     * @param targets {@code [n]}: whole numbers in {@code [0, c)}, any strides
     * @param gradLogProbs null, or {@code [n, c]} contiguous, sharing nothing with the inputs:
     *        written (or added to) with {@code -gradScale / n} at each row's target, 0 elsewhere
     * @param gradScale the gradient's scale, usually 1; finite
     * @param accumulate add into gradLogProbs instead of overwriting it
     * @return the mean loss
     * @throws IllegalArgumentException if a shape does not fit, n or c is 0, or a target is not a class index
     */
    public static double nllLoss(Tensor logProbs, Tensor targets, Tensor gradLogProbs, float gradScale,
                                 boolean accumulate) {
        String op = "nllLoss";
        checkLogits(op, logProbs, gradLogProbs, gradScale);
        int n = logProbs.size(0);
        int c = logProbs.size(1);
        checkTargets(op, logProbs, targets, n, c);
        if (gradLogProbs != null) {
            checkDisjoint(op, "gradLogProbs", gradLogProbs, "targets", targets);
        }
        float[] td = targets.data();
        int toff = targets.offset();
        int ts = targets.stridesRef()[0];
        float[] ld = logProbs.data();
        int[] ls = logProbs.stridesRef();
        float scale = (float) ((double) gradScale / n);
        if (gradLogProbs != null && !accumulate) {
            Arrays.fill(gradLogProbs.data(), gradLogProbs.offset(), gradLogProbs.offset() + n * c, 0f);
        }
        double total = 0;
        for (int i = 0; i < n; i++) {
            int t = (int) td[toff + i * ts];
            total += ld[logProbs.offset() + i * ls[0] + t * ls[1]];
            if (gradLogProbs != null) {
                gradLogProbs.data()[gradLogProbs.offset() + i * c + t] -= scale;
            }
        }
        if (gradLogProbs != null) {
            gradLogProbs.bumpVersion();
        }
        return -total / n;
    }

    private static void checkTargets(String op, Tensor logits, Tensor targets, int n, int c) {
        if (targets == null || targets.dim() != 1 || targets.size(0) != n) {
            throw new IllegalArgumentException(op + ": input " + str(logits) + ", targets "
                    + (targets == null ? "null" : str(targets)) + ": expected targets of shape [" + n
                    + "] (one class index per row of the input)");
        }
        float[] td = targets.data();
        int toff = targets.offset();
        int ts = targets.stridesRef()[0];
        for (int i = 0; i < n; i++) {
            float v = td[toff + i * ts];
            if (!(v >= 0f && v < c && v == Math.rint(v))) {
                throw new IllegalArgumentException(op + ": target at row " + i + " is " + v
                        + "; expected a whole number in [0, " + c + ") (a class index for input of shape "
                        + str(logits) + ")");
            }
        }
    }

    /**
     * Mean binary cross-entropy of logits, as {@code F.binary_cross_entropy_with_logits(input,
     * target, pos_weight=posWeight)}, in PyTorch's stable form: with {@code w = 1 + (posWeight -
     * 1) y}, each element's loss is {@code (1 - y) x + w (log1p(exp(-|x|)) + max(-x, 0))}, so
     * logits of any magnitude give finite losses; its gradient is {@code (1 - y) - w sigmoid(-x)}
     * ({@code sigmoid(x) - y} without posWeight), times {@code gradScale / numel}. Each element
     * is computed in double; this loss is a plain loop (it is no hot path of a training step).
     *
     * @param input logits of any shape with at least one element, any strides
     * @param target targets of input's shape (probabilities, usually 0 or 1), any strides
     * @param posWeight null, or the weight of positive examples: one element, or the shape of
     *        input's trailing dims (e.g. [classes] for input [n, classes]), broadcast over the leading ones
     * @param gradInput null, or contiguous of input's shape, sharing nothing with the inputs
     * @param gradScale the gradient's scale, usually 1; finite
     * @param accumulate add into gradInput instead of overwriting it
     * @return the mean loss
     * @throws IllegalArgumentException if a shape does not fit or there are no elements
     */
    public static double binaryCrossEntropyWithLogits(Tensor input, Tensor target, Tensor posWeight, Tensor gradInput,
                                                      float gradScale, boolean accumulate) {
        String op = "binaryCrossEntropyWithLogits";
        if (input == null || target == null) {
            throw new IllegalArgumentException(op + ": input and target must not be null");
        }
        if (!Arrays.equals(input.shapeRef(), target.shapeRef())) {
            throw new IllegalArgumentException(op + ": input " + str(input) + " and target " + str(target)
                    + ": shapes must be equal (one target per logit)");
        }
        int n = input.numel();
        if (n == 0) {
            throw new IllegalArgumentException(op + ": input " + str(input)
                    + " has no elements; the mean over nothing is undefined");
        }
        if (!Float.isFinite(gradScale)) {
            throw new IllegalArgumentException(op + ": gradScale must be finite, got " + gradScale);
        }
        if (posWeight != null && !trailingShape(posWeight.shapeRef(), input.shapeRef())) {
            throw new IllegalArgumentException(op + ": posWeight " + str(posWeight) + " for input " + str(input)
                    + ": expected one element or the shape of input's trailing dims (e.g. [classes])");
        }
        if (gradInput != null) {
            if (!Arrays.equals(gradInput.shapeRef(), input.shapeRef())) {
                throw new IllegalArgumentException(op + ": input " + str(input) + ", gradInput " + str(gradInput)
                        + ": expected gradInput of input's shape " + str(input));
            }
            checkContiguous(op, "gradInput", gradInput);
            checkDisjoint(op, "gradInput", gradInput, "input", input);
            checkDisjoint(op, "gradInput", gradInput, "target", target);
            if (posWeight != null) {
                checkDisjoint(op, "gradInput", gradInput, "posWeight", posWeight);
            }
        }
        Tensor x = input.contiguous();
        Tensor y = target.contiguous();
        Tensor w = posWeight == null ? null : posWeight.contiguous();
        float[] xd = x.data();
        float[] yd = y.data();
        int xo = x.offset();
        int yo = y.offset();
        int wn = w == null ? 1 : w.numel();
        double scale = (double) gradScale / n;
        double total = 0;
        for (int i = 0; i < n; i++) {
            double xi = xd[xo + i];
            double yi = yd[yo + i];
            double lw = w == null ? 1.0 : 1.0 + (w.data()[w.offset() + i % wn] - 1.0) * yi;
            // softplus(-x) = log(1 + e^-x), with the larger of 0 and -x taken out of the log.
            double softplusNeg = Math.log1p(Math.exp(-Math.abs(xi))) + Math.max(-xi, 0.0);
            total += (1.0 - yi) * xi + lw * softplusNeg;
            if (gradInput != null) {
                // sigmoid(-x) = 1 / (1 + e^x): e^x overflows to inf and gives 0, never NaN.
                float g = (float) (scale * ((1.0 - yi) - lw / (1.0 + Math.exp(xi))));
                int at = gradInput.offset() + i;
                gradInput.data()[at] = accumulate ? gradInput.data()[at] + g : g;
            }
        }
        if (gradInput != null) {
            gradInput.bumpVersion();
        }
        return total / n;
    }

    /** Whether {@code small} has one element or equals the last dims of {@code shape} (leading 1s allowed). */
    private static boolean trailingShape(int[] small, int[] shape) {
        int numel = 1;
        for (int v : small) {
            numel *= v;
        }
        if (numel == 1) {
            return true;
        }
        int k = small.length;
        while (k > 0 && small[small.length - k] == 1) {
            k--; // leading 1s broadcast
        }
        if (k > shape.length) {
            return false;
        }
        for (int d = 0; d < k; d++) {
            if (small[small.length - 1 - d] != shape[shape.length - 1 - d]) {
                return false;
            }
        }
        return true;
    }

    // ------------------------------------------------------------------ embedding

    /**
     * {@code out[k, :] = weight[indices[k], :]}: PyTorch's {@code F.embedding(indices, weight)},
     * a row lookup for each index, the indices in any shape (out is {@code indices.shape + [dim]}).
     *
     * @param weight the table {@code [numEmbeddings, dim]}, any strides
     * @param indices whole numbers in {@code [0, numEmbeddings)} stored as floats, any shape and strides
     * @param out contiguous, of shape {@code indices.shape + [dim]}, sharing nothing with the inputs
     * @return out
     * @throws IllegalArgumentException naming the first bad index and its position, or a bad shape
     */
    public static Tensor embedding(Tensor weight, Tensor indices, Tensor out) {
        String op = "embedding";
        checkEmbedding(op, weight, indices, out, "out");
        checkDisjoint(op, "out", out, "weight", weight);
        checkDisjoint(op, "out", out, "indices", indices);
        int dim = weight.size(1);
        int n = indices.numel();
        float[] od = out.data();
        int oo = out.offset();
        float[] wd = weight.data();
        int[] ws = weight.stridesRef();
        boolean rowsContiguous = ws[1] == 1 || dim == 1;
        for (int k = 0; k < n; k++) {
            int row = (int) indexAt(indices, k);
            int from = weight.offset() + row * ws[0];
            if (rowsContiguous) {
                System.arraycopy(wd, from, od, oo + k * dim, dim);
            } else {
                for (int j = 0; j < dim; j++) {
                    od[oo + k * dim + j] = wd[from + j * ws[1]];
                }
            }
        }
        out.bumpVersion();
        return out;
    }

    /**
     * The backward of {@link #embedding}: {@code gradWeight[indices[k], :] += gradOut[k, :]} in
     * index order (a scatter-add: a row looked up twice gets both gradients), after zeroing
     * gradWeight unless {@code accumulate}.
     *
     * @param gradOut the gradient of the lookup's output, {@code indices.shape + [dim]}, any strides
     * @param indices the lookup's indices
     * @param gradWeight contiguous {@code [numEmbeddings, dim]}, sharing nothing with the inputs
     * @param accumulate add into gradWeight instead of overwriting it
     * @throws IllegalArgumentException as {@link #embedding}
     */
    public static void embeddingBackward(Tensor gradOut, Tensor indices, Tensor gradWeight, boolean accumulate) {
        String op = "embeddingBackward";
        checkEmbedding(op, gradWeight, indices, gradOut, "gradOut");
        checkContiguous(op, "gradWeight", gradWeight);
        checkDisjoint(op, "gradWeight", gradWeight, "gradOut", gradOut);
        checkDisjoint(op, "gradWeight", gradWeight, "indices", indices);
        Tensor g = gradOut.contiguous();
        int dim = gradWeight.size(1);
        float[] gw = gradWeight.data();
        int go = gradWeight.offset();
        if (!accumulate) {
            Arrays.fill(gw, go, go + gradWeight.numel(), 0f);
        }
        float[] gd = g.data();
        int n = indices.numel();
        for (int k = 0; k < n; k++) {
            int row = (int) indexAt(indices, k);
            Kernels.ELEMENTWISE.binary(BinaryOp.ADD, gw, go + row * dim, gd, g.offset() + k * dim, gw, go + row * dim, dim);
        }
        gradWeight.bumpVersion();
    }

    /** Element k (in row-major order) of any tensor, without allocating. */
    private static float indexAt(Tensor t, int k) {
        int[] sh = t.shapeRef();
        int[] st = t.stridesRef();
        int at = t.offset();
        for (int d = sh.length - 1; d >= 0; d--) {
            at += (k % sh[d]) * st[d];
            k /= sh[d];
        }
        return t.data()[at];
    }

    private static void checkEmbedding(String op, Tensor weight, Tensor indices, Tensor rows, String rowsName) {
        if (weight == null || indices == null || rows == null) {
            throw new IllegalArgumentException(op + ": weight, indices and " + rowsName + " must not be null");
        }
        if (weight.dim() != 2) {
            throw new IllegalArgumentException(op + ": weight " + str(weight)
                    + ": expected a 2-d [numEmbeddings, embeddingDim] table");
        }
        int rank = indices.dim();
        int[] is = indices.shapeRef();
        int[] rs = rows.shapeRef();
        boolean fits = rs.length == rank + 1 && rs[rank] == weight.size(1); // compared in place: a replay calls this every step
        for (int d = 0; fits && d < rank; d++) {
            fits = rs[d] == is[d];
        }
        if (!fits) {
            int[] want = Arrays.copyOf(is, rank + 1);
            want[rank] = weight.size(1);
            throw new IllegalArgumentException(op + ": weight " + str(weight) + ", indices " + str(indices) + ": expected "
                    + rowsName + " of shape " + Shapes.str(want) + " (the indices' shape + [embeddingDim]), got " + str(rows));
        }
        if (rowsName.equals("out")) {
            checkContiguous(op, "out", rows);
        }
        int num = weight.size(0);
        for (int k = 0, n = indices.numel(); k < n; k++) {
            float v = indexAt(indices, k);
            if (!(v >= 0f && v < num && v == Math.rint(v))) {
                throw new IllegalArgumentException(op + ": index " + v + " at position " + k + " of indices "
                        + str(indices) + " is out of range for a table of " + num
                        + " embeddings (expected a whole number in [0, " + num + "))");
            }
        }
    }

    // ------------------------------------------------------------------ gather

    /**
     * {@code out[i] = x[i, indices[i]]}: one element of each row, picked by a class index stored as
     * a float ({@code x[range(n), indices]}, how the negative log-likelihood picks each sample's
     * log-probability). The indices are read on every call, so a replay sees a new batch's.
     *
     * @param x {@code [n, c]}, any strides
     * @param indices {@code [n]}: whole numbers in {@code [0, c)}, any strides
     * @param out {@code [n]}, contiguous, sharing nothing with the inputs
     * @return out
     * @throws IllegalArgumentException if a shape does not fit or an index is not a column of x
     */
    public static Tensor gatherColumns(Tensor x, Tensor indices, Tensor out) {
        String op = "gatherColumns";
        int n = checkGather(op, x, indices, out, "out");
        checkDisjoint(op, "out", out, "x", x);
        checkDisjoint(op, "out", out, "indices", indices);
        float[] xd = x.data();
        int[] xs = x.stridesRef();
        float[] id = indices.data();
        int is = indices.stridesRef()[0];
        float[] od = out.data();
        for (int i = 0; i < n; i++) {
            int col = (int) id[indices.offset() + i * is];
            od[out.offset() + i] = xd[x.offset() + i * xs[0] + col * xs[1]];
        }
        out.bumpVersion();
        return out;
    }

    /**
     * The backward of {@link #gatherColumns}: {@code gradIn} is overwritten with zeros and
     * {@code gradOut[i]} at each row's picked column (each row picks one element, so nothing adds).
     *
     * @param gradOut {@code [n]}, the gradient of the picked elements, any strides
     * @param indices the gather's indices
     * @param gradIn {@code [n, c]}, contiguous, sharing nothing with the inputs
     * @throws IllegalArgumentException as {@link #gatherColumns}
     */
    public static void gatherColumnsBackward(Tensor gradOut, Tensor indices, Tensor gradIn) {
        String op = "gatherColumnsBackward";
        int n = checkGather(op, gradIn, indices, gradOut, "gradOut");
        checkContiguous(op, "gradIn", gradIn);
        checkDisjoint(op, "gradIn", gradIn, "gradOut", gradOut);
        checkDisjoint(op, "gradIn", gradIn, "indices", indices);
        int c = gradIn.size(1);
        float[] gd = gradOut.data();
        int gs = gradOut.stridesRef()[0];
        float[] id = indices.data();
        int is = indices.stridesRef()[0];
        float[] gi = gradIn.data();
        Arrays.fill(gi, gradIn.offset(), gradIn.offset() + gradIn.numel(), 0f);
        for (int i = 0; i < n; i++) {
            int col = (int) id[indices.offset() + i * is];
            gi[gradIn.offset() + i * c + col] = gd[gradOut.offset() + i * gs];
        }
        gradIn.bumpVersion();
    }

    /** Checks a gather's [n, c] matrix, its [n] indices and its [n] picked elements; returns n. */
    private static int checkGather(String op, Tensor matrix, Tensor indices, Tensor picked, String pickedName) {
        if (matrix == null || indices == null || picked == null) {
            throw new IllegalArgumentException(op + ": the matrix, indices and " + pickedName + " must not be null");
        }
        if (matrix.dim() != 2) {
            throw new IllegalArgumentException(op + ": expected a 2-d [rows, columns] matrix, got " + str(matrix));
        }
        int n = matrix.size(0);
        checkTargets(op, matrix, indices, n, matrix.size(1));
        if (picked.dim() != 1 || picked.size(0) != n) {
            throw new IllegalArgumentException(op + ": matrix " + str(matrix) + ": expected " + pickedName
                    + " of shape [" + n + "] (one element per row), got " + str(picked));
        }
        if (pickedName.equals("out")) {
            checkContiguous(op, "out", picked);
        }
        return n;
    }

    // ------------------------------------------------------------------ broadcast backward

    /**
     * {@code target (=|+=) source} summed down to target's shape: the backward of broadcasting
     * a tensor of target's shape to source's. Aligned on the right, each of target's sizes must
     * equal source's or be 1 (summed over), and target may have fewer dims (the leading ones
     * summed over): {@code [n, c] -> [c]}, {@code [1, c]}, {@code [n, 1]}, {@code [1, 1]} or
     * {@code [n, c]}. A contiguous source reducing to column sums ({@code [n, c] -> [c]}), row
     * sums ({@code [n, c] -> [n, 1]}) or a copy (equal sizes) allocates nothing; other cases go
     * through {@link Tensor#sum(int, boolean)}.
     *
     * @param source the tensor to reduce, any strides
     * @param target the result, contiguous; may be exactly source (when the shapes are equal)
     *        but not partly overlap it
     * @param accumulate add into target instead of overwriting it
     * @throws IllegalArgumentException if source does not reduce to target's shape, target is
     *         not contiguous, or it partly overlaps source
     */
    public static void sumToShape(Tensor source, Tensor target, boolean accumulate) {
        String op = "sumToShape";
        if (source == null || target == null) {
            throw new IllegalArgumentException(op + ": source and target must not be null");
        }
        int[] ss = source.shapeRef();
        int[] tsh = target.shapeRef();
        int r = ss.length;
        int shift = r - tsh.length;
        if (shift < 0) {
            throw new IllegalArgumentException(op + ": source " + str(source) + " cannot be summed to target "
                    + str(target) + ": the target has more dims than the source");
        }
        for (int d = 0; d < tsh.length; d++) {
            if (tsh[d] != ss[d + shift] && tsh[d] != 1) {
                throw new IllegalArgumentException(op + ": source " + str(source) + " cannot be summed to target "
                        + str(target) + ": dim " + (d - tsh.length) + " is " + ss[d + shift] + " in the source and "
                        + tsh[d] + " in the target (a target size must equal the source's or be 1)");
            }
        }
        checkContiguous(op, "target", target);
        checkDisjointOrSame(op, "target", target, "source", source);

        if (target.numel() > 0) {
            if (source.numel() == 0) {
                zeroUnless(target, accumulate);
            } else {
                reduceInto(source, target, shift, accumulate);
            }
        }
        target.bumpVersion();
    }

    /** Whether source dim d is kept (same size in target) rather than summed over; size-1 dims are both. */
    private static boolean kept(int[] ss, int[] tsh, int shift, int d) {
        return d >= shift && tsh[d - shift] == ss[d];
    }

    private static void reduceInto(Tensor source, Tensor target, int shift, boolean accumulate) {
        int[] ss = source.shapeRef();
        int[] tsh = target.shapeRef();
        int r = ss.length;
        int n = source.numel();
        if (source.isContiguous()) {
            if (target.numel() == n) { // every summed dim has size 1: a copy
                if (accumulate) {
                    Kernels.ELEMENTWISE.binary(BinaryOp.ADD, target.data(), target.offset(),
                            source.data(), source.offset(), target.data(), target.offset(), n);
                } else {
                    System.arraycopy(source.data(), source.offset(), target.data(), target.offset(), n);
                }
                return;
            }
            if (target.numel() == 1) { // a sum of everything: one row, summed with vector accumulators
                F.rowSums(source.data(), source.offset(), n, 1, n, target.data(), target.offset(), accumulate);
                return;
            }
            // Labels of the dims of size > 1, in order: summed (S) or kept (K). S...S K...K are
            // column sums over [rows, cols]; K...K S...S are row sums.
            int split = splitPoint(ss, tsh, shift, true);
            if (split >= 0) {
                int cols = Reductions.prod(ss, split, r);
                F.columnSums(source.data(), source.offset(), cols, n / cols, cols,
                        target.data(), target.offset(), accumulate);
                return;
            }
            split = splitPoint(ss, tsh, shift, false);
            if (split >= 0) {
                int cols = Reductions.prod(ss, split, r);
                F.rowSums(source.data(), source.offset(), cols, n / cols, cols,
                        target.data(), target.offset(), accumulate);
                return;
            }
        }
        Tensor reduced = source;
        for (int d = 0; d < r; d++) {
            if (ss[d] != 1 && !kept(ss, tsh, shift, d)) {
                reduced = reduced.sum(d, true);
            }
        }
        Tensor flat = reduced.contiguous();
        if (accumulate) {
            Kernels.ELEMENTWISE.binary(BinaryOp.ADD, target.data(), target.offset(),
                    flat.data(), flat.offset(), target.data(), target.offset(), target.numel());
        } else {
            System.arraycopy(flat.data(), flat.offset(), target.data(), target.offset(), target.numel());
        }
    }

    /**
     * The first dim of the second group when the dims of size > 1 are all summed then all kept
     * ({@code summedFirst}) or all kept then all summed; -1 when they are not so grouped.
     */
    private static int splitPoint(int[] ss, int[] tsh, int shift, boolean summedFirst) {
        int split = -1;
        for (int d = 0; d < ss.length; d++) {
            if (ss[d] == 1) {
                continue;
            }
            boolean firstGroup = kept(ss, tsh, shift, d) != summedFirst;
            if (firstGroup && split >= 0) {
                return -1; // a first-group dim after the second group began
            }
            if (!firstGroup && split < 0) {
                split = d;
            }
        }
        return split < 0 ? ss.length : split;
    }

    // ------------------------------------------------------------------ checks

    private static String str(Tensor t) {
        return Shapes.str(t.shapeRef());
    }

    private static void checkContiguous(String op, String name, Tensor t) {
        if (!t.isContiguous()) {
            throw new IllegalArgumentException(op + ": " + name + " of shape " + str(t) + " is a strided view;"
                    + " the tensors written must be contiguous (make one with contiguous() or zeros(...))");
        }
    }

    private static boolean hasShape(Tensor t, int rows, int cols) {
        int[] s = t.shapeRef();
        return s.length == 2 && s[0] == rows && s[1] == cols;
    }

    /** The error for a written tensor of the wrong shape; built only when thrown. */
    private static IllegalArgumentException wrongTarget(String op, String inputs, String name, int rows, int cols,
                                                        String why, Tensor got) {
        return new IllegalArgumentException(op + ": " + inputs + ": expected " + name + " of shape [" + rows + ", "
                + cols + "] (" + why + "), got " + str(got));
    }

    /** Refuses a written tensor that shares any element with another operand. */
    private static void checkDisjoint(String op, String written, Tensor w, String otherName, Tensor other) {
        if (overlaps(w, other)) {
            throw new IllegalArgumentException(op + ": " + written + " " + str(w) + " shares storage with "
                    + otherName + " " + str(other) + "; the result would overwrite values it still reads");
        }
    }

    /** Same, but an exact alias (same elements in the same layout) is fine for an elementwise op. */
    private static void checkDisjointOrSame(String op, String written, Tensor w, String otherName, Tensor other) {
        if (overlaps(w, other) && !sameElements(w, other)) {
            throw new IllegalArgumentException(op + ": " + written + " " + str(w) + " partly overlaps "
                    + otherName + " " + str(other) + "; it may be the very same tensor, or share nothing with it");
        }
    }

    private static boolean sameElements(Tensor a, Tensor b) {
        return a.offset() == b.offset() && Arrays.equals(a.shapeRef(), b.shapeRef())
                && (a.isContiguous() && b.isContiguous() || Arrays.equals(a.stridesRef(), b.stridesRef()));
    }

    /** Whether the storage ranges the two tensors can touch intersect (conservative for strided views). */
    static boolean overlaps(Tensor a, Tensor b) {
        if (!a.sharesStorageWith(b) || a.numel() == 0 || b.numel() == 0) {
            return false;
        }
        return lowest(a) <= highest(b) && lowest(b) <= highest(a);
    }

    private static long lowest(Tensor t) {
        long at = t.offset();
        int[] s = t.shapeRef();
        int[] st = t.stridesRef();
        for (int d = 0; d < s.length; d++) {
            at += Math.min(0L, (long) (s[d] - 1) * st[d]);
        }
        return at;
    }

    private static long highest(Tensor t) {
        long at = t.offset();
        int[] s = t.shapeRef();
        int[] st = t.stridesRef();
        for (int d = 0; d < s.length; d++) {
            at += Math.max(0L, (long) (s[d] - 1) * st[d]);
        }
        return at;
    }
}
