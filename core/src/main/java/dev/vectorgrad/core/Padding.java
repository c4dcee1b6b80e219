package dev.vectorgrad.core;

import java.util.Arrays;

/**
 * Constant padding of the last dims, as PyTorch's {@code F.pad(x, pad, mode='constant', value)}.
 *
 * <p>{@code pads} lists pairs from the last dim backwards, PyTorch's order:
 * {@code (left, right)} pads the last dim, {@code (left, right, top, bottom)} the last two, and
 * so on, at most one pair per dim. A negative amount crops that side, as in PyTorch. The
 * backward of a pad is the slice of the gradient that the input occupied (zeros where the input
 * was cropped away).
 *
 * <pre>{@code
 * Tensor y = Padding.pad(x, new int[] {1, 1, 2, 0});   // [N, C, H, W] -> [N, C, H+2, W+2]
 * }</pre>
 */
public final class Padding {

    private Padding() {}

    private static void checkPads(Tensor x, int[] pads) {
        if (x == null || pads == null) {
            throw new IllegalArgumentException("pad: input and padding must not be null");
        }
        checkPads(x.shapeRef(), pads);
    }

    private static void checkPads(int[] shape, int[] pads) {
        if (pads == null) {
            throw new IllegalArgumentException("pad: padding must not be null");
        }
        if (pads.length % 2 != 0) {
            throw new IllegalArgumentException("pad: padding " + Arrays.toString(pads)
                    + " must have an even length, (left, right) pairs from the last dim backwards");
        }
        if (pads.length / 2 > shape.length) {
            throw new IllegalArgumentException("pad: padding " + Arrays.toString(pads) + " pads " + pads.length / 2
                    + " dims, but input " + Shapes.str(shape) + " has only " + shape.length);
        }
        for (int j = 0; j < pads.length / 2; j++) {
            int d = shape.length - 1 - j;
            long size = (long) shape[d] + pads[2 * j] + pads[2 * j + 1];
            if (size < 0 || size > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("pad: padding " + Arrays.toString(pads) + " gives dim " + d
                        + " of input " + Shapes.str(shape) + " the size " + size + "; sizes must be in [0, 2^31)");
            }
        }
    }

    /**
     * The shape {@link #pad} produces.
     *
     * @param shape the input's shape
     * @param pads pairs from the last dim backwards
     * @return the padded shape
     */
    public static int[] paddedShape(int[] shape, int[] pads) {
        if (shape == null) {
            throw new IllegalArgumentException("pad: shape must not be null");
        }
        checkPads(shape, pads);
        int[] out = shape.clone();
        for (int j = 0; j < pads.length / 2; j++) {
            out[shape.length - 1 - j] += pads[2 * j] + pads[2 * j + 1];
        }
        return out;
    }

    /**
     * Pads with zeros.
     *
     * @param x the input, any strides
     * @param pads pairs from the last dim backwards
     * @return a new contiguous tensor
     */
    public static Tensor pad(Tensor x, int[] pads) {
        return pad(x, pads, 0f);
    }

    /**
     * Pads with {@code value}.
     *
     * @param x the input, any strides
     * @param pads pairs from the last dim backwards
     * @param value the fill
     * @return a new contiguous tensor
     */
    public static Tensor pad(Tensor x, int[] pads, float value) {
        checkPads(x, pads);
        Tensor out = Tensor.zeros(paddedShape(x.shapeRef(), pads));
        padChecked(x, pads, value, out);
        return out;
    }

    /**
     * Pads into {@code out}, overwriting it; allocates nothing.
     *
     * @param x the input, any strides
     * @param pads pairs from the last dim backwards
     * @param value the fill
     * @param out contiguous, of the padded shape, sharing no storage with {@code x}
     * @return {@code out}
     */
    public static Tensor pad(Tensor x, int[] pads, float value, Tensor out) {
        checkPads(x, pads);
        checkPadded("pad", "out", x.shapeRef(), pads, out);
        if (Fused.overlaps(out, x)) {
            throw new IllegalArgumentException("pad: out " + Shapes.str(out.shapeRef()) + " shares storage with input "
                    + Shapes.str(x.shapeRef()) + "; the result would overwrite values it still reads");
        }
        padChecked(x, pads, value, out);
        return out;
    }

    /**
     * The gradient of {@link #pad} with respect to its input, into a new tensor.
     *
     * @param gradOut the gradient of the padded output, any strides
     * @param pads the padding of the forward call
     * @param inputShape the input's shape
     * @return a new contiguous tensor of {@code inputShape}
     */
    public static Tensor padBackward(Tensor gradOut, int[] pads, int... inputShape) {
        Tensor g = Tensor.zeros(inputShape);
        padBackward(gradOut, pads, g);
        return g;
    }

    /**
     * The gradient of {@link #pad} with respect to its input, written over {@code gradInput};
     * allocates nothing.
     *
     * @param gradOut the gradient of the padded output, any strides
     * @param pads the padding of the forward call
     * @param gradInput contiguous, of the input's shape
     */
    public static void padBackward(Tensor gradOut, int[] pads, Tensor gradInput) {
        if (gradOut == null) {
            throw new IllegalArgumentException("padBackward: gradOut must not be null");
        }
        checkPads(gradInput, pads);
        checkPadded("padBackward", "gradOut", gradInput.shapeRef(), pads, gradOut);
        if (!gradInput.isContiguous()) {
            throw new IllegalArgumentException("padBackward: gradInput " + Shapes.str(gradInput.shapeRef())
                    + " is a strided view; the tensors written must be contiguous");
        }
        if (Fused.overlaps(gradInput, gradOut)) {
            throw new IllegalArgumentException("padBackward: gradInput " + Shapes.str(gradInput.shapeRef())
                    + " shares storage with gradOut " + Shapes.str(gradOut.shapeRef()));
        }
        if (gradInput.numel() > 0) {
            unpad(0, gradOut, pads, gradOut.offset(), gradInput, gradInput.offset());
        }
        gradInput.bumpVersion();
    }

