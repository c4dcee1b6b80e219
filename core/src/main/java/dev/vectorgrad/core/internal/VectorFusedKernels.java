package dev.vectorgrad.core.internal;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The fused kernels on the Vector API. Every loop runs whole vectors up to
 * {@code species.loopBound(n)} and hands the rest to {@link ScalarFusedKernels}: no masked
 * loads (slow without AVX-512). As in {@link VectorKernels}, no vector crosses a method call
 * (a helper that C2 compiles on its own boxes every vector it is passed) and broadcasts sit
 * inside the loops, so a run shorter than a vector creates no vector at all.
 */
final class VectorFusedKernels implements FusedKernels {

    // A static final species is a JIT constant, which the intrinsics need (see VectorKernels).
    private static final VectorSpecies<Float> species = VectorMatmul.S;
    private static final int lanes = species.length();
    /**
     * Floats summed in float vectors before the partial sum moves to double: each of the four
     * accumulators' lanes adds at most {@code BLOCK / (4 * lanes)} terms in float, so the
     * squared error's relative rounding stays near that many float ulps whatever n is.
     */
    static final int BLOCK = 64 * lanes;

    /** A vector's lanes stored for summing in lane order (reduceLanes(ADD)'s order is unspecified). */
    private static final ThreadLocal<float[]> LANES = ThreadLocal.withInitial(() -> new float[lanes]);


    private final boolean fastFma;

    VectorFusedKernels(VectorSpecies<Float> species, boolean fastFma) {
        if (!species.equals(VectorFusedKernels.species)) {
            throw new IllegalArgumentException("VectorFusedKernels: the species is fixed at start-up to "
                    + VectorFusedKernels.species + " (vectorgrad.vectorBitSize), got " + species);
        }
        this.fastFma = fastFma;
    }

    // Trick: the epilogue of a matmul, one pass over each row of the product while it is still
    // in cache, the bias row re-read from L1 for every row; bias + max(0) in one load/store.
    @Override
    public void biasRelu(float[] out, int outOff, int outRowStride, int rows, int cols,
                         float[] bias, int biasOff, boolean relu) {
        if (bias == null && !relu) {
            return;
        }
        int bound = species.loopBound(cols);
        for (int r = 0; r < rows; r++) {
            int row = outOff + r * outRowStride;
            int j = 0;
            for (; j < bound; j += lanes) {
                FloatVector v = FloatVector.fromArray(species, out, row + j);
                if (bias != null) {
                    v = v.add(FloatVector.fromArray(species, bias, biasOff + j));
                }
                if (relu) {
                    v = v.lanewise(VectorOperators.MAX, 0f);
                }
                v.intoArray(out, row + j);
            }
            ScalarFusedKernels.biasReluRow(out, row + j, cols - j, bias, biasOff + j, relu);
        }
    }

    // Trick: a compare and a blend (select) per vector, no multiply by a 0/1 mask, so the result
    // equals the scalar select bit for bit, NaN and infinite gradients included.
    @Override
    public void reluBackward(float[] gradOut, int gradOutOff, float[] output, int outputOff,
                             float[] gradIn, int gradInOff, int n, boolean accumulate) {
        int i = 0;
        int bound = species.loopBound(n);
        for (; i < bound; i += lanes) {
            FloatVector g = FloatVector.fromArray(species, gradOut, gradOutOff + i);
            VectorMask<Float> on = FloatVector.fromArray(species, output, outputOff + i)
                    .compare(VectorOperators.GT, 0f);
            FloatVector r = FloatVector.zero(species).blend(g, on);
            if (accumulate) {
                r = FloatVector.fromArray(species, gradIn, gradInOff + i).add(r);
            }
            r.intoArray(gradIn, gradInOff + i);
        }
        ScalarFusedKernels.INSTANCE.reluBackward(gradOut, gradOutOff + i, output, outputOff + i,
                gradIn, gradInOff + i, n - i, accumulate);
    }

