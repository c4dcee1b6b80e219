package dev.vectorgrad.testkit;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Shapes that broadcast together under NumPy's rule, and the shape they broadcast to: what
 * Hypothesis' {@code mutually_broadcastable_shapes} returns.
 *
 * @param inputs the operands' shapes (copied)
 * @param result the broadcast shape of all of them
 */
public record BroadcastShapes(List<int[]> inputs, int[] result) {

    /** Copies the arrays, so the record cannot change. */
    public BroadcastShapes {
        inputs = inputs.stream().map(int[]::clone).toList();
        result = result.clone();
    }

    /**
     * @param i which operand
     * @return a copy of its shape
     */
    public int[] input(int i) {
        return inputs.get(i).clone();
    }

    @Override
    public int[] result() {
        return result.clone();
    }

    /**
     * NumPy's broadcast of shapes: align at the right; per dim, equal sizes stay, a size 1 takes
     * the other size.
     *
     * @param shapes the shapes
     * @return their broadcast shape
     * @throws IllegalArgumentException naming the shapes and the dim where sizes clash
     */
    public static int[] broadcast(int[]... shapes) {
        int rank = 0;
        for (int[] s : shapes) {
            rank = Math.max(rank, s.length);
        }
        int[] out = new int[rank];
        Arrays.fill(out, 1);
        for (int[] s : shapes) {
            for (int i = 0; i < s.length; i++) {
                int d = rank - s.length + i;
                if (s[i] == out[d] || s[i] == 1) {
                    continue;
                }
                if (out[d] != 1) {
                    throw new IllegalArgumentException("broadcast: expected shapes whose sizes are equal or 1 in every"
                            + " dim, got " + Arrays.stream(shapes).map(Arrays::toString).collect(Collectors.joining(", "))
                            + ": sizes " + out[d] + " and " + s[i] + " at dim " + (d - rank));
                }
                out[d] = s[i];
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return inputs.stream().map(Arrays::toString).collect(Collectors.joining(" with ")) + " -> "
                + Arrays.toString(result);
    }
}
