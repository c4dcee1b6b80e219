package dev.vectorgrad.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

/**
 * Warm convolution and padding calls into tensors the caller owns allocate nothing. The rest of
 * convolution's and padding's properties run from the testkit module over the kit's views.
 */
class ConvolutionAllocationTest {

    @Test
    void warmCallsAllocateNothing() {
        Rng rng = new Rng(5);
        Tensor x = Tensor.randn(rng, 3, 4, 6, 5);
        Tensor w = Tensor.randn(rng, 6, 2, 3, 3);
        Tensor b = Tensor.randn(rng, 6);
        Conv2dSpec s = Conv2dSpec.of(1, 1).withGroups(2);
        Tensor out = Tensor.zeros(3, 6, 6, 5);
        Tensor gx = Tensor.zeros(x.shape());
        Tensor gw = Tensor.zeros(w.shape());
        Tensor gb = Tensor.zeros(6);
        Convolution.Workspace ws = new Convolution.Workspace();
        AllocationMeter.assertAllocationFree("conv2d forward and backward", () -> {
            Convolution.conv2d(x, w, b, s, out, ws);
            Convolution.conv2dBackwardInput(out, w, s, gx, ws);
            Convolution.conv2dBackwardWeight(out, x, s, gw, gb, ws);
        });
    }

    @Test
    void padIsAllocationFreeIntoItsTarget() {
        Tensor x = Tensor.randn(new Rng(1), 2, 3, 5, 5);
        int[] pads = {1, 2, 0, 1};
        Tensor out = Tensor.zeros(2, 3, 6, 8);
        Tensor gx = Tensor.zeros(x.shape());
        AllocationMeter.assertAllocationFree("pad and its backward", () -> {
            Padding.pad(x, pads, 0f, out);
            Padding.padBackward(out, pads, gx);
        });
        assertArrayEquals(x.toArray(), gx.toArray(), "the backward of a pad slices the input back out");
    }
}
