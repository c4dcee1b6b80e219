package dev.vectorgrad.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** allClose (torch.allclose) and testClose (fastcore's test_close). */
class ClosenessTest {

    @Test
    void allClosePassesAndFailsAtTheTolerance() {
        Tensor a = Tensor.of(new float[] {1f, 100f, 0f});
        assertTrue(a.allClose(a.copy()));
        assertTrue(a.allClose(Tensor.of(new float[] {1f + 5e-6f, 100f, 0f})), "within rtol 1e-5");
        assertFalse(a.allClose(Tensor.of(new float[] {1f + 5e-5f, 100f, 0f})));
        assertTrue(a.allClose(Tensor.of(new float[] {1f, 100.0005f, 0f})), "relative to |b|");
        assertFalse(a.allClose(Tensor.of(new float[] {1f, 100f, 1e-7f})), "atol 1e-8 near zero");
        assertTrue(a.allClose(Tensor.of(new float[] {1.5f, 100f, 0.4f}), 0, 0.5));
        assertFalse(a.allClose(Tensor.of(new float[] {1.6f, 100f, 0f}), 0, 0.5));
        assertTrue(Tensor.of(new float[] {2f, 2f}).allClose(Tensor.scalar(2f)), "broadcasting");
        Tensor nan = Tensor.of(new float[] {Float.NaN});
        assertFalse(nan.allClose(nan), "NaN is never close");
        Tensor inf = Tensor.of(new float[] {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY});
        assertTrue(inf.allClose(inf.copy()), "equal infinities are close, as in torch.allclose");
        assertFalse(inf.allClose(Tensor.of(new float[] {Float.POSITIVE_INFINITY, Float.POSITIVE_INFINITY})));
        assertFalse(inf.allClose(Tensor.of(new float[] {Float.MAX_VALUE, Float.NEGATIVE_INFINITY}), 1, 1));
        assertTrue(Tensor.zeros(0).allClose(Tensor.zeros(0)));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2).allClose(Tensor.zeros(3)))
                .getMessage().startsWith("allClose: shapes [2] and [3] cannot broadcast"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Closeness.maxAbsDiff(Tensor.zeros(2), Tensor.zeros(3)))
                .getMessage().startsWith("maxAbsDiff: shapes [2] and [3] cannot broadcast"));
    }

    @Test
    void testCloseNamesTheWorstElement() {
        Tensor a = Tensor.of(new float[] {1f, 2f, 3f, 4f}, 2, 2);
        Closeness.testClose(a, a.add(1e-4f), 1e-3);
        AssertionError e = assertThrows(AssertionError.class,
                () -> Closeness.testClose(a, Tensor.of(new float[] {1f, 2.01f, 3.5f, 4f}, 2, 2), 1e-3));
        String m = e.getMessage();
        assertTrue(m.startsWith("testClose: |a - b| = 0.5 >= eps 0.001 at flat index 2 of shape [2, 2]"), m);
        assertTrue(m.contains("(a = 3.0, b = 3.5)"), m);
        AssertionError n = assertThrows(AssertionError.class,
                () -> Closeness.testClose(a, Tensor.of(new float[] {1f, Float.NaN, 3f, 4f}, 2, 2), 1e-3));
        assertTrue(n.getMessage().contains("flat index 1"), "a NaN is the worst: " + n.getMessage());
        AssertionError twoNaNs = assertThrows(AssertionError.class,
                () -> Closeness.testClose(a, Tensor.of(new float[] {1f, Float.NaN, Float.NaN, 9f}, 2, 2), 1e-3));
        assertTrue(twoNaNs.getMessage().contains("flat index 1"), "the first NaN is reported: " + twoNaNs.getMessage());
        AssertionError s = assertThrows(AssertionError.class, () -> Closeness.testClose(a, a.reshape(4), 1));
        assertEquals("testClose: shapes differ: [2, 2] vs [4]", s.getMessage());
        assertThrows(AssertionError.class, () -> Closeness.testClose(a, a.add(1e-3f), 1e-3), "strict: |a - b| < eps");
        Closeness.testClose(a.t(), a.t().contiguous(), 1e-9);
        assertEquals(0.5f, Closeness.maxAbsDiff(a, Tensor.of(new float[] {1f, 2f, 3.5f, 4f}, 2, 2)));
        assertEquals(0f, Closeness.maxAbsDiff(Tensor.zeros(0), Tensor.zeros(0)));
        assertTrue(Float.isNaN(Closeness.maxAbsDiff(a, a.mul(Float.NaN))));
    }
}
