package dev.vectorgrad.nn;

import java.util.Arrays;

import dev.vectorgrad.autograd.ConvolutionOps;
import dev.vectorgrad.autograd.Var;
import dev.vectorgrad.core.Conv2dSpec;
import dev.vectorgrad.core.Rng;
import dev.vectorgrad.core.Tensor;

/**
 * A 2-d convolution layer, PyTorch's {@code nn.Conv2d(in_channels, out_channels, kernel_size,
 * stride=1, padding=0, dilation=1, groups=1, bias=True)} with zero padding: input
 * {@code [N, C_in, H, W]} (or unbatched {@code [C_in, H, W]}), output {@code [N, C_out, outH, outW]}.
 *
 * <pre>{@code
 * Conv2d c1 = new Conv2d(1, 16, 3, rng);                                   // 3x3, stride 1, no padding
 * Conv2d c2 = Conv2d.builder(16, 32, 3).padding(1).stride(2).build(rng);  // kernel_size=3, stride=2, padding=1
 * }</pre>
 *
 * <p>Parameters {@code weight} {@code [C_out, C_in/groups, kH, kW]} and {@code bias}
 * {@code [C_out]}, PyTorch's names and layout, so a {@link Sequential} holding this layer saves a
 * state dict that {@code torch.nn.Sequential.load_state_dict} takes as is. Initialised as PyTorch
 * does: {@code kaiming_uniform_(a=sqrt(5))} for the weight, which is uniform in
 * {@code [-1/sqrt(fanIn), 1/sqrt(fanIn))}, and the bias uniform in the same bounds, with
 * {@code fanIn = C_in/groups * kH * kW}. The arithmetic is {@link ConvolutionOps#conv2d} (im2col
 * and the SIMD matmul); a {@link TrainStep} replays it allocation-free.
 */
public final class Conv2d extends Layer {

    private final Var weight;
    private final Var bias;
    private final Conv2dSpec spec;
    private final int inChannels;

    /**
     * {@code nn.Conv2d(inChannels, outChannels, kernelSize)}: square kernel, stride 1, no padding,
     * with a bias.
     *
     * @param inChannels input channels, positive
     * @param outChannels output channels, positive
     * @param kernelSize the kernel's height and width, positive
     * @param rng the seeded generator for the initial weights
     */
    public Conv2d(int inChannels, int outChannels, int kernelSize, Rng rng) {
        this(builder(inChannels, outChannels, kernelSize), rng);
    }

    /**
     * A layer over given tensors, wrapped without a copy (optimisers and {@link #loadStateDict}
     * write into them).
     *
     * @param weight {@code [C_out, C_in/groups, kH, kW]}
     * @param bias {@code [C_out]}, or null for no bias
     * @param spec stride, padding, dilation and groups
     */
    public Conv2d(Tensor weight, Tensor bias, Conv2dSpec spec) {
        if (weight == null || weight.dim() != 4) {
            throw new IllegalArgumentException("Conv2d: weight must be 4-d [out_channels, in_channels/groups, kH, kW],"
                    + " got " + (weight == null ? "null" : "shape " + Arrays.toString(weight.shape())));
        }
        if (spec == null) {
            throw new IllegalArgumentException("Conv2d: spec must not be null (use Conv2dSpec.defaults())");
        }
        int out = weight.size(0);
        if (out % spec.groups() != 0) {
            throw new IllegalArgumentException("Conv2d: out_channels " + out + " of weight "
                    + Arrays.toString(weight.shape()) + " must be divisible by groups " + spec.groups());
        }
        if (bias != null && (bias.dim() != 1 || bias.size(0) != out)) {
            throw new IllegalArgumentException("Conv2d: bias must have shape [" + out + "] for a weight of shape "
                    + Arrays.toString(weight.shape()) + ", got " + Arrays.toString(bias.shape()));
        }
        this.spec = spec;
        this.inChannels = weight.size(1) * spec.groups();
        this.weight = registerParameter("weight", weight);
        this.bias = bias == null ? null : registerParameter("bias", bias);
    }

