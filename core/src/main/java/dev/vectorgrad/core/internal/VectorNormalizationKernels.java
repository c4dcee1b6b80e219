package dev.vectorgrad.core.internal;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The normalisation kernels on the Vector API. A channel block is vectorised along its runs when
 * a run holds at least a vector ({@code [N, C, H, W]} maps), across channels when runs are single
 * floats ({@code [N, C]}, BatchNorm1d), and left to {@link ScalarNormalizationKernels} otherwise
 * (runs of 2 to lanes-1 floats: tiny late feature maps). Row blocks go along their rows.
 *
 * <p>Sums: float lanes for at most {@link #BLOCK} floats of a run (or {@link #ROWS} rows across
 * channels), then lane by lane, in lane order, into a double, so the float error stays that of a
 * short sum however large the batch and a call gives the same bits interpreted or compiled. No
 * {@code fma} anywhere: the elementwise passes then give the scalar twin's bits.
 */
final class VectorNormalizationKernels implements NormalizationKernels {

    // A static final species is a JIT constant (see VectorKernels): C2 intrinsifies only then.
    private static final VectorSpecies<Float> species = VectorMatmul.S;
    private static final int lanes = species.length();
    /** Floats of one run summed in float lanes before the partial goes into a double. */
    static final int BLOCK = 1024;
    /** Rows summed in float lanes across channels before the partials go into doubles. */
    static final int ROWS = 256;

    /** A vector's lanes stored for adding in lane order: reduceLanes(ADD)'s order is unspecified. */
    private static final ThreadLocal<float[]> LANES = ThreadLocal.withInitial(() -> new float[lanes]);

    private final ScalarNormalizationKernels tail = ScalarNormalizationKernels.INSTANCE;

    VectorNormalizationKernels(VectorSpecies<Float> species) {
        if (!species.equals(VectorNormalizationKernels.species)) {
            throw new IllegalArgumentException("VectorNormalizationKernels: the species is fixed at start-up to "
                    + VectorNormalizationKernels.species + " (vectorgrad.vectorBitSize), got " + species);
        }
    }

    /**
     * {@code total} plus the lanes of {@code v}, lane 0 first, in double. Not
     * {@code reduceLanes(ADD)}: C2's intrinsic adds in a tree while the interpreter adds in lane
     * order, so an eager op and its replay could differ in the last bit across a JIT compilation.
     */
    private static double addLanes(double total, FloatVector v, float[] buf) {
        v.intoArray(buf, 0);
        for (int l = 0; l < lanes; l++) {
            total += buf[l];
        }
        return total;
    }

    private static boolean alongRuns(int inner) {
        return inner >= lanes;
    }

    private static boolean acrossChannels(int channels, int inner) {
        return inner == 1 && channels >= lanes;
    }

    // ------------------------------------------------------------------ channel sums

    @Override
    public void channelSums(float[] x, int xOff, int outer, int channels, int inner, int from, int to, double[] sum) {
        if (alongRuns(inner)) {
            channelSumsAlongRuns(x, xOff, outer, channels, inner, from, to, sum, LANES.get());
        } else if (acrossChannels(channels, inner)) {
            channelSumsAcrossChannels(x, xOff, outer, channels, inner, from, to, sum);
        } else {
            tail.channelSums(x, xOff, outer, channels, inner, from, to, sum);
        }
    }

    private static void channelSumsAlongRuns(float[] x, int xOff, int outer, int channels, int inner, int from, int to,
            double[] sum, float[] buf) {
        java.util.Arrays.fill(sum, from, to, 0.0);
        int bound = species.loopBound(inner);
        for (int n = 0; n < outer; n++) {
            for (int c = from; c < to; c++) {
                int base = xOff + (n * channels + c) * inner;
                double total = 0;
                int i = 0;
                while (i < bound) {
                    // Two accumulators hide the add latency; each block's float sum is short.
                    int end = Math.min(bound, i + BLOCK);
                    FloatVector a0 = FloatVector.zero(species);
                    FloatVector a1 = FloatVector.zero(species);
                    for (; i + lanes < end; i += 2 * lanes) {
                        a0 = a0.add(FloatVector.fromArray(species, x, base + i));
                        a1 = a1.add(FloatVector.fromArray(species, x, base + i + lanes));
                    }
                    for (; i < end; i += lanes) {
                        a0 = a0.add(FloatVector.fromArray(species, x, base + i));
                    }
                    total = addLanes(total, a0.add(a1), buf);
                }
                for (; i < inner; i++) {
                    total += x[base + i];
                }
                sum[c] += total;
            }
        }
    }

