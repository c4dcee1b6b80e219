package dev.vectorgrad.nn;

import java.util.Arrays;

import dev.vectorgrad.autograd.NormalizationOps;
import dev.vectorgrad.autograd.Var;
import dev.vectorgrad.core.Tensor;

/**
 * What {@link BatchNorm1d} and {@link BatchNorm2d} share, PyTorch's {@code _BatchNorm}: per
 * channel {@code y = (x - mean) / sqrt(var + eps) * weight + bias}.
 *
 * <p>In training mode ({@link #isTraining()}) the batch's mean and biased variance are used and,
 * with {@code trackRunningStats}, the running statistics are updated in place,
 * {@code running = (1 - momentum)*running + momentum*batch} with the unbiased variance, and
 * {@code num_batches_tracked} counts the batches. In evaluation mode the running statistics are
 * used (or the batch's when none are tracked).
 *
 * <p>State under PyTorch's names, in PyTorch's order: parameters {@code weight} (ones) and
 * {@code bias} (zeros) when {@code affine}; buffers {@code running_mean} (zeros),
 * {@code running_var} (ones) and {@code num_batches_tracked} (a 0-d float counter; torch's is an
 * int64, which {@code load_state_dict} converts) when {@code trackRunningStats}.
 */
public abstract class BatchNorm extends Layer {

    /** PyTorch's default {@code eps}. */
    public static final float DEFAULT_EPS = 1e-5f;
    /** PyTorch's default {@code momentum}. */
    public static final float DEFAULT_MOMENTUM = 0.1f;

    private final int numFeatures;
    private final float eps;
    private final float momentum;
    private final Var weight;
    private final Var bias;
    private final Tensor runningMean;
    private final Tensor runningVar;
    private final Tensor numBatchesTracked;

    BatchNorm(int numFeatures, float eps, float momentum, boolean affine, boolean trackRunningStats) {
        String name = getClass().getSimpleName();
        if (numFeatures <= 0) {
            throw new IllegalArgumentException(name + ": num_features must be positive, got " + numFeatures);
        }
        if (!(eps > 0f && eps < Float.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException(name + ": eps must be finite and > 0, got " + eps);
        }
        if (!(momentum >= 0f && momentum <= 1f)) {
            throw new IllegalArgumentException(name + ": momentum must be in [0, 1], got " + momentum);
        }
        this.numFeatures = numFeatures;
        this.eps = eps;
        this.momentum = momentum;
        this.weight = affine ? registerParameter("weight", Tensor.ones(numFeatures)) : null;
        this.bias = affine ? registerParameter("bias", Tensor.zeros(numFeatures)) : null;
        this.runningMean = trackRunningStats ? registerBuffer("running_mean", Tensor.zeros(numFeatures)) : null;
        this.runningVar = trackRunningStats ? registerBuffer("running_var", Tensor.ones(numFeatures)) : null;
        this.numBatchesTracked = trackRunningStats ? registerBuffer("num_batches_tracked", Tensor.scalar(0f)) : null;
    }

    /** @return the number of channels C */
    public final int numFeatures() {
        return numFeatures;
    }

    /** @return the variance's additive guard */
    public final float eps() {
        return eps;
    }

    /** @return the running statistics' update factor */
    public final float momentum() {
        return momentum;
    }

    /** @return the per-channel scale (ones at first), or null without {@code affine} */
    public final Var weight() {
        return weight;
    }

    /** @return the per-channel shift (zeros at first), or null without {@code affine} */
    public final Var bias() {
        return bias;
    }

    /** @return the running mean buffer, or null without {@code trackRunningStats} */
    public final Tensor runningMean() {
        return runningMean;
    }

    /** @return the running (unbiased) variance buffer, or null without {@code trackRunningStats} */
    public final Tensor runningVar() {
        return runningVar;
    }

    /** @return the count of training batches seen (a 0-d float), or null without {@code trackRunningStats} */
    public final Tensor numBatchesTracked() {
        return numBatchesTracked;
    }

    /** Resets the running statistics to PyTorch's initial values: mean 0, variance 1, count 0. */
    public final void resetRunningStats() {
        if (runningMean != null) {
            runningMean.zeroInPlace();
            runningVar.fillInPlace(1f);
            numBatchesTracked.zeroInPlace();
        }
    }

    /** Whether {@code rank} is an input rank this layer takes; the message names the expectation. */
    abstract boolean acceptsRank(int rank);

    /** e.g. {@code "2D or 3D"}, as PyTorch's message says it. */
    abstract String expectedRanks();

    @Override
    protected String extraRepr() {
        return numFeatures + ", eps=" + PythonLiterals.number(eps) + ", momentum=" + PythonLiterals.number(momentum)
                + ", affine=" + PythonLiterals.bool(weight != null)
                + ", track_running_stats=" + PythonLiterals.bool(runningMean != null);
    }

    @Override
    public final Var forward(Var input) {
        if (input == null) {
            throw new IllegalArgumentException(this + ": the input is null");
        }
        int[] shape = input.shape();
        if (!acceptsRank(shape.length)) {
            throw new IllegalArgumentException(this + ": expected " + expectedRanks() + " input, got "
                    + shape.length + "D input of shape " + Arrays.toString(shape));
        }
        if (shape[1] != numFeatures) {
            throw new IllegalArgumentException(this + ": input " + Arrays.toString(shape) + " has " + shape[1]
                    + " channels, expected " + numFeatures);
        }
        boolean track = runningMean != null;
        boolean batchStats = isTraining() || !track;
        if (batchStats && input.numel() / numFeatures == 1) {
            throw new IllegalArgumentException(this + ": expected more than 1 value per channel when training, got"
                    + " input " + Arrays.toString(shape));
        }
        // PyTorch passes the running statistics whenever they exist and the batch count only when it grows.
        return NormalizationOps.batchNorm(input, runningMean, runningVar,
                isTraining() && track ? numBatchesTracked : null, weight, bias, batchStats, momentum, eps);
    }
}
