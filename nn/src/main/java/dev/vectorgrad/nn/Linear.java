package dev.vectorgrad.nn;

import dev.vectorgrad.autograd.Var;
import dev.vectorgrad.core.Rng;
import dev.vectorgrad.core.Tensor;

/**
 * A fully connected layer {@code out = input @ weight + bias}.
 *
 * <p>The weight has shape [nIn, nOut], the lesson's layout ({@code x @ w + b}); PyTorch stores
 * the transpose [nOut, nIn] and computes {@code x @ W^T + b}. The product is the same, and this
 * way the hand-written lesson layers and this one can share tensors.
 */
public final class Linear extends Layer {

    private final Var weight;
    private final Var bias;

    /**
     * A layer initialised as PyTorch's {@code nn.Linear}: weight and bias uniform in
     * {@code [-1/sqrt(nIn), 1/sqrt(nIn))} ({@link Init#linearDefault}).
     *
     * @param nIn input features
     * @param nOut output features
     * @param rng the seeded generator
     */
    public Linear(int nIn, int nOut, Rng rng) {
        this(Init.linearDefault(rng, nIn, nIn, nOut), Init.linearDefault(rng, nIn, nOut));
    }

    /**
     * A layer over given tensors, wrapped without a copy: the lesson's
     * {@code new Linear(Tensor.randn(rng, nIn, nOut), Tensor.zeros(nOut))}.
     *
     * @param weight shape [nIn, nOut]
     * @param bias shape [nOut], or null for no bias
     */
    public Linear(Tensor weight, Tensor bias) {
        if (weight.dim() != 2) {
            throw new IllegalArgumentException("Linear: weight must be 2-d [nIn, nOut], got shape "
                    + java.util.Arrays.toString(weight.shape()));
        }
        if (bias != null && (bias.dim() != 1 || bias.size(0) != weight.size(1))) {
            throw new IllegalArgumentException("Linear: bias must have shape [" + weight.size(1)
                    + "] for a weight of shape " + java.util.Arrays.toString(weight.shape()) + ", got "
                    + java.util.Arrays.toString(bias.shape()));
        }
        this.weight = registerParameter("weight", weight);
        this.bias = bias == null ? null : registerParameter("bias", bias);
    }

    /**
     * A layer with Kaiming-normal weights (std {@code sqrt(2/nIn)}, for a relu after it) and zero bias.
     *
     * @param nIn input features
     * @param nOut output features
     * @param rng the seeded generator
     * @return the layer
     */
    public static Linear kaimingNormal(int nIn, int nOut, Rng rng) {
        return new Linear(Init.kaimingNormal(rng, nIn, nIn, nOut), Tensor.zeros(nOut));
    }

    /** @return the weight parameter, shape [nIn, nOut] (the lesson's {@code w}) */
    public Var weight() {
        return weight;
    }

    /** @return the bias parameter, shape [nOut] (the lesson's {@code b}), or null when there is none */
    public Var bias() {
        return bias;
    }

    /** @return the number of input features */
    public int inFeatures() {
        return weight.size(0);
    }

    /** @return the number of output features */
    public int outFeatures() {
        return weight.size(1);
    }

    @Override
    public Var forward(Var input) {
        if (input.dim() == 0 || input.size(-1) != inFeatures()) {
            throw new IllegalArgumentException("Linear(" + inFeatures() + ", " + outFeatures() + "): input of shape "
                    + java.util.Arrays.toString(input.shape()) + " must end in " + inFeatures() + " features");
        }
        Var out = input.matmul(weight);
        return bias == null ? out : out.add(bias);
    }
}
