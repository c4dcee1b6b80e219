package dev.vectorgrad.testkit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Every multi-index of a shape, for references computed element by element with
 * {@code Tensor.get(int...)}: independent of the loops and kernels under test.
 */
public final class Indices {

    private Indices() {}

    /**
     * @param shape a shape
     * @return its multi-indices in row-major order (one, empty, for a 0-d shape; none when a size is 0)
     * @throws IllegalArgumentException when a size is negative or the shape has more than 2^24 elements
     */
    public static List<int[]> of(int... shape) {
        long n = 1;
        for (int s : shape) {
            if (s < 0) {
                throw new IllegalArgumentException("Indices.of: expected sizes >= 0, got " + Arrays.toString(shape));
            }
            n *= s;
        }
        if (n > 1 << 24) {
            throw new IllegalArgumentException("Indices.of: expected at most 2^24 elements, got shape " + Arrays.toString(shape));
        }
        List<int[]> out = new ArrayList<>((int) n);
        for (int flat = 0; flat < n; flat++) {
            out.add(TensorAssertions.unflatten(flat, shape));
        }
        return out;
    }
}
