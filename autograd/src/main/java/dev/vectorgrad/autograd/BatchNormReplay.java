package dev.vectorgrad.autograd;

import dev.vectorgrad.core.Normalization;
import dev.vectorgrad.core.Tensor;

/**
 * A batch norm, eager and replayed: {@link #forward()} is the eager op's own forward, so a
 * replay computes the same bits, and in training mode it updates the running statistics and the
 * batch counter each time, as each eager forward does.
 */
final class BatchNormReplay extends AffineGradReplay {

    final Tensor x;
    final Tensor runningMean;
    final Tensor runningVar;
    final Tensor numBatchesTracked;
    final Tensor weight;
    final Tensor bias;
    final Tensor out;
    /** The mean the output was normalised with: the batch's, or a copy of the running mean. */
    final Tensor mean;
    /** {@code 1/sqrt(var + eps)} of the batch's or the running variance. */
    final Tensor invstd;
    final boolean training;
    final float momentum;
    final float eps;

    BatchNormReplay(Tensor x, Tensor runningMean, Tensor runningVar, Tensor numBatchesTracked, Tensor weight,
                    Tensor bias, Tensor out, Tensor mean, Tensor invstd, boolean training, float momentum, float eps) {
        super(weight != null, bias != null);
        this.x = x;
        this.runningMean = runningMean;
        this.runningVar = runningVar;
        this.numBatchesTracked = numBatchesTracked;
        this.weight = weight;
        this.bias = bias;
        this.out = out;
        this.mean = mean;
        this.invstd = invstd;
        this.training = training;
        this.momentum = momentum;
        this.eps = eps;
    }

    @Override
    public void forward() {
        if (training) {
            Normalization.batchNormStatistics(x, eps, mean, invstd, runningMean, runningVar, momentum);
            if (numBatchesTracked != null) {
                numBatchesTracked.fillInPlace(numBatchesTracked.item() + 1f);
            }
        } else {
            mean.copyFrom(runningMean);
            Normalization.invStd(runningVar, eps, invstd);
        }
        Normalization.batchNormForward(x, mean, invstd, weight, bias, out);
    }

    @Override
    void gradients(Tensor gOut, Tensor gx, Tensor gw, Tensor gb) {
        Normalization.batchNormBackward(gOut, x, mean, invstd, weight, training, gx, gw, gb);
    }
}
