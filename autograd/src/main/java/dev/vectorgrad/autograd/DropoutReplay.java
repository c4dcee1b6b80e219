package dev.vectorgrad.autograd;

import dev.vectorgrad.core.Rng;
import dev.vectorgrad.core.Tensor;

/**
 * The replay of {@link Var#dropout}: each forward draws a fresh mask from the recorded
 * {@link Rng} into the recorded mask tensor, in the order the eager op draws, then multiplies;
 * the backward multiplies the output's gradient by that mask.
 */
final class DropoutReplay implements Replay {

    private final Tensor x;
    private final Tensor mask;
    private final float[] maskData;
    private final Tensor out;
    private final float p;
    private final Rng rng;
    private Tensor scratch;

    DropoutReplay(Tensor x, Tensor mask, Tensor out, float p, Rng rng) {
        this.x = x;
        this.out = out;
        this.p = p;
        this.rng = rng;
        // The eager mask wraps an array this replay refills; wrap one of its own to be sure.
        this.maskData = new float[mask.numel()];
        this.mask = Tensor.wrap(maskData, mask.shape());
        this.mask.copyFrom(mask);
    }

    static void check(float p, Rng rng) {
        if (!(p >= 0f && p <= 1f)) {
            throw new IllegalArgumentException("dropout: probability has to be between 0 and 1, but got " + p);
        }
        if (rng == null) {
            throw new IllegalArgumentException("dropout: rng must not be null (the mask is drawn from it)");
        }
    }

    /**
     * A mask of 0 (probability p) and {@code 1 / (1 - p)}, one {@code nextFloat} per element.
     *
     * @param into the array to fill, or null for a new one
     */
    static Tensor mask(int[] shape, float p, Rng rng, float[] into) {
        int n = 1;
        for (int s : shape) {
            n *= s;
        }
        float[] m = into != null ? into : new float[n];
        fill(m, p, rng);
        return Tensor.wrap(m, shape.clone());
    }

    private static void fill(float[] m, float p, Rng rng) {
        float keep = p < 1f ? (float) (1.0 / (1.0 - p)) : 0f;
        for (int i = 0; i < m.length; i++) {
            m[i] = rng.nextFloat() >= p ? keep : 0f;
        }
    }

    @Override
    public void forward() {
        fill(maskData, p, rng);
        out.copyFrom(x).mulInPlace(mask);
    }

    @Override
    public void backward(Tensor g, Tensor[] gIn, boolean[] acc) {
        if (gIn[0] == null) {
            return;
        }
        if (!acc[0]) {
            gIn[0].copyFrom(g).mulInPlace(mask);
            return;
        }
        if (scratch == null) {
            scratch = Tensor.zeros(g.shape());
        }
        gIn[0].addInPlace(scratch.copyFrom(g).mulInPlace(mask));
    }
}