    /** Checks that {@code t} has the padded shape of {@code in}, without building that shape. */
    private static void checkPadded(String op, String name, int[] in, int[] pads, Tensor t) {
        int[] s = t.shapeRef();
        boolean ok = s.length == in.length;
        for (int d = 0; ok && d < s.length; d++) {
            ok = s[d] == in[d] + before(d, in.length, pads) + after(d, in.length, pads);
        }
        if (!ok) {
            int[] want = in.clone();
            for (int d = 0; d < want.length; d++) {
                want[d] += before(d, in.length, pads) + after(d, in.length, pads);
            }
            throw new IllegalArgumentException(op + ": " + name + " " + Shapes.str(s) + " must be "
                    + Shapes.str(want) + ", the input " + Shapes.str(in) + " padded by " + Arrays.toString(pads));
        }
        if (op.equals("pad") && !t.isContiguous()) {
            throw new IllegalArgumentException("pad: out " + Shapes.str(s) + " is a strided view;"
                    + " the tensors written must be contiguous");
        }
    }

    /** The amount added before dim {@code d} (of {@code rank}) by {@code pads}. */
    private static int before(int d, int rank, int[] pads) {
        int j = rank - 1 - d;
        return 2 * j < pads.length ? pads[2 * j] : 0;
    }

    private static int after(int d, int rank, int[] pads) {
        int j = rank - 1 - d;
        return 2 * j < pads.length ? pads[2 * j + 1] : 0;
    }

    private static void padChecked(Tensor x, int[] pads, float value, Tensor out) {
        if (out.numel() > 0) {
            if (out.dim() == 0) {
                out.data()[out.offset()] = x.data()[x.offset()];
            } else {
                fill(0, x, pads, x.offset(), out, out.offset(), value);
            }
        }
        out.bumpVersion();
    }

    /** Writes dim {@code d} and below of the output from {@code oOff}: recursion, so no index arrays are made. */
    private static void fill(int d, Tensor x, int[] pads, int xOff, Tensor out, int oOff, float value) {
        int rank = out.dim();
        int n = out.shapeRef()[d];
        int in = x.shapeRef()[d];
        int lo = before(d, rank, pads);
        int xs = x.stridesRef()[d];
        float[] od = out.data();
        // Output positions lo .. lo+in-1 hold the input, clipped to the output when a side is cropped.
        int first = Math.max(0, lo);
        int end = Math.min(n, lo + in);
        if (d == rank - 1) {
            float[] xd = x.data();
            Arrays.fill(od, oOff, oOff + Math.min(first, n), value);
            if (end > first) {
                if (xs == 1) {
                    System.arraycopy(xd, xOff + first - lo, od, oOff + first, end - first);
                } else {
                    for (int o = first, i = xOff + (first - lo) * xs; o < end; o++, i += xs) {
                        od[oOff + o] = xd[i];
                    }
                }
            }
            Arrays.fill(od, oOff + Math.max(end, first), oOff + n, value);
            return;
        }
        int os = out.stridesRef()[d];
        for (int o = 0; o < n; o++) {
            if (o >= first && o < end) {
                fill(d + 1, x, pads, xOff + (o - lo) * xs, out, oOff + o * os, value);
            } else {
                Arrays.fill(od, oOff + o * os, oOff + (o + 1) * os, value);
            }
        }
    }

    /** Writes dim {@code d} and below of the input's gradient from the slice of the output's it occupied. */
    private static void unpad(int d, Tensor g, int[] pads, int gOff, Tensor gIn, int iOff) {
        int rank = gIn.dim();
        if (rank == 0) {
            gIn.data()[iOff] = g.data()[gOff];
            return;
        }
        int n = gIn.shapeRef()[d];
        int outN = g.shapeRef()[d];
        int lo = before(d, rank, pads);
        int gs = g.stridesRef()[d];
        float[] id = gIn.data();
        // Input positions whose output position o = i + lo lies inside the output.
        int first = Math.min(n, Math.max(0, -lo));
        int end = Math.max(first, Math.min(n, outN - lo));
        if (d == rank - 1) {
            float[] gd = g.data();
            Arrays.fill(id, iOff, iOff + first, 0f);
            if (end == first) {
                // Nothing of the input survives in the output (it may even be empty).
            } else if (gs == 1) {
                System.arraycopy(gd, gOff + first + lo, id, iOff + first, end - first);
            } else {
                for (int i = first, o = gOff + (first + lo) * gs; i < end; i++, o += gs) {
                    id[iOff + i] = gd[o];
                }
            }
            Arrays.fill(id, iOff + end, iOff + n, 0f);
            return;
        }
        int is = gIn.stridesRef()[d];
        for (int i = 0; i < n; i++) {
            if (i >= first && i < end) {
                unpad(d + 1, g, pads, gOff + (i + lo) * gs, gIn, iOff + i * is);
            } else {
                Arrays.fill(id, iOff + i * is, iOff + (i + 1) * is, 0f);
            }
        }
    }
}
