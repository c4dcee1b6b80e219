package dev.vectorgrad.nn;

import dev.vectorgrad.autograd.PoolingOps;
import dev.vectorgrad.autograd.Var;
import dev.vectorgrad.core.Pool2dSpec;

/**
 * 2-d max pooling over {@code [N, C, H, W]} (or {@code [C, H, W]}) inputs, PyTorch's
 * {@code nn.MaxPool2d}: same defaults (stride = kernel, padding 0, dilation 1, floor mode), same
 * {@code -inf} padding, first maximum on a tie. No parameters.
 */
public final class MaxPool2d extends Layer {

    private final Pool2dSpec spec;

    /**
     * {@code nn.MaxPool2d(kernel)}: stride = kernel, no padding.
     *
     * @param kernel the window's side
     */
    public MaxPool2d(int kernel) {
        this(Pool2dSpec.of(kernel));
    }

    /**
     * {@code nn.MaxPool2d(kernel, stride, padding)}.
     *
     * @param kernel the window's side
     * @param stride the step
     * @param padding implicit {@code -inf} padding on every side, at most half the kernel
     */
    public MaxPool2d(int kernel, int stride, int padding) {
        this(Pool2dSpec.of(kernel, stride, padding));
    }

    /**
     * Any window: rectangular kernel, stride, padding, dilation, ceil mode.
     *
     * @param spec the window
     */
    public MaxPool2d(Pool2dSpec spec) {
        if (spec == null) {
            throw new IllegalArgumentException("MaxPool2d: the pooling spec is null");
        }
        this.spec = spec;
    }

    /** @return the window */
    public Pool2dSpec spec() {
        return spec;
    }

    @Override
    protected String extraRepr() {
        return "kernel_size=" + PythonLiterals.pair(spec.kernelH(), spec.kernelW())
                + ", stride=" + PythonLiterals.pair(spec.strideH(), spec.strideW())
                + ", padding=" + PythonLiterals.pair(spec.padH(), spec.padW())
                + ", dilation=" + PythonLiterals.pair(spec.dilationH(), spec.dilationW())
                + ", ceil_mode=" + PythonLiterals.bool(spec.ceilMode());
    }

    /**
     * @param input {@code [N, C, H, W]} or {@code [C, H, W]}
     * @return the maxima, {@code [N, C, OH, OW]}
     */
    @Override
    public Var forward(Var input) {
        try {
            return PoolingOps.maxPool2d(input, spec);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(this + ": " + e.getMessage(), e);
        }
    }
}
