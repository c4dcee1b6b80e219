package dev.vectorgrad.core;

import java.util.Arrays;
import java.util.function.IntConsumer;

import dev.vectorgrad.core.internal.NormalizationKernels;
import dev.vectorgrad.core.internal.Parallel;

/**
 * The passes of a batch norm over its channels, spread over the shared pool's threads by ranges
 * of channels when the input holds enough elements to pay for the hand-over. Each channel's
 * sums and elements are computed by one thread, by the same kernels in the same order as on one
 * thread, so every split gives the same bits. Inputs whose runs are single floats
 * ({@code [N, C]}, BatchNorm1d) stay on the calling thread: the vector kernels group their
 * channels into vectors from the start of a range (see {@link NormalizationKernels}), so a split
 * would move channels between the vector and the scalar sums. A pass's channel-by-channel
 * arithmetic between kernels (the mean, the backward's per-channel constants) runs inside the
 * task too, so a pass costs one hand-over. One instance per calling thread, reused: a call
 * allocates nothing.
 */
final class BatchNormChannels implements IntConsumer {

    /**
     * Elements below which one thread does the pass. Measured on the 2-core VM (statistics,
     * forward and backward of a training batch norm, in-process, 2 threads against 1): the CNN's
     * first block, [64, 16, 28, 28] (802,816 elements), ran forward 241 against 380 µs and
     * backward 510 against 762 µs; its second, [64, 32, 14, 14] (401,408), ran slower split
     * (forward 161 against 108 µs), as the hand-overs cost more than half of its passes.
     */
    static final int PARALLEL_MIN_ELEMENTS = 1 << 19;
    /** Most parts a pass is cut into. */
    static final int MAX_TASKS = 8;

    private static final ThreadLocal<BatchNormChannels> TASKS = ThreadLocal.withInitial(BatchNormChannels::new);

    private enum Pass { STATISTICS, FORWARD, BACKWARD }

    private Pass pass;
    private NormalizationKernels k;
    private float[] x;
    private int xOff;
    private float[] dy;
    private int dyOff;
    private float[] out;
    private int outOff;
    private int outer;
    private int channels;
    private int inner;
    private long count;
    private boolean sums;
    private boolean batchStatistics;
    private float[] mean;
    private float[] invstd;
    private float[] scale;
    private float[] shift;
    private float[] meanDy;
    private float[] proj;
    private double[] sum0;
    private double[] sum1;
    private int tasks;

    static BatchNormChannels get() {
        return TASKS.get();
    }

    /**
     * A training batch's statistics: {@code sum[c]} of x, {@code mean[c] = (float) (sum[c] / count)}
     * and {@code squares[c]}, the sum of {@code (x - mean[c])^2}.
     */
    void statistics(NormalizationKernels k, float[] x, int xOff, int outer, int channels, int inner,
                    double[] sum, float[] mean, double[] squares) {
        this.pass = Pass.STATISTICS;
        this.k = k;
        this.x = x;
        this.xOff = xOff;
        this.sum0 = sum;
        this.mean = mean;
        this.sum1 = squares;
        run(outer, channels, inner);
    }

    /** {@code out = (x - mean[c]) * scale[c] + shift[c]}. */
    void forward(NormalizationKernels k, float[] x, int xOff, float[] out, int outOff, int outer, int channels,
                 int inner, float[] mean, float[] scale, float[] shift) {
        this.pass = Pass.FORWARD;
        this.k = k;
        this.x = x;
        this.xOff = xOff;
        this.out = out;
        this.outOff = outOff;
        this.mean = mean;
        this.scale = scale;
        this.shift = shift;
        run(outer, channels, inner);
    }

    /**
     * The backward: when {@code sums}, {@code sumDy[c]} and {@code sumDyXmu[c]}; then, when
     * {@code gradIn} is not null, the input's gradient: with batch statistics PyTorch's closed
     * form through {@code meanDy[c] = (float) (sumDy[c] / count)} and
     * {@code proj[c] = (float) (sumDyXmu[c] / count * invstd[c]^2)}, else {@code dy * scale[c]}
     * ({@code meanDy} then holds zeros).
     */
    void backward(NormalizationKernels k, float[] dy, int dyOff, float[] x, int xOff, float[] gradIn, int gradInOff,
                  int outer, int channels, int inner, boolean sums, boolean batchStatistics,
                  float[] mean, float[] invstd, float[] scale, double[] sumDy, double[] sumDyXmu,
                  float[] meanDy, float[] proj) {
        this.pass = Pass.BACKWARD;
        this.k = k;
        this.dy = dy;
        this.dyOff = dyOff;
        this.x = x;
        this.xOff = xOff;
        this.out = gradIn;
        this.outOff = gradInOff;
        this.sums = sums;
        this.batchStatistics = batchStatistics;
        this.mean = mean;
        this.invstd = invstd;
        this.scale = scale;
        this.sum0 = sumDy;
        this.sum1 = sumDyXmu;
        this.meanDy = meanDy;
        this.proj = proj;
        run(outer, channels, inner);
    }

    private void run(int outer, int channels, int inner) {
        this.outer = outer;
        this.channels = channels;
        this.inner = inner;
        this.count = (long) outer * inner;
        Parallel pool = Parallel.shared();
        long elements = count * channels;
        tasks = inner > 1 && elements >= PARALLEL_MIN_ELEMENTS
                ? Math.min(channels, Math.min(MAX_TASKS, pool.threads())) : 1;
        try {
            pool.forEach(tasks, this); // one task runs on the calling thread
        } finally {
            // no reference to a caller's arrays outlives the call
            k = null;
            x = null;
            dy = null;
            out = null;
            mean = null;
            invstd = null;
            scale = null;
            shift = null;
            meanDy = null;
            proj = null;
            sum0 = null;
            sum1 = null;
        }
    }

    @Override
    public void accept(int t) {
        int from = (int) ((long) t * channels / tasks);
        int to = (int) ((long) (t + 1) * channels / tasks);
        switch (pass) {
            case STATISTICS -> {
                k.channelSums(x, xOff, outer, channels, inner, from, to, sum0);
                for (int c = from; c < to; c++) {
                    mean[c] = (float) (sum0[c] / count);
                }
                k.channelSquaredDeviations(x, xOff, outer, channels, inner, from, to, mean, sum1);
            }
            case FORWARD -> k.channelAffine(x, xOff, out, outOff, outer, channels, inner, from, to, mean, scale, shift);
            case BACKWARD -> backwardRange(from, to);
        }
    }

    private void backwardRange(int from, int to) {
        if (sums) {
            k.channelBackwardSums(dy, dyOff, x, xOff, outer, channels, inner, from, to, mean, sum0, sum1);
        }
        if (out == null) {
            return;
        }
        if (batchStatistics && count > 0) {
            for (int c = from; c < to; c++) {
                double s = invstd[c];
                meanDy[c] = (float) (sum0[c] / count);
                proj[c] = (float) (sum1[c] / count * s * s);
            }
            k.channelAffineBackward(dy, dyOff, x, xOff, out, outOff, outer, channels, inner, from, to,
                    mean, meanDy, proj, scale);
        } else {
            // Fixed statistics: the output is affine in x, so the gradient is dy scaled per channel.
            Arrays.fill(meanDy, from, to, 0f);
            k.channelAffine(dy, dyOff, out, outOff, outer, channels, inner, from, to, meanDy, scale, meanDy);
        }
    }
}
