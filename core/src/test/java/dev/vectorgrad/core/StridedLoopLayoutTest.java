package dev.vectorgrad.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

/**
 * The strided loop's per-thread layout: how it merges dims, that a loop started inside another
 * gets a layout of its own, and that it grows past its initial room. The loops' results on every
 * layout are checked by the layout properties in the testkit module.
 */
class StridedLoopLayoutTest {

    private static int[] dims(StridedLoop.Layout l) {
        return Arrays.copyOf(l.shape, l.rank);
    }

    @Test
    void mergesWhatIsBackToBackInEveryOperand() {
        Tensor out = Tensor.zeros(3, 4, 5);
        StridedLoop.Layout l = StridedLoop.Layout.begin(out.shapeRef(), 2).operand(0, Tensor.zeros(3, 4, 5)).operand(1, out).coalesce();
        try {
            assertArrayEquals(new int[] {60}, dims(l), "contiguous operands: one run");
        } finally {
            l.release();
        }
        Tensor row = Tensor.zeros(5);
        l = StridedLoop.Layout.begin(out.shapeRef(), 2).operand(0, row).operand(1, out).coalesce();
        try {
            assertArrayEquals(new int[] {12, 5}, dims(l), "a broadcast row: one run per row, the leading dims merged");
            assertEquals(0, l.strides[0][0]);
            assertEquals(1, l.innerStride(0));
            assertEquals(12, l.outerCount());
        } finally {
            l.release();
        }
        Tensor t = Tensor.zeros(5, 4, 3).permute(2, 1, 0);
        l = StridedLoop.Layout.begin(out.shapeRef(), 2).operand(0, t).operand(1, out).coalesce();
        try {
            assertArrayEquals(new int[] {3, 4, 5}, dims(l), "a reversed permutation merges nothing");
            assertEquals(12, l.innerStride(0));
        } finally {
            l.release();
        }
    }

    @Test
    void aLoopInsideALoopGetsItsOwnLayoutAndTheThreadsIsReused() {
        int[] shape = {2, 3};
        StridedLoop.Layout outer = StridedLoop.Layout.begin(shape, 1);
        StridedLoop.Layout inner = StridedLoop.Layout.begin(shape, 1);
        assertNotSame(outer, inner, "a layout in use is not handed out again");
        inner.release();
        outer.release();
        StridedLoop.Layout again = StridedLoop.Layout.begin(shape, 1);
        again.release();
        assertSame(outer, again, "the thread's layout, once given back");
    }

    @Test
    void growsPastItsRoomAndKeepsWorking() {
        int[] shape = new int[StridedLoop.Layout.ROOM + 3];
        Arrays.fill(shape, 2);
        int[] order = new int[shape.length];
        for (int d = 0; d < order.length; d++) {
            order[d] = order.length - 1 - d;
        }
        Tensor x = Tensor.arange(1 << shape.length).reshape(shape).permute(order);
        float[] copy = x.contiguous().toArray();
        for (int j = 0; j < copy.length; j++) {
            // Element j of the reversed permutation sits at j's bits reversed in the source.
            int source = Integer.reverse(j) >>> (32 - shape.length);
            assertEquals(source, copy[j], "element " + j);
        }
        StridedLoop.Layout l = StridedLoop.Layout.begin(x.shapeRef(), 1).operand(0, x).coalesce();
        l.release();
        assertEquals(shape.length, l.rank, "no dim of a reversed permutation merges");
    }
}
