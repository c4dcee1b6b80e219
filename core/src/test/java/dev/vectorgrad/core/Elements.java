package dev.vectorgrad.core;

import java.util.ArrayList;
import java.util.List;

/**
 * Test helpers for references computed element by element from {@link Tensor#get}, independent
 * of the loops and kernels under test. Generated values and layouts come from the testkit
 * module's arbitraries; core's tests that need them run there (core cannot depend on the kit).
 */
final class Elements {

    private Elements() {}

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
