package dev.vectorgrad.nn;

import dev.vectorgrad.core.Rng;
import dev.vectorgrad.core.Tensor;

/**
 * Seeded weight initialisations, named and computed as {@code torch.nn.init}'s; each returns a
 * new tensor of the given shape (PyTorch's fill an existing one in place).
 *
 * <p>Fans are PyTorch's ({@code _calculate_fan_in_and_fan_out}): for a weight of shape
 * {@code [out, in, k...]} (a {@link Linear} weight {@code [out, in]}, a Conv2d weight
 * {@code [out, in/groups, kh, kw]}), {@code fan_in = in * prod(k)} and
 * {@code fan_out = out * prod(k)}. Gains are {@link #calculateGain(String, double)}'s table.
 *
 * <pre>
 * kaimingUniform  U(-b, b),  b   = gain * sqrt(3 / fan),    gain = calculateGain(nonlinearity, a), fan by mode
 * kaimingNormal   N(0, std), std = gain / sqrt(fan)
 * xavierUniform   U(-b, b),  b   = gain * sqrt(6 / (fan_in + fan_out))
 * xavierNormal    N(0, std), std = gain * sqrt(2 / (fan_in + fan_out))
 * </pre>
 *
 * <p>Nonlinearities and modes are PyTorch's strings ({@code "relu"}, {@code "leaky_relu"},
 * {@code "fan_in"}, ...), so a PyTorch recipe ports as written:
 * {@code Init.kaimingUniform(rng, Math.sqrt(5), "fan_in", "leaky_relu", 50, 784)} is
 * {@code nn.Linear(784, 50)}'s default weight ({@link #linearDefault}).
 */
public final class Init {

    /** {@code mode="fan_in"}: preserves the variance of the activations in the forward pass. */
    public static final String FAN_IN = "fan_in";

    /** {@code mode="fan_out"}: preserves the variance of the gradients in the backward pass. */
    public static final String FAN_OUT = "fan_out";

    private Init() {}

    /**
     * Values uniform in {@code [-bound, bound)}.
     *
     * @param rng the seeded generator
     * @param bound the half-width, not negative
     * @param shape the sizes
     * @return a new tensor
     */
    public static Tensor uniform(Rng rng, float bound, int... shape) {
        if (!(bound >= 0)) {
            throw new IllegalArgumentException("uniform: bound must be >= 0, got " + bound);
        }
        return Tensor.rand(rng, shape).mulInPlace(2f * bound).addInPlace(Tensor.scalar(-bound));
    }

    /**
     * PyTorch's default for {@code nn.Linear} weights and biases: {@code kaiming_uniform_} with
     * {@code a = sqrt(5)}, which works out to uniform in {@code [-1/sqrt(fanIn), 1/sqrt(fanIn))}.
     * For a {@link Linear} weight of shape [out, in], {@code fanIn} is {@code in}, its second size.
     *
     * @param rng the seeded generator
     * @param fanIn the number of inputs of the layer, positive
     * @param shape the sizes
     * @return a new tensor
     */
    public static Tensor linearDefault(Rng rng, int fanIn, int... shape) {
        checkFanIn("linearDefault", fanIn);
        return uniform(rng, (float) (1.0 / Math.sqrt(fanIn)), shape);
    }

    /**
     * Kaiming (He) normal initialisation for layers followed by a relu: normal with standard
     * deviation {@code sqrt(2 / fanIn)}, as {@code kaiming_normal_(mode='fan_in')}.
     *
     * @param rng the seeded generator
     * @param fanIn the number of inputs of the layer, positive
     * @param shape the sizes
     * @return a new tensor
     */
    public static Tensor kaimingNormal(Rng rng, int fanIn, int... shape) {
        checkFanIn("kaimingNormal", fanIn);
        return Tensor.randn(rng, shape).mulInPlace((float) Math.sqrt(2.0 / fanIn));
    }

    private static void checkFanIn(String op, int fanIn) {
        if (fanIn <= 0) {
            throw new IllegalArgumentException(op + ": fanIn must be positive, got " + fanIn);
        }
    }

