package dev.vectorgrad.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * LogSoftmax's facade: its checks (each message names what was expected and what came, and
 * nothing is written), the 0-d and empty cases, strided inputs and gradients, and no allocation
 * on contiguous tensors. The layouts and dims at large are properties in the testkit module
 * ({@code LogSoftmaxLayoutProperties}); the kernels' bits are {@code SoftmaxKernelsProperties}.
 */
class LogSoftmaxTest {

    private static void assertMentions(Throwable e, String... parts) {
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), () -> "'" + e.getMessage() + "' does not mention '" + p + "'");
        }
    }

    @Test
    void aSmallRowHasItsClosedForm() {
        Tensor x = Tensor.of(new float[] {1f, 2f, 3f}, 1, 3);
        double lse = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3));
        Tensor out = LogSoftmax.forward(x, -1);
        for (int j = 0; j < 3; j++) {
            assertEquals(j + 1 - lse, out.get(0, j), 1e-6);
        }
        // With g = e_0: gx_j = [j == 0] - softmax_j.
        Tensor gx = LogSoftmax.backward(Tensor.of(new float[] {1f, 0f, 0f}, 1, 3), out, 1, Tensor.zeros(1, 3), false);
        for (int j = 0; j < 3; j++) {
            assertEquals((j == 0 ? 1 : 0) - Math.exp(j + 1 - lse), gx.get(0, j), 1e-6);
        }
    }

    @Test
    void aZeroDimTensorIsOneSliceOfOneElement() {
        assertEquals(0f, LogSoftmax.forward(Tensor.scalar(5f), 0).item());
        assertEquals(0f, LogSoftmax.forward(Tensor.scalar(-3f), -1).item());
        assertTrue(Float.isNaN(LogSoftmax.forward(Tensor.scalar(Float.POSITIVE_INFINITY), 0).item()), "NaN, as PyTorch");
        Tensor gx = LogSoftmax.backward(Tensor.scalar(2f), Tensor.scalar(0f), 0, Tensor.scalar(7f), false);
        assertEquals(0f, gx.item(), "g - exp(0) * g");
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
                () -> LogSoftmax.forward(Tensor.scalar(1f), 1));
        assertMentions(e, "logSoftmax", "dim 1", "[]", "[-1, 0]");
    }

    @Test
    void emptyTensorsGiveEmptyResults() {
        assertArrayEquals(new int[] {0, 5}, LogSoftmax.forward(Tensor.zeros(0, 5), 1).shape());
        assertArrayEquals(new int[] {3, 0}, LogSoftmax.forward(Tensor.zeros(3, 0), 1).shape());
        Tensor gx = Tensor.zeros(3, 0);
        assertSame(gx, LogSoftmax.backward(Tensor.zeros(3, 0), Tensor.zeros(3, 0), 1, gx, false));
    }

    @Test
    void stridedInputsAndGradientsGiveTheContiguousOnesBits() {
        Rng rng = new Rng(2);
        Tensor base = Tensor.randn(rng, 7, 11);
        Tensor xt = base.t();                       // [11, 7], strides [1, 11]
        Tensor expected = LogSoftmax.forward(xt.contiguous(), 0);
        Tensor out = LogSoftmax.forward(xt, 0, Tensor.zeros(11, 7));
        assertArrayEquals(expected.toArray(), out.toArray());
        Tensor g = Tensor.randn(rng, 7, 11).t();
        Tensor gContiguous = LogSoftmax.backward(g.contiguous(), out, 0, Tensor.zeros(11, 7), false);
        assertArrayEquals(gContiguous.toArray(), LogSoftmax.backward(g, out, 0, Tensor.zeros(11, 7), false).toArray());
        Tensor acc = Tensor.ones(11, 7);
        LogSoftmax.backward(g, out, 0, acc, true);
        assertArrayEquals(gContiguous.add(1f).toArray(), acc.toArray(), "accumulating adds the finished gradient");
    }

    @Test
    void badArgumentsNameWhatWasExpectedAndWhatCame() {
        Tensor x = Tensor.zeros(4, 3);
        assertMentions(assertThrows(IndexOutOfBoundsException.class, () -> LogSoftmax.forward(x, 2)),
                "logSoftmax", "dim 2", "[4, 3]", "[-2, 1]");
        assertMentions(assertThrows(IndexOutOfBoundsException.class, () -> LogSoftmax.forward(x, -3, Tensor.zeros(4, 3))),
                "dim -3", "[-2, 1]");
        assertMentions(assertThrows(IllegalArgumentException.class, () -> LogSoftmax.forward(x, 1, Tensor.zeros(3, 4))),
                "out", "[4, 3]", "got [3, 4]");
        assertMentions(assertThrows(IllegalArgumentException.class, () -> LogSoftmax.forward(x, 1, null)),
                "out is null", "[4, 3]");
        assertMentions(assertThrows(IllegalArgumentException.class, () -> LogSoftmax.forward(x, 1, Tensor.zeros(3, 4).t())),
                "out", "strided", "contiguous");
        assertMentions(assertThrows(IllegalArgumentException.class, () -> LogSoftmax.forward(x, 1, x)),
                "out", "shares storage with x");
        assertMentions(assertThrows(IllegalArgumentException.class, () -> LogSoftmax.forward(null, 0)), "x is null");

        Tensor y = LogSoftmax.forward(Tensor.ones(4, 3), 1);
        Tensor target = Tensor.full(9f, 4, 3);
        int version = target.version();
        assertMentions(assertThrows(IllegalArgumentException.class,
                () -> LogSoftmax.backward(Tensor.zeros(4, 1), y, 1, target, false)),
                "logSoftmaxBackward", "gradOut", "[4, 3]", "got [4, 1]");
        assertMentions(assertThrows(IllegalArgumentException.class,
                () -> LogSoftmax.backward(Tensor.zeros(4, 3), y, 1, Tensor.zeros(12), false)),
                "gradIn", "[4, 3]", "got [12]");
        assertMentions(assertThrows(IllegalArgumentException.class,
                () -> LogSoftmax.backward(target, y, 1, target, false)),
                "gradIn", "shares storage with gradOut");
        assertMentions(assertThrows(IndexOutOfBoundsException.class,
                () -> LogSoftmax.backward(Tensor.zeros(4, 3), y, 5, target, false)),
                "logSoftmaxBackward", "dim 5");
        assertEquals(version, target.version(), "a refused call writes nothing");
        assertEquals(9f, target.get(2, 1));
    }

    @Test
    void writtenTensorsHaveTheirVersionBumped() {
        Tensor out = Tensor.zeros(2, 5);
        int v = out.version();
        LogSoftmax.forward(Tensor.ones(2, 5), 1, out);
        assertTrue(out.version() > v, "out's version");
        Tensor gx = Tensor.zeros(2, 5);
        int w = gx.version();
        LogSoftmax.backward(Tensor.ones(2, 5), out, 1, gx, false);
        assertTrue(gx.version() > w, "gradIn's version");
    }

    @Test
    void contiguousCallsAllocateNothing() {
        Rng rng = new Rng(4);
        // Along the last dim (rows) and along the first (columns). (A strided input is copied into
        // out by Tensor.copyFrom, whose layout bookkeeping allocates a few hundred bytes a call.)
        Tensor x = Tensor.randn(rng, 16, 37);
        Tensor out = Tensor.zeros(16, 37);
        Tensor g = Tensor.randn(rng, 16, 37);
        Tensor gx = Tensor.zeros(16, 37);
        AllocationMeter.assertAllocationFree("logSoftmax along rows", () -> LogSoftmax.forward(x, 1, out));
        AllocationMeter.assertAllocationFree("logSoftmax along dim 0", () -> LogSoftmax.forward(x, 0, out));
        AllocationMeter.assertAllocationFree("logSoftmaxBackward along dim 0",
                () -> LogSoftmax.backward(g, out, 0, gx, true));
        AllocationMeter.assertAllocationFree("logSoftmaxBackward along rows",
                () -> LogSoftmax.backward(g, out, -1, gx, false));
    }

    @Test
    void logSumExpHasItsClosedFormAndIsTheLogSoftmaxsNormaliser() {
        Tensor x = Tensor.of(new float[] {1f, 2f, 3f, -1f, 0f, 1e4f}, 2, 3);
        Tensor rows = LogSoftmax.logSumExp(x, 1, false);
        assertArrayEquals(new int[] {2}, rows.shape());
        assertEquals(Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3)), rows.get(0), 1e-6);
        assertEquals(1e4f, rows.get(1), 0f, "finite for logits of 1e4");
        Tensor cols = LogSoftmax.logSumExp(x, 0, true);
        assertArrayEquals(new int[] {1, 3}, cols.shape());
        assertEquals(Math.log(Math.exp(1) + Math.exp(-1)), cols.get(0, 0), 1e-6);
        // x - lse is the log-softmax, to within rounding
        Tensor logP = LogSoftmax.forward(x, 1);
        for (int j = 0; j < 3; j++) {
            assertEquals(logP.get(0, j), x.get(0, j) - rows.get(0), 1e-6);
        }
    }

    @Test
    void logSumExpOfZeroDimEmptyAndInfiniteSlices() {
        assertEquals(2.5f, LogSoftmax.logSumExp(Tensor.scalar(2.5f), -1, false).item(), "a 0-d value gives itself");
        assertEquals(0, LogSoftmax.logSumExp(Tensor.scalar(2.5f), 0, true).dim());
        float inf = Float.POSITIVE_INFINITY;
        assertEquals(-inf, LogSoftmax.logSumExp(Tensor.scalar(-inf), 0, false).item());
        Tensor empty = LogSoftmax.logSumExp(Tensor.zeros(3, 0), 1, false);
        assertArrayEquals(new float[] {-inf, -inf, -inf}, empty.toArray(), "the log of an empty sum, as PyTorch");
        Tensor x = Tensor.of(new float[] {-inf, -inf, 1f, inf, Float.NaN, 0f}, 3, 2);
        assertArrayEquals(new float[] {-inf, inf, Float.NaN}, LogSoftmax.logSumExp(x, 1, false).toArray());
    }

    @Test
    void logSumExpOfAStridedViewIsTheContiguousCopysAndChecksItsOut() {
        Tensor base = Tensor.randn(new Rng(41), 7, 19).mul(5f);
        Tensor view = base.t().slice(0, 2, 17);                    // [15, 7], strided
        Tensor expected = LogSoftmax.logSumExp(view.contiguous(), 0, false);
        Tensor out = Tensor.full(-1f, 7);
        assertSame(out, LogSoftmax.logSumExp(view, 0, out));
        assertArrayEquals(expected.toArray(), out.toArray(), 0f);
        assertArrayEquals(expected.toArray(), LogSoftmax.logSumExp(view, 0, Tensor.zeros(1, 7)).toArray(), 0f);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LogSoftmax.logSumExp(view, 0, Tensor.zeros(15)));
        assertMentions(e, "logSumExp", "[7]", "[1, 7]", "[15]");
        assertThrows(IllegalArgumentException.class, () -> LogSoftmax.logSumExp(view, 0, (Tensor) null));
        e = assertThrows(IllegalArgumentException.class, () -> LogSoftmax.logSumExp(view, 0, Tensor.zeros(7, 2).select(1, 0)));
        assertMentions(e, "logSumExp", "strided");
        Tensor flat = Tensor.zeros(8);
        e = assertThrows(IllegalArgumentException.class, () -> LogSoftmax.logSumExp(flat.reshape(2, 4), 1, flat.slice(0, 0, 2)));
        assertMentions(e, "shares storage");
        assertThrows(IndexOutOfBoundsException.class, () -> LogSoftmax.logSumExp(view, 2, false));
        int version = out.version();
        LogSoftmax.logSumExp(view, 0, out);
        assertTrue(out.version() > version, "out's version is bumped");
    }

    @Test
    void logSumExpIntoATensorAllocatesNothingForAContiguousInput() {
        Tensor x = Tensor.randn(new Rng(42), 64, 10);
        Tensor rows = Tensor.zeros(64);
        Tensor cols = Tensor.zeros(1, 10);
        AllocationMeter.assertAllocationFree("logSumExp along rows", () -> LogSoftmax.logSumExp(x, 1, rows));
        AllocationMeter.assertAllocationFree("logSumExp along dim 0", () -> LogSoftmax.logSumExp(x, 0, cols));
    }
}
