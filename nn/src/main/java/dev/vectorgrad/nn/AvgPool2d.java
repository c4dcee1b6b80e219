package dev.vectorgrad.nn;

import dev.vectorgrad.autograd.PoolingOps;
import dev.vectorgrad.autograd.Var;
import dev.vectorgrad.core.Pool2dSpec;

/**
 * 2-d average pooling, PyTorch's {@code nn.AvgPool2d}: zero padding, stride = kernel by default,
 * {@code count_include_pad=True} by default (a window's padded cells count in its divisor). No
 * parameters.
 */
public final class AvgPool2d extends Layer {

    private final Pool2dSpec spec;
    private final boolean countIncludePad;

    /**
     * {@code nn.AvgPool2d(kernel)}.
     *
     * @param kernel the window's side
     */
    public AvgPool2d(int kernel) {
        this(Pool2dSpec.of(kernel), true);
    }

    /**
     * {@code nn.AvgPool2d(kernel, stride, padding)}.
     *
     * @param kernel the window's side
     * @param stride the step
     * @param padding zero padding on every side, at most half the kernel
     */
    public AvgPool2d(int kernel, int stride, int padding) {
        this(Pool2dSpec.of(kernel, stride, padding), true);
    }

    /**
     * Any window (dilation 1) and divisor rule.
     *
     * @param spec the window; average pooling has no dilation
     * @param countIncludePad whether padded cells count in the divisor (PyTorch's default true)
     */
    public AvgPool2d(Pool2dSpec spec, boolean countIncludePad) {
        if (spec == null) {
            throw new IllegalArgumentException("AvgPool2d: the pooling spec is null");
        }
        if (spec.dilationH() != 1 || spec.dilationW() != 1) {
            throw new IllegalArgumentException("AvgPool2d: average pooling has no dilation, got ("
                    + spec.dilationH() + ", " + spec.dilationW() + ")");
        }
        this.spec = spec;
        this.countIncludePad = countIncludePad;
    }

    /** @return the window */
    public Pool2dSpec spec() {
        return spec;
    }

    /** @return whether padded cells count in the divisor */
    public boolean countIncludePad() {
        return countIncludePad;
    }

    @Override
    protected String extraRepr() {
        return "kernel_size=" + PythonLiterals.pair(spec.kernelH(), spec.kernelW())
                + ", stride=" + PythonLiterals.pair(spec.strideH(), spec.strideW())
                + ", padding=" + PythonLiterals.pair(spec.padH(), spec.padW());
    }

    /**
     * @param input {@code [N, C, H, W]} or {@code [C, H, W]}
     * @return the averages, {@code [N, C, OH, OW]}
     */
    @Override
    public Var forward(Var input) {
        try {
            return PoolingOps.avgPool2d(input, spec, countIncludePad);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(this + ": " + e.getMessage(), e);
        }
    }
}