    private static void channelSumsAcrossChannels(float[] x, int xOff, int outer, int channels, int inner,
            int from, int to,
            double[] sum) {
        java.util.Arrays.fill(sum, from, to, 0.0);
        int cBound = from + species.loopBound(to - from);
        for (int c = from; c < cBound; c += lanes) {
            // A vector of channels walks down the rows; its lanes go into doubles every ROWS rows.
            for (int n0 = 0; n0 < outer; n0 += ROWS) {
                int n1 = Math.min(outer, n0 + ROWS);
                FloatVector acc = FloatVector.zero(species);
                for (int n = n0; n < n1; n++) {
                    acc = acc.add(FloatVector.fromArray(species, x, xOff + n * channels + c));
                }
                for (int l = 0; l < lanes; l++) {
                    sum[c + l] += acc.lane(l);
                }
            }
        }
        for (int c = cBound; c < to; c++) {
            double s = 0;
            for (int n = 0; n < outer; n++) {
                s += x[xOff + n * channels + c];
            }
            sum[c] = s;
        }
    }

    @Override
    public void channelSquaredDeviations(float[] x, int xOff, int outer, int channels, int inner, int from,
            int to, float[] mean,
                                         double[] out) {
        if (alongRuns(inner)) {
            channelSquaredDeviationsAlongRuns(x, xOff, outer, channels, inner, from, to, mean, out, LANES.get());
        } else if (acrossChannels(channels, inner)) {
            channelSquaredDeviationsAcrossChannels(x, xOff, outer, channels, inner, from, to, mean, out);
        } else {
            tail.channelSquaredDeviations(x, xOff, outer, channels, inner, from, to, mean, out);
        }
    }

    private static void channelSquaredDeviationsAlongRuns(float[] x, int xOff, int outer, int channels,
            int inner, int from, int to, float[] mean,
                                         double[] out, float[] buf) {
        java.util.Arrays.fill(out, from, to, 0.0);
        int bound = species.loopBound(inner);
        for (int n = 0; n < outer; n++) {
            for (int c = from; c < to; c++) {
                int base = xOff + (n * channels + c) * inner;
                float m = mean[c];
                FloatVector vm = FloatVector.broadcast(species, m);
                double total = 0;
                int i = 0;
                while (i < bound) {
                    int end = Math.min(bound, i + BLOCK);
                    FloatVector a0 = FloatVector.zero(species);
                    FloatVector a1 = FloatVector.zero(species);
                    for (; i + lanes < end; i += 2 * lanes) {
                        FloatVector d0 = FloatVector.fromArray(species, x, base + i).sub(vm);
                        FloatVector d1 = FloatVector.fromArray(species, x, base + i + lanes).sub(vm);
                        a0 = a0.add(d0.mul(d0));
                        a1 = a1.add(d1.mul(d1));
                    }
                    for (; i < end; i += lanes) {
                        FloatVector d0 = FloatVector.fromArray(species, x, base + i).sub(vm);
                        a0 = a0.add(d0.mul(d0));
                    }
                    total = addLanes(total, a0.add(a1), buf);
                }
                for (; i < inner; i++) {
                    float d = x[base + i] - m;
                    total += (double) d * d;
                }
                out[c] += total;
            }
        }
    }

