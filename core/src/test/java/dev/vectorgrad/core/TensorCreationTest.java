package dev.vectorgrad.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Factories and metadata: copies are copies, wraps are not, accessors do not leak internals. */
class TensorCreationTest {

    @Test
    void factoriesFillAndShape() {
        assertArrayEquals(new float[6], Tensor.zeros(2, 3).toArray());
        assertArrayEquals(new float[] {1, 1, 1}, Tensor.ones(3).toArray());
        assertArrayEquals(new float[] {2.5f, 2.5f}, Tensor.full(2.5f, 2, 1).toArray());
        assertArrayEquals(new int[] {2, 1}, Tensor.full(2.5f, 2, 1).shape());
        assertEquals(0, Tensor.zeros().dim(), "no sizes gives a 0-d tensor");
        assertEquals(1, Tensor.zeros().numel());
        assertArrayEquals(new int[] {2, 3}, Tensor.zerosLike(Tensor.ones(3, 2).t()).shape());
        assertArrayEquals(new float[] {1, 1}, Tensor.onesLike(Tensor.zeros(2)).toArray());
        assertArrayEquals(new float[] {0, 1, 2, 3}, Tensor.arange(4).toArray());
        Tensor rows = Tensor.of(new float[][] {{1, 2, 3}, {4, 5, 6}});
        assertArrayEquals(new int[] {2, 3}, rows.shape());
        assertEquals(6f, rows.get(1, 2));
        assertArrayEquals(new int[] {0, 0}, Tensor.of(new float[0][]).shape());
    }

    @Test
    void ofCopiesAndWrapShares() {
        float[] values = {1, 2, 3, 4};
        Tensor copied = Tensor.of(values, 2, 2);
        Tensor wrapped = Tensor.wrap(values, 2, 2);
        values[0] = 9;
        assertEquals(1f, copied.get(0, 0), "of copies");
        assertEquals(9f, wrapped.get(0, 0), "wrap shares");
        wrapped.set(7f, 1, 1);
        assertEquals(7f, values[3]);
        assertArrayEquals(new int[] {4}, Tensor.of(values).shape(), "no shape: 1-d of all values");
        float[] out = copied.toArray();
        out[0] = 100;
        assertEquals(1f, copied.get(0, 0), "toArray is a copy");
    }

    @Test
    void accessorsReturnCopies() {
        Tensor x = Tensor.zeros(2, 3);
        x.shape()[0] = 5;
        x.strides()[0] = 5;
        assertArrayEquals(new int[] {2, 3}, x.shape());
        assertArrayEquals(new int[] {3, 1}, x.strides());
        assertEquals(3, x.size(-1));
        assertEquals(2, x.size(0));
        assertTrue(x.isContiguous());
        assertFalse(x.t().isContiguous());
        assertTrue(Tensor.zeros(3, 1).t().isContiguous(), "a size-1 dim's stride does not matter");
        assertEquals("Tensor[2, 3] float32", x.describe());
        assertEquals("Tensor[3, 2] float32 (strided view)", x.t().describe());
    }

    @Test
    void randomFactoriesAreSeeded() {
        Tensor a = Tensor.randn(new Rng(3), 100, 10);
        Tensor b = Tensor.randn(new Rng(3), 100, 10);
        assertArrayEquals(a.toArray(), b.toArray());
        assertEquals(0, a.mean().item(), 0.15, "standard normal mean");
        Tensor r = Tensor.rand(new Rng(4), 1000);
        assertEquals(0.5, r.mean().item(), 0.05);
        assertTrue(r.min().item() >= 0 && r.max().item() < 1);
    }

    @Test
    void gradientIsStoredBesideTheTensor() {
        Tensor w = Tensor.zeros(2, 3);
        assertNull(w.grad());
        Tensor g = Tensor.ones(2, 3);
        w.setGrad(g);
        assertSame(g, w.grad());
        w.setGrad(null);
        assertNull(w.grad());
    }
}
