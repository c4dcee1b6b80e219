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
                        if (strideW == 1 && xsW == 1) {
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
                        if (strideW == 1) {
                            int n = hi - lo;
                            int s = src + lo;
                            for (int i = 0; i < n; i++) {
                                g[dst + i] += col[s + i];
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