    private static void channelSquaredDeviationsAcrossChannels(float[] x, int xOff, int outer, int channels,
            int inner, int from, int to, float[] mean,
                                         double[] out) {
        java.util.Arrays.fill(out, from, to, 0.0);
        int cBound = from + species.loopBound(to - from);
        for (int c = from; c < cBound; c += lanes) {
            FloatVector vm = FloatVector.fromArray(species, mean, c);
            for (int n0 = 0; n0 < outer; n0 += ROWS) {
                int n1 = Math.min(outer, n0 + ROWS);
                FloatVector acc = FloatVector.zero(species);
                for (int n = n0; n < n1; n++) {
                    FloatVector d = FloatVector.fromArray(species, x, xOff + n * channels + c).sub(vm);
                    acc = acc.add(d.mul(d));
                }
                for (int l = 0; l < lanes; l++) {
                    out[c + l] += acc.lane(l);
                }
            }
        }
        for (int c = cBound; c < to; c++) {
            float m = mean[c];
            double s = 0;
            for (int n = 0; n < outer; n++) {
                float d = x[xOff + n * channels + c] - m;
                s += (double) d * d;
            }
            out[c] = s;
        }
    }

    @Override
    public void channelBackwardSums(float[] dy, int dyOff, float[] x, int xOff, int outer, int channels,
            int inner, int from, int to,
                                    float[] mean, double[] sumDy, double[] sumDyXmu) {
        if (alongRuns(inner)) {
            channelBackwardSumsAlongRuns(dy, dyOff, x, xOff, outer, channels, inner, from, to, mean, sumDy,
                    sumDyXmu, LANES.get());
        } else if (acrossChannels(channels, inner)) {
            channelBackwardSumsAcrossChannels(dy, dyOff, x, xOff, outer, channels, inner, from, to, mean,
                    sumDy, sumDyXmu);
        } else {
            tail.channelBackwardSums(dy, dyOff, x, xOff, outer, channels, inner, from, to, mean, sumDy, sumDyXmu);
        }
    }

    private static void channelBackwardSumsAlongRuns(float[] dy, int dyOff, float[] x, int xOff, int outer,
            int channels, int inner, int from, int to,
                                    float[] mean, double[] sumDy, double[] sumDyXmu, float[] buf) {
        java.util.Arrays.fill(sumDy, from, to, 0.0);
        java.util.Arrays.fill(sumDyXmu, from, to, 0.0);
        int bound = species.loopBound(inner);
        for (int n = 0; n < outer; n++) {
            for (int c = from; c < to; c++) {
                int k = (n * channels + c) * inner;
                float m = mean[c];
                FloatVector vm = FloatVector.broadcast(species, m);
                double s = 0;
                double p = 0;
                int i = 0;
                while (i < bound) {
                    // Both sums in one pass over dy and x: two loads feed two accumulators.
                    int end = Math.min(bound, i + BLOCK);
                    FloatVector as = FloatVector.zero(species);
                    FloatVector ap = FloatVector.zero(species);
                    for (; i < end; i += lanes) {
                        FloatVector g = FloatVector.fromArray(species, dy, dyOff + k + i);
                        FloatVector d = FloatVector.fromArray(species, x, xOff + k + i).sub(vm);
                        as = as.add(g);
                        ap = ap.add(g.mul(d));
                    }
                    s = addLanes(s, as, buf);
                    p = addLanes(p, ap, buf);
                }
                for (; i < inner; i++) {
                    float g = dy[dyOff + k + i];
                    s += g;
                    p += (double) g * (x[xOff + k + i] - m);
                }
                sumDy[c] += s;
                sumDyXmu[c] += p;
            }
        }
    }

