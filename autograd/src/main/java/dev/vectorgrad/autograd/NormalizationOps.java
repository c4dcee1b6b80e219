package dev.vectorgrad.autograd;

import java.util.Arrays;

import dev.vectorgrad.core.Normalization;
import dev.vectorgrad.core.Tensor;

/**
 * Batch and layer normalisation on {@link Var}s, PyTorch's {@code F.batch_norm} and
 * {@code F.layer_norm}, with their closed-form backward rules ({@link Normalization} has the
 * formulas and the numerics). Both are recorded with replay forms, so a {@link CapturedGraph}
 * (and {@code nn.TrainStep}) replays them allocation-free and bit for bit; a replayed batch norm
 * in training mode updates the running statistics on every forward, exactly as the eager op.
 */
public final class NormalizationOps {

    private NormalizationOps() {}

    /**
     * {@code F.batch_norm(x, running_mean, running_var, weight, bias, training, momentum, eps)}.
     *
     * @see #batchNorm(Var, Tensor, Tensor, Tensor, Var, Var, boolean, float, float)
     * @param x the input
     * @param runningMean the running mean, or null
     * @param runningVar the running variance, or null
     * @param weight the per-channel scale, or null
     * @param bias the per-channel shift, or null
     * @param training use the batch's statistics (and update the running ones)
     * @param momentum the running statistics' update factor
     * @param eps added to the variance
     * @return the normalised input
     */
    public static Var batchNorm(Var x, Tensor runningMean, Tensor runningVar, Var weight, Var bias,
                                boolean training, float momentum, float eps) {
        return batchNorm(x, runningMean, runningVar, null, weight, bias, training, momentum, eps);
    }

    /**
     * Batch normalisation of an {@code [N, C]} or {@code [N, C, *]} input per channel, as
     * {@code F.batch_norm}: {@code y = (x - mean) / sqrt(var + eps) * weight + bias}.
     *
     * <ul>
     *   <li>{@code training}: mean and (biased) variance of the batch, over N and every spatial
     *       position; when running statistics are given they are updated in place,
     *       {@code running = (1 - momentum)*running + momentum*batch} with the unbiased variance,
     *       and {@code numBatchesTracked} (if given) goes up by one. The gradient flows through
     *       the batch statistics.</li>
     *   <li>not {@code training}: the running statistics (required) are used as constants.</li>
     * </ul>
     *
     * @param x the input, {@code [N, C]} or {@code [N, C, *]}
     * @param runningMean {@code [C]}, contiguous, or null (training only)
     * @param runningVar {@code [C]}, contiguous, or null together with runningMean
     * @param numBatchesTracked a one-element counter incremented per training forward, or null
     * @param weight {@code [C]}, or null for 1
     * @param bias {@code [C]}, or null for 0
     * @param training whether to normalise with the batch's statistics and update the running ones
     * @param momentum in [0, 1], PyTorch's default 0.1
     * @param eps finite and {@code > 0}, PyTorch's default 1e-5
     * @return the normalised input, x's shape
     * @throws IllegalArgumentException on a wrong rank, per-channel tensors of the wrong size,
     *     evaluation without running statistics, or one value per channel in training
     */
    public static Var batchNorm(Var x, Tensor runningMean, Tensor runningVar, Tensor numBatchesTracked, Var weight,
                                Var bias, boolean training, float momentum, float eps) {
        String op = "batchNorm";
        if (x == null) {
            throw new IllegalArgumentException(op + ": the input is null");
        }
        Tensor xv = x.value();
        if (xv.dim() < 2) {
            throw new IllegalArgumentException(op + ": input " + Arrays.toString(xv.shape())
                    + " must have at least 2 dims, [N, C] or [N, C, *]");
        }
        if (!training && (runningMean == null || runningVar == null)) {
            throw new IllegalArgumentException(op + ": evaluation mode (training=false) needs running_mean and"
                    + " running_var, got " + (runningMean == null ? "no running_mean" : "no running_var"));
        }
        if (numBatchesTracked != null && numBatchesTracked.numel() != 1) {
            throw new IllegalArgumentException(op + ": num_batches_tracked must hold one element, got shape "
                    + Arrays.toString(numBatchesTracked.shape()));
        }
        int c = xv.size(1);
        Tensor w = weight == null ? null : weight.value();
        Tensor b = bias == null ? null : bias.value();
        BatchNormReplay r = new BatchNormReplay(xv, runningMean, runningVar, numBatchesTracked, w, b,
                Tensor.zeros(xv.shape()), Tensor.zeros(c), Tensor.zeros(c), training, momentum, eps);
        r.forward(); // eager and replayed forwards are one code path, so they agree bit for bit
        Var[] inputs = inputs(x, weight, bias);
        Tensor[] saved = w == null ? new Tensor[] {xv, r.mean, r.invstd} : new Tensor[] {xv, r.mean, r.invstd, w};
        return Var.record(op, r.out, inputs, saved, (g, sink) -> {
            int wi = weight == null ? -1 : 1;
            int bi = bias == null ? -1 : weight == null ? 1 : 2;
            Tensor gx = sink.needs(0) ? Tensor.zeros(xv.shape()) : null;
            Tensor gw = wi > 0 && sink.needs(wi) ? Tensor.zeros(c) : null;
            Tensor gb = bi > 0 && sink.needs(bi) ? Tensor.zeros(c) : null;
            r.gradients(g, gx, gw, gb);
            if (gx != null) {
                sink.add(0, gx, true);
            }
            if (gw != null) {
                sink.add(wi, gw, true);
            }
            if (gb != null) {
                sink.add(bi, gb, true);
            }
        }, () -> r);
    }

