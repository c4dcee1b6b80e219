package dev.vectorgrad.core.internal;

/**
 * The elementwise and reduction kernels over runs of contiguous floats.
 *
 * <p>Kernels trust their arguments: {@code dev.vectorgrad.core.Tensor} validates shapes,
 * offsets and lengths before calling, so no bounds are checked here beyond what the JVM does.
 * Every implementation must agree with {@link ScalarKernels}, the oracle of the tests.
 * Output ranges may alias an input range exactly (in-place updates), never partially.
 */
public interface FloatKernels {

    /** {@code out[i] = op(a[i], b[i])} for {@code i < n}. */
    void binary(BinaryOp op, float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, int n);

    /** {@code out[i] = op(a[i], s)}: the right operand broadcast along the run. */
    void binaryScalarRight(BinaryOp op, float[] a, int aOff, float s, float[] out, int outOff, int n);

    /** {@code out[i] = op(s, b[i])}: the left operand broadcast along the run. */
    void binaryScalarLeft(BinaryOp op, float s, float[] b, int bOff, float[] out, int outOff, int n);

    /** {@code out[i] = op(a[i])}. */
    void unary(UnaryOp op, float[] a, int aOff, float[] out, int outOff, int n);

    /** {@code out[i] = op(x[i], a, b)}: an op with parameters (leaky relu's slope, softplus's beta and threshold). */
    void unaryParam(UnaryParamOp op, float a, float b, float[] x, int xOff, float[] out, int outOff, int n);

    /**
     * {@code out[i] (=|+=) op(g[i], s[i], a, b)}: an activation's backward from the gradient of
     * its output and its saved input or output (see {@link UnaryGradOp}). {@code out} may be
     * exactly {@code g} or {@code s}.
     */
    void unaryBackward(UnaryGradOp op, float a, float b, float[] g, int gOff, float[] s, int sOff,
                       float[] out, int outOff, int n, boolean accumulate);

    /** {@code dst[i] += alpha * src[i]}: the SGD update and gradient accumulation. */
    void addScaled(float[] dst, int dstOff, float alpha, float[] src, int srcOff, int n);

    /** The reduction of {@code a[off .. off+n)}; {@link ReduceOp#identity()} when {@code n == 0}. */
    float reduce(ReduceOp op, float[] a, int off, int n);

    /**
     * Index (relative to {@code off}) of the first largest element, NaN counting as largest as
     * in PyTorch; -1 when {@code n == 0}.
     */
    int argmax(float[] a, int off, int n);

    /** Same as {@link #argmax} for the smallest element. */
    int argmin(float[] a, int off, int n);

    /** A short description for the start-up log line, e.g. {@code "Vector API, 256 bits, 8 lanes, FMA"}. */
    String describe();
}
