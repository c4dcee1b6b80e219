package dev.vectorgrad.testkit.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import dev.vectorgrad.core.LogSoftmax;
import dev.vectorgrad.core.Tensor;
import dev.vectorgrad.testkit.ShapeArbitraries;
import dev.vectorgrad.testkit.Tensors;
import dev.vectorgrad.testkit.Values;
import dev.vectorgrad.testkit.View;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * core's {@link LogSoftmax} on every layout the kit makes (offset, transposed, stepped, expanded,
 * contiguous; rank 0 to 3, sizes from 0) and along every dim: the forward, the backward (with
 * the view as the input and as the upstream gradient) and the log-sum-exp give the bits of the
 * same call on a contiguous copy, and agree with the definition in double. In the kit's module for the reason
 * given in {@link ElementwiseLayoutProperties}.
 */
class LogSoftmaxLayoutProperties {

    private static final Values VALUES = Values.standard().withTies();

    @Provide
    Arbitrary<View> views() {
        return Tensors.laidOut(VALUES, ShapeArbitraries.shapes(0, 3, 0, 37)
                .filter(s -> Arrays.stream(s).reduce(1, (p, q) -> p * q) <= 500));
    }

    /** The row-major element index of slice (o, j)'s k-th element along dim d. */
    private static int index(int[] shape, int d, int o, int k, int j) {
        int n = shape.length == 0 ? 1 : shape[d];
        int inner = 1;
        for (int i = d + 1; i < shape.length; i++) {
            inner *= shape[i];
        }
        return (o * n + k) * inner + j;
    }

    @Property(tries = 120)
    void forwardAndBackwardAlongEachDimOnEveryLayout(@ForAll("views") View view) {
        Tensor x = view.tensor();
        int[] shape = x.shape();
        int rank = Math.max(1, shape.length);
        for (int dim = -rank; dim < rank; dim++) {
            int d = dim < 0 ? dim + rank : dim;
            String what = view + " dim " + dim;
            Tensor out = LogSoftmax.forward(x, dim);
            assertArrayEquals(shape, out.shape(), what);
            assertArrayEquals(LogSoftmax.forward(x.contiguous(), dim).toArray(), out.toArray(), "bits of a contiguous copy, " + what);

            // The view itself as the upstream gradient: strided, expanded or offset like the input.
            Tensor gx = LogSoftmax.backward(x, out, dim, Tensor.zeros(shape), false);
            assertArrayEquals(LogSoftmax.backward(x.contiguous(), out, dim, Tensor.zeros(shape), false).toArray(),
                    gx.toArray(), "backward bits of a contiguous gradient, " + what);
            Tensor acc = Tensor.ones(shape);
            LogSoftmax.backward(x, out, dim, acc, true);
            assertArrayEquals(gx.add(1f).toArray(), acc.toArray(), "accumulated, " + what);

            checkAgainstDouble(x.toArray(), shape, d, out.toArray(), gx.toArray(), what);
        }
    }

    @Property(tries = 120)
    void logSumExpAlongEachDimOnEveryLayout(@ForAll("views") View view) {
        Tensor x = view.tensor();
        int[] shape = x.shape();
        int rank = Math.max(1, shape.length);
        float[] xs = x.toArray();
        for (int dim = -rank; dim < rank; dim++) {
            int d = dim < 0 ? dim + rank : dim;
            String what = view + " dim " + dim;
            Tensor lse = LogSoftmax.logSumExp(x, dim, true);
            assertArrayEquals(LogSoftmax.logSumExp(x.contiguous(), dim, true).toArray(), lse.toArray(),
                    "bits of a contiguous copy, " + what);
            assertArrayEquals(lse.toArray(), LogSoftmax.logSumExp(x, dim, false).toArray(), "keepdim or not, " + what);
            int n = shape.length == 0 ? 1 : shape[d];
            int inner = 1;
            for (int i = d + 1; i < shape.length; i++) {
                inner *= shape[i];
            }
            float[] got = lse.toArray();
            for (int s = 0; s < got.length; s++) {
                int o = s / inner;
                int j = s % inner;
                double max = Double.NEGATIVE_INFINITY;
                for (int k = 0; k < n; k++) {
                    max = Math.max(max, xs[index(shape, d, o, k, j)]);
                }
                if (Double.isInfinite(max)) {
                    assertTrue(got[s] == max, what + " slice " + s + ": " + got[s] + " for an infinite max " + max);
                    continue;
                }
                double sum = 0;
                for (int k = 0; k < n; k++) {
                    sum += Math.exp(xs[index(shape, d, o, k, j)] - max);
                }
                double e = max + Math.log(sum);
                double tol = 4 * 0x1p-24 * (Math.abs(max) + Math.log(sum) + 1);
                assertTrue(Math.abs(e - got[s]) <= tol, what + " slice " + s + ": expected " + e + ", got " + got[s]);
            }
        }
    }

    private static void checkAgainstDouble(float[] x, int[] shape, int d, float[] out, float[] gx, String what) {
        int n = shape.length == 0 ? 1 : shape[d];
        if (x.length == 0) {
            return;
        }
        int inner = 1;
        for (int i = d + 1; i < shape.length; i++) {
            inner *= shape[i];
        }
        int outer = x.length / (n * inner);
        for (int o = 0; o < outer; o++) {
            for (int j = 0; j < inner; j++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int k = 0; k < n; k++) {
                    max = Math.max(max, x[index(shape, d, o, k, j)]);
                }
                double sum = 0;
                double g = 0;
                double gAbs = 0;
                for (int k = 0; k < n; k++) {
                    float v = x[index(shape, d, o, k, j)];
                    sum += Math.exp(v - max);
                    g += v;
                    gAbs += Math.abs(v);
                }
                double logSum = Math.log(sum);
                for (int k = 0; k < n; k++) {
                    int i = index(shape, d, o, k, j);
                    double e = (x[i] - max) - logSum;
                    double tol = 4 * 0x1p-24 * (Math.abs(x[i] - max) + logSum + 1);
                    assertTrue(Math.abs(e - out[i]) <= tol, what + " at " + i + ": expected " + e + ", got " + out[i]);
                    // The gradient from the float output, as the kernel has it: g - exp(out) * sum(g).
                    double p = Math.exp(out[i]);
                    double ge = x[i] - p * g;
                    double gTol = 4 * 0x1p-24 * (Math.abs(x[i]) + p * gAbs) + 1e-30;
                    assertTrue(Math.abs(ge - gx[i]) <= gTol, what + " gradient at " + i + ": expected " + ge + ", got " + gx[i]);
                }
            }
        }
    }
}
