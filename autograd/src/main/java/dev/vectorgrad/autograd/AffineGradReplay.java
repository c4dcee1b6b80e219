package dev.vectorgrad.autograd;

import dev.vectorgrad.core.Tensor;

/**
 * What the normalisation replays share: one backward call writes the gradients of the input and
 * of the optional weight and bias; a gradient that is a first contribution is written straight
 * into the graph's buffer, a later one into a scratch buffer (made once) that is then added, as
 * the eager engine adds each finished gradient.
 */
abstract class AffineGradReplay implements Replay {

    private final boolean hasWeight;
    private final boolean hasBias;
    private final Tensor[] scratch = new Tensor[3];

    AffineGradReplay(boolean hasWeight, boolean hasBias) {
        this.hasWeight = hasWeight;
        this.hasBias = hasBias;
    }

    /** Writes (overwrites) the non-null gradients for {@code gOut}. */
    abstract void gradients(Tensor gOut, Tensor gx, Tensor gw, Tensor gb);

    @Override
    public final void backward(Tensor gOut, Tensor[] gIn, boolean[] acc) {
        int wi = hasWeight ? 1 : -1;
        int bi = hasBias ? (hasWeight ? 2 : 1) : -1;
        Tensor gx = target(gIn, acc, 0, 0);
        Tensor gw = wi < 0 ? null : target(gIn, acc, wi, 1);
        Tensor gb = bi < 0 ? null : target(gIn, acc, bi, 2);
        gradients(gOut, gx, gw, gb);
        add(gIn, acc, 0, 0);
        if (wi > 0) {
            add(gIn, acc, wi, 1);
        }
        if (bi > 0) {
            add(gIn, acc, bi, 2);
        }
    }

    private Tensor target(Tensor[] gIn, boolean[] acc, int input, int slot) {
        Tensor g = gIn[input];
        if (g == null || !acc[input]) {
            return g;
        }
        if (scratch[slot] == null) {
            scratch[slot] = Tensor.zeros(g.shape());
        }
        return scratch[slot];
    }

    private void add(Tensor[] gIn, boolean[] acc, int input, int slot) {
        if (gIn[input] != null && acc[input]) {
            gIn[input].addInPlace(scratch[slot]);
        }
    }
}
