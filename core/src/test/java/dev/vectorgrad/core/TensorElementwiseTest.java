package dev.vectorgrad.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Elementwise ops at IEEE special values, on 0-d and empty tensors, and in place through views.
 * Every op on every layout (and on pairs of layouts, and broadcast) is checked by
 * {@code ElementwiseLayoutProperties} in the testkit module, over the kit's generated views.
 */
class TensorElementwiseTest {

    @Test
    void specialValuesFollowIeeeAndPyTorch() {
        Tensor x = Tensor.of(new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0f, 0f, -2f});
        assertTrue(Float.isNaN(x.relu().get(0)), "relu(NaN) is NaN");
        assertEquals(0f, x.relu().get(3));
        assertEquals(Float.POSITIVE_INFINITY, x.div(Tensor.zeros(6)).get(1));
        assertTrue(Float.isNaN(x.div(Tensor.zeros(6)).get(4)), "0/0 is NaN");
        assertEquals(Float.NEGATIVE_INFINITY, x.log().get(4));
        assertTrue(Float.isNaN(x.sqrt().get(5)));
        assertArrayEquals(new float[] {0, 0, 0, 1, 1, 0}, x.eq(0f).toArray(), "-0.0 == 0.0; NaN equals nothing");
        assertArrayEquals(new float[] {1, 1, 1, 0, 0, 1}, x.ne(0f).toArray());
        assertTrue(Float.isNaN(x.maximum(Tensor.zeros(6)).get(0)), "maximum propagates NaN");
        assertTrue(Float.isNaN(x.clampMax(1f).get(0)), "clamp keeps NaN");
        assertEquals(0f, Tensor.of(new float[] {3f}).pow(0f).get(0) - 1f);
    }

    @Test
    void zeroDimAndEmptyTensors() {
        Tensor s = Tensor.scalar(3f);
        assertEquals(0, s.dim());
        assertEquals(1, s.numel());
        assertEquals(-3f, s.neg().item());
        assertEquals(0, s.add(Tensor.scalar(2f)).dim());
        assertEquals(5f, s.add(Tensor.scalar(2f)).item());
        assertArrayEquals(new float[] {4f, 5f}, s.add(Tensor.of(new float[] {1f, 2f})).toArray());
        Tensor e = Tensor.zeros(0, 3);
        assertArrayEquals(new int[] {0, 3}, e.neg().shape());
        assertArrayEquals(new int[] {0, 3}, e.add(Tensor.ones(3)).shape());
        assertArrayEquals(new int[] {2, 0}, Tensor.zeros(2, 1).mul(Tensor.zeros(0)).shape());
    }

    @Test
    void inPlaceOpsWriteThroughViewsAndBumpTheVersion() {
        Rng rng = new Rng(4);
        Tensor base = Tensor.randn(rng, 5, 6);
        float[] original = base.toArray();
        Tensor view = base.slice(0, 1, 5, 2).t(); // rows 1 and 3, transposed: 6 x 2
        Tensor other = Tensor.randn(rng, 6, 2);
        int v0 = base.version();
        view.addScaledInPlace(0.5f, other);
        assertEquals(v0 + 1, base.version(), "the source sees the view's edit count");
        assertEquals(base.version(), view.version());
        for (int i = 0; i < 5; i++) {
            for (int j = 0; j < 6; j++) {
                float expected = original[i * 6 + j];
                if (i == 1 || i == 3) {
                    expected += 0.5f * other.get(j, (i - 1) / 2);
                }
                assertEquals(expected, base.get(i, j), 0f, "at " + i + "," + j);
            }
        }
        List<Runnable> edits = List.of(
                () -> view.addInPlace(other), () -> view.subInPlace(other), () -> view.mulInPlace(2f),
                () -> view.mulInPlace(Tensor.ones(2)), () -> view.copyFrom(other), () -> view.fillInPlace(1f),
                () -> view.zeroInPlace(), () -> view.set(3f, 0, 0));
        for (Runnable edit : edits) {
            int before = base.version();
            edit.run();
            assertEquals(before + 1, base.version());
        }
        assertEquals(3f, base.get(1, 0));
        assertEquals(0f, base.get(3, 5));
        assertEquals(original[0], base.get(0, 0), "rows outside the view untouched");
        int before = base.version();
        base.add(1f);
        base.slice(0, 0, 2).sum();
        assertEquals(before, base.version(), "out-of-place ops do not count as edits");
    }

    @Test
    void inPlaceOpsWithBroadcastAndAliasedSources() {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        x.addInPlace(Tensor.of(new float[] {10, 20, 30}));
        assertArrayEquals(new float[] {11, 22, 33, 14, 25, 36}, x.toArray());
        x.mulInPlace(Tensor.of(new float[] {1, 2}, 2, 1));
        assertArrayEquals(new float[] {11, 22, 33, 28, 50, 72}, x.toArray());
        // Source overlapping the destination: read as it was before the edit.
        Tensor y = Tensor.arange(6);
        y.slice(0, 1, 6).copyFrom(y.slice(0, 0, 5));
        assertArrayEquals(new float[] {0, 0, 1, 2, 3, 4}, y.toArray());
        Tensor z = Tensor.arange(4).reshape(2, 2);
        z.addInPlace(z.t());
        assertArrayEquals(new float[] {0, 3, 3, 6}, z.toArray());
        Tensor w = Tensor.arange(3);
        w.addInPlace(w);
        assertArrayEquals(new float[] {0, 2, 4}, w.toArray());
        Tensor col = Tensor.zeros(3, 4).t(); // transposed destination with a broadcast source
        col.addScaledInPlace(2f, Tensor.scalar(1.5f));
        assertArrayEquals(new float[] {3f, 3f, 3f, 3f, 3f, 3f, 3f, 3f, 3f, 3f, 3f, 3f}, col.toArray());
    }

    @Test
    void expInPlaceGivesExpsBitsOnAViewAndLeavesTheRestAlone() {
        Tensor base = Tensor.randn(new Rng(12), 6, 19).mul(20f);
        Tensor expected = base.t().exp();
        Tensor view = base.slice(0, 1, 5).t();              // [19, 4], strided
        Tensor before = base.copy();
        int version = base.version();
        assertTrue(view == view.expInPlace(), "returns this");
        assertArrayEquals(expected.slice(1, 1, 5).toArray(), view.toArray());
        assertArrayEquals(before.select(0, 0).toArray(), base.select(0, 0).toArray(), "row 0 is outside the view");
        assertArrayEquals(before.select(0, 5).toArray(), base.select(0, 5).toArray(), "row 5 is outside the view");
        assertTrue(base.version() > version, "an in-place write bumps the version");
    }
}
