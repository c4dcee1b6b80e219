package dev.vectorgrad.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Algebraic identities that must hold for any shapes and values. */
class TensorIdentitiesProperties {

    private static void assertClose(Tensor expected, Tensor actual, double tol, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what);
        float d = Closeness.maxAbsDiff(expected, actual);
        assertTrue(d <= tol, what + ": max |difference| " + d + " > " + tol);
    }

    @Property(tries = 100)
    void transposeOfAProductIsTheProductOfTransposes(@ForAll @IntRange(min = 1, max = 12) int m,
                                                     @ForAll @IntRange(min = 0, max = 40) int k,
                                                     @ForAll @IntRange(min = 1, max = 12) int n, @ForAll long seed) {
        Rng rng = new Rng(seed);
        Tensor a = Tensor.randn(rng, m, k);
        Tensor b = Tensor.randn(rng, k, n);
        // Same products summed in the same order: equal up to the kernel's accumulation order.
        assertClose(a.matmul(b).t(), b.t().matmul(a.t()), 1e-5 * (k + 1), "(AB)^T = B^T A^T");
    }

    @Property(tries = 100)
    void matmulDistributesOverAddition(@ForAll @IntRange(min = 1, max = 10) int m,
                                       @ForAll @IntRange(min = 1, max = 30) int k,
                                       @ForAll @IntRange(min = 1, max = 10) int n, @ForAll long seed) {
        Rng rng = new Rng(seed);
        Tensor a = Tensor.randn(rng, m, k);
        Tensor b = Tensor.randn(rng, k, n);
        Tensor c = Tensor.randn(rng, k, n);
        assertClose(a.matmul(b).add(a.matmul(c)), a.matmul(b.add(c)), 1e-5 * (k + 1) * 4, "A(B+C) = AB + AC");
    }

    @Property(tries = 150)
    void sumOverOneDimThenTheOtherIsTheTotal(@ForAll @IntRange(min = 0, max = 9) int r,
                                             @ForAll @IntRange(min = 0, max = 40) int c,
                                             @ForAll boolean transposed, @ForAll long seed) {
        Rng rng = new Rng(seed);
        Tensor x = transposed ? Tensor.randn(rng, c, r).t() : Tensor.randn(rng, r, c);
        float total = x.sum().item();
        double tol = 1e-5 * (r * c + 1);
        assertEquals(total, x.sum(0).sum(0).item(), tol, "sum(0).sum(0)");
        assertEquals(total, x.sum(1).sum(0).item(), tol, "sum(1).sum(0)");
        assertEquals(total, x.sum(-1, true).sum(-2, true).item(), tol, "keepdim");
        if (r * c > 0) {
            assertEquals(total / (r * c), x.mean().item(), tol / (r * c), "mean = sum / n");
            assertClose(x.sum(0).div(r), x.mean(0), 1e-6 * (r + 1), "mean(0) = sum(0) / n");
            assertClose(x.sum(1, true).div(c), x.mean(1, true), 1e-6 * (c + 1), "mean(1) = sum(1) / n");
        }
    }

    @Property(tries = 100)
    void reshapeTransposeAndPermuteRoundTrip(@ForAll @IntRange(min = 1, max = 5) int a,
                                             @ForAll @IntRange(min = 1, max = 5) int b,
                                             @ForAll @IntRange(min = 1, max = 5) int c, @ForAll long seed) {
        Rng rng = new Rng(seed);
        Tensor x = Tensor.randn(rng, a, b, c);
        float[] values = x.toArray();
        assertArrayEquals(values, x.reshape(c, a * b).reshape(a, b, c).toArray(), "reshape round trip");
        assertArrayEquals(values, x.reshape(-1).toArray(), "flattening keeps row-major order");
        assertArrayEquals(values, x.transpose(0, 2).transpose(0, 2).toArray(), "transpose twice");
        assertArrayEquals(values, x.transpose(0, 2).reshape(c, b, a).transpose(2, 0).toArray(),
                "reshape of a transposed view to its own shape changes nothing");
        int[][] perms = {{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}};
        int[] p = perms[new Rng(seed).nextInt(perms.length)];
        int[] inverse = new int[3];
        for (int i = 0; i < 3; i++) {
            inverse[p[i]] = i;
        }
        Tensor permuted = x.permute(p);
        assertArrayEquals(values, permuted.permute(inverse).toArray(), "permute then its inverse");
        assertArrayEquals(values, permuted.contiguous().permute(inverse).toArray(), "through a copy");
        assertEquals(x.get(a - 1, 0, c - 1), permuted.permute(inverse).get(a - 1, 0, c - 1));
    }

    @Property(tries = 100)
    void broadcastingEqualsExplicitExpansion(@ForAll @IntRange(min = 1, max = 6) int r,
                                             @ForAll @IntRange(min = 1, max = 20) int c, @ForAll long seed) {
        Rng rng = new Rng(seed);
        Tensor col = Tensor.randn(rng, r, 1);
        Tensor row = Tensor.randn(rng, c);
        Tensor sum = col.add(row);
        assertArrayEquals(col.expand(r, c).contiguous().add(row.expand(r, c).contiguous()).toArray(), sum.toArray());
        assertArrayEquals(row.expand(r, c).contiguous().sub(col.expand(r, c)).toArray(), row.sub(col).toArray());
        assertArrayEquals(sum.sub(row).toArray(), sum.sub(row.unsqueeze(0).expand(r, c)).toArray());
    }
}
