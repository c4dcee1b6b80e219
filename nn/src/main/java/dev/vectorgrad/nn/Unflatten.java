package dev.vectorgrad.nn;

import java.util.Arrays;

import dev.vectorgrad.autograd.Var;

/**
 * Splits one dim into several, PyTorch's {@code nn.Unflatten(dim, unflattened_size)}:
 * {@code Unflatten(1, 1, 28, 28)} turns {@code [N, 784]} into {@code [N, 1, 28, 28]}. One size
 * may be -1, inferred. A reshape: a view of a contiguous input.
 */
public final class Unflatten extends Layer {

    private final int dim;
    private final int[] sizes;

    /**
     * @param dim the dim to split, negative counting from the end
     * @param sizes the sizes it becomes, at least one; one may be -1
     */
    public Unflatten(int dim, int... sizes) {
        if (sizes == null || sizes.length == 0) {
            throw new IllegalArgumentException("Unflatten: unflattened_size must have at least one size");
        }
        int unknown = 0;
        for (int s : sizes) {
            if (s == -1) {
                unknown++;
            } else if (s < 0) {
                throw new IllegalArgumentException("Unflatten: unflattened_size " + PythonLiterals.tuple(sizes)
                        + " has a negative size other than -1");
            }
        }
        if (unknown > 1) {
            throw new IllegalArgumentException("Unflatten: unflattened_size " + PythonLiterals.tuple(sizes)
                    + " may infer only one size (-1)");
        }
        this.dim = dim;
        this.sizes = sizes.clone();
    }

    @Override
    protected String extraRepr() {
        return "dim=" + dim + ", unflattened_size=" + PythonLiterals.tuple(sizes);
    }

    @Override
    public Var forward(Var input) {
        if (input == null) {
            throw new IllegalArgumentException(this + ": the input is null");
        }
        int[] shape = input.shape();
        int d = dim < 0 ? dim + shape.length : dim;
        if (d < 0 || d >= shape.length) {
            throw new IllegalArgumentException(this + ": input " + Arrays.toString(shape) + " has no dim " + dim);
        }
        long known = 1;
        int inferAt = -1;
        for (int i = 0; i < sizes.length; i++) {
            if (sizes[i] == -1) {
                inferAt = i;
            } else {
                known *= sizes[i];
            }
        }
        int[] split = sizes.clone();
        if (inferAt >= 0) {
            if (known == 0 || shape[d] % known != 0) {
                throw new IllegalArgumentException(this + ": input " + Arrays.toString(shape) + " has size "
                        + shape[d] + " in dim " + d + ", which is not a multiple of " + known);
            }
            split[inferAt] = (int) (shape[d] / known);
        } else if (known != shape[d]) {
            throw new IllegalArgumentException(this + ": input " + Arrays.toString(shape) + " has size " + shape[d]
                    + " in dim " + d + ", but unflattened_size " + PythonLiterals.tuple(sizes) + " holds " + known);
        }
        int[] out = new int[shape.length - 1 + split.length];
        System.arraycopy(shape, 0, out, 0, d);
        System.arraycopy(split, 0, out, d, split.length);
        System.arraycopy(shape, d + 1, out, d + split.length, shape.length - d - 1);
        return input.reshape(out);
    }
}
