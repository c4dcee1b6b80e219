package dev.vectorgrad.core.internal;

import java.util.Arrays;

/**
 * The unfolding of one image's channels into the columns a convolution multiplies ({@code im2col})
 * and its adjoint, the folding of such columns back into an image gradient ({@code col2im}).
 *
 * <p>Row {@code (c*kH + ki)*kW + kj} of the columns holds, for every output position
 * {@code (oh, ow)} in row-major order, the input element the kernel tap {@code (ki, kj)} of
 * channel {@code c} sees there, or 0 where the tap falls in the zero padding. Plain loops: for
 * stride 1 and a unit inner stride each row segment is one {@code System.arraycopy} (or one
 * add loop the JIT vectorises), which is memory-bound anyway. Arguments are trusted:
 * {@code dev.vectorgrad.core.Convolution} has checked them.
 */
public final class Im2col {

    /** The SIMD elementwise kernels, for the long adds of {@code col2im}. */
    private static final FloatKernels ADD = Kernels.ELEMENTWISE;

    private Im2col() {}

    /**
     * Writes the columns of {@code channels} channels of one image, {@code [channels*kH*kW, outH*outW]}
     * row-major from {@code colOff}.
     *
     * @param x the image's storage; element {@code (c, h, w)} at {@code xOff + c*xsC + h*xsH + w*xsW}
     * @param geometry {@code {kH, kW, strideH, strideW, padH, padW, dilationH, dilationW, H, W, outH, outW}}
     */
    public static void im2col(float[] x, int xOff, int xsC, int xsH, int xsW, int channels, int[] geometry,
                              float[] col, int colOff) {
        int kH = geometry[0];
        int kW = geometry[1];
        int strideH = geometry[2];
        int strideW = geometry[3];
        int padH = geometry[4];
        int padW = geometry[5];
        int dilH = geometry[6];
        int dilW = geometry[7];
        int h = geometry[8];
        int w = geometry[9];
        int outH = geometry[10];
        int outW = geometry[11];
        int plane = outH * outW;
        if (shifted(geometry) && xsW == 1 && xsH == w) {
            im2colShifted(x, xOff, xsC, channels, geometry, col, colOff);
            return;
        }
        int row = colOff;
        for (int c = 0; c < channels; c++) {
            int xc = xOff + c * xsC;
            for (int ki = 0; ki < kH; ki++) {
                int ihOff = ki * dilH - padH;
                for (int kj = 0; kj < kW; kj++) {
                    int iwOff = kj * dilW - padW;
                    int lo = firstInside(iwOff, strideW, outW);
                    int hi = Math.max(lo, endInside(iwOff, strideW, w, outW));
                    for (int oh = 0; oh < outH; oh++) {
                        int ih = oh * strideH + ihOff;
                        int dst = row + oh * outW;
                        if (ih < 0 || ih >= h) {
                            Arrays.fill(col, dst, dst + outW, 0f);
                            continue;
                        }
                        if (lo > 0) {
                            Arrays.fill(col, dst, dst + lo, 0f);
                        }
                        if (hi < outW) {
                            Arrays.fill(col, dst + hi, dst + outW, 0f);
                        }
                        int src = xc + ih * xsH + (lo * strideW + iwOff) * xsW;
                        if (hi == lo) {
                            // Every tap of this row falls in the padding (src may even lie before the image).
                        } else if (strideW == 1 && xsW == 1) {
                            System.arraycopy(x, src, col, dst + lo, hi - lo);
                        } else {
                            int step = strideW * xsW;
                            for (int ow = lo; ow < hi; ow++, src += step) {
                                col[dst + ow] = x[src];
                            }
                        }
                    }
                    row += plane;
                }
            }
        }
    }

    /**
     * Adds columns laid out as {@link #im2col} writes them into one image's gradient, contiguous
     * {@code [channels, H, W]} from {@code gOff}: the adjoint of {@code im2col}, each tap's value
     * added to the input element it was read from (padding taps dropped).
     */
    public static void col2im(float[] col, int colOff, int channels, int[] geometry, float[] g, int gOff) {
        int kH = geometry[0];
        int kW = geometry[1];
        int strideH = geometry[2];
        int strideW = geometry[3];
        int padH = geometry[4];
        int padW = geometry[5];
        int dilH = geometry[6];
        int dilW = geometry[7];
        int h = geometry[8];
        int w = geometry[9];
        int outH = geometry[10];
        int outW = geometry[11];
        int plane = outH * outW;
        if (shifted(geometry)) {
            col2imShifted(col, colOff, channels, geometry, g, gOff);
            return;
        }
        int row = colOff;
        for (int c = 0; c < channels; c++) {
            int gc = gOff + c * h * w;
            for (int ki = 0; ki < kH; ki++) {
                int ihOff = ki * dilH - padH;
                for (int kj = 0; kj < kW; kj++) {
                    int iwOff = kj * dilW - padW;
                    int lo = firstInside(iwOff, strideW, outW);
                    int hi = Math.max(lo, endInside(iwOff, strideW, w, outW));
                    for (int oh = 0; oh < outH; oh++) {
                        int ih = oh * strideH + ihOff;
                        if (ih < 0 || ih >= h) {
                            continue;
                        }
                        int src = row + oh * outW;
                        int dst = gc + ih * w + lo * strideW + iwOff;
                        if (hi == lo) {
                            continue;
                        }
                        if (strideW == 1) {
                            if (hi > lo) {
                                ADD.addScaled(g, dst, 1f, col, src + lo, hi - lo);
                            }
                        } else {
                            for (int ow = lo; ow < hi; ow++, dst += strideW) {
                                g[dst] += col[src + ow];
                            }
                        }
                    }
                    row += plane;
                }
            }
        }
    }

