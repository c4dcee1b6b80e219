package dev.vectorgrad.core.internal;

/**
 * The log-softmax along one dim and its backward, over a contiguous block laid out as
 * {@code [outer, n, inner]}: the softmax runs along the middle dim, so each of the
 * {@code outer * inner} slices is {@code n} floats {@code inner} apart (adjacent when the dim is
 * last, {@code inner == 1}).
 *
 * <p>Forward, per slice: {@code out = (x - m) - log(sum exp(x - m))} with {@code m} the slice's
 * maximum, or 0 when that maximum is infinite (an all {@code -inf} slice, or one holding
 * {@code +inf}: PyTorch's NaN rather than {@code inf - inf} in the shift). Backward, per slice:
 * {@code gx (=|+=) g - exp(out) * sum(g)}. Every exponential and logarithm is {@code Math.exp} /
 * {@code Math.log} rounded to float, and every sum is taken in double in the slice's element
 * order, so all implementations give {@link ScalarSoftmaxKernels}' bits exactly, interpreted or
 * compiled.
 *
 * <p>Kernels trust their arguments: {@code dev.vectorgrad.core.LogSoftmax} validates them.
 * {@code out} may be exactly {@code x} (same array and offset), {@code gx} exactly {@code g}
 * when not accumulating; no other overlap is allowed.
 */
public interface SoftmaxKernels {

    /** {@code out = logSoftmax(x)} along the middle dim of an {@code [outer, n, inner]} block. */
    void logSoftmax(float[] x, int xOff, float[] out, int outOff, int outer, int n, int inner);

    /**
     * {@code lse = m + log(sum exp(x - m))} along the middle dim, the log-softmax's normaliser
     * (its {@code m} and its rounded {@code log}, so {@code -inf} for an empty or all {@code -inf}
     * slice, {@code +inf} for one holding {@code +inf}); {@code lse} is laid out {@code [outer, inner]}.
     */
    void logSumExp(float[] x, int xOff, float[] lse, int lseOff, int outer, int n, int inner);

    /**
     * {@code gx (=|+=) g - exp(y) * sum(g)} along the middle dim, {@code y} the forward's output
     * and {@code g} its gradient, all three in the same {@code [outer, n, inner]} layout.
     */
    void logSoftmaxBackward(float[] g, int gOff, float[] y, int yOff, float[] gx, int gxOff,
                            int outer, int n, int inner, boolean accumulate);

    /** A short description for the start-up log line. */
    String describe();
}