    /**
     * The recommended gain for a nonlinearity, as {@code torch.nn.init.calculate_gain}: 1 for
     * {@code linear}, {@code conv1d/2d/3d}, {@code conv_transpose1d/2d/3d} and {@code sigmoid};
     * 5/3 for {@code tanh}; sqrt(2) for {@code relu}; {@code sqrt(2 / (1 + 0.01^2))} for
     * {@code leaky_relu} (the default negative slope, as with {@code param=None}); 3/4 for {@code selu}.
     *
     * @param nonlinearity PyTorch's name of the function
     * @return the gain
     * @throws IllegalArgumentException for a name PyTorch does not know
     */
    public static double calculateGain(String nonlinearity) {
        return gain("calculateGain", nonlinearity, 0.01);
    }

    /**
     * {@link #calculateGain(String)} with {@code param}: the negative slope of {@code leaky_relu},
     * {@code sqrt(2 / (1 + param^2))}; ignored for the other functions, as in PyTorch.
     *
     * @param nonlinearity PyTorch's name of the function
     * @param param the negative slope for {@code leaky_relu}, finite
     * @return the gain
     */
    public static double calculateGain(String nonlinearity, double param) {
        return gain("calculateGain", nonlinearity, param);
    }

    private static double gain(String op, String nonlinearity, double slope) {
        if (nonlinearity == null) {
            throw new IllegalArgumentException(op + ": the nonlinearity must not be null");
        }
        switch (nonlinearity) {
            case "linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d",
                    "sigmoid":
                return 1;
            case "tanh":
                return 5.0 / 3;
            case "relu":
                return Math.sqrt(2.0);
            case "leaky_relu":
                if (!Double.isFinite(slope)) {
                    throw new IllegalArgumentException(op + ": negative_slope " + slope + " not a valid number");
                }
                return Math.sqrt(2.0 / (1 + slope * slope));
            case "selu":
                return 3.0 / 4;
            default:
                throw new IllegalArgumentException(op + ": unsupported nonlinearity '" + nonlinearity + "'; expected one of"
                        + " linear, conv1d, conv2d, conv3d, conv_transpose1d, conv_transpose2d, conv_transpose3d, sigmoid,"
                        + " tanh, relu, leaky_relu, selu");
        }
    }

    /**
     * The fan-in of a weight of this shape: {@code shape[1] * prod(shape[2:])}, as PyTorch's
     * {@code _calculate_fan_in_and_fan_out}.
     *
     * @param shape at least 2 dims, {@code [out, in, k...]}
     * @return the fan-in
     * @throws IllegalArgumentException for fewer than 2 dims
     */
    public static int fanIn(int... shape) {
        return fan("fanIn", shape, 1);
    }

    /**
     * The fan-out of a weight of this shape: {@code shape[0] * prod(shape[2:])}.
     *
     * @param shape at least 2 dims, {@code [out, in, k...]}
     * @return the fan-out
     * @throws IllegalArgumentException for fewer than 2 dims
     */
    public static int fanOut(int... shape) {
        return fan("fanOut", shape, 0);
    }

    private static int fan(String op, int[] shape, int dim) {
        if (shape == null || shape.length < 2) {
            throw new IllegalArgumentException(op + ": fan in and fan out can not be computed for shape "
                    + java.util.Arrays.toString(shape) + " with fewer than 2 dims; expected [out, in, k...] (a Linear"
                    + " weight [out, in], a Conv2d weight [out, in, kh, kw])");
        }
        long f = shape[dim];
        for (int d = 2; d < shape.length; d++) {
            f *= shape[d];
        }
        if (f > Integer.MAX_VALUE || f < 0) {
            throw new IllegalArgumentException(op + ": shape " + java.util.Arrays.toString(shape) + " has a fan of " + f
                    + ", beyond an int");
        }
        return (int) f;
    }

    private static int modeFan(String op, String mode, int[] shape) {
        if (FAN_IN.equals(mode)) {
            return fan(op, shape, 1);
        }
        if (FAN_OUT.equals(mode)) {
            return fan(op, shape, 0);
        }
        throw new IllegalArgumentException(op + ": mode " + mode + " not supported, please use one of fan_in, fan_out");
    }

