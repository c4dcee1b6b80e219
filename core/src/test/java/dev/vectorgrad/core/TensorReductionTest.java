package dev.vectorgrad.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Reductions on every layout and along every dim, against double-precision loops over get(...). */
class TensorReductionTest {

    /** Reference reduction along dim of a tensor of any rank, via get(). */
    private static double[] reference(Tensor x, int dim, String kind) {
        int[] shape = x.shape();
        int[] outShape = shape.clone();
        outShape[dim] = 1;
        List<int[]> outIdx = Layouts.indices(outShape);
        double[] out = new double[outIdx.size()];
        for (int o = 0; o < out.length; o++) {
            int[] idx = outIdx.get(o).clone();
            double acc = kind.equals("sum") ? 0 : Double.NaN;
            int arg = -1;
            for (int i = 0; i < shape[dim]; i++) {
                idx[dim] = i;
                float v = x.get(idx);
                switch (kind) {
                    case "sum" -> acc += v;
                    case "max", "argmax" -> {
                        if (arg < 0 || v > acc) {
                            acc = v;
                            arg = i;
                        }
                    }
                    case "min", "argmin" -> {
                        if (arg < 0 || v < acc) {
                            acc = v;
                            arg = i;
                        }
                    }
                    default -> throw new IllegalStateException(kind);
                }
            }
            out[o] = kind.startsWith("arg") ? arg : kind.equals("mean") ? acc / shape[dim] : acc;
        }
        return out;
    }

    private static double magnitude(Tensor x) {
        double m = 0;
        for (float v : Layouts.elements(x)) {
            m += Math.abs(v);
        }
        return m;
    }

    @Test
    void reductionsAlongEachDimOnEveryLayout() {
        Rng rng = new Rng(11);
        for (int[] rc : new int[][] {{3, 5}, {6, 37}, {1, 4}}) {
            for (var l : Layouts.twoDim(rng, rc[0], rc[1]).entrySet()) {
                Tensor x = l.getValue();
                double tol = 1e-6 * (1 + magnitude(x));
                for (int dim = -2; dim < 2; dim++) {
                    int d = dim < 0 ? dim + 2 : dim;
                    String what = l.getKey() + " dim " + dim + " " + Arrays.toString(rc);
                    Tensor s = x.sum(dim);
                    assertArrayEquals(new int[] {rc[1 - d]}, s.shape(), what);
                    assertArrayEquals(reference(x, d, "sum"), toDouble(s), tol, "sum " + what);
                    Tensor sk = x.sum(dim, true);
                    int[] keep = rc.clone();
                    keep[d] = 1;
                    assertArrayEquals(keep, sk.shape(), "keepdim " + what);
                    double[] sums = reference(x, d, "sum");
                    double[] means = new double[sums.length];
                    for (int i = 0; i < sums.length; i++) {
                        means[i] = sums[i] / rc[d];
                    }
                    assertArrayEquals(means, toDouble(x.mean(dim)), tol, "mean " + what);
                    assertArrayEquals(means, toDouble(x.mean(dim, true)), tol, "mean keepdim " + what);
                    assertArrayEquals(reference(x, d, "max"), toDouble(x.max(dim, false)), 0, "max " + what);
                    assertArrayEquals(reference(x, d, "min"), toDouble(x.min(dim, true)), 0, "min " + what);
                    assertArrayEquals(reference(x, d, "argmax"), toDouble(x.argmax(dim, false)), 0, "argmax " + what);
                    assertArrayEquals(reference(x, d, "argmin"), toDouble(x.argmin(dim, true)), 0, "argmin " + what);
                }
                Tensor flat = x.contiguous().reshape(-1);
                double[] all = reference(flat, 0, "sum");
                assertEquals(0, x.sum().dim());
                assertEquals(all[0], x.sum().item(), tol, "sum() " + l.getKey());
                assertEquals(all[0] / x.numel(), x.mean().item(), tol, "mean() " + l.getKey());
                assertEquals(reference(flat, 0, "max")[0], x.max().item(), 0, "max() " + l.getKey());
                assertEquals(reference(flat, 0, "min")[0], x.min().item(), 0, "min() " + l.getKey());
                assertEquals(reference(flat, 0, "argmax")[0], x.argmax().item(), 0, "argmax() " + l.getKey());
                assertEquals(reference(flat, 0, "argmin")[0], x.argmin().item(), 0, "argmin() " + l.getKey());
            }
        }
    }

