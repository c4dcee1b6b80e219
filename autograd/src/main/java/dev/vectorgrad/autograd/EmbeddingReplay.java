package dev.vectorgrad.autograd;

import dev.vectorgrad.core.Fused;
import dev.vectorgrad.core.Tensor;

/**
 * The replay of {@link Var#embedding}: the forward looks the rows up again for the indices the
 * recorded index tensor holds now (a new batch), the backward scatter-adds the output's gradient
 * into the weight's, as the eager rule does.
 */
final class EmbeddingReplay implements Replay {

    private final Tensor weight;
    private final Tensor indices;
    private final Tensor out;
    private Tensor scratch;

    EmbeddingReplay(Tensor weight, Tensor indices, Tensor out) {
        this.weight = weight;
        this.indices = indices;
        this.out = out;
    }

    @Override
    public void forward() {
        Fused.embedding(weight, indices, out);
    }

    @Override
    public void backward(Tensor g, Tensor[] gIn, boolean[] acc) {
        if (gIn[0] == null) {
            return;
        }
        if (!acc[0]) {
            Fused.embeddingBackward(g, indices, gIn[0], false);
            return;
        }
        if (scratch == null) {
            scratch = Tensor.zeros(weight.shape());
        }
        Fused.embeddingBackward(g, indices, scratch, false);
        gIn[0].addInPlace(scratch);
    }
}