    private static boolean empty(int[] shape) {
        for (int s : shape) {
            if (s == 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * Kaiming (He) uniform initialisation, as {@code torch.nn.init.kaiming_uniform_(w, a, mode, nonlinearity)}:
     * uniform in {@code [-b, b)} with {@code b = gain * sqrt(3 / fan)}, {@code gain =
     * calculateGain(nonlinearity, a)}. PyTorch's defaults are {@code a = 0, mode = "fan_in",
     * nonlinearity = "leaky_relu"} (gain sqrt(2), as for relu). A shape with no elements gives
     * an empty tensor (PyTorch: a no-op).
     *
     * @param rng the seeded generator
     * @param a the negative slope of the leaky_relu that follows (used only with {@code "leaky_relu"})
     * @param mode {@link #FAN_IN} or {@link #FAN_OUT}
     * @param nonlinearity PyTorch's name of the function that follows (see {@link #calculateGain(String)})
     * @param shape at least 2 dims, {@code [out, in, k...]}
     * @return a new tensor
     */
    public static Tensor kaimingUniform(Rng rng, double a, String mode, String nonlinearity, int... shape) {
        String op = "kaimingUniform";
        int fan = modeFan(op, mode, shape);
        double gain = gain(op, nonlinearity, a);
        if (empty(shape)) {
            return Tensor.zeros(shape);
        }
        return uniform(rng, (float) (gain * Math.sqrt(3.0 / fan)), shape);
    }

    /**
     * Kaiming (He) normal initialisation, as {@code torch.nn.init.kaiming_normal_(w, a, mode, nonlinearity)}:
     * normal with mean 0 and {@code std = gain / sqrt(fan)}, {@code gain = calculateGain(nonlinearity, a)}.
     * {@code kaimingNormal(rng, 0, "fan_in", "relu", out, in)} equals the older
     * {@link #kaimingNormal(Rng, int, int...)} with {@code fanIn = in}.
     *
     * @param rng the seeded generator
     * @param a the negative slope of the leaky_relu that follows (used only with {@code "leaky_relu"})
     * @param mode {@link #FAN_IN} or {@link #FAN_OUT}
     * @param nonlinearity PyTorch's name of the function that follows
     * @param shape at least 2 dims, {@code [out, in, k...]}
     * @return a new tensor
     */
    public static Tensor kaimingNormal(Rng rng, double a, String mode, String nonlinearity, int... shape) {
        String op = "kaimingNormal";
        int fan = modeFan(op, mode, shape);
        double gain = gain(op, nonlinearity, a);
        if (empty(shape)) {
            return Tensor.zeros(shape);
        }
        return Tensor.randn(rng, shape).mulInPlace((float) (gain / Math.sqrt(fan)));
    }

    /**
     * Xavier (Glorot) uniform initialisation, as {@code torch.nn.init.xavier_uniform_(w, gain)}:
     * uniform in {@code [-b, b)} with {@code b = gain * sqrt(6 / (fan_in + fan_out))}. PyTorch's
     * default gain is 1; for a tanh layer pass {@code calculateGain("tanh")}.
     *
     * @param rng the seeded generator
     * @param gain the scale, finite and {@code >= 0}
     * @param shape at least 2 dims, {@code [out, in, k...]}
     * @return a new tensor
     */
    public static Tensor xavierUniform(Rng rng, double gain, int... shape) {
        double sum = xavierFans("xavierUniform", gain, shape);
        if (empty(shape)) {
            return Tensor.zeros(shape);
        }
        return uniform(rng, (float) (gain * Math.sqrt(6.0 / sum)), shape);
    }

    /**
     * Xavier (Glorot) normal initialisation, as {@code torch.nn.init.xavier_normal_(w, gain)}:
     * normal with mean 0 and {@code std = gain * sqrt(2 / (fan_in + fan_out))}.
     *
     * @param rng the seeded generator
     * @param gain the scale, finite and {@code >= 0}
     * @param shape at least 2 dims, {@code [out, in, k...]}
     * @return a new tensor
     */
    public static Tensor xavierNormal(Rng rng, double gain, int... shape) {
        double sum = xavierFans("xavierNormal", gain, shape);
        if (empty(shape)) {
            return Tensor.zeros(shape);
        }
        return Tensor.randn(rng, shape).mulInPlace((float) (gain * Math.sqrt(2.0 / sum)));
    }

    private static double xavierFans(String op, double gain, int[] shape) {
        if (!(gain >= 0) || !Double.isFinite(gain)) {
            throw new IllegalArgumentException(op + ": gain must be finite and >= 0, got " + gain);
        }
        return (double) fan(op, shape, 1) + fan(op, shape, 0);
    }
}
