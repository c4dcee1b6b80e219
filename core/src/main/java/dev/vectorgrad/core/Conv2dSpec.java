package dev.vectorgrad.core;

/**
 * The geometry of a 2-d convolution apart from its tensors: stride, zero padding and dilation
 * per axis (height first, as PyTorch's {@code (h, w)} tuples) and the number of groups, with
 * PyTorch's defaults {@code stride=1, padding=0, dilation=1, groups=1}.
 *
 * <pre>{@code
 * Conv2dSpec s = Conv2dSpec.of(1, 1);                 // stride 1, padding 1 (a "same" 3x3)
 * Conv2dSpec t = Conv2dSpec.defaults().withStride(2).withPadding(3, 1).withGroups(4);
 * }</pre>
 *
 * @param strideH vertical stride, at least 1
 * @param strideW horizontal stride, at least 1
 * @param padH zero rows added above and below, not negative
 * @param padW zero columns added left and right, not negative
 * @param dilationH vertical spacing of the kernel taps, at least 1
 * @param dilationW horizontal spacing of the kernel taps, at least 1
 * @param groups how many independent groups the channels split into, at least 1
 */
public record Conv2dSpec(int strideH, int strideW, int padH, int padW, int dilationH, int dilationW, int groups) {

    /** Checks every field; the message names the field and shows the pair given. */
    public Conv2dSpec {
        if (strideH < 1 || strideW < 1) {
            throw new IllegalArgumentException("conv2d: stride must be positive, got (" + strideH + ", " + strideW + ")");
        }
        if (padH < 0 || padW < 0) {
            throw new IllegalArgumentException("conv2d: padding must not be negative, got (" + padH + ", " + padW + ")");
        }
        if (dilationH < 1 || dilationW < 1) {
            throw new IllegalArgumentException("conv2d: dilation must be positive, got (" + dilationH + ", "
                    + dilationW + ")");
        }
        if (groups < 1) {
            throw new IllegalArgumentException("conv2d: groups must be positive, got " + groups);
        }
    }

    /** @return PyTorch's defaults: stride 1, padding 0, dilation 1, groups 1 */
    public static Conv2dSpec defaults() {
        return new Conv2dSpec(1, 1, 0, 0, 1, 1, 1);
    }

    /**
     * @param stride the stride of both axes
     * @param padding the zero padding of both axes
     * @return that stride and padding, dilation 1, groups 1
     */
    public static Conv2dSpec of(int stride, int padding) {
        return new Conv2dSpec(stride, stride, padding, padding, 1, 1, 1);
    }

    /**
     * @param stride the stride of both axes
     * @param padding the zero padding of both axes
     * @param dilation the dilation of both axes
     * @param groups the number of groups
     * @return that geometry, the same along both axes
     */
    public static Conv2dSpec of(int stride, int padding, int dilation, int groups) {
        return new Conv2dSpec(stride, stride, padding, padding, dilation, dilation, groups);
    }

    /** @return a copy with stride {@code s} along both axes */
    public Conv2dSpec withStride(int s) {
        return withStride(s, s);
    }

    /** @return a copy with strides {@code (h, w)} */
    public Conv2dSpec withStride(int h, int w) {
        return new Conv2dSpec(h, w, padH, padW, dilationH, dilationW, groups);
    }

    /** @return a copy with padding {@code p} along both axes */
    public Conv2dSpec withPadding(int p) {
        return withPadding(p, p);
    }

    /** @return a copy with paddings {@code (h, w)} */
    public Conv2dSpec withPadding(int h, int w) {
        return new Conv2dSpec(strideH, strideW, h, w, dilationH, dilationW, groups);
    }

    /** @return a copy with dilation {@code d} along both axes */
    public Conv2dSpec withDilation(int d) {
        return withDilation(d, d);
    }

    /** @return a copy with dilations {@code (h, w)} */
    public Conv2dSpec withDilation(int h, int w) {
        return new Conv2dSpec(strideH, strideW, padH, padW, h, w, groups);
    }

    /** @return a copy with {@code g} groups */
    public Conv2dSpec withGroups(int g) {
        return new Conv2dSpec(strideH, strideW, padH, padW, dilationH, dilationW, g);
    }

    /**
     * The output height for an input height and a kernel height, PyTorch's formula
     * {@code floor((h + 2*padH - dilationH*(kH-1) - 1) / strideH) + 1}; below 1 when the
     * dilated kernel does not fit in the padded input.
     *
     * @param h input height
     * @param kH kernel height
     * @return the output height
     */
    public int outH(int h, int kH) {
        return out(h, padH, dilationH, kH, strideH);
    }

    /**
     * The output width, as {@link #outH}.
     *
     * @param w input width
     * @param kW kernel width
     * @return the output width
     */
    public int outW(int w, int kW) {
        return out(w, padW, dilationW, kW, strideW);
    }

    private static int out(int in, int pad, int dilation, int k, int stride) {
        long span = in + 2L * pad - (long) dilation * (k - 1) - 1;
        return span < 0 ? 0 : (int) (span / stride + 1);
    }

    /** @return e.g. {@code stride=(1, 1), padding=(1, 1), dilation=(1, 1), groups=1} */
    @Override
    public String toString() {
        return "stride=(" + strideH + ", " + strideW + "), padding=(" + padH + ", " + padW + "), dilation=("
                + dilationH + ", " + dilationW + "), groups=" + groups;
    }
}