    private Conv2d(Builder b, Rng rng) {
        this(initWeight(b, rng), b.bias ? initBias(b, rng) : null,
                new Conv2dSpec(b.strideH, b.strideW, b.padH, b.padW, b.dilationH, b.dilationW, b.groups));
    }

    private static Tensor initWeight(Builder b, Rng rng) {
        if (rng == null) {
            throw new IllegalArgumentException("Conv2d: rng must not be null");
        }
        return Tensor.rand(rng, b.out, b.in / b.groups, b.kH, b.kW).mulInPlace(2f * bound(b)).addInPlace(
                Tensor.scalar(-bound(b)));
    }

    private static Tensor initBias(Builder b, Rng rng) {
        return Tensor.rand(rng, b.out).mulInPlace(2f * bound(b)).addInPlace(Tensor.scalar(-bound(b)));
    }

    /** PyTorch's {@code 1/sqrt(fan_in)}: kaiming_uniform with a = sqrt(5) gives exactly that bound. */
    private static float bound(Builder b) {
        return (float) (1.0 / Math.sqrt((double) b.in / b.groups * b.kH * b.kW));
    }

    /**
     * A builder with PyTorch's defaults for a square kernel.
     *
     * @param inChannels input channels, positive
     * @param outChannels output channels, positive
     * @param kernelSize the kernel's height and width, positive
     * @return the builder
     */
    public static Builder builder(int inChannels, int outChannels, int kernelSize) {
        return new Builder(inChannels, outChannels, kernelSize, kernelSize);
    }

    /**
     * A builder with PyTorch's defaults for a {@code kernelH x kernelW} kernel.
     *
     * @param inChannels input channels, positive
     * @param outChannels output channels, positive
     * @param kernelH the kernel's height, positive
     * @param kernelW the kernel's width, positive
     * @return the builder
     */
    public static Builder builder(int inChannels, int outChannels, int kernelH, int kernelW) {
        return new Builder(inChannels, outChannels, kernelH, kernelW);
    }

    /** The optional arguments of {@code nn.Conv2d}, each with PyTorch's default. */
    public static final class Builder {
        private final int in;
        private final int out;
        private final int kH;
        private final int kW;
        private int strideH = 1;
        private int strideW = 1;
        private int padH;
        private int padW;
        private int dilationH = 1;
        private int dilationW = 1;
        private int groups = 1;
        private boolean bias = true;

        private Builder(int in, int out, int kH, int kW) {
            if (in <= 0 || out <= 0) {
                throw new IllegalArgumentException("Conv2d: in_channels and out_channels must be positive, got "
                        + in + " and " + out);
            }
            if (kH <= 0 || kW <= 0) {
                throw new IllegalArgumentException("Conv2d: kernel_size must be positive, got (" + kH + ", " + kW + ")");
            }
            this.in = in;
            this.out = out;
            this.kH = kH;
            this.kW = kW;
        }

        /** @return this builder with stride {@code s} along both axes (default 1) */
        public Builder stride(int s) {
            return stride(s, s);
        }

        /** @return this builder with strides {@code (h, w)} */
        public Builder stride(int h, int w) {
            strideH = h;
            strideW = w;
            return this;
        }

        /** @return this builder with zero padding {@code p} on every side (default 0) */
        public Builder padding(int p) {
            return padding(p, p);
        }

        /** @return this builder with {@code h} zero rows above and below and {@code w} zero columns left and right */
        public Builder padding(int h, int w) {
            padH = h;
            padW = w;
            return this;
        }

        /** @return this builder with dilation {@code d} along both axes (default 1) */
        public Builder dilation(int d) {
            return dilation(d, d);
        }

        /** @return this builder with dilations {@code (h, w)} */
        public Builder dilation(int h, int w) {
            dilationH = h;
            dilationW = w;
            return this;
        }

        /** @return this builder with {@code g} groups (default 1); g must divide both channel counts */
        public Builder groups(int g) {
            groups = g;
            return this;
        }

