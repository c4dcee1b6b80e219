package dev.vectorgrad.nn;

import java.util.Arrays;

import dev.vectorgrad.autograd.Var;
import dev.vectorgrad.core.Rng;
import dev.vectorgrad.core.Tensor;

/**
 * A fully connected layer {@code out = input @ weight^T + bias}, PyTorch's {@code nn.Linear}.
 *
 * <p>The weight has shape [outFeatures, inFeatures], PyTorch's layout, so {@link #stateDict()}
 * holds {@code weight} [out, in] and {@code bias} [out] under PyTorch's names, and a saved
 * {@link Sequential} loads into {@code torch.nn.Sequential} with no transpose. The lesson's
 * hand-written layers ({@code dev.vectorgrad.nn.lesson}) keep their own {@code x @ w + b}
 * tensors of shape [in, out]; to build this layer from such a {@code w}, pass {@code w.t()} (or
 * {@code w.t().copy()} for a contiguous weight).
 */
public final class Linear extends Layer {

    private final Var weight;
    private final Var bias;

    /**
     * A layer with a bias, initialised as PyTorch's {@code nn.Linear}: weight and bias uniform in
     * {@code [-1/sqrt(inFeatures), 1/sqrt(inFeatures))} ({@link Init#linearDefault}).
     *
     * @param inFeatures input features, positive
     * @param outFeatures output features, not negative
     * @param rng the seeded generator
     */
    public Linear(int inFeatures, int outFeatures, Rng rng) {
        this(inFeatures, outFeatures, true, rng);
    }

    /**
     * A layer initialised as PyTorch's {@code nn.Linear(inFeatures, outFeatures, bias)}.
     *
     * @param inFeatures input features, positive
     * @param outFeatures output features, not negative
     * @param bias whether the layer has a bias
     * @param rng the seeded generator
     */
    public Linear(int inFeatures, int outFeatures, boolean bias, Rng rng) {
        this(Init.linearDefault(rng, checkIn(inFeatures), checkOut(outFeatures), inFeatures),
                bias ? Init.linearDefault(rng, inFeatures, outFeatures) : null);
    }

    /**
     * A layer over given tensors, wrapped without a copy (optimizers and
     * {@link #loadStateDict} write into them).
     *
     * @param weight shape [outFeatures, inFeatures], PyTorch's layout
     * @param bias shape [outFeatures], or null for no bias
     */
    public Linear(Tensor weight, Tensor bias) {
        if (weight == null || weight.dim() != 2) {
            throw new IllegalArgumentException("Linear: weight must be 2-d [outFeatures, inFeatures], got "
                    + (weight == null ? "null" : "shape " + Arrays.toString(weight.shape())));
        }
        if (bias != null && (bias.dim() != 1 || bias.size(0) != weight.size(0))) {
            throw new IllegalArgumentException("Linear: bias must have shape [" + weight.size(0)
                    + "] for a weight of shape " + Arrays.toString(weight.shape()) + " ([out, in]), got "
                    + Arrays.toString(bias.shape()));
        }
        this.weight = registerParameter("weight", weight);
        this.bias = bias == null ? null : registerParameter("bias", bias);
    }

    /**
     * A layer with Kaiming-normal weights (std {@code sqrt(2/inFeatures)}, for a relu after it)
     * and zero bias.
     *
     * @param inFeatures input features, positive
     * @param outFeatures output features, not negative
     * @param rng the seeded generator
     * @return the layer
     */
    public static Linear kaimingNormal(int inFeatures, int outFeatures, Rng rng) {
        return new Linear(Init.kaimingNormal(rng, checkIn(inFeatures), checkOut(outFeatures), inFeatures),
                Tensor.zeros(outFeatures));
    }

    private static int checkIn(int inFeatures) {
        if (inFeatures <= 0) {
            throw new IllegalArgumentException("Linear: inFeatures must be positive, got " + inFeatures);
        }
        return inFeatures;
    }

    private static int checkOut(int outFeatures) {
        if (outFeatures < 0) {
            throw new IllegalArgumentException("Linear: outFeatures must be >= 0, got " + outFeatures);
        }
        return outFeatures;
    }

    /** @return the weight parameter, shape [outFeatures, inFeatures] (PyTorch's {@code weight}) */
    public Var weight() {
        return weight;
    }

    /** @return the bias parameter, shape [outFeatures], or null when there is none */
    public Var bias() {
        return bias;
    }

    /** @return the number of input features */
    public int inFeatures() {
        return weight.size(1);
    }

    /** @return the number of output features */
    public int outFeatures() {
        return weight.size(0);
    }

    @Override
    protected String extraRepr() {
        return "in_features=" + inFeatures() + ", out_features=" + outFeatures() + ", bias="
                + (bias == null ? "False" : "True");
    }

    /**
     * @param input shape [..., inFeatures]
     * @return shape [..., outFeatures]
     */
    @Override
    public Var forward(Var input) {
        if (input.dim() == 0 || input.size(-1) != inFeatures()) {
            throw new IllegalArgumentException("Linear(" + inFeatures() + ", " + outFeatures() + "): input of shape "
                    + Arrays.toString(input.shape()) + " must end in " + inFeatures() + " features");
        }
        // One fused op (x @ W^T + b in one kernel call), which a TrainStep replays and fuses with a following relu.
        return input.linear(weight, bias);
    }
}