    private static void channelBackwardSumsAcrossChannels(float[] dy, int dyOff, float[] x, int xOff,
            int outer, int channels, int inner, int from, int to,
                                    float[] mean, double[] sumDy, double[] sumDyXmu) {
        java.util.Arrays.fill(sumDy, from, to, 0.0);
        java.util.Arrays.fill(sumDyXmu, from, to, 0.0);
        int cBound = from + species.loopBound(to - from);
        for (int c = from; c < cBound; c += lanes) {
            FloatVector vm = FloatVector.fromArray(species, mean, c);
            for (int n0 = 0; n0 < outer; n0 += ROWS) {
                int n1 = Math.min(outer, n0 + ROWS);
                FloatVector as = FloatVector.zero(species);
                FloatVector ap = FloatVector.zero(species);
                for (int n = n0; n < n1; n++) {
                    FloatVector g = FloatVector.fromArray(species, dy, dyOff + n * channels + c);
                    FloatVector d = FloatVector.fromArray(species, x, xOff + n * channels + c).sub(vm);
                    as = as.add(g);
                    ap = ap.add(g.mul(d));
                }
                for (int l = 0; l < lanes; l++) {
                    sumDy[c + l] += as.lane(l);
                    sumDyXmu[c + l] += ap.lane(l);
                }
            }
        }
        for (int c = cBound; c < to; c++) {
            float m = mean[c];
            double s = 0;
            double p = 0;
            for (int n = 0; n < outer; n++) {
                float g = dy[dyOff + n * channels + c];
                s += g;
                p += (double) g * (x[xOff + n * channels + c] - m);
            }
            sumDy[c] = s;
            sumDyXmu[c] = p;
        }
    }

    // ------------------------------------------------------------------ channel elementwise

    @Override
    public void channelAffine(float[] x, int xOff, float[] out, int outOff, int outer, int channels,
            int inner, int from, int to,
                              float[] mean, float[] scale, float[] shift) {
        if (alongRuns(inner)) {
            channelAffineAlongRuns(x, xOff, out, outOff, outer, channels, inner, from, to, mean, scale, shift);
        } else if (acrossChannels(channels, inner)) {
            channelAffineAcrossChannels(x, xOff, out, outOff, outer, channels, inner, from, to, mean, scale, shift);
        } else {
            tail.channelAffine(x, xOff, out, outOff, outer, channels, inner, from, to, mean, scale, shift);
        }
    }

    private static void channelAffineAlongRuns(float[] x, int xOff, float[] out, int outOff, int outer,
            int channels, int inner, int from, int to,
                              float[] mean, float[] scale, float[] shift) {
        int bound = species.loopBound(inner);
        for (int n = 0; n < outer; n++) {
            for (int c = from; c < to; c++) {
                int k = (n * channels + c) * inner;
                float m = mean[c];
                float s = scale[c];
                float t = shift[c];
                FloatVector vm = FloatVector.broadcast(species, m);
                FloatVector vs = FloatVector.broadcast(species, s);
                FloatVector vt = FloatVector.broadcast(species, t);
                int i = 0;
                for (; i < bound; i += lanes) {
                    FloatVector.fromArray(species, x, xOff + k + i).sub(vm).mul(vs).add(vt)
                            .intoArray(out, outOff + k + i);
                }
                for (; i < inner; i++) {
                    out[outOff + k + i] = (x[xOff + k + i] - m) * s + t;
                }
            }
        }
    }

    private static void channelAffineAcrossChannels(float[] x, int xOff, float[] out, int outOff, int outer,
            int channels, int inner, int from, int to,
                              float[] mean, float[] scale, float[] shift) {
        // Rows of single floats: the per-channel constants are vectors loaded beside the row.
        int cBound = from + species.loopBound(to - from);
        for (int n = 0; n < outer; n++) {
            int k = n * channels;
            int c = from;
            for (; c < cBound; c += lanes) {
                FloatVector.fromArray(species, x, xOff + k + c).sub(FloatVector.fromArray(species, mean, c))
                        .mul(FloatVector.fromArray(species, scale, c))
                        .add(FloatVector.fromArray(species, shift, c))
                        .intoArray(out, outOff + k + c);
            }
            for (; c < to; c++) {
                out[outOff + k + c] = (x[xOff + k + c] - mean[c]) * scale[c] + shift[c];
            }
        }
    }