        /** @return this builder with or without a bias (default with) */
        public Builder bias(boolean b) {
            bias = b;
            return this;
        }

        /**
         * @param rng the seeded generator for the initial weights
         * @return the layer, initialised as PyTorch's
         * @throws IllegalArgumentException for a bad stride, padding, dilation or groups
         */
        public Conv2d build(Rng rng) {
            // Checked here so the message names the layer's arguments.
            new Conv2dSpec(strideH, strideW, padH, padW, dilationH, dilationW, groups);
            if (in % groups != 0) {
                throw new IllegalArgumentException("Conv2d: in_channels " + in + " must be divisible by groups " + groups);
            }
            if (out % groups != 0) {
                throw new IllegalArgumentException("Conv2d: out_channels " + out + " must be divisible by groups "
                        + groups);
            }
            return new Conv2d(this, rng);
        }
    }

    /** @return the weight parameter, {@code [C_out, C_in/groups, kH, kW]} */
    public Var weight() {
        return weight;
    }

    /** @return the bias parameter {@code [C_out]}, or null when there is none */
    public Var bias() {
        return bias;
    }

    /** @return stride, padding, dilation and groups */
    public Conv2dSpec spec() {
        return spec;
    }

    /** @return the number of input channels */
    public int inChannels() {
        return inChannels;
    }

    /** @return the number of output channels */
    public int outChannels() {
        return weight.size(0);
    }

    /** @return {@code {kH, kW}} */
    public int[] kernelSize() {
        return new int[] {weight.size(2), weight.size(3)};
    }

    /** @return e.g. {@code Conv2d(1, 16, kernel_size=(3, 3))}, the prefix of this layer's messages */
    private String shortName() {
        return "Conv2d(" + inChannels + ", " + outChannels() + ", kernel_size=(" + weight.size(2) + ", "
                + weight.size(3) + "))";
    }

    /** As PyTorch: {@code 1, 16, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1)}, non-defaults after the stride. */
    @Override
    protected String extraRepr() {
        StringBuilder sb = new StringBuilder();
        sb.append(inChannels).append(", ").append(outChannels()).append(", kernel_size=(").append(weight.size(2))
                .append(", ").append(weight.size(3)).append("), stride=(").append(spec.strideH()).append(", ")
                .append(spec.strideW()).append(')');
        if (spec.padH() != 0 || spec.padW() != 0) {
            sb.append(", padding=(").append(spec.padH()).append(", ").append(spec.padW()).append(')');
        }
        if (spec.dilationH() != 1 || spec.dilationW() != 1) {
            sb.append(", dilation=(").append(spec.dilationH()).append(", ").append(spec.dilationW()).append(')');
        }
        if (spec.groups() != 1) {
            sb.append(", groups=").append(spec.groups());
        }
        if (bias == null) {
            sb.append(", bias=False");
        }
        return sb.toString();
    }

    /**
     * @param input {@code [N, C_in, H, W]}, or {@code [C_in, H, W]} for one image
     * @return {@code [N, C_out, outH, outW]} (or {@code [C_out, outH, outW]})
     */
    @Override
    public Var forward(Var input) {
        if (input.dim() == 3) {
            return forward(input.unsqueeze(0)).squeeze(0);
        }
        if (input.dim() != 4) {
            throw new IllegalArgumentException(shortName() + ": expected a 4-d input [N, C, H, W] (or 3-d [C, H, W]),"
                    + " got " + Arrays.toString(input.shape()));
        }
        if (input.size(1) != inChannels) {
            throw new IllegalArgumentException(shortName() + ": input " + Arrays.toString(input.shape()) + " has "
                    + input.size(1) + " channels, expected " + inChannels);
        }
        try {
            return ConvolutionOps.conv2d(input, weight, bias, spec);
        } catch (IllegalArgumentException e) {
            // The kernel does not fit the (padded) image: say which layer refused.
            throw new IllegalArgumentException(shortName() + ": " + e.getMessage(), e);
        }
    }
}
