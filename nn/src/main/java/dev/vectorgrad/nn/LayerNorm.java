package dev.vectorgrad.nn;

import dev.vectorgrad.autograd.NormalizationOps;
import dev.vectorgrad.autograd.Var;
import dev.vectorgrad.core.Tensor;

/**
 * Layer normalisation over the trailing {@code normalizedShape} dims, PyTorch's
 * {@code nn.LayerNorm}: each such row becomes {@code (x - mean) / sqrt(var + eps) * weight + bias}
 * with its own mean and biased variance, the same in training and evaluation. Parameters
 * {@code weight} (ones) and {@code bias} (zeros), of {@code normalizedShape}, when
 * {@code elementwiseAffine}.
 */
public final class LayerNorm extends Layer {

    private final int[] normalizedShape;
    private final float eps;
    private final Var weight;
    private final Var bias;

    /**
     * {@code nn.LayerNorm(normalizedShape)}: eps 1e-5, with weight and bias.
     *
     * @param normalizedShape the trailing dims, e.g. {@code 64} or {@code 8, 8}
     */
    public LayerNorm(int... normalizedShape) {
        this(normalizedShape, BatchNorm.DEFAULT_EPS, true, true);
    }

    /**
     * {@code nn.LayerNorm(normalized_shape, eps, elementwise_affine, bias)}.
     *
     * @param normalizedShape the trailing dims, each positive
     * @param eps added to the variance, finite and {@code > 0}
     * @param elementwiseAffine whether to learn a weight (and bias) of normalizedShape
     * @param bias whether, with elementwiseAffine, there is a bias
     */
    public LayerNorm(int[] normalizedShape, float eps, boolean elementwiseAffine, boolean bias) {
        if (normalizedShape == null || normalizedShape.length == 0) {
            throw new IllegalArgumentException("LayerNorm: normalized_shape must have at least one dim");
        }
        for (int s : normalizedShape) {
            if (s <= 0) {
                throw new IllegalArgumentException("LayerNorm: normalized_shape "
                        + PythonLiterals.tuple(normalizedShape) + " must have positive sizes");
            }
        }
        if (!(eps > 0f && eps < Float.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("LayerNorm: eps must be finite and > 0, got " + eps);
        }
        this.normalizedShape = normalizedShape.clone();
        this.eps = eps;
        this.weight = elementwiseAffine ? registerParameter("weight", Tensor.ones(normalizedShape)) : null;
        this.bias = elementwiseAffine && bias ? registerParameter("bias", Tensor.zeros(normalizedShape)) : null;
    }

    /** @return a copy of the normalised trailing shape */
    public int[] normalizedShape() {
        return normalizedShape.clone();
    }

    /** @return the weight, or null without elementwise affine */
    public Var weight() {
        return weight;
    }

    /** @return the bias, or null */
    public Var bias() {
        return bias;
    }

    @Override
    protected String extraRepr() {
        return PythonLiterals.tuple(normalizedShape) + ", eps=" + PythonLiterals.number(eps)
                + ", elementwise_affine=" + PythonLiterals.bool(weight != null);
    }

    /**
     * @param input {@code [*, normalizedShape]}
     * @return the normalised input
     */
    @Override
    public Var forward(Var input) {
        try {
            return NormalizationOps.layerNorm(input, normalizedShape, weight, bias, eps);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(this + ": " + e.getMessage(), e);
        }
    }
}
