package dev.vectorgrad.core;

import org.junit.jupiter.api.Test;

/**
 * One MLP training step's fused operations on contiguous tensors allocate nothing once
 * compiled. The network is the lesson's 784-50-10 with fewer inputs and a smaller batch
 * (64-50-10, batch 16), so that the 40,000 calls each measurement makes also run quickly on
 * the scalar kernels; the vector paths taken are the same (full vectors, tails, short rows).
 */
class FusedAllocationTest {

    private final Rng rng = new Rng(3);
    private final Tensor x = Tensor.randn(rng, 16, 64);
    private final Tensor w1 = Tensor.randn(rng, 50, 64).mul(0.03f);
    private final Tensor b1 = Tensor.randn(rng, 50);
    private final Tensor w2 = Tensor.randn(rng, 10, 50).mul(0.1f);
    private final Tensor b2 = Tensor.randn(rng, 10);
    private final Tensor h = Tensor.zeros(16, 50);
    private final Tensor logits = Tensor.zeros(16, 10);
    private final Tensor gLogits = Tensor.zeros(16, 10);
    private final Tensor gH = Tensor.zeros(16, 50);
    private final Tensor gW1 = Tensor.zeros(50, 64);
    private final Tensor gB1 = Tensor.zeros(50);
    private final Tensor gW2 = Tensor.zeros(10, 50);
    private final Tensor gB2 = Tensor.zeros(10);
    private final Tensor hTarget = Tensor.randn(rng, 16, 50);
    private final int[] yInts = new int[16];
    private final Tensor y = Tensor.zeros(16);

    FusedAllocationTest() {
        for (int i = 0; i < 16; i++) {
            yInts[i] = (i * 7) % 10;
            y.set(yInts[i], i);
        }
    }

    @Test
    void linearForward() {
        AllocationMeter.assertAllocationFree("linear", () -> Fused.linear(x, w1, b1, true, h));
    }

    @Test
    void linearBackwardAllTargets() {
        Fused.linear(x, w1, b1, true, h);
        AllocationMeter.assertAllocationFree("linearBackward",
                () -> Fused.linearBackward(gH, x, w1, null, false, gW1, false, gB1, true));
        AllocationMeter.assertAllocationFree("linearBackward with gradX",
                () -> Fused.linearBackward(gLogits, h, w2, gH, false, gW2, true, gB2, false));
    }

    @Test
    void reluBackwardInPlace() {
        AllocationMeter.assertAllocationFree("reluBackward", () -> Fused.reluBackward(gH, h, gH, false));
    }

    @Test
    void losses() {
        Fused.linear(h, w2, b2, false, logits);
        AllocationMeter.assertAllocationFree("softmaxCrossEntropy(Tensor targets)",
                () -> Fused.softmaxCrossEntropy(logits, y, gLogits, 1f, false));
        AllocationMeter.assertAllocationFree("softmaxCrossEntropy(int[] targets)",
                () -> Fused.softmaxCrossEntropy(logits, yInts, gLogits, 1f, true));
        AllocationMeter.assertAllocationFree("meanSquaredError",
                () -> Fused.meanSquaredError(h, hTarget, gH, 1f, false));
    }

    @Test
    void sumToShapeFastPaths() {
        Tensor col = Tensor.zeros(50);
        Tensor row = Tensor.zeros(16, 1);
        Tensor same = Tensor.zeros(16, 50);
        Tensor one = Tensor.zeros(1, 1);
        AllocationMeter.assertAllocationFree("sumToShape [16, 50] -> [50]", () -> Fused.sumToShape(h, col, false));
        AllocationMeter.assertAllocationFree("sumToShape [16, 50] -> [16, 1]", () -> Fused.sumToShape(h, row, true));
        AllocationMeter.assertAllocationFree("sumToShape [16, 50] -> [16, 50]", () -> Fused.sumToShape(h, same, false));
        AllocationMeter.assertAllocationFree("sumToShape [16, 50] -> [1, 1]", () -> Fused.sumToShape(h, one, false));
    }
}
