package dev.vectorgrad.autograd;

import dev.vectorgrad.core.Padding;
import dev.vectorgrad.core.Tensor;

/** The replay of {@link PaddingOps#pad}: the same {@link Padding} calls into the graph's buffers, allocation-free. */
final class PadReplay implements Replay {
    private final Tensor x;
    private final int[] pads;
    private final float value;
    private final Tensor out;
    private Tensor scratch;

    PadReplay(Tensor x, int[] pads, float value, Tensor out) {
        this.x = x;
        this.pads = pads;
        this.value = value;
        this.out = out;
    }

    @Override
    public void forward() {
        Padding.pad(x, pads, value, out);
    }

    @Override
    public void backward(Tensor g, Tensor[] gIn, boolean[] acc) {
        Tensor t = gIn[0];
        if (t == null) {
            return;
        }
        if (!acc[0] && t.isContiguous()) {
            Padding.padBackward(g, pads, t);
            return;
        }
        if (scratch == null) {
            scratch = Tensor.zeros(t.shape());
        }
        Padding.padBackward(g, pads, scratch);
        if (acc[0]) {
            t.addInPlace(scratch);
        } else {
            t.copyFrom(scratch);
        }
    }
}
