package dev.vectorgrad.autograd;

import java.util.Arrays;

import dev.vectorgrad.core.Tensor;

/** Shape helpers for the backward rules. */
final class Shapes {

    private Shapes() {}

    static String str(int[] shape) {
        return Arrays.toString(shape);
    }

    /**
     * Sums a gradient of a broadcast result back to the shape of the operand that was broadcast:
     * leading dims the operand lacked are summed away, dims where it had size 1 are summed with
     * keepdim. Returns {@code g} itself when nothing was broadcast.
     */
    static Tensor sumToShape(Tensor g, int[] target) {
        int[] gs = g.shape();
        if (Arrays.equals(gs, target)) {
            return g;
        }
        int lead = gs.length - target.length;
        if (lead < 0) {
            throw new IllegalStateException("sumToShape: gradient of shape " + str(gs)
                    + " has fewer dims than its operand " + str(target));
        }
        Tensor r = g;
        for (int i = 0; i < lead; i++) {
            r = r.sum(0);
        }
        for (int d = 0; d < target.length; d++) {
            if (target[d] == 1 && r.size(d) != 1) {
                r = r.sum(d, true);
            }
        }
        if (!Arrays.equals(r.shape(), target)) {
            throw new IllegalStateException("sumToShape: gradient of shape " + str(gs)
                    + " does not reduce to its operand's shape " + str(target));
        }
        return r;
    }
}
