package dev.vectorgrad.autograd;

import dev.vectorgrad.core.Conv2dSpec;
import dev.vectorgrad.core.Convolution;
import dev.vectorgrad.core.Tensor;

/**
 * Convolution on {@link Var}s, recorded with its backward rule, as PyTorch's {@code F.conv2d}:
 * input {@code [N, C_in, H, W]}, weight {@code [C_out, C_in/groups, kH, kW]}, bias
 * {@code [C_out]} or null. The arithmetic is {@link Convolution}'s (im2col and the SIMD matmul);
 * a {@link CapturedGraph} replays it into the same buffers with no allocation, bit for bit as
 * eager autograd computes it.
 *
 * <pre>{@code
 * Var y = ConvolutionOps.conv2d(x, w, b, Conv2dSpec.of(1, 1));   // 3x3 "same" convolution
 * }</pre>
 */
public final class ConvolutionOps {

    private static final Tensor[] NO_TENSORS = new Tensor[0];

    private ConvolutionOps() {}

    /**
     * {@code F.conv2d(x, weight, bias)} with stride 1, no padding, dilation 1, one group.
     *
     * @param x the input {@code [N, C_in, H, W]}
     * @param weight {@code [C_out, C_in, kH, kW]}
     * @param bias {@code [C_out]}, or null
     * @return {@code [N, C_out, H-kH+1, W-kW+1]}
     */
    public static Var conv2d(Var x, Var weight, Var bias) {
        return conv2d(x, weight, bias, Conv2dSpec.defaults());
    }

    /**
     * {@code F.conv2d(x, weight, bias, stride, padding, dilation, groups)}. Backward: the input's
     * gradient by {@code W^T @ gOut} and col2im, the weight's by {@code gOut @ col^T} summed over
     * the images, the bias's by summing {@code gOut} over N, H and W; each only when needed.
     *
     * @param x the input {@code [N, C_in, H, W]}, any strides
     * @param weight {@code [C_out, C_in/groups, kH, kW]}
     * @param bias {@code [C_out]}, or null
     * @param spec stride, padding, dilation and groups
     * @return {@code [N, C_out, outH, outW]}
     * @throws IllegalArgumentException naming the shapes and the rule when they do not fit
     */
    public static Var conv2d(Var x, Var weight, Var bias, Conv2dSpec spec) {
        if (x == null || weight == null || spec == null) {
            throw new IllegalArgumentException("conv2d: input, weight and spec must not be null");
        }
        Tensor xv = x.value();
        Tensor wv = weight.value();
        Tensor bv = bias == null ? null : bias.value();
        Tensor out = Convolution.conv2d(xv, wv, bv, spec);
        Var[] inputs = bias == null ? new Var[] {x, weight} : new Var[] {x, weight, bias};
        Tensor[] saved = {xv, wv};
        return Var.record("conv2d", out, inputs, saved, (g, sink) -> {
            Convolution.Workspace ws = new Convolution.Workspace();
            if (sink.needs(0)) {
                Tensor gx = Tensor.zeros(xv.shape());
                Convolution.conv2dBackwardInput(g, wv, spec, gx, ws);
                sink.add(0, gx, true);
            }
            Tensor gw = sink.needs(1) ? Tensor.zeros(wv.shape()) : null;
            Tensor gb = bv != null && sink.needs(2) ? Tensor.zeros(bv.shape()) : null;
            Convolution.conv2dBackwardWeight(g, xv, spec, gw, gb, ws);
            if (gw != null) {
                sink.add(1, gw, true);
            }
            if (gb != null) {
                sink.add(2, gb, true);
            }
        }, () -> new Conv2dReplay(xv, wv, bv, spec, out));
    }

    static Tensor[] none() {
        return NO_TENSORS;
    }
}
