package dev.vectorgrad.core.internal;

/**
 * Plain loops: the definition of every normalisation kernel, the tail of the vector kernels and
 * the whole implementation when {@code vectorgrad.vectorBitSize=0}. Sums go straight into
 * doubles; elementwise passes are float, in the order the interface states.
 */
public final class ScalarNormalizationKernels implements NormalizationKernels {

    /** The shared instance; the class holds no state. */
    public static final ScalarNormalizationKernels INSTANCE = new ScalarNormalizationKernels();

    private ScalarNormalizationKernels() {}

    @Override
    public void channelSums(float[] x, int xOff, int outer, int channels, int inner, int from, int to, double[] sum) {
        java.util.Arrays.fill(sum, from, to, 0.0);
        for (int n = 0; n < outer; n++) {
            for (int c = from; c < to; c++) {
                int at = xOff + (n * channels + c) * inner;
                double s = 0;
                for (int i = 0; i < inner; i++) {
                    s += x[at + i];
                }
                sum[c] += s;
            }
        }
    }

    @Override
    public void channelSquaredDeviations(float[] x, int xOff, int outer, int channels, int inner, int from, int to,
                                         float[] mean, double[] out) {
        java.util.Arrays.fill(out, from, to, 0.0);
        for (int n = 0; n < outer; n++) {
            for (int c = from; c < to; c++) {
                int at = xOff + (n * channels + c) * inner;
                float m = mean[c];
                double s = 0;
                for (int i = 0; i < inner; i++) {
                    float d = x[at + i] - m;
                    s += (double) d * d;
                }
                out[c] += s;
            }
        }
    }

    @Override
    public void channelBackwardSums(float[] dy, int dyOff, float[] x, int xOff, int outer, int channels, int inner,
                                    int from, int to, float[] mean, double[] sumDy, double[] sumDyXmu) {
        java.util.Arrays.fill(sumDy, from, to, 0.0);
        java.util.Arrays.fill(sumDyXmu, from, to, 0.0);
        for (int n = 0; n < outer; n++) {
            for (int c = from; c < to; c++) {
                int k = (n * channels + c) * inner;
                float m = mean[c];
                double s = 0;
                double p = 0;
                for (int i = 0; i < inner; i++) {
                    float g = dy[dyOff + k + i];
                    s += g;
                    p += (double) g * (x[xOff + k + i] - m);
                }
                sumDy[c] += s;
                sumDyXmu[c] += p;
            }
        }
    }

    @Override
    public void channelAffine(float[] x, int xOff, float[] out, int outOff, int outer, int channels, int inner,
                              int from, int to, float[] mean, float[] scale, float[] shift) {
        for (int n = 0; n < outer; n++) {
            for (int c = from; c < to; c++) {
                int k = (n * channels + c) * inner;
                float m = mean[c];
                float s = scale[c];
                float t = shift[c];
                for (int i = 0; i < inner; i++) {
                    out[outOff + k + i] = (x[xOff + k + i] - m) * s + t;
                }
            }
        }
    }

    @Override
    public void channelAffineBackward(float[] dy, int dyOff, float[] x, int xOff, float[] out, int outOff,
                                      int outer, int channels, int inner, int from, int to,
                                      float[] mean, float[] meanDy, float[] proj, float[] scale) {
        for (int n = 0; n < outer; n++) {
            for (int c = from; c < to; c++) {
                int k = (n * channels + c) * inner;
                float m = mean[c];
                float md = meanDy[c];
                float p = proj[c];
                float s = scale[c];
                for (int i = 0; i < inner; i++) {
                    out[outOff + k + i] = ((dy[dyOff + k + i] - md) - (x[xOff + k + i] - m) * p) * s;
                }
            }
        }
    }

    @Override
    public void rowAffine(float[] x, int xOff, float[] out, int outOff, int rows, int d,
                          float[] mean, float[] rstd, float[] w, int wOff, float[] b, int bOff) {
        for (int r = 0; r < rows; r++) {
            rowAffineRun(x, xOff + r * d, out, outOff + r * d, 0, d, mean[r], rstd[r], w, wOff, b, bOff);
        }
    }

    /** One row from column {@code j0} on: the tail of the vector kernel. */
    void rowAffineRun(float[] x, int xRow, float[] out, int outRow, int j0, int d, float m, float rs,
                      float[] w, int wOff, float[] b, int bOff) {
        for (int j = j0; j < d; j++) {
            float v = (x[xRow + j] - m) * rs;
            if (w != null) {
                v = v * w[wOff + j];
            }
            if (b != null) {
                v = v + b[bOff + j];
            }
            out[outRow + j] = v;
        }
    }

    @Override
    public void rowBackwardSums(float[] dy, int dyOff, float[] x, int xOff, int rows, int d, float[] mean,
                                float[] w, int wOff, double[] sumG, double[] sumGXmu) {
        for (int r = 0; r < rows; r++) {
            float m = mean[r];
            double s = 0;
            double p = 0;
            int row = r * d;
            for (int j = 0; j < d; j++) {
                float g = dy[dyOff + row + j];
                if (w != null) {
                    g = g * w[wOff + j];
                }
                s += g;
                p += (double) g * (x[xOff + row + j] - m);
            }
            sumG[r] = s;
            sumGXmu[r] = p;
        }
    }

    @Override
    public void rowAffineBackward(float[] dy, int dyOff, float[] x, int xOff, float[] out, int outOff, int rows,
                                  int d, float[] mean, float[] w, int wOff, float[] meanG, float[] proj,
                                  float[] rstd) {
        for (int r = 0; r < rows; r++) {
            rowAffineBackwardRun(dy, dyOff + r * d, x, xOff + r * d, out, outOff + r * d, 0, d,
                    mean[r], w, wOff, meanG[r], proj[r], rstd[r]);
        }
    }

    void rowAffineBackwardRun(float[] dy, int dyRow, float[] x, int xRow, float[] out, int outRow, int j0, int d,
                              float m, float[] w, int wOff, float mg, float p, float rs) {
        for (int j = j0; j < d; j++) {
            float g = dy[dyRow + j];
            if (w != null) {
                g = g * w[wOff + j];
            }
            out[outRow + j] = ((g - mg) - (x[xRow + j] - m) * p) * rs;
        }
    }

    @Override
    public void rowParamGrads(float[] dy, int dyOff, float[] x, int xOff, int rows, int d, float[] mean,
                              float[] rstd, int statOff, float[] gw, float[] gb) {
        for (int r = 0; r < rows; r++) {
            rowParamGradsRun(dy, dyOff + r * d, x, xOff + r * d, 0, d, mean[statOff + r], rstd[statOff + r], gw, gb);
        }
    }

    void rowParamGradsRun(float[] dy, int dyRow, float[] x, int xRow, int j0, int d, float m, float rs,
                          float[] gw, float[] gb) {
        for (int j = j0; j < d; j++) {
            float g = dy[dyRow + j];
            if (gw != null) {
                gw[j] = gw[j] + g * ((x[xRow + j] - m) * rs);
            }
            if (gb != null) {
                gb[j] = gb[j] + g;
            }
        }
    }

    @Override
    public String describe() {
        return "normalization, scalar";
    }
}
