package dev.vectorgrad.core.internal;

/**
 * The fused kernels of a training step: the bias and relu epilogue of a linear layer, the
 * relu's backward, row and column sums, and the two losses with their gradients, each in one
 * pass (or one row at a time) over contiguous runs of floats.
 *
 * <p>Kernels trust their arguments: {@code dev.vectorgrad.core.Fused} validates shapes,
 * offsets, lengths and aliasing before calling. Every implementation must agree with
 * {@link ScalarFusedKernels}, the oracle of the tests: bit for bit where the arithmetic is the
 * same per element, within a tolerance where a sum is taken in another order or {@code exp}
 * comes from the Vector API. A 2-d block is {@code rows} runs of {@code cols} floats,
 * {@code rowStride} apart; {@code accumulate} adds to the destination instead of overwriting it.
 */
public interface FusedKernels {

    /**
     * {@code out[i][j] = act(out[i][j] + bias[j])} over a block of {@code out}, act the identity
     * or {@code max(v, 0)}; {@code bias} null adds nothing.
     */
    void biasRelu(float[] out, int outOff, int outRowStride, int rows, int cols,
                  float[] bias, int biasOff, boolean relu);

    /**
     * {@code gradIn[i] (=|+=) output[i] > 0 ? gradOut[i] : 0} for {@code i < n}: a select, as
     * PyTorch's threshold backward, so an infinite or NaN gradient where the relu was off gives 0.
     * {@code gradIn} may be exactly {@code gradOut} or {@code output}.
     */
    void reluBackward(float[] gradOut, int gradOutOff, float[] output, int outputOff,
                      float[] gradIn, int gradInOff, int n, boolean accumulate);

    /**
     * {@code dst[j] (=|+=) sum over i of src[i][j]}, each column summed from 0 in row order, so
     * every implementation gives the same bits.
     */
    void columnSums(float[] src, int srcOff, int srcRowStride, int rows, int cols,
                    float[] dst, int dstOff, boolean accumulate);

    /** {@code dst[i] (=|+=) sum over j of src[i][j]}. */
    void rowSums(float[] src, int srcOff, int srcRowStride, int rows, int cols,
                 float[] dst, int dstOff, boolean accumulate);

    /**
     * The cross-entropy of one row of {@code c >= 1} logits against class {@code target}:
     * {@code log(sum_j exp(x_j - max)) - (x_target - max)}, the exponentials taken in float and
     * summed in double. When {@code grad} is non-null, {@code grad[j] (=|+=) scale * (p_j - [j ==
     * target])} with {@code p_j = exp(x_j - max) / sum}. {@code grad} never overlaps the logits.
     *
     * @return the row's loss
     */
    double softmaxCrossEntropyRow(float[] logits, int off, int c, int target,
                                  float[] grad, int gradOff, float scale, boolean accumulate);

    /**
     * {@link #softmaxCrossEntropyRow(float[], int, int, int, float[], int, float, boolean)} with
     * PyTorch's label smoothing {@code eps} in [0, 1]: the loss
     * {@code (1 - eps) * nll + eps * mean_j(-log p_j)}, that is
     * {@code log(sum) - (1 - eps) (x_target - max) - eps mean_j (x_j - max)}, and the gradient
     * {@code scale * (p_j - eps / c - (1 - eps) [j == target])}. With {@code eps == 0} it is the
     * plain form, bit for bit.
     *
     * @return the row's loss
     */
    double softmaxCrossEntropyRow(float[] logits, int off, int c, int target, float eps,
                                  float[] grad, int gradOff, float scale, boolean accumulate);

    /**
     * {@code sum_i (input[i] - target[i])^2}, the differences taken in float and summed in
     * double precision (or in float over short blocks, then in double). When {@code grad} is
     * non-null, {@code grad[i] (=|+=) scale * (input[i] - target[i])}; it may be exactly
     * {@code input} or {@code target}.
     *
     * @return the sum of squares
     */
    double squaredError(float[] input, int inputOff, float[] target, int targetOff, int n,
                        float[] grad, int gradOff, float scale, boolean accumulate);

    /** A short description for the start-up log line. */
    String describe();
}
