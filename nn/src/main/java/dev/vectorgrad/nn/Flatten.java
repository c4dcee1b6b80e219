package dev.vectorgrad.nn;

import java.util.Arrays;

import dev.vectorgrad.autograd.Var;

/**
 * Flattens a contiguous range of dims into one, PyTorch's {@code nn.Flatten}: by default
 * {@code start_dim=1, end_dim=-1}, so {@code [N, C, H, W]} becomes {@code [N, C*H*W]} (the batch
 * dim is kept). A reshape: a view of a contiguous input, which a TrainStep replays for free.
 */
public final class Flatten extends Layer {

    private final int startDim;
    private final int endDim;

    /** {@code nn.Flatten()}: dims 1 to -1. */
    public Flatten() {
        this(1, -1);
    }

    /**
     * @param startDim first dim to flatten, negative counting from the end
     * @param endDim last dim to flatten (inclusive), negative counting from the end
     */
    public Flatten(int startDim, int endDim) {
        this.startDim = startDim;
        this.endDim = endDim;
    }

    @Override
    protected String extraRepr() {
        return "start_dim=" + startDim + ", end_dim=" + endDim;
    }

    @Override
    public Var forward(Var input) {
        if (input == null) {
            throw new IllegalArgumentException(this + ": the input is null");
        }
        int[] shape = input.shape();
        int rank = Math.max(shape.length, 1); // a 0-d input flattens as if it were [1], as in PyTorch
        int s = startDim < 0 ? startDim + rank : startDim;
        int e = endDim < 0 ? endDim + rank : endDim;
        if (s < 0 || s >= rank || e < 0 || e >= rank) {
            throw new IllegalArgumentException(this + ": input " + Arrays.toString(shape) + " has " + shape.length
                    + " dims; start_dim and end_dim must be in [" + -rank + ", " + (rank - 1) + "]");
        }
        if (s > e) {
            throw new IllegalArgumentException(this + ": for input " + Arrays.toString(shape) + " start_dim " + s
                    + " comes after end_dim " + e);
        }
        if (shape.length == 0) {
            return input.reshape(1);
        }
        int[] out = new int[shape.length - (e - s)];
        int k = 0;
        for (int d = 0; d < s; d++) {
            out[k++] = shape[d];
        }
        long flat = 1;
        for (int d = s; d <= e; d++) {
            flat *= shape[d];
        }
        out[k++] = (int) flat;
        for (int d = e + 1; d < shape.length; d++) {
            out[k++] = shape[d];
        }
        return input.reshape(out);
    }
}