    // Trick: register blocking across columns: four vectors of column sums stay in registers
    // while the rows stream past, so each element is loaded once and each column is still
    // summed in row order from 0 (the scalar twin's bits exactly).
    @Override
    public void columnSums(float[] src, int srcOff, int srcRowStride, int rows, int cols,
                           float[] dst, int dstOff, boolean accumulate) {
        int j = 0;
        int bound4 = cols - cols % (4 * lanes);
        for (; j < bound4; j += 4 * lanes) {
            FloatVector s0 = FloatVector.zero(species);
            FloatVector s1 = s0;
            FloatVector s2 = s0;
            FloatVector s3 = s0;
            for (int i = 0; i < rows; i++) {
                int at = srcOff + i * srcRowStride + j;
                s0 = s0.add(FloatVector.fromArray(species, src, at));
                s1 = s1.add(FloatVector.fromArray(species, src, at + lanes));
                s2 = s2.add(FloatVector.fromArray(species, src, at + 2 * lanes));
                s3 = s3.add(FloatVector.fromArray(species, src, at + 3 * lanes));
            }
            if (accumulate) {
                s0 = FloatVector.fromArray(species, dst, dstOff + j).add(s0);
                s1 = FloatVector.fromArray(species, dst, dstOff + j + lanes).add(s1);
                s2 = FloatVector.fromArray(species, dst, dstOff + j + 2 * lanes).add(s2);
                s3 = FloatVector.fromArray(species, dst, dstOff + j + 3 * lanes).add(s3);
            }
            s0.intoArray(dst, dstOff + j);
            s1.intoArray(dst, dstOff + j + lanes);
            s2.intoArray(dst, dstOff + j + 2 * lanes);
            s3.intoArray(dst, dstOff + j + 3 * lanes);
        }
        int bound = species.loopBound(cols);
        for (; j < bound; j += lanes) {
            FloatVector s = FloatVector.zero(species);
            for (int i = 0; i < rows; i++) {
                s = s.add(FloatVector.fromArray(species, src, srcOff + i * srcRowStride + j));
            }
            if (accumulate) {
                s = FloatVector.fromArray(species, dst, dstOff + j).add(s);
            }
            s.intoArray(dst, dstOff + j);
        }
        ScalarFusedKernels.INSTANCE.columnSums(src, srcOff + j, srcRowStride, rows, cols - j,
                dst, dstOff + j, accumulate);
    }

    // Trick: four independent accumulators per row hide the add latency; the lanes are then
    // summed in lane order, so the bits do not depend on whether C2 has compiled the method.
    @Override
    public void rowSums(float[] src, int srcOff, int srcRowStride, int rows, int cols,
                        float[] dst, int dstOff, boolean accumulate) {
        float[] buf = cols >= lanes ? LANES.get() : null;
        int bound4 = cols - cols % (4 * lanes);
        int bound = species.loopBound(cols);
        for (int r = 0; r < rows; r++) {
            int row = srcOff + r * srcRowStride;
            float s = 0f;
            int j = 0;
            if (bound > 0) {
                FloatVector a0 = FloatVector.zero(species);
                FloatVector a1 = a0;
                FloatVector a2 = a0;
                FloatVector a3 = a0;
                for (; j < bound4; j += 4 * lanes) {
                    a0 = a0.add(FloatVector.fromArray(species, src, row + j));
                    a1 = a1.add(FloatVector.fromArray(species, src, row + j + lanes));
                    a2 = a2.add(FloatVector.fromArray(species, src, row + j + 2 * lanes));
                    a3 = a3.add(FloatVector.fromArray(species, src, row + j + 3 * lanes));
                }
                for (; j < bound; j += lanes) {
                    a0 = a0.add(FloatVector.fromArray(species, src, row + j));
                }
                a0.add(a1).add(a2.add(a3)).intoArray(buf, 0);
                for (int l = 0; l < lanes; l++) {
                    s += buf[l];
                }
            }
            s += ScalarFusedKernels.sum(src, row + j, cols - j);
            dst[dstOff + r] = accumulate ? dst[dstOff + r] + s : s;
        }
    }

    // The scalar twin's row, on purpose: a row is one sample's logits (a class count, short), and
    // lanewise(EXP) is compiled to SVML by C2 but runs another rounding in the interpreter and C1,
    // so a vector row gave other bits before and after the JIT reached it and a run's weights
    // depended on compile timing. Math.exp has the same bits in the interpreter, C1 and C2.
    @Override
    public double softmaxCrossEntropyRow(float[] logits, int off, int c, int target,
                                         float[] grad, int gradOff, float scale, boolean accumulate) {
        return ScalarFusedKernels.INSTANCE.softmaxCrossEntropyRow(logits, off, c, target, grad, gradOff, scale, accumulate);
    }