    @Test
    void reductionsOfThreeDimViewsAlongTheMiddleDim() {
        Rng rng = new Rng(12);
        Tensor x = Layouts.values(rng, 4, 3, 21).permute(2, 0, 1); // 21 x 4 x 3, strided
        for (int d = 0; d < 3; d++) {
            double tol = 1e-5 * (1 + magnitude(x));
            assertArrayEquals(reference(x, d, "sum"), toDouble(x.sum(d)), tol, "sum dim " + d);
            assertArrayEquals(reference(x, d, "max"), toDouble(x.max(d, false)), 0, "max dim " + d);
            assertArrayEquals(reference(x, d, "argmin"), toDouble(x.argmin(d, false)), 0, "argmin dim " + d);
        }
    }

    @Test
    void nanPropagatesAndArgmaxPointsAtIt() {
        Tensor x = Tensor.of(new float[] {1, Float.NaN, 3, 7, 2, 9}, 2, 3);
        assertTrue(Float.isNaN(x.max().item()));
        assertTrue(Float.isNaN(x.sum().item()));
        assertEquals(1f, x.argmax().item());
        assertEquals(1f, x.argmin().item());
        assertArrayEquals(new float[] {1, 2}, x.argmax(1, false).toArray());
        assertArrayEquals(new float[] {1, 0, 1}, x.argmax(0, false).toArray());
        assertArrayEquals(new float[] {0, 0, 0}, x.argmin(0, false).toArray());
        Tensor late = Tensor.of(new float[] {1, 2, 3, 4, Float.NaN, 0}, 2, 3);
        assertArrayEquals(new float[] {1, 1, 0}, late.argmax(0, false).toArray(), "a NaN in a later row wins");
        assertArrayEquals(new float[] {0, 1, 1}, late.argmin(0, false).toArray());
        assertTrue(Float.isNaN(x.max(1, false).get(0)));
        assertEquals(9f, x.max(1, false).get(1));
    }

    @Test
    void scalarsAndEmptyTensors() {
        Tensor s = Tensor.scalar(-2.5f);
        assertEquals(-2.5f, s.sum().item());
        assertEquals(-2.5f, s.max().item());
        assertEquals(0f, s.argmax().item());
        assertEquals(-2.5f, s.mean().item());
        for (int dim : new int[] {0, -1}) {
            // PyTorch accepts dim 0 or -1 on a 0-d tensor and returns the value itself.
            assertEquals(-2.5f, s.sum(dim).item());
            assertEquals(0, s.sum(dim, true).dim());
            assertEquals(-2.5f, s.mean(dim).item());
            assertEquals(-2.5f, s.max(dim, false).item());
            assertEquals(-2.5f, s.min(dim, true).item());
            assertEquals(0f, s.argmax(dim, false).item());
            assertEquals(0f, s.argmin(dim, true).item());
        }
        Tensor e = Tensor.zeros(0, 4);
        assertEquals(0f, e.sum().item(), "the sum of nothing is 0");
        assertTrue(Float.isNaN(e.mean().item()), "the mean of nothing is NaN, as in PyTorch");
        assertArrayEquals(new float[] {0, 0, 0, 0}, e.sum(0).toArray());
        assertArrayEquals(new int[] {0}, e.sum(1).shape());
        assertArrayEquals(new int[] {0}, e.max(1, false).shape(), "max over a non-empty dim of an empty tensor");
        assertArrayEquals(new int[] {1, 0}, Tensor.zeros(3, 0).sum(0, true).shape());
        Tensor past = Tensor.zeros(3, 4).slice(0, 3, 3).slice(1, 4, 4); // offset 16 in a storage of 12
        assertEquals(0, past.toArray().length);
        assertEquals(0f, past.sum().item());
        assertArrayEquals(new int[] {0, 0}, past.copy().shape());
    }

    private static double[] toDouble(Tensor t) {
        float[] f = t.toArray();
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }
}
