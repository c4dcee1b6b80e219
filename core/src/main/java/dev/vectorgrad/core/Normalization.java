package dev.vectorgrad.core;

import java.util.Arrays;

import dev.vectorgrad.core.internal.Kernels;
import dev.vectorgrad.core.internal.NormalizationKernels;

/**
 * Batch and layer normalisation on tensors, forward and backward, with PyTorch's formulas:
 * {@code torch.nn.functional.batch_norm} and {@code layer_norm}. The autograd ops and the
 * {@code nn} layers are built on these.
 *
 * <p><b>Batch norm</b> normalises each channel {@code c} of an {@code [N, C]} or
 * {@code [N, C, *]} input over the batch and every spatial position:
 * {@code y = (x - mean[c]) * invstd[c] * weight[c] + bias[c]}. {@link #batchNormStatistics}
 * computes the batch's mean, its biased variance's {@code invstd = 1/sqrt(var + eps)} and
 * updates running statistics as PyTorch does in training ({@code running = (1 - momentum) *
 * running + momentum * batch}, with the <em>unbiased</em> variance);
 * {@link #batchNormForward} applies any mean and invstd (the batch's, or the running ones in
 * evaluation, from {@link #invStd}); {@link #batchNormBackward} is the closed form.
 *
 * <p><b>Layer norm</b> normalises each row of the trailing {@code normalizedShape} dims, with
 * an optional elementwise weight and bias of that shape.
 *
 * <p>Numerics: statistics are taken in two passes (the mean, then the squared deviations from
 * it), summed in float lanes over short blocks and then in double by the SIMD kernels, in double
 * throughout by their scalar twins ({@code -Dvectorgrad.vectorBitSize=0}); the mean, variance and
 * {@code invstd} are finished in double and rounded once to float. The normalise and backward
 * passes are float, bit-identical between the SIMD and scalar kernels.
 *
 * <p>Inputs may be any view (a non-contiguous one is copied first); outputs are contiguous
 * tensors the caller owns, so a captured graph replays these without allocating (scratch arrays
 * live per thread and are reused). Every method validates first and throws
 * {@link IllegalArgumentException} naming the op, the shapes and the rule; written tensors have
 * their {@link Tensor#version()} bumped.
 */
public final class Normalization {

    private static final NormalizationKernels K = Kernels.NORMALIZATION;
    /** Rows of a layer norm's parameter gradients summed in float before going into double. */
    private static final int PARAM_ROWS = 256;

    private static final ThreadLocal<Work> WORK = ThreadLocal.withInitial(Work::new);

    private Normalization() {}

    /** Per-thread scratch arrays, grown on demand and kept, so a warm call allocates nothing. */
    private static final class Work {
        double[] d0 = new double[0];
        double[] d1 = new double[0];
        double[] d2 = new double[0];
        double[] d3 = new double[0];
        float[] f0 = new float[0];
        float[] f1 = new float[0];
        float[] f2 = new float[0];
        float[] f3 = new float[0];
        float[] f4 = new float[0];
        float[] f5 = new float[0];

        void ensure(int n) {
            if (d0.length < n) {
                d0 = new double[n];
                d1 = new double[n];
                f0 = new float[n];
                f1 = new float[n];
                f2 = new float[n];
                f3 = new float[n];
            }
        }

        /** Scratch for a layer norm's parameter gradients, of the normalised size. */
        void ensureParams(int d) {
            if (d2.length < d) {
                d2 = new double[d];
                d3 = new double[d];
                f4 = new float[d];
                f5 = new float[d];
            }
        }
    }

    // ------------------------------------------------------------------ batch norm

    /*
     * A batch-norm input is laid out as [outer, channels, inner] = [N, C, H*W]; a layer norm's as
     * [rows, d]. The sizes are recomputed from the shape where needed rather than returned in a
     * small record: a replayed forward must not allocate, and these methods are too big to inline.
     */

    private static void checkBatchInput(String op, Tensor x) {
        if (x == null) {
            throw new IllegalArgumentException(op + ": the input is null");
        }
        if (x.dim() < 2) {
            throw new IllegalArgumentException(op + ": input " + Shapes.str(x.shapeRef())
                    + " must have at least 2 dims, [N, C] or [N, C, *]");
        }
    }

