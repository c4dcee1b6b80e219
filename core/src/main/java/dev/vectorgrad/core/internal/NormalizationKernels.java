package dev.vectorgrad.core.internal;

/**
 * The kernels of batch and layer normalisation: per-channel (or per-row) statistics, the
 * normalise-and-affine pass and the two passes of the closed-form backward.
 *
 * <p>Two layouts. A <em>channel</em> block is a contiguous {@code [outer, channels, inner]}
 * array, {@code [N, C, H*W]} for a batch norm: channel {@code c} owns {@code outer} runs of
 * {@code inner} floats. A <em>row</em> block is a contiguous {@code [rows, d]} array, a layer
 * norm's rows, whose per-element weight and bias (nullable) have {@code d} entries. Per-channel
 * and per-row arrays ({@code mean}, {@code scale}, ...) are indexed from 0.
 *
 * <p>Sums: every implementation takes the statistics in two passes (the mean first, then the
 * squared deviations from it, never {@code E[x^2] - E[x]^2}) and returns them in double.
 * {@link ScalarNormalizationKernels} adds every term into a double; the vector kernels add into
 * float lanes for at most a block of {@code 1024} terms per lane and then into a double, so their
 * sums agree with the scalar twin's within a few float roundings of a block, not bit for bit.
 * The elementwise passes ({@code channelAffine}, {@code channelAffineBackward},
 * {@code rowAffine}, {@code rowAffineBackward}, {@code rowParamGrads}) compute the same float
 * operations in the same order in every implementation, with no fused multiply-add, so they agree
 * bit for bit.
 *
 * <p>The channel kernels work on the channels {@code from <= c < to} of the block only (the
 * others' elements and per-channel entries are neither read nor written), so a caller can give
 * disjoint ranges of channels to different threads. A channel's result does not depend on the
 * range it is computed in when runs hold more than one float; for runs of single floats the
 * vector kernels group channels into vectors from {@code from} on, so ranges change which
 * channels fall into the scalar tail and with it their sums' last bits.
 *
 * <p>Kernels trust their arguments: {@code dev.vectorgrad.core.Normalization} validates them.
 * Outputs never overlap inputs.
 */
public interface NormalizationKernels {

    /** {@code sum[c] = sum over the channel's elements of x}, for {@code from <= c < to}. */
    void channelSums(float[] x, int xOff, int outer, int channels, int inner, int from, int to, double[] sum);

    /** {@code out[c] = sum over the channel's elements of (x - mean[c])^2}, the difference taken in float. */
    void channelSquaredDeviations(float[] x, int xOff, int outer, int channels, int inner, int from, int to,
                                  float[] mean, double[] out);

    /**
     * {@code sumDy[c] = sum of dy} and {@code sumDyXmu[c] = sum of dy * (x - mean[c])} over each
     * channel; dy and x share the layout.
     */
    void channelBackwardSums(float[] dy, int dyOff, float[] x, int xOff, int outer, int channels, int inner,
                             int from, int to, float[] mean, double[] sumDy, double[] sumDyXmu);

    /** {@code out = (x - mean[c]) * scale[c] + shift[c]} elementwise over a channel block. */
    void channelAffine(float[] x, int xOff, float[] out, int outOff, int outer, int channels, int inner,
                       int from, int to, float[] mean, float[] scale, float[] shift);

    /** {@code out = ((dy - meanDy[c]) - (x - mean[c]) * proj[c]) * scale[c]} elementwise. */
    void channelAffineBackward(float[] dy, int dyOff, float[] x, int xOff, float[] out, int outOff,
                               int outer, int channels, int inner, int from, int to,
                               float[] mean, float[] meanDy, float[] proj, float[] scale);

    /**
     * {@code out[r][j] = ((x[r][j] - mean[r]) * rstd[r]) * w[j] + b[j]}; a null {@code w} skips
     * the product, a null {@code b} the sum.
     */
    void rowAffine(float[] x, int xOff, float[] out, int outOff, int rows, int d,
                   float[] mean, float[] rstd, float[] w, int wOff, float[] b, int bOff);

    /**
     * With {@code g = dy[r][j] * w[j]} ({@code dy} when {@code w} is null):
     * {@code sumG[r] = sum over j of g} and {@code sumGXmu[r] = sum over j of g * (x - mean[r])}.
     */
    void rowBackwardSums(float[] dy, int dyOff, float[] x, int xOff, int rows, int d, float[] mean,
                         float[] w, int wOff, double[] sumG, double[] sumGXmu);

    /** {@code out = ((g - meanG[r]) - (x - mean[r]) * proj[r]) * rstd[r]}, g as in {@link #rowBackwardSums}. */
    void rowAffineBackward(float[] dy, int dyOff, float[] x, int xOff, float[] out, int outOff, int rows, int d,
                           float[] mean, float[] w, int wOff, float[] meanG, float[] proj, float[] rstd);

    /**
     * {@code gw[j] += dy[r][j] * ((x[r][j] - mean[statOff + r]) * rstd[statOff + r])} and
     * {@code gb[j] += dy[r][j]} over the rows in order, in float; either target may be null. The
     * caller keeps blocks of rows short and adds each block's float sums into double.
     */
    void rowParamGrads(float[] dy, int dyOff, float[] x, int xOff, int rows, int d, float[] mean, float[] rstd,
                       int statOff, float[] gw, float[] gb);

    /** A short description, e.g. {@code "normalization, Vector API, 8 float lanes"}. */
    String describe();
}