    @Override
    public void channelAffineBackward(float[] dy, int dyOff, float[] x, int xOff, float[] out, int outOff,
                                      int outer, int channels, int inner, int from, int to,
                                      float[] mean, float[] meanDy, float[] proj, float[] scale) {
        if (alongRuns(inner)) {
            channelAffineBackwardAlongRuns(dy, dyOff, x, xOff, out, outOff, outer, channels, inner, from, to,
                    mean, meanDy, proj, scale);
        } else if (acrossChannels(channels, inner)) {
            channelAffineBackwardAcrossChannels(dy, dyOff, x, xOff, out, outOff, outer, channels, inner,
                    from, to, mean, meanDy, proj, scale);
        } else {
            tail.channelAffineBackward(dy, dyOff, x, xOff, out, outOff, outer, channels, inner, from, to,
                    mean, meanDy, proj, scale);
        }
    }

    private static void channelAffineBackwardAlongRuns(float[] dy, int dyOff, float[] x, int xOff,
            float[] out, int outOff,
                                      int outer, int channels, int inner, int from, int to,
                                      float[] mean, float[] meanDy, float[] proj, float[] scale) {
        int bound = species.loopBound(inner);
        for (int n = 0; n < outer; n++) {
            for (int c = from; c < to; c++) {
                int k = (n * channels + c) * inner;
                float m = mean[c];
                float md = meanDy[c];
                float p = proj[c];
                float s = scale[c];
                FloatVector vm = FloatVector.broadcast(species, m);
                FloatVector vmd = FloatVector.broadcast(species, md);
                FloatVector vp = FloatVector.broadcast(species, p);
                FloatVector vs = FloatVector.broadcast(species, s);
                int i = 0;
                for (; i < bound; i += lanes) {
                    FloatVector g = FloatVector.fromArray(species, dy, dyOff + k + i).sub(vmd);
                    FloatVector d = FloatVector.fromArray(species, x, xOff + k + i).sub(vm).mul(vp);
                    g.sub(d).mul(vs).intoArray(out, outOff + k + i);
                }
                for (; i < inner; i++) {
                    out[outOff + k + i] = ((dy[dyOff + k + i] - md) - (x[xOff + k + i] - m) * p) * s;
                }
            }
        }
    }

    private static void channelAffineBackwardAcrossChannels(float[] dy, int dyOff, float[] x, int xOff,
            float[] out, int outOff,
                                      int outer, int channels, int inner, int from, int to,
                                      float[] mean, float[] meanDy, float[] proj, float[] scale) {
        int cBound = from + species.loopBound(to - from);
        for (int n = 0; n < outer; n++) {
            int k = n * channels;
            int c = from;
            for (; c < cBound; c += lanes) {
                FloatVector g = FloatVector.fromArray(species, dy, dyOff + k + c)
                        .sub(FloatVector.fromArray(species, meanDy, c));
                FloatVector d = FloatVector.fromArray(species, x, xOff + k + c)
                        .sub(FloatVector.fromArray(species, mean, c))
                        .mul(FloatVector.fromArray(species, proj, c));
                g.sub(d).mul(FloatVector.fromArray(species, scale, c)).intoArray(out, outOff + k + c);
            }
            for (; c < to; c++) {
                out[outOff + k + c] = ((dy[dyOff + k + c] - meanDy[c]) - (x[xOff + k + c] - mean[c]) * proj[c])
                        * scale[c];
            }
        }
    }

    // ------------------------------------------------------------------ rows (layer norm)

    @Override
    public void rowAffine(float[] x, int xOff, float[] out, int outOff, int rows, int d,
                          float[] mean, float[] rstd, float[] w, int wOff, float[] b, int bOff) {
        int bound = species.loopBound(d);
        for (int r = 0; r < rows; r++) {
            int xr = xOff + r * d;
            int or = outOff + r * d;
            float m = mean[r];
            float rs = rstd[r];
            FloatVector vm = FloatVector.broadcast(species, m);
            FloatVector vr = FloatVector.broadcast(species, rs);
            int j = 0;
            for (; j < bound; j += lanes) {
                // The null tests are loop-invariant: C2 unswitches them out of the loop.
                FloatVector v = FloatVector.fromArray(species, x, xr + j).sub(vm).mul(vr);
                if (w != null) {
                    v = v.mul(FloatVector.fromArray(species, w, wOff + j));
                }
                if (b != null) {
                    v = v.add(FloatVector.fromArray(species, b, bOff + j));
                }
                v.intoArray(out, or + j);
            }
            tail.rowAffineRun(x, xr, out, or, j, d, m, rs, w, wOff, b, bOff);
        }
    }

