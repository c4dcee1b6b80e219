package dev.vectorgrad.autograd;

import dev.vectorgrad.core.Normalization;
import dev.vectorgrad.core.Tensor;

/** A layer norm, eager and replayed: {@link #forward()} is the eager op's own forward. */
final class LayerNormReplay extends AffineGradReplay {

    final Tensor x;
    final int[] normalizedShape;
    final Tensor weight;
    final Tensor bias;
    final float eps;
    final Tensor out;
    final Tensor mean;
    final Tensor rstd;

    LayerNormReplay(Tensor x, int[] normalizedShape, Tensor weight, Tensor bias, float eps, Tensor out,
                    Tensor mean, Tensor rstd) {
        super(weight != null, bias != null);
        this.x = x;
        this.normalizedShape = normalizedShape;
        this.weight = weight;
        this.bias = bias;
        this.eps = eps;
        this.out = out;
        this.mean = mean;
        this.rstd = rstd;
    }

    @Override
    public void forward() {
        Normalization.layerNorm(x, normalizedShape, weight, bias, eps, out, mean, rstd);
    }

    @Override
    void gradients(Tensor gOut, Tensor gx, Tensor gw, Tensor gb) {
        Normalization.layerNormBackward(gOut, x, normalizedShape, mean, rstd, weight, gx, gw, gb);
    }
}
