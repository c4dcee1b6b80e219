package dev.vectorgrad.core;

/**
 * The window of a 2-d pooling: kernel, stride, padding and dilation per spatial dim and
 * PyTorch's {@code ceil_mode}, with {@code torch.nn.functional.max_pool2d}'s and
 * {@code avg_pool2d}'s defaults (stride = kernel, padding 0, dilation 1, floor mode).
 *
 * @param kernelH window height, positive
 * @param kernelW window width, positive
 * @param strideH vertical step, positive
 * @param strideW horizontal step, positive
 * @param padH rows of padding above and below, {@code >= 0}
 * @param padW columns of padding left and right, {@code >= 0}
 * @param dilationH spacing of the window's rows, positive (max pooling only)
 * @param dilationW spacing of the window's columns, positive (max pooling only)
 * @param ceilMode round the output size up instead of down, as PyTorch's {@code ceil_mode}
 */
public record Pool2dSpec(int kernelH, int kernelW, int strideH, int strideW, int padH, int padW,
                         int dilationH, int dilationW, boolean ceilMode) {

    /** Checks the sizes are in range; the fit against an input is checked by {@link Pooling}. */
    public Pool2dSpec {
        if (kernelH <= 0 || kernelW <= 0) {
            throw new IllegalArgumentException("pool2d: kernel_size must be positive, got (" + kernelH + ", "
                    + kernelW + ")");
        }
        if (strideH <= 0 || strideW <= 0) {
            throw new IllegalArgumentException("pool2d: stride must be positive, got (" + strideH + ", "
                    + strideW + ")");
        }
        if (padH < 0 || padW < 0) {
            throw new IllegalArgumentException("pool2d: padding must be >= 0, got (" + padH + ", " + padW + ")");
        }
        if (dilationH <= 0 || dilationW <= 0) {
            throw new IllegalArgumentException("pool2d: dilation must be positive, got (" + dilationH + ", "
                    + dilationW + ")");
        }
    }

    /**
     * A square window with stride = kernel, no padding, dilation 1 ({@code MaxPool2d(k)}).
     *
     * @param kernel the window's side
     * @return the spec
     */
    public static Pool2dSpec of(int kernel) {
        return new Pool2dSpec(kernel, kernel, kernel, kernel, 0, 0, 1, 1, false);
    }

    /**
     * A square window with a square stride and padding, dilation 1.
     *
     * @param kernel the window's side
     * @param stride the step
     * @param padding the padding on every side
     * @return the spec
     */
    public static Pool2dSpec of(int kernel, int stride, int padding) {
        return new Pool2dSpec(kernel, kernel, stride, stride, padding, padding, 1, 1, false);
    }

    /**
     * @param dilation the spacing of the window's rows and columns
     * @return this spec with that dilation in both dims
     */
    public Pool2dSpec withDilation(int dilation) {
        return new Pool2dSpec(kernelH, kernelW, strideH, strideW, padH, padW, dilation, dilation, ceilMode);
    }

    /**
     * @param ceil whether the output size is rounded up
     * @return this spec with that rounding
     */
    public Pool2dSpec withCeilMode(boolean ceil) {
        return new Pool2dSpec(kernelH, kernelW, strideH, strideW, padH, padW, dilationH, dilationW, ceil);
    }

    /** @return the height the dilated window spans, {@code (kernelH - 1) * dilationH + 1} */
    public int effectiveKernelH() {
        return (kernelH - 1) * dilationH + 1;
    }

    /** @return the width the dilated window spans */
    public int effectiveKernelW() {
        return (kernelW - 1) * dilationW + 1;
    }

    /**
     * PyTorch's {@code pooling_output_shape}: {@code floor} (or {@code ceil}) of
     * {@code (in + 2*pad - dilation*(k-1) - 1) / stride} plus one, where in ceil mode a last
     * window that would start in the right padding is dropped. May be {@code <= 0} when the
     * window does not fit.
     */
    static int outputSize(int in, int k, int pad, int stride, int dilation, boolean ceil) {
        long span = (long) in + 2L * pad - (long) dilation * (k - 1) - 1 + (ceil ? stride - 1 : 0);
        long out = Math.floorDiv(span, stride) + 1;
        if (ceil && (out - 1) * stride >= (long) in + pad) {
            out--;
        }
        return (int) Math.max(Math.min(out, Integer.MAX_VALUE), Integer.MIN_VALUE);
    }

    /** e.g. {@code kernel_size=(2, 2), stride=(2, 2), padding=(0, 0), dilation=(1, 1)}. */
    String describe() {
        return "kernel_size=(" + kernelH + ", " + kernelW + "), stride=(" + strideH + ", " + strideW
                + "), padding=(" + padH + ", " + padW + "), dilation=(" + dilationH + ", " + dilationW + ")"
                + (ceilMode ? ", ceil_mode=True" : "");
    }
}
