package dev.vectorgrad.nn;

import dev.vectorgrad.autograd.PoolingOps;
import dev.vectorgrad.autograd.Var;

/**
 * Adaptive 2-d average pooling to a fixed output size, PyTorch's {@code nn.AdaptiveAvgPool2d}:
 * output bin {@code i} averages input rows {@code floor(i*H/OH)} up to {@code ceil((i+1)*H/OH)}
 * (likewise columns), so any input size maps to {@code [N, C, OH, OW]}; {@code (1, 1)} is global
 * average pooling. No parameters.
 */
public final class AdaptiveAvgPool2d extends Layer {

    private final int outH;
    private final int outW;

    /**
     * A square output, {@code nn.AdaptiveAvgPool2d(size)}.
     *
     * @param size the output's height and width
     */
    public AdaptiveAvgPool2d(int size) {
        this(size, size);
    }

    /**
     * {@code nn.AdaptiveAvgPool2d((outH, outW))}.
     *
     * @param outH output height, positive
     * @param outW output width, positive
     */
    public AdaptiveAvgPool2d(int outH, int outW) {
        if (outH <= 0 || outW <= 0) {
            throw new IllegalArgumentException("AdaptiveAvgPool2d: output_size must be positive, got (" + outH
                    + ", " + outW + ")");
        }
        this.outH = outH;
        this.outW = outW;
    }

    @Override
    protected String extraRepr() {
        return "output_size=" + PythonLiterals.pair(outH, outW);
    }

    /**
     * @param input {@code [N, C, H, W]} or {@code [C, H, W]}
     * @return {@code [N, C, outH, outW]}
     */
    @Override
    public Var forward(Var input) {
        try {
            return PoolingOps.adaptiveAvgPool2d(input, outH, outW);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(this + ": " + e.getMessage(), e);
        }
    }
}
