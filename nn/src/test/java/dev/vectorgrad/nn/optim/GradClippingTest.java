package dev.vectorgrad.nn.optim;

import static dev.vectorgrad.nn.optim.ParamGroupTest.assertRejected;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vectorgrad.core.Rng;
import dev.vectorgrad.core.Tensor;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Clipping against {@code clip_grad_norm_} and {@code clip_grad_value_} written out in double. */
class GradClippingTest {

    /** Parameters of awkward sizes with random gradients (one transposed, one 0-d, one without a gradient). */
    private static List<Tensor> withGrads(long seed, float scale) {
        Rng rng = new Rng(seed);
        List<Tensor> ps = new ArrayList<>();
        for (int[] shape : new int[][] {{13}, {7, 5}, {1}, {3, 4, 2, 2}, {1021}}) {
            Tensor p = Tensor.randn(rng, shape);
            p.setGrad(Tensor.randn(rng, shape).mul(scale));
            ps.add(p);
        }
        Tensor t = Tensor.randn(rng, 6, 9);
        t.setGrad(Tensor.randn(rng, 9, 6).mul(scale).t()); // a transposed gradient view
        ps.add(t);
        Tensor s = Tensor.scalar(1f);
        s.setGrad(Tensor.scalar(-2f * scale));
        ps.add(s);
        ps.add(Tensor.randn(rng, 4)); // no gradient: skipped
        return ps;
    }

    private static double refNorm(List<Tensor> ps, double p) {
        double acc = 0;
        for (Tensor t : ps) {
            if (t.grad() == null) {
                continue;
            }
            for (float v : t.grad().toArray()) {
                acc = p == Double.POSITIVE_INFINITY ? Math.max(acc, Math.abs(v)) : acc + Math.pow(Math.abs(v), p);
            }
        }
        return p == Double.POSITIVE_INFINITY ? acc : Math.pow(acc, 1 / p);
    }

    private static List<float[]> grads(List<Tensor> ps) {
        List<float[]> out = new ArrayList<>();
        for (Tensor t : ps) {
            out.add(t.grad() == null ? null : t.grad().toArray());
        }
        return out;
    }

    @Test
    void clipGradNormScalesByMaxNormOverTotalPlusEps() {
        for (double p : new double[] {2, Double.POSITIVE_INFINITY, 1, 3}) {
            List<Tensor> ps = withGrads(1, 1f);
            double expected = refNorm(ps, p);
            List<float[]> before = grads(ps);
            float maxNorm = (float) (expected / 4);
            double total = GradClipping.clipGradNorm(ps, maxNorm, p);
            assertEquals(expected, total, expected * 1e-12, "total norm of order " + p);
            double coef = maxNorm / (expected + 1e-6);
            for (int i = 0; i < ps.size(); i++) {
                if (before.get(i) == null) {
                    assertEquals(null, ps.get(i).grad());
                    continue;
                }
                float[] after = ps.get(i).grad().toArray();
                for (int j = 0; j < after.length; j++) {
                    assertEquals(before.get(i)[j] * coef, after[j], 1e-6 * Math.abs(before.get(i)[j]) + 1e-12,
                            "order " + p + " parameter " + i + " element " + j);
                }
            }
            assertEquals(maxNorm, refNorm(ps, p), maxNorm * 1e-5, "clipped to max_norm, order " + p);
        }
    }

    @Test
    void belowMaxNormNothingChangesAndZeroGradientsStayZero() {
        List<Tensor> ps = withGrads(2, 1f);
        List<float[]> before = grads(ps);
        double total = GradClipping.clipGradNorm(ps, (float) (refNorm(ps, 2) * 1.01));
        for (int i = 0; i < ps.size(); i++) {
            if (before.get(i) != null) {
                assertArrayEquals(before.get(i), ps.get(i).grad().toArray(), "no-op below max_norm");
            }
        }
        assertTrue(total > 0);

        List<Tensor> zeros = withGrads(3, 0f);
        assertEquals(0.0, GradClipping.clipGradNorm(zeros, 1f));
        assertEquals(0.0, GradClipping.clipGradNorm(zeros, 0f, Double.POSITIVE_INFINITY), "max_norm 0: coef 0/1e-6");
        for (Tensor t : zeros) {
            if (t.grad() != null) {
                for (float v : t.grad().toArray()) {
                    assertEquals(0f, Math.abs(v), "a zero gradient stays zero, never NaN");
                }
            }
        }
        assertEquals(0.0, GradClipping.clipGradNorm(List.of(Tensor.zeros(3)), 1f), "no gradients: norm 0");
    }

    @Test
    void nonFiniteNormsFollowTorchOrThrowOnRequest() {
        List<Tensor> ps = withGrads(4, 1f);
        ps.get(0).grad().set(Float.POSITIVE_INFINITY, 3);
        List<float[]> before = grads(ps);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> GradClipping.of(ps).clipNorm(1f, 2, true));
        assertTrue(e.getMessage().contains("clipGradNorm: the total norm of order 2.0"), e.getMessage());
        assertArrayEquals(before.get(1), ps.get(1).grad().toArray(), "untouched after the refusal");
        assertEquals(Double.POSITIVE_INFINITY, GradClipping.clipGradNorm(ps, 1f));
        assertEquals(0f, ps.get(1).grad().get(0, 0), "an infinite total gives coef 0, as in torch");
    }

    @Test
    void clipGradValueClampsEveryElement() {
        List<Tensor> ps = withGrads(5, 2f);
        List<float[]> before = grads(ps);
        GradClipping.clipGradValue(ps, 0.5f);
        for (int i = 0; i < ps.size(); i++) {
            if (before.get(i) == null) {
                continue;
            }
            float[] after = ps.get(i).grad().toArray();
            for (int j = 0; j < after.length; j++) {
                assertEquals(Math.max(-0.5f, Math.min(0.5f, before.get(i)[j])), after[j], "parameter " + i + " element " + j);
            }
        }
        assertEquals(-0.5f, ps.get(6).grad().item(), "a 0-d gradient");
    }

    @Test
    void aHeldClipperAllocatesNothing() {
        List<Tensor> ps = withGrads(6, 1f).subList(0, 5); // contiguous gradients only
        GradClipping c = GradClipping.of(ps);
        com.sun.management.ThreadMXBean bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long allocated = Long.MAX_VALUE;
        for (int round = 0; round < 5 && allocated > 0; round++) {
            long before = bean.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 500; i++) {
                c.clipNorm(0.5f);
                c.clipNorm(0.5f, Double.POSITIVE_INFINITY, false);
                c.clipValue(0.1f);
            }
            allocated = bean.getCurrentThreadAllocatedBytes() - before;
        }
        assertTrue(allocated < 1024, "1,500 clips allocated " + allocated + " bytes after warm-up");
    }

    @Test
    void badArgumentsAreRejectedByName() {
        List<Tensor> ps = withGrads(7, 1f);
        assertRejected(() -> GradClipping.clipGradNorm(ps, -1f), "clipGradNorm: max_norm must be finite and >= 0, got -1.0");
        assertRejected(() -> GradClipping.clipGradNorm(ps, 1f, 0.5), "clipGradNorm: norm_type must be >= 1", "got 0.5");
        assertRejected(() -> GradClipping.clipGradValue(ps, Float.NaN), "clipGradValue: clip_value must be finite");
        assertRejected(() -> GradClipping.of((List<Tensor>) null), "GradClipping: the parameter list is null");
    }
}
