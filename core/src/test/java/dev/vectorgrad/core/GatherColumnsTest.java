package dev.vectorgrad.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * {@link Fused#gatherColumns} and its backward: one element per row picked by an index stored as
 * a float, read on every call; strided matrices, indices and gradients; a bad index named with its
 * row before anything is written; and no allocation.
 */
class GatherColumnsTest {

    private static void assertMentions(Throwable e, String... parts) {
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), () -> "'" + e.getMessage() + "' does not mention '" + p + "'");
        }
    }

    @Test
    void picksOneColumnPerRowAndReadsTheIndicesOnEveryCall() {
        Tensor x = Tensor.arange(12).reshape(3, 4);
        Tensor idx = Tensor.of(new float[] {3, 0, 2}, 3);
        Tensor out = Tensor.zeros(3);
        assertSame(out, Fused.gatherColumns(x, idx, out));
        assertArrayEquals(new float[] {3, 4, 10}, out.toArray());
        idx.copyFrom(Tensor.of(new float[] {1, 1, 3}, 3));
        Fused.gatherColumns(x, idx, out);
        assertArrayEquals(new float[] {1, 5, 11}, out.toArray(), "the new indices are read");
    }

    @Test
    void stridedMatricesIndicesAndGradientsWork() {
        Tensor x = Tensor.arange(12).reshape(4, 3).t();                 // [3, 4], x[i, j] = 3j + i
        Tensor idx = Tensor.of(new float[] {2, 9, 0, 9, 3, 9}, 6).slice(0, 0, 6, 2); // [2, 0, 3], stride 2
        Tensor out = Fused.gatherColumns(x, idx, Tensor.zeros(3));
        assertArrayEquals(new float[] {6, 1, 11}, out.toArray());
        Tensor g = Tensor.of(new float[] {-0f, 7, 5, 7, 2, 7}, 6).slice(0, 0, 6, 2); // [-0, 5, 2]
        Tensor gx = Tensor.full(9f, 3, 4);
        Fused.gatherColumnsBackward(g, idx, gx);
        assertArrayEquals(new float[] {0, 0, -0f, 0, 5, 0, 0, 0, 0, 0, 0, 2}, gx.toArray(), 0f);
        assertEquals(Float.floatToIntBits(-0f), Float.floatToIntBits(gx.get(0, 2)), "the gradient's -0 is kept");
        assertEquals(Float.floatToIntBits(0f), Float.floatToIntBits(gx.get(0, 0)), "everything else is overwritten with +0");
    }

    @Test
    void anEmptyBatchWritesNothing() {
        Tensor out = Fused.gatherColumns(Tensor.zeros(0, 4), Tensor.zeros(0), Tensor.zeros(0));
        assertEquals(0, out.numel());
        Fused.gatherColumnsBackward(Tensor.zeros(0), Tensor.zeros(0), Tensor.zeros(0, 4));
    }

    @Test
    void badArgumentsNameWhatWasExpectedAndWhatCame() {
        Tensor x = Tensor.ones(3, 4);
        Tensor out = Tensor.full(-1f, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Fused.gatherColumns(x, Tensor.of(new float[] {0, 4, 1}, 3), out));
        assertMentions(e, "gatherColumns", "row 1", "4.0", "[0, 4)");
        assertArrayEquals(new float[] {-1, -1, -1}, out.toArray(), "nothing written before the check failed");
        e = assertThrows(IllegalArgumentException.class, () -> Fused.gatherColumns(x, Tensor.of(new float[] {0, 1.5f, 1}, 3), out));
        assertMentions(e, "row 1", "1.5", "whole number");
        e = assertThrows(IllegalArgumentException.class, () -> Fused.gatherColumns(x, Tensor.of(new float[] {0, Float.NaN, 1}, 3), out));
        assertMentions(e, "NaN");
        e = assertThrows(IllegalArgumentException.class, () -> Fused.gatherColumns(x, Tensor.zeros(2), out));
        assertMentions(e, "[3]", "[2]");
        e = assertThrows(IllegalArgumentException.class, () -> Fused.gatherColumns(Tensor.ones(12), Tensor.zeros(12), Tensor.zeros(12)));
        assertMentions(e, "2-d", "[12]");
        e = assertThrows(IllegalArgumentException.class, () -> Fused.gatherColumns(x, Tensor.zeros(3), Tensor.zeros(4)));
        assertMentions(e, "out", "[3]", "[4]");
        e = assertThrows(IllegalArgumentException.class, () -> Fused.gatherColumns(x, Tensor.zeros(3), Tensor.zeros(3, 2).select(1, 0)));
        assertMentions(e, "strided");
        Tensor shared = Tensor.zeros(15);
        e = assertThrows(IllegalArgumentException.class,
                () -> Fused.gatherColumns(shared.slice(0, 0, 12).reshape(3, 4), Tensor.zeros(3), shared.slice(0, 9, 12)));
        assertMentions(e, "shares storage");
        e = assertThrows(IllegalArgumentException.class,
                () -> Fused.gatherColumnsBackward(Tensor.zeros(3), Tensor.zeros(3), Tensor.zeros(3, 4).t()));
        assertMentions(e, "gatherColumnsBackward");
        e = assertThrows(IllegalArgumentException.class,
                () -> Fused.gatherColumnsBackward(Tensor.zeros(2), Tensor.zeros(3), Tensor.zeros(3, 4)));
        assertMentions(e, "gradOut", "[3]", "[2]");
    }

    @Test
    void callsAllocateNothing() {
        Tensor x = Tensor.randn(new Rng(3), 64, 10);
        float[] y = new float[64];
        for (int i = 0; i < 64; i++) {
            y[i] = i % 10;
        }
        Tensor idx = Tensor.of(y, 64);
        Tensor out = Tensor.zeros(64);
        Tensor gx = Tensor.zeros(64, 10);
        AllocationMeter.assertAllocationFree("gatherColumns", () -> Fused.gatherColumns(x, idx, out));
        AllocationMeter.assertAllocationFree("gatherColumnsBackward", () -> Fused.gatherColumnsBackward(out, idx, gx));
    }
}
