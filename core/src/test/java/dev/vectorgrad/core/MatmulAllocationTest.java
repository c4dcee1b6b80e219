package dev.vectorgrad.core;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vectorgrad.core.internal.Kernels;
import dev.vectorgrad.core.internal.ScalarMatmul;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code matmulInPlace} allocates nothing once warm, on every path a training step takes: the
 * MLP's products with their last columns as dot products (n = 50), transposed operands (the
 * gradients' {@code Aᵀ·B} and {@code A·Bᵀ}), accumulation, and a product too large for one inner
 * block, after every path's kernels have been run on other shapes first (a kernel helper that
 * stops being inlined boxes every vector handed to it). The scalar twin has no vectors to box:
 * with {@code vectorgrad.vectorBitSize=0} the class is skipped (its products would take minutes).
 */
class MatmulAllocationTest {

    private static final Rng RNG = new Rng(21);

    private static Tensor randn(int... shape) {
        return Tensor.randn(RNG, shape);
    }

    /** Every row count of a dot-edge tile (1-6), narrow and wide edges, both inner block regimes. */
    @BeforeAll
    static void runEveryPathOnOtherShapes() {
        assumeTrue(Kernels.MATMUL != ScalarMatmul.INSTANCE, "the scalar matmul has no vectors to box");
        int[] rows = {1, 2, 3, 4, 5, 6, 7, 13};
        int[] cols = {1, 2, 3, 18, 33, 50};
        int[] inner = {5, 40, 300, 900};
        for (int round = 0; round < 40; round++) {
            for (int m : rows) {
                for (int n : cols) {
                    for (int k : inner) {
                        Tensor.zeros(m, n).matmulInPlace(randn(m, k), randn(k, n), round % 2 == 1);
                    }
                }
            }
        }
    }

    @Test
    void theMlpsForwardAndBackwardProducts() { // at batch 16: k = 784 still takes two inner blocks
        Tensor x = randn(16, 784);
        Tensor w1 = randn(50, 784);
        Tensor h = Tensor.zeros(16, 50);
        Tensor gH = randn(16, 50);
        Tensor gW1 = Tensor.zeros(50, 784);
        Tensor gX = Tensor.zeros(16, 784);
        Tensor w1t = w1.t(); // views made once: a view per call would be the allocation measured
        Tensor gHt = gH.t();
        AllocationMeter.assertAllocationFree("x · w1ᵀ [16, 784] · [784, 50]", () -> h.matmulInPlace(x, w1t, false));
        AllocationMeter.assertAllocationFree("gHᵀ · x, accumulated", () -> gW1.matmulInPlace(gHt, x, true));
        AllocationMeter.assertAllocationFree("gH · w1", () -> gX.matmulInPlace(gH, w1, false));
    }

    @Test
    void smallProductsWithDotEdgesOnEveryRowCount() {
        for (int m = 1; m <= 7; m++) {
            Tensor a = randn(m, 64);
            Tensor b = randn(64, 50);
            Tensor out = Tensor.zeros(m, 50);
            AllocationMeter.assertAllocationFree("[" + m + ", 64] · [64, 50]", () -> out.matmulInPlace(a, b, false));
        }
    }
}
