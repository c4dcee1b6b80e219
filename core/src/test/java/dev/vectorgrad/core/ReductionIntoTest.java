package dev.vectorgrad.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * {@code sumInto}/{@code meanInto}: the allocating reductions' bits at the kernels' awkward
 * lengths, on 0-d and empty tensors, and clear refusals of a target that cannot take the result.
 * Every layout and dim is covered by {@code ReductionLayoutProperties} in the testkit module.
 */
class ReductionIntoTest {

    /** Lengths around the vector widths (8 and 16 lanes, four accumulators) and the MNIST row. */
    private static final int[] LENGTHS = {0, 1, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 784, 1021};

    private static void assertSameBits(Tensor expected, Tensor actual, String what) {
        float[] e = expected.toArray();
        float[] a = actual.toArray();
        assertEquals(e.length, a.length, what);
        for (int i = 0; i < e.length; i++) {
            int at = i;
            assertEquals(Float.floatToRawIntBits(e[i]), Float.floatToRawIntBits(a[i]),
                    () -> what + " at " + at + ": expected " + e[at] + ", got " + a[at]);
        }
    }

    @Test
    void everyLengthGivesTheAllocatingReductionsBits() {
        Rng rng = new Rng(11);
        for (int n : LENGTHS) {
            Tensor row = Tensor.randn(rng, n);
            assertSameBits(row.sum(), row.sumInto(Tensor.scalar(Float.NaN)), "sum of " + n);
            // mean() runs through meanInto, so the oracle is the sum divided by n (the float rule it promises).
            assertSameBits(Tensor.scalar(row.sum().item() / n), row.meanInto(Tensor.scalar(Float.NaN)), "mean of " + n);
            assertSameBits(Tensor.scalar(row.sum().item() / n), row.mean(), "mean() of " + n);
            Tensor rows = Tensor.randn(rng, 3, n);
            for (int dim : new int[] {0, 1, -1}) {
                for (boolean keepdim : new boolean[] {false, true}) {
                    String what = "[3, " + n + "] dim " + dim + (keepdim ? " keepdim" : "");
                    Tensor sum = rows.sum(dim, keepdim);
                    Tensor out = Tensor.full(Float.NaN, sum.shape());
                    assertSame(out, rows.sumInto(dim, out));
                    assertSameBits(sum, out, "sum " + what);
                    Tensor mean = rows.sum(dim, keepdim).mulInPlace(1f / rows.size(dim)); // sums times 1/n, as mean promises
                    assertSameBits(mean, rows.meanInto(dim, out.fillInPlace(Float.NaN)), "mean " + what);
                    assertSameBits(mean, rows.mean(dim, keepdim), "mean(dim) " + what);
                }
            }
        }
    }

    @Test
    void aTargetInsideALargerStorageIsWrittenOnlyWhereItLies() {
        Tensor x = Tensor.randn(new Rng(12), 4, 33);
        Tensor storage = Tensor.full(-7f, 3, 4);
        Tensor row = storage.select(0, 1);
        x.sumInto(1, row);
        assertSameBits(x.sum(1), row, "the middle row");
        for (int r : new int[] {0, 2}) {
            for (int c = 0; c < 4; c++) {
                assertEquals(-7f, storage.get(r, c), "row " + r + " untouched");
            }
        }
        int before = storage.version();
        x.meanInto(1, row);
        assertTrue(storage.version() > before, "a write into the target counts as an edit of its storage");
    }

    @Test
    void zeroDimAndEmptyTensors() {
        Tensor s = Tensor.scalar(-2.5f);
        for (int dim : new int[] {0, -1}) {
            assertEquals(-2.5f, s.sumInto(dim, Tensor.scalar(0f)).item());
            assertEquals(-2.5f, s.meanInto(dim, Tensor.scalar(0f)).item());
        }
        assertThrows(IndexOutOfBoundsException.class, () -> s.sumInto(1, Tensor.scalar(0f)));
        Tensor e = Tensor.zeros(0, 4);
        assertEquals(0f, e.sumInto(Tensor.scalar(1f)).item(), "the sum of nothing is 0");
        assertTrue(Float.isNaN(e.meanInto(Tensor.scalar(1f)).item()), "the mean of nothing is NaN");
        assertSameBits(e.sum(0), e.sumInto(0, Tensor.full(1f, 4)), "sum along an empty dim");
        assertSameBits(e.mean(0), e.meanInto(0, Tensor.full(1f, 4)), "mean along an empty dim");
        assertEquals(0, e.sumInto(1, Tensor.zeros(0)).numel());
    }

    @Test
    void aTargetOfAnotherShapeIsRefusedNamingBothShapes() {
        Tensor x = Tensor.zeros(2, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> x.sumInto(1, Tensor.zeros(3)));
        assertEquals("sumInto: this tensor [2, 3], dim 1: expected out of shape [2] or [2, 1], got [3]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> x.meanInto(Tensor.zeros(1)));
        assertEquals("sumInto: this tensor [2, 3]: expected out of shape [] (a 0-d tensor), got [1]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> x.sumInto(0, null));
        assertTrue(e.getMessage().endsWith("expected out of shape [3] or [1, 3], got null"), e.getMessage());
    }

    @Test
    void aStridedOrOverlappingTargetIsRefused() {
        Tensor x = Tensor.zeros(2, 3);
        Tensor column = Tensor.zeros(2, 2).select(1, 0); // shape [2], stride 2
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> x.sumInto(1, column));
        assertEquals("sumInto: out of shape [2] is a strided view with strides [2]; the tensor written must be contiguous",
                e.getMessage());
        Tensor big = Tensor.ones(3, 3);
        Tensor top = big.slice(0, 0, 2);
        Tensor middleRow = big.select(0, 1);
        e = assertThrows(IllegalArgumentException.class, () -> top.sumInto(0, middleRow));
        assertEquals("sumInto: out [3] shares storage with this tensor [2, 3]; pass a tensor of its own", e.getMessage());
        assertEquals(1f, middleRow.get(0), "nothing written before the refusal");
        assertThrows(IllegalArgumentException.class, () -> top.meanInto(top.select(0, 0).select(0, 0)));
        // A target past the rows read shares the storage but no element: allowed.
        assertSameBits(top.sum(0), top.sumInto(0, big.select(0, 2)), "a disjoint part of the same storage");
    }
}
