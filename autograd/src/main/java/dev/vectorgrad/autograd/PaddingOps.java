package dev.vectorgrad.autograd;

import dev.vectorgrad.core.Padding;
import dev.vectorgrad.core.Tensor;

/**
 * Constant padding on {@link Var}s, as PyTorch's {@code F.pad(x, pad, value=...)}: pairs
 * {@code (left, right)} from the last dim backwards; a negative amount crops. The backward
 * slices the gradient back to the input's shape. Replayable by a {@link CapturedGraph}.
 */
public final class PaddingOps {

    private PaddingOps() {}

    /**
     * Pads with zeros.
     *
     * @param x the input
     * @param pads {@code (left, right)} pairs from the last dim backwards
     * @return the padded result
     */
    public static Var pad(Var x, int... pads) {
        return pad(x, pads, 0f);
    }

    /**
     * Pads with {@code value}.
     *
     * @param x the input
     * @param pads {@code (left, right)} pairs from the last dim backwards
     * @param value the fill
     * @return the padded result
     * @throws IllegalArgumentException for an odd number of amounts, more pairs than dims, or a negative size
     */
    public static Var pad(Var x, int[] pads, float value) {
        if (x == null || pads == null) {
            throw new IllegalArgumentException("pad: input and padding must not be null");
        }
        int[] p = pads.clone();
        Tensor xv = x.value();
        Tensor out = Padding.pad(xv, p, value);
        int[] inShape = xv.shape();
        return Var.record("pad", out, new Var[] {x}, ConvolutionOps.none(),
                (g, sink) -> sink.add(0, Padding.padBackward(g, p, inShape), true),
                () -> new PadReplay(xv, p, value, out));
    }
}
