package dev.vectorgrad.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vectorgrad.core.internal.Kernels;
import dev.vectorgrad.core.internal.NormalizationKernels;
import org.junit.jupiter.api.Test;

/**
 * A batch norm large enough to be split over the shared pool by ranges of channels (13 channels
 * of 64·28·28 floats: above the threshold, not a multiple of the task count) gives the bits of
 * the whole block's kernels called on one thread, written out here as Normalization computed them
 * before the split: statistics, forward, and the backward with batch and with fixed statistics.
 * With one thread in the pool the split does not happen and the test only checks the formulas.
 */
class BatchNormParallelTest {

    private static final NormalizationKernels K = Kernels.NORMALIZATION;
    private static final int N = 64;
    private static final int C = 13;
    private static final int HW = 28 * 28;

    private static void assertSameBits(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + " length");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]), what + " at " + i);
        }
    }

    @Test
    void channelSplitBatchNormMatchesTheWholeBlockOnOneThread() {
        assertTrue((long) N * C * HW >= BatchNormChannels.PARALLEL_MIN_ELEMENTS, "the input must be above the split");
        Rng rng = new Rng(5);
        Tensor x = Tensor.randn(rng, N, C, 28, 28).add(3f);
        Tensor dy = Tensor.randn(rng, N, C, 28, 28);
        Tensor weight = Tensor.rand(rng, C).add(0.5f);
        Tensor bias = Tensor.randn(rng, C);
        float eps = 1e-5f;
        float[] xd = x.toArray();
        float[] gd = dy.toArray();
        long count = (long) N * HW;

        Tensor mean = Tensor.zeros(C);
        Tensor invstd = Tensor.zeros(C);
        Normalization.batchNormStatistics(x, eps, mean, invstd, null, null, 0.1);
        double[] sum = new double[C];
        double[] sq = new double[C];
        float[] m = new float[C];
        float[] is = new float[C];
        K.channelSums(xd, 0, N, C, HW, 0, C, sum);
        for (int c = 0; c < C; c++) {
            m[c] = (float) (sum[c] / count);
        }
        K.channelSquaredDeviations(xd, 0, N, C, HW, 0, C, m, sq);
        for (int c = 0; c < C; c++) {
            is[c] = (float) (1.0 / Math.sqrt(sq[c] / count + eps));
        }
        assertSameBits(m, mean.toArray(), "mean");
        assertSameBits(is, invstd.toArray(), "invstd");

        float[] w = weight.toArray();
        float[] scale = new float[C];
        for (int c = 0; c < C; c++) {
            scale[c] = is[c] * w[c];
        }
        float[] expectedOut = new float[xd.length];
        K.channelAffine(xd, 0, expectedOut, 0, N, C, HW, 0, C, m, scale, bias.toArray());
        Tensor out = Tensor.zeros(x.shape());
        Normalization.batchNormForward(x, mean, invstd, weight, bias, out);
        assertSameBits(expectedOut, out.toArray(), "forward");

        double[] sumDy = new double[C];
        double[] sumDyXmu = new double[C];
        K.channelBackwardSums(gd, 0, xd, 0, N, C, HW, 0, C, m, sumDy, sumDyXmu);
        float[] meanDy = new float[C];
        float[] proj = new float[C];
        float[] expectedGw = new float[C];
        float[] expectedGb = new float[C];
        for (int c = 0; c < C; c++) {
            double s = is[c];
            meanDy[c] = (float) (sumDy[c] / count);
            proj[c] = (float) (sumDyXmu[c] / count * s * s);
            expectedGw[c] = (float) (sumDyXmu[c] * is[c]);
            expectedGb[c] = (float) sumDy[c];
        }
        float[] expectedGx = new float[xd.length];
        K.channelAffineBackward(gd, 0, xd, 0, expectedGx, 0, N, C, HW, 0, C, m, meanDy, proj, scale);
        Tensor gx = Tensor.full(Float.NaN, x.shape());
        Tensor gw = Tensor.full(Float.NaN, C);
        Tensor gb = Tensor.full(Float.NaN, C);
        Normalization.batchNormBackward(dy, x, mean, invstd, weight, true, gx, gw, gb);
        assertSameBits(expectedGx, gx.toArray(), "backward, batch statistics, gradIn");
        assertSameBits(expectedGw, gw.toArray(), "gradWeight");
        assertSameBits(expectedGb, gb.toArray(), "gradBias");

        float[] zero = new float[C];
        float[] expectedFixed = new float[xd.length];
        K.channelAffine(gd, 0, expectedFixed, 0, N, C, HW, 0, C, zero, scale, zero);
        Tensor fixed = Tensor.full(Float.NaN, x.shape());
        Normalization.batchNormBackward(dy, x, mean, invstd, weight, false, fixed, null, null);
        assertSameBits(expectedFixed, fixed.toArray(), "backward, fixed statistics");
    }
}