    /** The product of the sizes after the channel dim. */
    private static int inner(Tensor x) {
        int[] s = x.shapeRef();
        int inner = 1;
        for (int d = 2; d < s.length; d++) {
            inner *= s[d];
        }
        return inner;
    }

    private static void checkChannelVector(String op, String name, Tensor t, int channels, Tensor x, boolean write) {
        if (t == null) {
            throw new IllegalArgumentException(op + ": " + name + " is null");
        }
        if (t.dim() != 1 || t.size(0) != channels) {
            throw new IllegalArgumentException(op + ": " + name + " has shape " + Shapes.str(t.shapeRef())
                    + ", expected [" + channels + "], one per channel of input " + Shapes.str(x.shapeRef()));
        }
        if (write) {
            checkWritable(op, name, t);
        }
    }

    private static void checkWritable(String op, String name, Tensor t) {
        if (!t.isContiguous()) {
            throw new IllegalArgumentException(op + ": " + name + " must be contiguous, got a view of shape "
                    + Shapes.str(t.shapeRef()) + " with strides " + Arrays.toString(t.stridesRef()));
        }
    }

    // Fixed arities rather than varargs: a replayed forward must not allocate an array per check.
    private static void checkDisjoint(String op, String name, Tensor t, Tensor read) {
        if (read != null && t.sharesStorageWith(read)) {
            throw new IllegalArgumentException(op + ": " + name + " of shape " + Shapes.str(t.shapeRef())
                    + " shares storage with a tensor it reads; pass a tensor of its own");
        }
    }

    private static void checkDisjoint(String op, String name, Tensor t, Tensor a, Tensor b) {
        checkDisjoint(op, name, t, a);
        checkDisjoint(op, name, t, b);
    }

    private static void checkDisjoint(String op, String name, Tensor t, Tensor a, Tensor b, Tensor c) {
        checkDisjoint(op, name, t, a, b);
        checkDisjoint(op, name, t, c);
    }

    private static void checkDisjoint(String op, String name, Tensor t, Tensor a, Tensor b, Tensor c, Tensor d) {
        checkDisjoint(op, name, t, a, b);
        checkDisjoint(op, name, t, c, d);
    }

    private static void checkDisjoint(String op, String name, Tensor t, Tensor a, Tensor b, Tensor c, Tensor d,
                                      Tensor e) {
        checkDisjoint(op, name, t, a, b, c);
        checkDisjoint(op, name, t, d, e);
    }