    /**
     * {@code F.layer_norm(x, normalized_shape, weight, bias, eps)}: each row of the trailing
     * {@code normalizedShape} dims becomes {@code (x - mean) / sqrt(var + eps) * weight + bias},
     * with the row's mean and biased variance.
     *
     * @param x the input, {@code [*, normalizedShape]}
     * @param normalizedShape the trailing dims normalised over
     * @param weight of normalizedShape, or null for 1
     * @param bias of normalizedShape, or null for 0
     * @param eps finite and {@code > 0}, PyTorch's default 1e-5
     * @return the normalised input, x's shape
     * @throws IllegalArgumentException when x does not end in normalizedShape or a parameter's shape differs
     */
    public static Var layerNorm(Var x, int[] normalizedShape, Var weight, Var bias, float eps) {
        String op = "layerNorm";
        if (x == null || normalizedShape == null) {
            throw new IllegalArgumentException(op + ": the input and normalized_shape must not be null");
        }
        Tensor xv = x.value();
        int[] shape = normalizedShape.clone();
        int d = 1;
        for (int s : shape) {
            d *= s;
        }
        int rows = d == 0 ? 0 : xv.numel() / d;
        Tensor w = weight == null ? null : weight.value();
        Tensor b = bias == null ? null : bias.value();
        LayerNormReplay r = new LayerNormReplay(xv, shape, w, b, eps, Tensor.zeros(xv.shape()),
                Tensor.zeros(rows), Tensor.zeros(rows));
        r.forward();
        Var[] inputs = inputs(x, weight, bias);
        Tensor[] saved = w == null ? new Tensor[] {xv, r.mean, r.rstd} : new Tensor[] {xv, r.mean, r.rstd, w};
        return Var.record(op, r.out, inputs, saved, (g, sink) -> {
            int wi = weight == null ? -1 : 1;
            int bi = bias == null ? -1 : weight == null ? 1 : 2;
            Tensor gx = sink.needs(0) ? Tensor.zeros(xv.shape()) : null;
            Tensor gw = wi > 0 && sink.needs(wi) ? Tensor.zeros(shape) : null;
            Tensor gb = bi > 0 && sink.needs(bi) ? Tensor.zeros(shape) : null;
            r.gradients(g, gx, gw, gb);
            if (gx != null) {
                sink.add(0, gx, true);
            }
            if (gw != null) {
                sink.add(wi, gw, true);
            }
            if (gb != null) {
                sink.add(bi, gb, true);
            }
        }, () -> r);
    }

    private static Var[] inputs(Var x, Var weight, Var bias) {
        if (weight != null && bias != null) {
            return new Var[] {x, weight, bias};
        }
        if (weight != null) {
            return new Var[] {x, weight};
        }
        if (bias != null) {
            return new Var[] {x, bias};
        }
        return new Var[] {x};
    }
}
