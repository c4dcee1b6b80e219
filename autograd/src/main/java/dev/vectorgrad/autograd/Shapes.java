package dev.vectorgrad.autograd;

import java.util.Arrays;

import dev.vectorgrad.core.Dims;
import dev.vectorgrad.core.Fused;
import dev.vectorgrad.core.Tensor;

/** Shape helpers for the backward rules. */
final class Shapes {

    private Shapes() {}

    static String str(int[] shape) {
        return Arrays.toString(shape);
    }

    /**
     * The dim a reduction along {@code dim} runs over, counted from 0, as {@link Tensor} reads it:
     * a 0-d shape accepts dim 0 or -1 (PyTorch treats a 0-d tensor as one element there) and
     * gives 0; any other dim is refused with the message a tensor reduction gives.
     */
    static int reductionDim(String op, int dim, int[] shape) {
        if (shape.length > 0) {
            return Dims.normalize(op, dim, shape);
        }
        if (dim != 0 && dim != -1) {
            throw new IndexOutOfBoundsException(op + ": dim " + dim + " is out of range for shape [] (expected a dim in [-1, 0])");
        }
        return 0;
    }

    /**
     * Sums a gradient of a broadcast result back to the shape of the operand that was broadcast:
     * leading dims the operand lacked are summed away, dims where it had size 1 are summed with
     * keepdim. Returns {@code g} itself when nothing was broadcast. The sum is
     * {@link Fused#sumToShape}'s, the one a captured replay runs, so eager and replayed gradients
     * have the same bits (summing dim by dim, as this once did, rounded otherwise as soon as two
     * or more leading dims were summed).
     */
    static Tensor sumToShape(Tensor g, int[] target) {
        int[] gs = g.shape();
        if (Arrays.equals(gs, target)) {
            return g;
        }
        if (gs.length < target.length) {
            throw new IllegalStateException("sumToShape: gradient of shape " + str(gs)
                    + " has fewer dims than its operand " + str(target));
        }
        Tensor r = Tensor.zeros(target);
        try {
            Fused.sumToShape(g, r, false);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("sumToShape: gradient of shape " + str(gs)
                    + " does not reduce to its operand's shape " + str(target), e);
        }
        return r;
    }
}