    private static void checkFiniteEps(String op, float eps) {
        if (!(eps > 0f && eps < Float.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException(op + ": eps must be finite and > 0, got " + eps);
        }
    }

    /** Copies a (possibly strided) 1-d tensor into {@code dst[0..n)}. */
    private static void read(Tensor t, float[] dst) {
        float[] d = t.data();
        int off = t.offset();
        int s = t.stridesRef()[0];
        for (int i = 0, n = t.size(0); i < n; i++) {
            dst[i] = d[off + i * s];
        }
    }

    private static Tensor dense(Tensor t) {
        return t.isContiguous() ? t : t.contiguous();
    }

    /**
     * The batch's statistics per channel, in training mode: {@code mean}, and
     * {@code invstd = 1/sqrt(var + eps)} of the biased variance (divided by {@code N*H*W}); when
     * running statistics are given, they are updated in place as PyTorch's training mode does:
     * {@code running_mean = (1 - momentum)*running_mean + momentum*mean} and likewise for
     * {@code running_var} with the unbiased variance (divided by {@code N*H*W - 1}), in double and
     * rounded once.
     *
     * @param x the input, {@code [N, C]} or {@code [N, C, *]}, any view
     * @param eps added to the variance, finite and {@code > 0}
     * @param mean receives the batch mean, contiguous {@code [C]}
     * @param invstd receives the batch's {@code 1/sqrt(var + eps)}, contiguous {@code [C]}
     * @param runningMean updated in place, contiguous {@code [C]}, or null (then so is runningVar)
     * @param runningVar updated in place, contiguous {@code [C]}, or null
     * @param momentum the running statistics' update factor, in [0, 1]; a double, so that
     *     PyTorch's cumulative average ({@code momentum=None}: {@code 1/num_batches_tracked}) is
     *     applied as exactly as its Python float is
     * @throws IllegalArgumentException on a bad shape or argument, or fewer than two values per
     *     channel when running statistics are updated (PyTorch's "Expected more than 1 value per
     *     channel when training"), before anything is written
     */
    public static void batchNormStatistics(Tensor x, float eps, Tensor mean, Tensor invstd,
                                           Tensor runningMean, Tensor runningVar, double momentum) {
        String op = "batchNorm";
        checkBatchInput(op, x);
        int c = x.size(1);
        int outer = x.size(0);
        int inner = inner(x);
        checkFiniteEps(op, eps);
        checkChannelVector(op, "mean", mean, c, x, true);
        checkChannelVector(op, "invstd", invstd, c, x, true);
        checkDisjoint(op, "mean", mean, x, invstd);
        checkDisjoint(op, "invstd", invstd, x);
        if ((runningMean == null) != (runningVar == null)) {
            throw new IllegalArgumentException(op + ": pass both running statistics or neither, got "
                    + (runningMean == null ? "runningVar only" : "runningMean only"));
        }
        if (runningMean != null) {
            checkChannelVector(op, "runningMean", runningMean, c, x, true);
            checkChannelVector(op, "runningVar", runningVar, c, x, true);
            checkDisjoint(op, "runningMean", runningMean, x, mean, invstd, runningVar);
            checkDisjoint(op, "runningVar", runningVar, x, mean, invstd);
            if (!(momentum >= 0 && momentum <= 1)) {
                throw new IllegalArgumentException(op + ": momentum must be in [0, 1], got " + momentum);
            }
        }
        long count = (long) outer * inner;
        if (count == 0 || runningMean != null && count == 1) {
            throw new IllegalArgumentException(op + ": expected more than 1 value per channel when training, got input "
                    + Shapes.str(x.shapeRef()) + " (" + count + " per channel)");
        }
        Tensor xs = dense(x);
        Work w = WORK.get();
        w.ensure(c);
        float[] m = w.f0;
        BatchNormChannels.get().statistics(K, xs.data(), xs.offset(), outer, c, inner, w.d0, m, w.d1);
        float[] md = mean.data();
        float[] id = invstd.data();
        for (int i = 0; i < c; i++) {
            double mu = w.d0[i] / count;
            double var = w.d1[i] / count;
            md[mean.offset() + i] = m[i];
            id[invstd.offset() + i] = (float) (1.0 / Math.sqrt(var + eps));
            if (runningMean != null) {
                float[] rm = runningMean.data();
                float[] rv = runningVar.data();
                int a = runningMean.offset() + i;
                int b = runningVar.offset() + i;
                double unbiased = w.d1[i] / (count - 1);
                rm[a] = (float) (momentum * mu + (1.0 - momentum) * rm[a]);
                rv[b] = (float) (momentum * unbiased + (1.0 - momentum) * rv[b]);
            }
        }
        mean.bumpVersion();
        invstd.bumpVersion();
        if (runningMean != null) {
            runningMean.bumpVersion();
            runningVar.bumpVersion();
        }
    }

    /**
     * {@code invstd = 1/sqrt(var + eps)} elementwise, in double and rounded once: the evaluation
     * mode's scale from the running variance.
     *
     * @param var the variance, 1-d, any view
     * @param eps finite and {@code > 0}
     * @param invstd the result, contiguous, var's shape, not sharing var's storage
     * @return {@code invstd}
     */
    public static Tensor invStd(Tensor var, float eps, Tensor invstd) {
        String op = "batchNorm";
        checkFiniteEps(op, eps);
        if (var == null || invstd == null || var.dim() != 1 || !Arrays.equals(var.shapeRef(), invstd.shapeRef())) {
            throw new IllegalArgumentException(op + ": invStd needs a 1-d variance and a target of its shape, got "
                    + (var == null ? "null" : Shapes.str(var.shapeRef())) + " and "
                    + (invstd == null ? "null" : Shapes.str(invstd.shapeRef())));
        }
        checkWritable(op, "invstd", invstd);
        checkDisjoint(op, "invstd", invstd, var);
        float[] vd = var.data();
        float[] od = invstd.data();
        int s = var.stridesRef()[0];
        for (int i = 0, n = var.size(0); i < n; i++) {
            od[invstd.offset() + i] = (float) (1.0 / Math.sqrt((double) vd[var.offset() + i * s] + eps));
        }
        invstd.bumpVersion();
        return invstd;
    }

    /**
     * {@code out = (x - mean[c]) * (invstd[c] * weight[c]) + bias[c]}, the product
     * {@code invstd*weight} rounded once per channel.
     *
     * @param x the input, {@code [N, C]} or {@code [N, C, *]}, any view
     * @param mean per channel, {@code [C]}, any view
     * @param invstd per channel, {@code [C]}
     * @param weight per channel, {@code [C]}, or null for 1
     * @param bias per channel, {@code [C]}, or null for 0
     * @param out the result, contiguous, x's shape, sharing storage with no input
     * @return {@code out}
     */
    public static Tensor batchNormForward(Tensor x, Tensor mean, Tensor invstd, Tensor weight, Tensor bias, Tensor out) {
        String op = "batchNorm";
        checkBatchInput(op, x);
        int c = x.size(1);
        checkChannelVector(op, "mean", mean, c, x, false);
        checkChannelVector(op, "invstd", invstd, c, x, false);
        if (weight != null) {
            checkChannelVector(op, "weight", weight, c, x, false);
        }
        if (bias != null) {
            checkChannelVector(op, "bias", bias, c, x, false);
        }
        checkSameShape(op, "out", out, x);
        checkWritable(op, "out", out);
        checkDisjoint(op, "out", out, x, mean, invstd, weight, bias);
        Tensor xs = dense(x);
        Work w = WORK.get();
        w.ensure(c);
        read(mean, w.f0);
        read(invstd, w.f1);
        if (weight != null) {
            read(weight, w.f2);
            for (int i = 0; i < c; i++) {
                w.f1[i] = w.f1[i] * w.f2[i];
            }
        }
        if (bias != null) {
            read(bias, w.f3);
        } else {
            Arrays.fill(w.f3, 0, c, 0f);
        }
        BatchNormChannels.get().forward(K, xs.data(), xs.offset(), out.data(), out.offset(), x.size(0), c, inner(x),
                w.f0, w.f1, w.f3);
        out.bumpVersion();
        return out;
    }

    private static void checkSameShape(String op, String name, Tensor t, Tensor like) {
        if (t == null) {
            throw new IllegalArgumentException(op + ": " + name + " is null");
        }
        if (!Arrays.equals(t.shapeRef(), like.shapeRef())) {
            throw new IllegalArgumentException(op + ": " + name + " has shape " + Shapes.str(t.shapeRef())
                    + ", expected the input's " + Shapes.str(like.shapeRef()));
        }
    }

    /**
     * The gradients of {@link #batchNormForward}, PyTorch's closed form. With batch statistics
     * (training), {@code M = N*H*W} values per channel and {@code xhat = (x - mean)*invstd}:
     * {@code gradIn = (gradOut - mean(gradOut) - xhat*mean(gradOut*xhat)) * invstd * weight};
     * with fixed statistics (evaluation) {@code gradIn = gradOut * invstd * weight}. Either way
     * {@code gradWeight = sum(gradOut * xhat)} and {@code gradBias = sum(gradOut)} per channel.
     * Each target is overwritten and may be null when not wanted.
     *
     * @param gradOut the output's gradient, x's shape, any view
     * @param x the forward's input, any view
     * @param mean the mean the forward used, {@code [C]}
     * @param invstd the invstd the forward used, {@code [C]}
     * @param weight the forward's weight, or null for 1
     * @param batchStatistics whether mean and invstd were the batch's own (training)
     * @param gradIn x's gradient, contiguous, or null
     * @param gradWeight {@code [C]}, contiguous, or null
     * @param gradBias {@code [C]}, contiguous, or null
     */
    public static void batchNormBackward(Tensor gradOut, Tensor x, Tensor mean, Tensor invstd, Tensor weight,
                                         boolean batchStatistics, Tensor gradIn, Tensor gradWeight, Tensor gradBias) {
        String op = "batchNormBackward";
        checkBatchInput(op, x);
        int c = x.size(1);
        int outer = x.size(0);
        int inner = inner(x);
        checkSameShape(op, "gradOut", gradOut, x);
        checkChannelVector(op, "mean", mean, c, x, false);
        checkChannelVector(op, "invstd", invstd, c, x, false);
        if (weight != null) {
            checkChannelVector(op, "weight", weight, c, x, false);
        }
        if (gradIn != null) {
            checkSameShape(op, "gradIn", gradIn, x);
            checkWritable(op, "gradIn", gradIn);
            checkDisjoint(op, "gradIn", gradIn, gradOut, x, mean, invstd, weight);
        }
        if (gradWeight != null) {
            checkChannelVector(op, "gradWeight", gradWeight, c, x, true);
            checkDisjoint(op, "gradWeight", gradWeight, gradOut, x, mean, invstd, weight);
            checkDisjoint(op, "gradWeight", gradWeight, gradIn, gradBias);
        }
        if (gradBias != null) {
            checkChannelVector(op, "gradBias", gradBias, c, x, true);
            checkDisjoint(op, "gradBias", gradBias, gradOut, x, mean, invstd, weight);
            checkDisjoint(op, "gradBias", gradBias, gradIn);
        }
        Tensor xs = dense(x);
        Tensor gs = dense(gradOut);
        Work w = WORK.get();
        w.ensure(c);
        float[] m = w.f0;
        float[] is = w.f1;
        float[] scale = w.f2;
        read(mean, m);
        read(invstd, is);
        if (weight != null) {
            read(weight, scale);
            for (int i = 0; i < c; i++) {
                scale[i] = is[i] * scale[i];
            }
        } else {
            System.arraycopy(is, 0, scale, 0, c);
        }
        boolean sums = gradWeight != null || gradBias != null || gradIn != null && batchStatistics;
        w.ensureParams(c);
        // meanDy and proj (f3, f4) are the closed form's per-channel constants, filled per range
        BatchNormChannels.get().backward(K, gs.data(), gs.offset(), xs.data(), xs.offset(),
                gradIn == null ? null : gradIn.data(), gradIn == null ? 0 : gradIn.offset(), outer, c, inner,
                sums, batchStatistics, m, is, scale, w.d0, w.d1, w.f3, w.f4);
        if (gradWeight != null) {
            float[] gw = gradWeight.data();
            for (int i = 0; i < c; i++) {
                gw[gradWeight.offset() + i] = (float) (w.d1[i] * is[i]);
            }
            gradWeight.bumpVersion();
        }
        if (gradBias != null) {
            float[] gb = gradBias.data();
            for (int i = 0; i < c; i++) {
                gb[gradBias.offset() + i] = (float) w.d0[i];
            }
            gradBias.bumpVersion();
        }
        if (gradIn != null) {
            gradIn.bumpVersion();
        }
    }

    // ------------------------------------------------------------------ layer norm

    /** The normalised size d of a layer norm (its rows are {@code x.numel() / d}), after checking the trailing dims. */
    private static int layerSize(String op, Tensor x, int[] normalizedShape) {
        if (x == null || normalizedShape == null) {
            throw new IllegalArgumentException(op + ": the input and normalized_shape must not be null");
        }
        int[] s = x.shapeRef();
        int k = normalizedShape.length;
        if (k == 0) {
            throw new IllegalArgumentException(op + ": normalized_shape must have at least one dim, got []");
        }
        boolean fits = s.length >= k;
        for (int i = 0; fits && i < k; i++) {
            fits = s[s.length - k + i] == normalizedShape[i];
        }
        if (!fits) {
            throw new IllegalArgumentException(op + ": input " + Shapes.str(s) + " does not end in normalized_shape "
                    + Shapes.str(normalizedShape) + "; expected input of shape [*, "
                    + Arrays.toString(normalizedShape).replace("[", "").replace("]", "") + "]");
        }
        int d = 1;
        for (int v : normalizedShape) {
            d *= v;
        }
        if (d == 0) {
            throw new IllegalArgumentException(op + ": normalized_shape " + Shapes.str(normalizedShape)
                    + " has no elements; there is nothing to normalise over");
        }
        return d;
    }

    private static void checkParamGrad(String op, String name, Tensor t, int[] normalizedShape, Tensor gradOut,
                                       Tensor x, Tensor mean, Tensor rstd, Tensor weight, Tensor gradIn) {
        if (t != null) {
            checkParam(op, name, t, normalizedShape);
            checkWritable(op, name, t);
            checkDisjoint(op, name, t, gradOut, x, mean, rstd, weight);
            checkDisjoint(op, name, t, gradIn);
        }
    }

    private static void checkParam(String op, String name, Tensor t, int[] normalizedShape) {
        if (t != null && !Arrays.equals(t.shapeRef(), normalizedShape)) {
            throw new IllegalArgumentException(op + ": " + name + " has shape " + Shapes.str(t.shapeRef())
                    + ", expected normalized_shape " + Shapes.str(normalizedShape));
        }
    }

    private static void checkRowVector(String op, String name, Tensor t, int rows, Tensor x, boolean write) {
        if (t == null) {
            throw new IllegalArgumentException(op + ": " + name + " is null");
        }
        if (t.numel() != rows) {
            throw new IllegalArgumentException(op + ": " + name + " has shape " + Shapes.str(t.shapeRef())
                    + " (" + t.numel() + " elements), expected " + rows + ", one per normalised row of input "
                    + Shapes.str(x.shapeRef()));
        }
        if (write || !t.isContiguous()) {
            checkWritable(op, name, t);
        }
    }

    /**
     * {@code torch.nn.functional.layer_norm}: each row of the trailing {@code normalizedShape}
     * dims becomes {@code (x - mean) * rstd * weight + bias}, {@code rstd = 1/sqrt(var + eps)} of
     * the row's biased variance.
     *
     * @param x the input, {@code [*, normalizedShape]}, any view
     * @param normalizedShape the trailing dims to normalise over
     * @param weight elementwise, normalizedShape, any view, or null for 1
     * @param bias elementwise, normalizedShape, or null for 0
     * @param eps added to the variance, finite and {@code > 0}
     * @param out the result, contiguous, x's shape
     * @param mean receives each row's mean, contiguous, one element per row (any shape)
     * @param rstd receives each row's {@code 1/sqrt(var + eps)}, contiguous, one per row
     * @return {@code out}
     */
    public static Tensor layerNorm(Tensor x, int[] normalizedShape, Tensor weight, Tensor bias, float eps,
                                   Tensor out, Tensor mean, Tensor rstd) {
        String op = "layerNorm";
        int d = layerSize(op, x, normalizedShape);
        int rows = x.numel() / d;
        checkFiniteEps(op, eps);
        checkParam(op, "weight", weight, normalizedShape);
        checkParam(op, "bias", bias, normalizedShape);
        checkSameShape(op, "out", out, x);
        checkWritable(op, "out", out);
        checkRowVector(op, "mean", mean, rows, x, true);
        checkRowVector(op, "rstd", rstd, rows, x, true);
        checkDisjoint(op, "out", out, x, weight, bias, mean, rstd);
        checkDisjoint(op, "mean", mean, x, weight, bias, rstd);
        checkDisjoint(op, "rstd", rstd, x, weight, bias);
        Tensor xs = dense(x);
        Tensor ws = weight == null ? null : dense(weight);
        Tensor bs = bias == null ? null : dense(bias);
        Work w = WORK.get();
        w.ensure(rows);
        K.channelSums(xs.data(), xs.offset(), 1, rows, d, 0, rows, w.d0);
        float[] m = w.f0;
        for (int i = 0; i < rows; i++) {
            m[i] = (float) (w.d0[i] / d);
        }
        K.channelSquaredDeviations(xs.data(), xs.offset(), 1, rows, d, 0, rows, m, w.d1);
        float[] rs = w.f1;
        for (int i = 0; i < rows; i++) {
            rs[i] = (float) (1.0 / Math.sqrt(w.d1[i] / d + eps));
        }
        K.rowAffine(xs.data(), xs.offset(), out.data(), out.offset(), rows, d, m, rs,
                ws == null ? null : ws.data(), ws == null ? 0 : ws.offset(),
                bs == null ? null : bs.data(), bs == null ? 0 : bs.offset());
        System.arraycopy(m, 0, mean.data(), mean.offset(), rows);
        System.arraycopy(rs, 0, rstd.data(), rstd.offset(), rows);
        out.bumpVersion();
        mean.bumpVersion();
        rstd.bumpVersion();
        return out;
    }

    /**
     * The gradients of {@link #layerNorm}: with {@code g = gradOut * weight} and
     * {@code xhat = (x - mean) * rstd} per row of {@code D} values,
     * {@code gradIn = (g - mean(g) - xhat * mean(g * xhat)) * rstd};
     * {@code gradWeight = sum over rows of gradOut * xhat}, {@code gradBias = sum over rows of
     * gradOut}. Targets are overwritten; null ones are skipped.
     *
     * @param gradOut the output's gradient, x's shape, any view
     * @param x the forward's input, any view
     * @param normalizedShape as in the forward
     * @param mean the forward's row means
     * @param rstd the forward's row rstd
     * @param weight the forward's weight, or null
     * @param gradIn x's gradient, contiguous, or null
     * @param gradWeight normalizedShape, contiguous, or null
     * @param gradBias normalizedShape, contiguous, or null
     */
    public static void layerNormBackward(Tensor gradOut, Tensor x, int[] normalizedShape, Tensor mean, Tensor rstd,
                                         Tensor weight, Tensor gradIn, Tensor gradWeight, Tensor gradBias) {
        String op = "layerNormBackward";
        int d = layerSize(op, x, normalizedShape);
        int rows = x.numel() / d;
        checkSameShape(op, "gradOut", gradOut, x);
        checkParam(op, "weight", weight, normalizedShape);
        checkRowVector(op, "mean", mean, rows, x, false);
        checkRowVector(op, "rstd", rstd, rows, x, false);
        if (gradIn != null) {
            checkSameShape(op, "gradIn", gradIn, x);
            checkWritable(op, "gradIn", gradIn);
            checkDisjoint(op, "gradIn", gradIn, gradOut, x, mean, rstd, weight);
        }
        checkParamGrad(op, "gradWeight", gradWeight, normalizedShape, gradOut, x, mean, rstd, weight, gradIn);
        checkParamGrad(op, "gradBias", gradBias, normalizedShape, gradOut, x, mean, rstd, weight, gradIn);
        if (gradWeight != null && gradBias != null) {
            checkDisjoint(op, "gradWeight", gradWeight, gradBias);
        }
        Tensor xs = dense(x);
        Tensor gs = dense(gradOut);
        Tensor ws = weight == null ? null : dense(weight);
        float[] md = mean.data();
        float[] rd = rstd.data();
        Work w = WORK.get();
        w.ensure(rows);
        float[] m = w.f0;
        float[] rs = w.f1;
        System.arraycopy(md, mean.offset(), m, 0, rows);
        System.arraycopy(rd, rstd.offset(), rs, 0, rows);
        if (gradIn != null) {
            K.rowBackwardSums(gs.data(), gs.offset(), xs.data(), xs.offset(), rows, d, m,
                    ws == null ? null : ws.data(), ws == null ? 0 : ws.offset(), w.d0, w.d1);
            float[] meanG = w.f2;
            float[] proj = w.f3;
            for (int i = 0; i < rows; i++) {
                meanG[i] = (float) (w.d0[i] / d);
                double s = rs[i];
                proj[i] = (float) (w.d1[i] / d * s * s);
            }
            K.rowAffineBackward(gs.data(), gs.offset(), xs.data(), xs.offset(), gradIn.data(), gradIn.offset(),
                    rows, d, m, ws == null ? null : ws.data(), ws == null ? 0 : ws.offset(), meanG, proj, rs);
            gradIn.bumpVersion();
        }
        if (gradWeight != null || gradBias != null) {
            w.ensureParams(d);
            double[] sw = w.d2;
            double[] sb = w.d3;
            Arrays.fill(sw, 0, d, 0.0);
            Arrays.fill(sb, 0, d, 0.0);
            float[] bw = gradWeight == null ? null : w.f4;
            float[] bb = gradBias == null ? null : w.f5;
            for (int r0 = 0; r0 < rows; r0 += PARAM_ROWS) {
                int n = Math.min(PARAM_ROWS, rows - r0);
                if (bw != null) {
                    Arrays.fill(bw, 0, d, 0f);
                }
                if (bb != null) {
                    Arrays.fill(bb, 0, d, 0f);
                }
                // Float sums over a block of rows (vectorised along the row), then into double.
                K.rowParamGrads(gs.data(), gs.offset() + r0 * d, xs.data(), xs.offset() + r0 * d, n, d,
                        m, rs, r0, bw, bb);
                for (int j = 0; j < d; j++) {
                    if (bw != null) {
                        sw[j] += bw[j];
                    }
                    if (bb != null) {
                        sb[j] += bb[j];
                    }
                }
            }
            if (gradWeight != null) {
                float[] t = gradWeight.data();
                for (int j = 0; j < d; j++) {
                    t[gradWeight.offset() + j] = (float) sw[j];
                }
                gradWeight.bumpVersion();
            }
            if (gradBias != null) {
                float[] t = gradBias.data();
                for (int j = 0; j < d; j++) {
                    t[gradBias.offset() + j] = (float) sb[j];
                }
                gradBias.bumpVersion();
            }
        }
    }
}