    @Override
    public void rowBackwardSums(float[] dy, int dyOff, float[] x, int xOff, int rows, int d, float[] mean,
                                float[] w, int wOff, double[] sumG, double[] sumGXmu) {
        float[] buf = LANES.get();
        int bound = species.loopBound(d);
        for (int r = 0; r < rows; r++) {
            int row = r * d;
            float m = mean[r];
            FloatVector vm = FloatVector.broadcast(species, m);
            double s = 0;
            double p = 0;
            int j = 0;
            while (j < bound) {
                // g = dy * w is formed in registers and feeds both sums: dy, w and x are read once.
                int end = Math.min(bound, j + BLOCK);
                FloatVector as = FloatVector.zero(species);
                FloatVector ap = FloatVector.zero(species);
                for (; j < end; j += lanes) {
                    FloatVector g = FloatVector.fromArray(species, dy, dyOff + row + j);
                    if (w != null) {
                        g = g.mul(FloatVector.fromArray(species, w, wOff + j));
                    }
                    FloatVector dx = FloatVector.fromArray(species, x, xOff + row + j).sub(vm);
                    as = as.add(g);
                    ap = ap.add(g.mul(dx));
                }
                s = addLanes(s, as, buf);
                p = addLanes(p, ap, buf);
            }
            for (; j < d; j++) {
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
        int bound = species.loopBound(d);
        for (int r = 0; r < rows; r++) {
            int row = r * d;
            float m = mean[r];
            float mg = meanG[r];
            float p = proj[r];
            float rs = rstd[r];
            FloatVector vm = FloatVector.broadcast(species, m);
            FloatVector vmg = FloatVector.broadcast(species, mg);
            FloatVector vp = FloatVector.broadcast(species, p);
            FloatVector vr = FloatVector.broadcast(species, rs);
            int j = 0;
            for (; j < bound; j += lanes) {
                // The per-row constants are broadcasts hoisted out of the loop; only w varies along the row.
                FloatVector g = FloatVector.fromArray(species, dy, dyOff + row + j);
                if (w != null) {
                    g = g.mul(FloatVector.fromArray(species, w, wOff + j));
                }
                FloatVector dx = FloatVector.fromArray(species, x, xOff + row + j).sub(vm).mul(vp);
                g.sub(vmg).sub(dx).mul(vr).intoArray(out, outOff + row + j);
            }
            tail.rowAffineBackwardRun(dy, dyOff + row, x, xOff + row, out, outOff + row, j, d, m, w, wOff, mg, p, rs);
        }
    }

    @Override
    public void rowParamGrads(float[] dy, int dyOff, float[] x, int xOff, int rows, int d, float[] mean,
                              float[] rstd, int statOff, float[] gw, float[] gb) {
        int bound = species.loopBound(d);
        for (int r = 0; r < rows; r++) {
            int row = r * d;
            float m = mean[statOff + r];
            float rs = rstd[statOff + r];
            FloatVector vm = FloatVector.broadcast(species, m);
            FloatVector vr = FloatVector.broadcast(species, rs);
            int j = 0;
            for (; j < bound; j += lanes) {
                // Column sums down the rows: each row adds one vector into the running sums in place.
                FloatVector g = FloatVector.fromArray(species, dy, dyOff + row + j);
                if (gw != null) {
                    FloatVector xh = FloatVector.fromArray(species, x, xOff + row + j).sub(vm).mul(vr);
                    FloatVector.fromArray(species, gw, j).add(g.mul(xh)).intoArray(gw, j);
                }
                if (gb != null) {
                    FloatVector.fromArray(species, gb, j).add(g).intoArray(gb, j);
                }
            }
            tail.rowParamGradsRun(dy, dyOff + row, x, xOff + row, j, d, m, rs, gw, gb);
        }
    }

    @Override
    public String describe() {
        return "normalization, Vector API, " + species.vectorBitSize() + " bits, " + lanes + " float lanes";
    }
}
