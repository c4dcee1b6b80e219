package dev.vectorgrad.nn;

import dev.vectorgrad.autograd.Var;
import dev.vectorgrad.core.Rng;
import dev.vectorgrad.core.Tensor;

/**
 * A lookup table of {@code numEmbeddings} vectors of size {@code embeddingDim}, PyTorch's
 * {@code nn.Embedding}: the input holds indices (whole numbers stored as floats, any shape) and
 * the output has shape {@code input.shape + [embeddingDim]} (see {@link Var#embedding}). The
 * parameter is {@code weight}, {@code [numEmbeddings, embeddingDim]}, initialised N(0, 1) as in
 * PyTorch; its gradient is a scatter-add of the output's gradient rows.
 */
public final class Embedding extends Layer {

    private final Var weight;

    /**
     * @param numEmbeddings the table's size, positive
     * @param embeddingDim each vector's size, positive
     * @param rng where the N(0, 1) initial weights come from
     * @throws IllegalArgumentException for a size below 1 or a null rng
     */
    public Embedding(int numEmbeddings, int embeddingDim, Rng rng) {
        if (numEmbeddings < 1 || embeddingDim < 1 || rng == null) {
            throw new IllegalArgumentException("Embedding(" + numEmbeddings + ", " + embeddingDim
                    + "): num_embeddings and embedding_dim must be positive and rng not null");
        }
        this.weight = registerParameter("weight", Tensor.randn(rng, numEmbeddings, embeddingDim));
    }

    /** @return the table, {@code [numEmbeddings, embeddingDim]} */
    public Var weight() {
        return weight;
    }

    @Override
    public Var forward(Var input) {
        return Var.embedding(weight, input.value());
    }

    @Override
    protected String extraRepr() {
        return weight.size(0) + ", " + weight.size(1);
    }
}
