package dev.vectorgrad.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Views share storage and show the right elements; reshape/view follow PyTorch's rule. */
class TensorViewTest {

    private static Tensor grid(int r, int c) {
        return Tensor.arange(r * c).reshape(r, c);
    }

    @Test
    void viewsShowTheRightElementsAndShareStorage() {
        Tensor x = grid(4, 6);
        Tensor t = x.t();
        assertArrayEquals(new int[] {6, 4}, t.shape());
        assertEquals(x.get(1, 5), t.get(5, 1));
        assertFalse(t.isContiguous());
        Tensor s = x.slice(1, 1, 6, 2); // columns 1, 3, 5
        assertArrayEquals(new int[] {4, 3}, s.shape());
        assertEquals(x.get(2, 5), s.get(2, 2));
        assertEquals(x.get(3, 1), s.get(-1, 0));
        assertArrayEquals(new int[] {3, 6}, x.slice(0, -3, 4).shape(), "negative start counts from the end");
        assertEquals(x.get(1, 0), x.slice(0, -3, 4).get(0, 0));
        assertArrayEquals(new int[] {4, 3}, x.slice(1, 0, 5, 2).shape(), "ceil((end - start) / step)");
        Tensor row = x.select(0, 2);
        assertArrayEquals(new float[] {12, 13, 14, 15, 16, 17}, row.toArray());
        assertArrayEquals(new float[] {5, 11, 17, 23}, x.select(1, -1).toArray());
        Tensor u = x.unsqueeze(1);
        assertArrayEquals(new int[] {4, 1, 6}, u.shape());
        assertArrayEquals(new int[] {4, 6, 1}, x.unsqueeze(-1).shape());
        assertArrayEquals(new int[] {4, 6}, u.squeeze().shape());
        assertArrayEquals(new int[] {4, 6}, u.squeeze(1).shape());
        assertArrayEquals(new int[] {4, 1, 6}, u.squeeze(0).shape(), "squeezing a dim that is not 1 keeps it");
        Tensor e = x.select(0, 1).unsqueeze(0).expand(3, 6);
        assertEquals(x.get(1, 4), e.get(2, 4));
        Tensor p = Tensor.arange(24).reshape(2, 3, 4).permute(2, 0, 1);
        assertArrayEquals(new int[] {4, 2, 3}, p.shape());
        assertEquals(1 * 12 + 2 * 4 + 3, p.get(3, 1, 2));
        for (Tensor v : new Tensor[] {t, s, row, u, e, p.permute(1, 2, 0), x.flatten(), x.view(2, 12)}) {
            assertTrue(v.sharesStorageWith(x) || v.sharesStorageWith(p), v.describe());
        }
        s.set(-1f, 0, 1); // x[0, 3]
        assertEquals(-1f, x.get(0, 3), "writing through a view is visible in the source");
        t.select(0, 2).fillInPlace(7f); // column 2 of x
        assertArrayEquals(new float[] {7, 7, 7, 7}, x.select(1, 2).toArray());
        Tensor c = x.copy();
        assertFalse(c.sharesStorageWith(x));
        c.set(100f, 0, 0);
        assertEquals(0f, x.get(0, 0), "a copy shares nothing");
        assertTrue(x.contiguous() == x, "contiguous() of a contiguous tensor is the tensor itself");
        assertFalse(t.contiguous().sharesStorageWith(x));
        assertArrayEquals(x.toArray(), t.t().toArray(), "transpose twice");
        assertArrayEquals(new float[] {0, 6, 12, 18, 1, 7, 13, 19}, t.slice(0, 0, 2).toArray());
    }