    // Label smoothing: the scalar twin's row too, for the same reason.
    @Override
    public double softmaxCrossEntropyRow(float[] logits, int off, int c, int target, float eps,
                                         float[] grad, int gradOff, float scale, boolean accumulate) {
        return ScalarFusedKernels.INSTANCE.softmaxCrossEntropyRow(logits, off, c, target, eps, grad, gradOff, scale,
                accumulate);
    }

    // Trick: one pass computes the difference once for both the loss and the gradient; squares
    // go into four float accumulators (FMA) that move to a double every BLOCK floats, so the
    // sum is nearly as accurate as the scalar twin's double loop at float-vector speed.
    @Override
    public double squaredError(float[] input, int inputOff, float[] target, int targetOff, int n,
                               float[] grad, int gradOff, float scale, boolean accumulate) {
        double total = 0;
        int i = 0;
        int bound4 = n - n % (4 * lanes);
        if (bound4 > 0) {
            float[] buf = LANES.get();
            while (i < bound4) {
                int end = Math.min(bound4, i + BLOCK);
                FloatVector a0 = FloatVector.zero(species);
                FloatVector a1 = a0;
                FloatVector a2 = a0;
                FloatVector a3 = a0;
                for (; i < end; i += 4 * lanes) {
                    FloatVector d0 = FloatVector.fromArray(species, input, inputOff + i)
                            .sub(FloatVector.fromArray(species, target, targetOff + i));
                    // Without hardware FMA, fma() is emulated per lane, far slower than mul+add.
                    a0 = fastFma ? d0.fma(d0, a0) : d0.mul(d0).add(a0);
                    if (grad != null) {
                        FloatVector g = d0.mul(scale);
                        if (accumulate) {
                            g = FloatVector.fromArray(species, grad, gradOff + i).add(g);
                        }
                        g.intoArray(grad, gradOff + i);
                    }
                    FloatVector d1 = FloatVector.fromArray(species, input, inputOff + i + lanes)
                            .sub(FloatVector.fromArray(species, target, targetOff + i + lanes));
                    a1 = fastFma ? d1.fma(d1, a1) : d1.mul(d1).add(a1);
                    if (grad != null) {
                        FloatVector g = d1.mul(scale);
                        if (accumulate) {
                            g = FloatVector.fromArray(species, grad, gradOff + i + lanes).add(g);
                        }
                        g.intoArray(grad, gradOff + i + lanes);
                    }
                    FloatVector d2 = FloatVector.fromArray(species, input, inputOff + i + 2 * lanes)
                            .sub(FloatVector.fromArray(species, target, targetOff + i + 2 * lanes));
                    a2 = fastFma ? d2.fma(d2, a2) : d2.mul(d2).add(a2);
                    if (grad != null) {
                        FloatVector g = d2.mul(scale);
                        if (accumulate) {
                            g = FloatVector.fromArray(species, grad, gradOff + i + 2 * lanes).add(g);
                        }
                        g.intoArray(grad, gradOff + i + 2 * lanes);
                    }
                    FloatVector d3 = FloatVector.fromArray(species, input, inputOff + i + 3 * lanes)
                            .sub(FloatVector.fromArray(species, target, targetOff + i + 3 * lanes));
                    a3 = fastFma ? d3.fma(d3, a3) : d3.mul(d3).add(a3);
                    if (grad != null) {
                        FloatVector g = d3.mul(scale);
                        if (accumulate) {
                            g = FloatVector.fromArray(species, grad, gradOff + i + 3 * lanes).add(g);
                        }
                        g.intoArray(grad, gradOff + i + 3 * lanes);
                    }
                }
                a0.add(a1).add(a2.add(a3)).intoArray(buf, 0);
                for (int l = 0; l < lanes; l++) {
                    total += buf[l];
                }
            }
        }
        return total + ScalarFusedKernels.INSTANCE.squaredError(input, inputOff + i, target, targetOff + i, n - i,
                grad, gradOff + i, scale, accumulate);
    }

    @Override
    public String describe() {
        return "Vector API fused kernels, " + species.vectorBitSize() + " bits";
    }
}