    /**
     * Whether every row of the columns is the image plane shifted by one offset: unit strides and
     * an output as wide as the input (a "same" padding), so that output position {@code q} reads
     * input position {@code q + shift}. Then a row is one copy of the plane, plus zeros where a
     * tap falls left or right of the image (those reads wrapped into the neighbouring image row).
     */
    static boolean shifted(int[] geometry) {
        return geometry[2] == 1 && geometry[3] == 1 && geometry[11] == geometry[9];
    }

    private static void im2colShifted(float[] x, int xOff, int xsC, int channels, int[] geometry,
                                      float[] col, int colOff) {
        int kH = geometry[0];
        int kW = geometry[1];
        int padH = geometry[4];
        int padW = geometry[5];
        int dilH = geometry[6];
        int dilW = geometry[7];
        int h = geometry[8];
        int w = geometry[9];
        int outH = geometry[10];
        int outW = geometry[11];
        int plane = outH * outW;
        int in = h * w;
        int row = colOff;
        for (int c = 0; c < channels; c++) {
            int xc = xOff + c * xsC;
            for (int ki = 0; ki < kH; ki++) {
                for (int kj = 0; kj < kW; kj++) {
                    int iwOff = kj * dilW - padW;
                    int shift = (ki * dilH - padH) * w + iwOff;
                    int q0 = Math.min(plane, Math.max(0, -shift));
                    int q1 = Math.max(q0, Math.min(plane, in - shift));
                    Arrays.fill(col, row, row + q0, 0f);
                    if (q1 > q0) {
                        System.arraycopy(x, xc + q0 + shift, col, row + q0, q1 - q0);
                    }
                    Arrays.fill(col, row + q1, row + plane, 0f);
                    zeroWrapped(col, row, iwOff, w, outH);
                    row += plane;
                }
            }
        }
    }

    private static void col2imShifted(float[] col, int colOff, int channels, int[] geometry, float[] g, int gOff) {
        int kH = geometry[0];
        int kW = geometry[1];
        int padH = geometry[4];
        int padW = geometry[5];
        int dilH = geometry[6];
        int dilW = geometry[7];
        int h = geometry[8];
        int w = geometry[9];
        int outH = geometry[10];
        int outW = geometry[11];
        int plane = outH * outW;
        int in = h * w;
        int row = colOff;
        for (int c = 0; c < channels; c++) {
            int gc = gOff + c * in;
            for (int ki = 0; ki < kH; ki++) {
                for (int kj = 0; kj < kW; kj++) {
                    int iwOff = kj * dilW - padW;
                    int shift = (ki * dilH - padH) * w + iwOff;
                    int q0 = Math.min(plane, Math.max(0, -shift));
                    int q1 = Math.max(q0, Math.min(plane, in - shift));
                    // The columns are this call's scratch: zero the taps that fell beside the image, then add the row in one run.
                    zeroWrapped(col, row, iwOff, w, outH);
                    if (q1 > q0) {
                        // dst += 1 * src is dst + src exactly, fused or not.
                        ADD.addScaled(g, gc + shift + q0, 1f, col, row + q0, q1 - q0);
                    }
                    row += plane;
                }
            }
        }
    }

    /** Zeros, in each output row of one column row, the positions whose tap lies left or right of the image. */
    private static void zeroWrapped(float[] col, int row, int iwOff, int w, int outH) {
        // Plain stores, not Arrays.fill: the runs are one or two elements long, and a call each costs more.
        if (iwOff < 0) {
            int n = Math.min(w, -iwOff);
            for (int oh = 0, at = row; oh < outH; oh++, at += w) {
                for (int i = 0; i < n; i++) {
                    col[at + i] = 0f;
                }
            }
        } else if (iwOff > 0) {
            int from = Math.max(0, w - iwOff);
            for (int oh = 0, at = row; oh < outH; oh++, at += w) {
                for (int i = from; i < w; i++) {
                    col[at + i] = 0f;
                }
            }
        }
    }

    /** The first output column whose tap {@code ow*stride + off} is at or right of input column 0. */
    private static int firstInside(int off, int stride, int outW) {
        return off >= 0 ? 0 : Math.min(outW, (-off + stride - 1) / stride);
    }

    /** One past the last output column whose tap {@code ow*stride + off} is left of input column {@code w}. */
    private static int endInside(int off, int stride, int w, int outW) {
        int last = w - 1 - off;
        return last < 0 ? 0 : Math.min(outW, last / stride + 1);
    }
}
