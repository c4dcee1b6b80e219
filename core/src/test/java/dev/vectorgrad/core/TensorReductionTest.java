package dev.vectorgrad.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;


import org.junit.jupiter.api.Test;

/**
 * Reductions with NaN, on 0-d and empty tensors. Every reduction on every layout and along every
 * dim is checked by {@code ReductionLayoutProperties} in the testkit module, over the kit's views.
 */
class TensorReductionTest {

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
}