    @Test
    void viewSucceedsWhereThePyTorchRuleAllows() {
        Tensor x = grid(3, 4);
        Tensor xt = x.t();
        Tensor same = xt.view(4, 3);
        assertArrayEquals(xt.strides(), same.strides(), "x.t().view(its own shape) keeps the strides");
        assertTrue(same.sharesStorageWith(x));
        assertArrayEquals(new int[] {4, 1, 3}, xt.view(4, 1, 3).shape(), "inserting a 1 needs no copy");
        Tensor rows = grid(6, 4).slice(0, 1, 4); // contiguous, with an offset
        Tensor flat = rows.view(12);
        assertTrue(flat.sharesStorageWith(rows));
        assertArrayEquals(new float[] {4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}, flat.toArray());
        Tensor everyOther = grid(6, 4).slice(0, 0, 6, 2); // [3, 4], strides [8, 1]
        Tensor split = everyOther.view(3, 2, 2);
        assertTrue(split.sharesStorageWith(everyOther));
        assertEquals(everyOther.get(2, 3), split.get(2, 1, 1));
        Tensor cols = grid(6, 4).slice(1, 0, 2); // [6, 2], strides [4, 1]
        Tensor merged = cols.view(3, 2, 2);
        assertEquals(cols.get(5, 1), merged.get(2, 1, 1));
        Tensor expanded = Tensor.ones(3).expand(2, 3);
        assertArrayEquals(new int[] {2, 3, 1}, expanded.view(2, 3, 1).shape());
        Tensor batch = Tensor.arange(24).reshape(2, 3, 4).transpose(1, 2); // [2, 4, 3]
        Tensor kept = batch.view(2, 12 / 3, 3);
        assertTrue(kept.sharesStorageWith(batch));
    }

    @Test
    void viewFailsWithTheDocumentedMessageWhereACopyIsNeeded() {
        Tensor xt = grid(3, 4).t();
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> xt.view(12));
        assertEquals("view: a tensor of shape [4, 3] with strides [1, 4] cannot be viewed as [12] without a copy;"
                + " use reshape() or contiguous() first", ex.getMessage());
        Tensor everyOther = grid(6, 4).slice(0, 0, 6, 2);
        assertThrows(IllegalArgumentException.class, () -> everyOther.view(12));
        assertThrows(IllegalArgumentException.class, () -> grid(6, 4).slice(1, 0, 2).view(12));
        assertThrows(IllegalArgumentException.class, () -> Tensor.ones(3).expand(2, 3).view(6));
        // reshape copies instead, with the same values.
        Tensor r = xt.reshape(12);
        assertFalse(r.sharesStorageWith(xt));
        assertArrayEquals(new float[] {0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11}, r.toArray());
        Tensor g = grid(3, 4);
        assertTrue(g.reshape(2, 6).sharesStorageWith(g), "reshape of a contiguous tensor is a view");
    }

    @Test
    void storageOffsetIsWhereTheViewStarts() {
        Tensor x = grid(4, 6);
        assertEquals(0, x.storageOffset());
        assertEquals(0, x.t().storageOffset());
        assertEquals(12, x.slice(0, 2, 4).storageOffset());
        assertEquals(6 + 3, x.select(0, 1).slice(0, 3, 6).storageOffset());
        assertEquals(x.get(1, 3), x.select(0, 1).slice(0, 3, 6).get(0));
    }

    @Test
    void minusOneIsInferred() {
        Tensor x = grid(6, 4);
        assertArrayEquals(new int[] {6, 4}, x.reshape(-1, 4).shape());
        assertArrayEquals(new int[] {2, 4, 3}, x.reshape(2, -1, 3).shape());
        assertArrayEquals(new int[] {24}, x.view(-1).shape());
        assertArrayEquals(new int[] {0, 5}, Tensor.zeros(0, 4).reshape(-1, 5).shape());
        assertArrayEquals(new int[] {}, Tensor.ones(1, 1).reshape().shape(), "one element reshaped to 0-d");
        assertArrayEquals(new int[] {1}, Tensor.scalar(2f).flatten().shape());
        assertEquals(2f, Tensor.scalar(2f).reshape(1, 1).get(0, 0));
    }

    @Test
    void reshapeErrorsNameTheShapesAndTheRule() {
        Tensor x = grid(6, 4);
        assertEquals("reshape: shape [6, 4] has 24 elements, but [5, 5] holds 25",
                assertThrows(IllegalArgumentException.class, () -> x.reshape(5, 5)).getMessage());
        assertEquals("view: shape [6, 4] has 24 elements, but [5] holds 5",
                assertThrows(IllegalArgumentException.class, () -> x.view(5)).getMessage());
        assertEquals("reshape: [-1, 2, -1] has more than one -1; only one size can be inferred",
                assertThrows(IllegalArgumentException.class, () -> x.reshape(-1, 2, -1)).getMessage());
        assertEquals("reshape: cannot infer the -1 in [-1, 5] for 24 elements of shape [6, 4]",
                assertThrows(IllegalArgumentException.class, () -> x.reshape(-1, 5)).getMessage());
        assertEquals("reshape: [4, -3] has a negative size -3",
                assertThrows(IllegalArgumentException.class, () -> x.reshape(4, -3)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(0, 4).reshape(-1, 0));
    }
}
