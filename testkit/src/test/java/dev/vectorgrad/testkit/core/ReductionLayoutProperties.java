package dev.vectorgrad.testkit.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import dev.vectorgrad.core.Tensor;
import dev.vectorgrad.testkit.ShapeArbitraries;
import dev.vectorgrad.testkit.TensorAssertions;
import dev.vectorgrad.testkit.Tensors;
import dev.vectorgrad.testkit.Values;
import dev.vectorgrad.testkit.View;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * core's reductions on every layout the kit makes and along every dim, against double-precision
 * loops here; with ties, so max/min/argmax/argmin must pick the first of equal elements. In the
 * kit's module for the reason given in {@link ElementwiseLayoutProperties}.
 */
class ReductionLayoutProperties {

    private static final Values VALUES = Values.standard().withTies();

    /** Reference reduction along {@code dim}, over the row-major elements of any layout. */
    private static double[] reference(Tensor x, int dim, String kind) {
        int[] shape = x.shape();
        float[] v = x.toArray();
        int inner = 1;
        for (int d = dim + 1; d < shape.length; d++) {
            inner *= shape[d];
        }
        int outer = v.length / Math.max(1, shape[dim] * inner);
        double[] out = new double[outer * inner];
        for (int o = 0; o < outer; o++) {
            for (int in = 0; in < inner; in++) {
                double acc = kind.equals("sum") ? 0 : Double.NaN;
                int arg = -1;
                for (int i = 0; i < shape[dim]; i++) {
                    float e = v[(o * shape[dim] + i) * inner + in];
                    switch (kind) {
                        case "sum" -> acc += e;
                        case "max", "argmax" -> {
                            if (arg < 0 || e > acc) {
                                acc = e;
                                arg = i;
                            }
                        }
                        case "min", "argmin" -> {
                            if (arg < 0 || e < acc) {
                                acc = e;
                                arg = i;
                            }
                        }
                        default -> throw new IllegalStateException(kind);
                    }
                }
                out[o * inner + in] = kind.startsWith("arg") ? arg : kind.equals("mean") ? acc / shape[dim] : acc;
            }
        }
        return out;
    }

    private static double magnitude(Tensor x) {
        double m = 0;
        for (float v : x.toArray()) {
            m += Math.abs(v);
        }
        return m;
    }

    private static double[] toDouble(Tensor t) {
        float[] f = t.toArray();
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    @Provide
    Arbitrary<View> views() {
        return Tensors.laidOut(VALUES, ShapeArbitraries.shapes(1, 3, 1, 37).filter(s -> Arrays.stream(s).reduce(1, (p, q) -> p * q) <= 500));
    }

    @Property(tries = 80)
    void reductionsAlongEachDimOnEveryLayout(@ForAll("views") View view) {
        Tensor x = view.tensor();
        int rank = x.dim();
        // A float32 running sum of n terms errs by up to about n * 2^-24 * sum|x|; expanded views
        // repeat one value, so their rounding errors add up instead of cancelling.
        double tol = 1e-6 + x.numel() * 0x1p-24 * magnitude(x);
        for (int dim = -rank; dim < rank; dim++) {
            int d = dim < 0 ? dim + rank : dim;
            String what = view + " dim " + dim;
            int[] dropped = new int[rank - 1];
            for (int i = 0, j = 0; i < rank; i++) {
                if (i != d) {
                    dropped[j++] = x.size(i);
                }
            }
            int[] keep = x.shape();
            keep[d] = 1;
            double[] sums = reference(x, d, "sum");
            assertArrayEquals(dropped, x.sum(dim).shape(), what);
            assertArrayEquals(keep, x.sum(dim, true).shape(), "keepdim " + what);
            assertArrayEquals(sums, toDouble(x.sum(dim)), tol, "sum " + what);
            double[] means = new double[sums.length];
            for (int i = 0; i < sums.length; i++) {
                means[i] = sums[i] / x.size(d);
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
        assertEquals(all[0], x.sum().item(), tol, "sum() " + view);
        assertEquals(all[0] / x.numel(), x.mean().item(), tol, "mean() " + view);
        assertEquals(reference(flat, 0, "max")[0], x.max().item(), 0, "max() " + view);
        assertEquals(reference(flat, 0, "min")[0], x.min().item(), 0, "min() " + view);
        assertEquals(reference(flat, 0, "argmax")[0], x.argmax().item(), 0, "argmax() " + view);
        assertEquals(reference(flat, 0, "argmin")[0], x.argmin().item(), 0, "argmin() " + view);
    }

    /**
     * sumInto/meanInto give the allocating reductions' exact bits on every layout, along every dim,
     * into both reduced shapes, and over a stale target (every element is written).
     */
    @Property(tries = 80)
    void reductionsIntoATargetGiveTheSameBits(@ForAll("views") View view) {
        Tensor x = view.tensor();
        int rank = x.dim();
        for (int dim = -rank; dim < rank; dim++) {
            String what = view + " dim " + dim;
            for (boolean keepdim : new boolean[] {false, true}) {
                Tensor expected = x.sum(dim, keepdim);
                Tensor out = Tensor.full(Float.NaN, expected.shape());
                assertSame(out, x.sumInto(dim, out));
                TensorAssertions.assertSameBits(out, expected);
                out.fillInPlace(Float.NaN);
                x.meanInto(dim, out);
                // mean runs through meanInto: the oracle is the sums times 1/n
                TensorAssertions.assertSameBits(out, expected.mulInPlace(1f / x.size(dim)));
            }
        }
        Tensor out = Tensor.scalar(Float.NaN);
        TensorAssertions.assertSameBits(x.sumInto(out), x.sum());
        TensorAssertions.assertSameBits(x.meanInto(out), Tensor.scalar(x.sum().item() / x.numel()));
    }

    @Provide
    Arbitrary<View> matrices() {
        return Tensors.laidOut(VALUES, ShapeArbitraries.shapes(2, 2, 1, 40).filter(s -> s[0] <= 8));
    }

    @Property(tries = 150)
    void argmaxPicksTheFirstMaximum(@ForAll("matrices") View view) {
        Tensor x = view.tensor();
        int r = x.size(0);
        int c = x.size(1);
        Tensor idx = x.argmax(1, false);
        Tensor max = x.max(1, false);
        for (int i = 0; i < r; i++) {
            int j = (int) idx.get(i);
            assertEquals(max.get(i), x.get(i, j), "argmax points at the max");
            for (int q = 0; q < j; q++) {
                assertTrue(x.get(i, q) < max.get(i), "no earlier element equals the max");
            }
        }
        int flat = (int) x.argmax().item();
        assertEquals(x.max().item(), x.get(flat / c, flat % c));
        int flatMin = (int) x.argmin().item();
        assertEquals(x.min().item(), x.get(flatMin / c, flatMin % c));
    }
}
