package dev.vectorgrad.nn;

/**
 * Batch normalisation of {@code [N, C, H, W]} inputs per channel, PyTorch's
 * {@code nn.BatchNorm2d}; see {@link BatchNorm} for the semantics and the state.
 */
public final class BatchNorm2d extends BatchNorm {

    /**
     * {@code nn.BatchNorm2d(numFeatures)}: eps 1e-5, momentum 0.1, affine, tracking running statistics.
     *
     * @param numFeatures the channels C
     */
    public BatchNorm2d(int numFeatures) {
        this(numFeatures, DEFAULT_EPS, DEFAULT_MOMENTUM, true, true);
    }

    /**
     * @param numFeatures the channels C
     * @param eps added to the variance
     * @param momentum the running statistics' update factor, in [0, 1]
     * @param affine whether the layer has a learnable weight and bias
     * @param trackRunningStats whether it keeps running statistics for evaluation
     */
    public BatchNorm2d(int numFeatures, float eps, float momentum, boolean affine, boolean trackRunningStats) {
        super(numFeatures, eps, momentum, affine, trackRunningStats);
    }

    @Override
    boolean acceptsRank(int rank) {
        return rank == 4;
    }

    @Override
    String expectedRanks() {
        return "4D";
    }
}
