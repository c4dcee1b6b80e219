package dev.vectorgrad.bench;

import java.util.Locale;

import dev.vectorgrad.core.Conv2dSpec;

/**
 * One convolution benchmark case, written {@code layer-pass} in parameters: the target CNN's two
 * layers at batch 64 (conv1 = Conv2d(1, 16, 3, padding=1) on 28x28, conv2 = Conv2d(16, 32, 3,
 * padding=1) on 14x14) and the pass measured (forward, backward to the input, backward to the
 * weight and bias). Each has the im2col product of the same size, the yardstick.
 *
 * @param name the parameter value, e.g. {@code conv2-backwardWeight}
 * @param n batch
 * @param cin input channels
 * @param cout output channels
 * @param h image height (= width)
 * @param pass {@code forward}, {@code backwardInput} or {@code backwardWeight}
 */
public record ConvCase(String name, int n, int cin, int cout, int h, String pass) {

    /** Every case, in table order. */
    public static final String[] NAMES = {
        "conv1-forward", "conv1-backwardInput", "conv1-backwardWeight",
        "conv2-forward", "conv2-backwardInput", "conv2-backwardWeight",
    };

    /** The 3x3 kernel's geometry: stride 1, padding 1 (a "same" convolution). */
    public static final Conv2dSpec SPEC = Conv2dSpec.of(1, 1);

    /**
     * @param name one of {@link #NAMES}
     * @return the case
     */
    public static ConvCase parse(String name) {
        String[] parts = name.split("-");
        if (parts.length != 2 || !(parts[1].equals("forward") || parts[1].equals("backwardInput")
                || parts[1].equals("backwardWeight"))) {
            throw new IllegalArgumentException("conv case: expected conv1|conv2-forward|backwardInput|backwardWeight, got '"
                    + name + "'");
        }
        return switch (parts[0]) {
            case "conv1" -> new ConvCase(name, 64, 1, 16, 28, parts[1]);
            case "conv2" -> new ConvCase(name, 64, 16, 32, 14, parts[1]);
            default -> throw new IllegalArgumentException("conv case: unknown layer '" + parts[0] + "' in '" + name + "'");
        };
    }

    /** @return taps per output element, {@code C_in * 3 * 3} */
    public int k() {
        return cin * 9;
    }

    /** @return output positions of the batch, {@code N * H * W} */
    public int positions() {
        return n * h * h;
    }

    /** @return 2 * C_out * K * N*H*W, the multiply-adds of any of the three passes (bias not counted) */
    public double flops() {
        return 2.0 * cout * k() * positions();
    }

    /**
     * The im2col product of the same size, {@code MxKxN}: forward {@code W[C_out, K] @ col[K, NHW]},
     * backward to the input {@code W^T[K, C_out] @ gOut[C_out, NHW]}, backward to the weight
     * {@code gOut[C_out, NHW] @ col^T[NHW, K]}.
     *
     * @return the shape
     */
    public MatmulShape im2colShape() {
        return switch (pass) {
            case "forward" -> new MatmulShape(cout, k(), positions());
            case "backwardInput" -> new MatmulShape(k(), cout, positions());
            default -> new MatmulShape(cout, positions(), k());
        };
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s (%d images, %d->%d channels, %dx%d)", name, n, cin, cout, h, h);
    }
}
