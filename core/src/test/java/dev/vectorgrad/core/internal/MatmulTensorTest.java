package dev.vectorgrad.core.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.vectorgrad.core.Rng;
import dev.vectorgrad.core.Tensor;
import org.junit.jupiter.api.Test;

/**
 * {@code Tensor.matmul} with the default kernel against the scalar kernel on the shapes the
 * MNIST MLP runs: forward {@code x @ w}, and backward {@code x.t() @ g} and {@code g @ w.t()},
 * whose transposed views reach the kernel as swapped strides.
 */
class MatmulTensorTest {

    private static void assertAgreesWithScalar(Tensor a, Tensor b) {
        Tensor product = a.matmul(b);
        int m = a.size(0);
        int k = a.size(1);
        int n = b.size(1);
        assertArrayEquals(new int[] {m, n}, product.shape());
        float[] actual = product.toArray();
        // toArray() gives row-major copies: the oracle runs on plain layouts.
        float[] av = a.toArray();
        float[] bv = b.toArray();
        float[] expected = new float[m * n];
        Kernels.scalarMatmul().matmul(m, n, k, av, 0, k, 1, bv, 0, n, 1, expected, 0, n, false);
        double u = Math.ulp(1f) / 2;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double mag = 0;
                for (int p = 0; p < k; p++) {
                    mag += Math.abs((double) av[i * k + p] * bv[p * n + j]);
                }
                double diff = Math.abs(expected[i * n + j] - actual[i * n + j]);
                if (!(diff <= 4 * (k + 1) * u * mag + Float.MIN_NORMAL)) {
                    throw new AssertionError("C[" + i + "][" + j + "] of [" + m + ", " + k + "] @ [" + k + ", " + n
                            + "]: " + actual[i * n + j] + " vs scalar " + expected[i * n + j]);
                }
            }
        }
    }

    @Test
    void mnistShapesForwardAndBackward() {
        Rng rng = new Rng(5);
        int[][] shapes = {{64, 784, 50}, {64, 50, 10}, {256, 784, 256}};
        for (int[] s : shapes) {
            Tensor x = Tensor.randn(rng, s[0], s[1]);
            Tensor w = Tensor.randn(rng, s[1], s[2]);
            Tensor g = Tensor.randn(rng, s[0], s[2]);
            assertAgreesWithScalar(x, w);
            Tensor xt = x.t();
            Tensor wt = w.t();
            assertFalse(xt.isContiguous(), "x.t() must stay a view for this test to mean anything");
            assertAgreesWithScalar(xt, g);
            assertAgreesWithScalar(g, wt);
        }
    }

    @Test
    void slicedOperands() {
        Rng rng = new Rng(6);
        Tensor x = Tensor.randn(rng, 70, 800).slice(0, 3, 67).slice(1, 5, 789);
        Tensor w = Tensor.randn(rng, 790, 60).slice(0, 2, 786).slice(1, 1, 51);
        assertAgreesWithScalar(x, w);
    }
}
