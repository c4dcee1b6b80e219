package dev.vectorgrad.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * matmul through Tensor (2-d, 1-d, batched, strided operands) against a double-precision
 * triple loop over get(...). The kernels themselves are tested elsewhere.
 */
class TensorMatmulTest {

    /** C[i][j] = sum_p A[i][p] B[p][j] in double, and the bound sum_p |A[i][p] B[p][j]| per element. */
    private static double[][][] reference(Tensor a, Tensor b) {
        int m = a.size(0);
        int k = a.size(1);
        int n = b.size(1);
        double[][][] out = new double[2][m][n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                for (int p = 0; p < k; p++) {
                    double prod = (double) a.get(i, p) * b.get(p, j);
                    out[0][i][j] += prod;
                    out[1][i][j] += Math.abs(prod);
                }
            }
        }
        return out;
    }

    private static void assertProduct(Tensor a, Tensor b, Tensor c, String what) {
        double[][][] ref = reference(a, b);
        assertArrayEquals(new int[] {a.size(0), b.size(1)}, c.shape(), what);
        for (int i = 0; i < a.size(0); i++) {
            for (int j = 0; j < b.size(1); j++) {
                double tol = 1e-6 * (a.size(1) + 1) * ref[1][i][j] + 1e-30;
                assertEquals(ref[0][i][j], c.get(i, j), tol, what + " at " + i + "," + j);
            }
        }
    }

    @Test
    void twoDimOnContiguousTransposedAndSlicedOperands() {
        Rng rng = new Rng(21);
        int[][] sizes = {{1, 1, 1}, {3, 4, 5}, {1, 50, 10}, {64, 33, 17}, {7, 0, 5}, {0, 3, 4}, {5, 3, 0}, {2, 784, 9}};
        for (int[] s : sizes) {
            int m = s[0];
            int k = s[1];
            int n = s[2];
            Tensor[] as = {
                Tensor.randn(rng, m, k), Tensor.randn(rng, k, m).t(),
                Tensor.randn(rng, 2 * m + 1, k + 2).slice(0, 1, 1 + 2 * m, 2).slice(1, 1, k + 1),
            };
            Tensor[] bs = {
                Tensor.randn(rng, k, n), Tensor.randn(rng, n, k).t(),
                Tensor.randn(rng, k, 2 * n + 1).slice(1, 0, 2 * n, 2),
            };
            String[] names = {"contiguous", "transposed", "strided slice"};
            for (int i = 0; i < as.length; i++) {
                for (int j = 0; j < bs.length; j++) {
                    Tensor c = as[i].matmul(bs[j]);
                    assertTrue(c.isContiguous());
                    assertProduct(as[i], bs[j], c, names[i] + " @ " + names[j] + " " + java.util.Arrays.toString(s));
                }
            }
        }
    }

    @Test
    void expandedOperandsAreReadWithStrideZero() {
        Rng rng = new Rng(25);
        Tensor a = Tensor.randn(rng, 1, 6).expand(4, 6);
        Tensor b = Tensor.randn(rng, 6, 1).expand(6, 5);
        assertProduct(a, b, a.matmul(b), "expanded @ expanded");
        Tensor batchA = Tensor.randn(rng, 3, 6).unsqueeze(0).expand(2, 3, 6);
        Tensor c = batchA.matmul(b);
        for (int i = 0; i < 2; i++) {
            assertProduct(batchA.select(0, i), b, c.select(0, i), "expanded batch " + i);
        }
    }

    @Test
    void oneDimOperandsLoseTheirDim() {
        Rng rng = new Rng(22);
        Tensor v = Tensor.randn(rng, 6);
        Tensor m = Tensor.randn(rng, 6, 4);
        Tensor mv = v.matmul(m);
        assertArrayEquals(new int[] {4}, mv.shape());
        assertProduct(v.unsqueeze(0), m, mv.unsqueeze(0), "vector @ matrix");
        Tensor w = Tensor.randn(rng, 4);
        Tensor mw = m.matmul(w);
        assertArrayEquals(new int[] {6}, mw.shape());
        assertProduct(m, w.unsqueeze(1), mw.unsqueeze(1), "matrix @ vector");
        Tensor dot = v.matmul(Tensor.ones(6));
        assertEquals(0, dot.dim(), "vector @ vector is 0-d");
        double sum = 0;
        for (int i = 0; i < 6; i++) {
            sum += v.get(i);
        }
        assertEquals(sum, dot.item(), 1e-5);
        Tensor batch = Tensor.randn(rng, 3, 6, 4);
        Tensor vb = v.matmul(batch);
        assertArrayEquals(new int[] {3, 4}, vb.shape());
        for (int i = 0; i < 3; i++) {
            assertProduct(v.unsqueeze(0), batch.select(0, i), vb.select(0, i).unsqueeze(0), "vector @ batch " + i);
        }
        Tensor bw = batch.matmul(w);
        assertArrayEquals(new int[] {3, 6}, bw.shape());
        for (int i = 0; i < 3; i++) {
            assertProduct(batch.select(0, i), w.unsqueeze(1), bw.select(0, i).unsqueeze(1), "batch @ vector " + i);
        }
    }

    @Test
    void batchedProductsBroadcastTheBatch() {
        Rng rng = new Rng(23);
        Tensor a3 = Tensor.randn(rng, 4, 5, 3);
        Tensor b3 = Tensor.randn(rng, 4, 3, 7);
        Tensor a2 = Tensor.randn(rng, 5, 3);
        Tensor b2 = Tensor.randn(rng, 3, 7);
        Tensor a1 = Tensor.randn(rng, 1, 5, 3);
        Tensor aPermuted = Tensor.randn(rng, 3, 4, 5).permute(1, 2, 0); // [4, 5, 3], strided
        Tensor bTransposed = Tensor.randn(rng, 4, 7, 3).transpose(1, 2); // [4, 3, 7]
        Tensor[][] pairs = {{a3, b3}, {a3, b2}, {a2, b3}, {a1, b3}, {aPermuted, bTransposed}, {a3, b3.slice(0, 1, 2)}};
        for (Tensor[] p : pairs) {
            Tensor c = p[0].matmul(p[1]);
            String what = p[0].describe() + " @ " + p[1].describe();
            assertArrayEquals(new int[] {4, 5, 7}, c.shape(), what);
            for (int i = 0; i < 4; i++) {
                Tensor ai = p[0].dim() == 3 ? p[0].select(0, p[0].size(0) == 1 ? 0 : i) : p[0];
                Tensor bi = p[1].dim() == 3 ? p[1].select(0, p[1].size(0) == 1 ? 0 : i) : p[1];
                assertProduct(ai, bi, c.select(0, i), what + " batch " + i);
            }
        }
    }

    @Test
    void matmulInPlaceOverwritesOrAccumulates() {
        Rng rng = new Rng(24);
        Tensor a = Tensor.randn(rng, 5, 8);
        Tensor b = Tensor.randn(rng, 8, 3);
        Tensor out = Tensor.full(Float.NaN, 5, 3);
        int v0 = out.version();
        assertTrue(out == out.matmulInPlace(a, b, false));
        assertEquals(v0 + 1, out.version());
        assertProduct(a, b, out, "overwrite ignores old values, even NaN");
        Tensor start = Tensor.randn(rng, 5, 3);
        Tensor acc = start.copy();
        acc.matmulInPlace(a, b, true);
        assertTrue(acc.sub(start).allClose(a.matmul(b), 1e-5, 1e-5), "accumulate adds the product");
        // A transposed destination (column stride != 1) and a strided one (row stride > n).
        Tensor tOut = Tensor.zeros(3, 5).t();
        tOut.matmulInPlace(a, b, false);
        assertProduct(a, b, tOut, "into a transposed view");
        Tensor wide = Tensor.ones(5, 10);
        Tensor part = wide.slice(1, 2, 5);
        part.matmulInPlace(a.t().t(), b, true);
        for (int i = 0; i < 5; i++) {
            for (int j = 0; j < 3; j++) {
                assertEquals(1 + a.matmul(b).get(i, j), wide.get(i, j + 2), 1e-5);
            }
            assertEquals(1f, wide.get(i, 0));
            assertEquals(1f, wide.get(i, 9), "columns outside the view untouched");
        }
        Tensor tAcc = Tensor.ones(3, 5).t();
        tAcc.matmulInPlace(a, b, true);
        assertTrue(tAcc.sub(1f).allClose(a.matmul(b), 1e-5, 1e-5), "accumulate into a transposed view");
        Tensor empty = Tensor.full(4f, 5, 3);
        empty.matmulInPlace(Tensor.zeros(5, 0), Tensor.zeros(0, 3), false);
        assertArrayEquals(new float[15], empty.toArray(), "k = 0 gives zeros");
    }
}
