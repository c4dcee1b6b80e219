package dev.vectorgrad.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Test helpers: the same logical 2-d values laid out in different ways (contiguous,
 * transposed, strided slices, offsets, expanded), and references computed element by element
 * from {@link Tensor#get}, independent of the loops and kernels under test.
 */
final class Layouts {

    private Layouts() {}

    /** Every multi-index of a shape, row-major. */
    static List<int[]> indices(int[] shape) {
        List<int[]> out = new ArrayList<>();
        int n = 1;
        for (int s : shape) {
            n *= s;
        }
        for (int flat = 0; flat < n; flat++) {
            int[] idx = new int[shape.length];
            int rest = flat;
            for (int d = shape.length - 1; d >= 0; d--) {
                idx[d] = rest % shape[d];
                rest /= shape[d];
            }
            out.add(idx);
        }
        return out;
    }

    /** Random values, a quarter of them small integers so comparisons and arg-extremes see ties. */
    static Tensor values(Rng rng, int... shape) {
        Tensor t = Tensor.randn(rng, shape);
        for (int[] idx : indices(shape)) {
            if (rng.nextInt(4) == 0) {
                t.set(rng.nextInt(5) - 2, idx);
            }
        }
        return t;
    }

    /** An r x c tensor in several layouts, by name; each holds its own random values. */
    static Map<String, Tensor> twoDim(Rng rng, int r, int c) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("contiguous", values(rng, r, c));
        m.put("transposed", values(rng, c, r).t());
        m.put("sliced step 2", values(rng, 2 * r + 1, c + 3).slice(0, 1, 1 + 2 * r, 2).slice(1, 2, 2 + c));
        m.put("column step 2", values(rng, r, 2 * c).slice(1, 0, 2 * c, 2));
        m.put("row offset", values(rng, r + 2, c).slice(0, 2, r + 2));
        m.put("expanded row", values(rng, 1, c).expand(r, c));
        m.put("expanded column", values(rng, r, 1).expand(r, c));
        m.put("permuted 3-d select", values(rng, c, 2, r).permute(1, 2, 0).select(0, 1));
        return m;
    }

    /** A plain copy through get/set only. */
    static float[] elements(Tensor t) {
        List<int[]> idx = indices(t.shape());
        float[] out = new float[idx.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = t.get(idx.get(i));
        }
        return out;
    }

    /** Equal with NaN equal to NaN and -0.0 distinct from 0.0. */
    static boolean sameBits(float a, float b) {
        return Float.floatToIntBits(a) == Float.floatToIntBits(b);
    }

    static boolean withinUlps(float expected, float actual, int ulps) {
        if (sameBits(expected, actual)) {
            return true;
        }
        return Float.isFinite(expected) && Float.isFinite(actual)
                && (Math.abs(expected - actual) <= ulps * Math.ulp(expected) || Math.abs(expected - actual) <= 1e-37f);
    }
}
