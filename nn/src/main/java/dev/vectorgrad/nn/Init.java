package dev.vectorgrad.nn;

import dev.vectorgrad.core.Rng;
import dev.vectorgrad.core.Tensor;

/** Seeded weight initialisations, as {@code torch.nn.init}. */
public final class Init {

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
}
