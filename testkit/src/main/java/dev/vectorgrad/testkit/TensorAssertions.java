package dev.vectorgrad.testkit;

import java.util.Arrays;

import dev.vectorgrad.core.Tensor;

/**
 * Assertions that two tensors hold close values, with messages that say where and by how much
 * they differ: both shapes, the worst element's index, both values, the difference, the bound,
 * and how many elements are out of bounds. Any layouts may be compared (views are read element
 * by element in row-major order). They throw {@link AssertionError}, which every test framework
 * reports as a failure.
 */
public final class TensorAssertions {

    private TensorAssertions() {}

    /**
     * The lesson's {@code test_close(a, b, eps)} (fastcore), with the meaning of core's
     * {@code Closeness.testClose}: shapes equal (no broadcasting, so a wrong shape cannot pass
     * by accident) and {@code |actual - expected| < eps} for every element; a NaN on either side
     * is never close.
     *
     * @param actual what the code under test computed
     * @param expected the reference
     * @param eps the absolute tolerance, positive
     * @throws AssertionError naming the shapes, or the worst element, its index and both values
     * @throws IllegalArgumentException when a tensor is null or {@code eps} is not positive
     */
    public static void assertClose(Tensor actual, Tensor expected, double eps) {
        assertClose("", actual, expected, eps);
    }

    /**
     * {@link #assertClose(Tensor, Tensor, double)} with a description that starts the message.
     *
     * @param what what is compared, e.g. {@code "dL/dw1"}
     * @param actual what the code under test computed
     * @param expected the reference
     * @param eps the absolute tolerance, positive
     */
    public static void assertClose(String what, Tensor actual, Tensor expected, double eps) {
        if (!(eps > 0)) {
            throw new IllegalArgumentException("assertClose: expected eps > 0, got " + eps);
        }
        compare(what, "assertClose", actual, expected, 0, eps, false, true);
    }

    /**
     * PyTorch's {@code allclose} as an assertion, on equal shapes: {@code actual == expected}
     * (equal infinities too) or {@code |actual - expected| <= atol + rtol * |expected|} for
     * every element.
     *
     * @param actual what the code under test computed
     * @param expected the reference
     * @param rtol relative tolerance, not negative
     * @param atol absolute tolerance, not negative
     * @param equalNan whether a NaN in both at the same index counts as close
     * @throws AssertionError naming the shapes, or the worst element, its index and both values
     * @throws IllegalArgumentException when a tensor is null or a tolerance negative
     */
    public static void assertAllClose(Tensor actual, Tensor expected, double rtol, double atol, boolean equalNan) {
        assertAllClose("", actual, expected, rtol, atol, equalNan);
    }

    /**
     * {@link #assertAllClose(Tensor, Tensor, double, double, boolean)} with a description that
     * starts the message.
     *
     * @param what what is compared
     * @param actual what the code under test computed
     * @param expected the reference
     * @param rtol relative tolerance, not negative
     * @param atol absolute tolerance, not negative
     * @param equalNan whether a NaN in both at the same index counts as close
     */
    public static void assertAllClose(String what, Tensor actual, Tensor expected, double rtol, double atol,
                                      boolean equalNan) {
        if (!(rtol >= 0) || !(atol >= 0)) {
            throw new IllegalArgumentException("assertAllClose: expected rtol >= 0 and atol >= 0, got rtol=" + rtol
                    + ", atol=" + atol);
        }
        compare(what, "assertAllClose", actual, expected, rtol, atol, equalNan, false);
    }

    /**
     * Bitwise equality, element by element (NaN equals NaN, {@code -0.0} differs from {@code 0.0}):
     * for kernels that must match their scalar twin exactly.
     *
     * @param actual what the code under test computed
     * @param expected the reference
     * @throws AssertionError naming the first differing element, its index and both values
     */
    public static void assertSameBits(Tensor actual, Tensor expected) {
        requireTensors("assertSameBits", actual, expected);
        checkShapes("", "assertSameBits", actual, expected);
        float[] a = actual.toArray();
        float[] e = expected.toArray();
        for (int i = 0; i < a.length; i++) {
            if (Float.floatToIntBits(a[i]) != Float.floatToIntBits(e[i])) {
                throw new AssertionError("assertSameBits: first differing element at index "
                        + Arrays.toString(unflatten(i, actual.shape())) + " of shape " + Arrays.toString(actual.shape())
                        + ": actual " + a[i] + " (bits 0x" + Integer.toHexString(Float.floatToRawIntBits(a[i]))
                        + "), expected " + e[i] + " (bits 0x" + Integer.toHexString(Float.floatToRawIntBits(e[i])) + ")");
            }
        }
    }

    /**
     * Equality within {@code ulps} units in the last place of the expected value, element by
     * element: for a kernel against its reference where the rounding is known ({@code exp} within
     * 4 ulps). Same bits always pass (NaN equals NaN); otherwise both must be finite and
     * {@code |actual - expected| <= ulps * ulp(expected)}, or within {@code 1e-37} (a flush of a
     * subnormal result).
     *
     * @param actual what the code under test computed
     * @param expected the reference
     * @param ulps the allowed units in the last place, not negative (0 means same bits)
     * @throws AssertionError naming the first element out of bounds, its index and both values
     * @throws IllegalArgumentException when {@code ulps} is negative or a tensor null
     */
    public static void assertWithinUlps(Tensor actual, Tensor expected, int ulps) {
        if (ulps < 0) {
            throw new IllegalArgumentException("assertWithinUlps: expected ulps >= 0, got " + ulps);
        }
        requireTensors("assertWithinUlps", actual, expected);
        checkShapes("", "assertWithinUlps", actual, expected);
        float[] a = actual.toArray();
        float[] e = expected.toArray();
        for (int i = 0; i < a.length; i++) {
            if (Float.floatToIntBits(a[i]) == Float.floatToIntBits(e[i])) {
                continue;
            }
            float d = Math.abs(e[i] - a[i]);
            if (Float.isFinite(a[i]) && Float.isFinite(e[i]) && (d <= ulps * Math.ulp(e[i]) || d <= 1e-37f)) {
                continue;
            }
            throw new AssertionError("assertWithinUlps: first element beyond " + ulps + " ulps at index "
                    + Arrays.toString(unflatten(i, actual.shape())) + " of shape " + Arrays.toString(actual.shape())
                    + ": actual " + a[i] + ", expected " + e[i] + " (" + (Float.isFinite(d) ? d / Math.ulp(e[i]) : d)
                    + " ulps)");
        }
    }

    /**
     * One loop for both meanings: {@code strict} is test_close's {@code |d| < eps}, otherwise
     * allclose's {@code |d| <= atol + rtol * |e|} with equal values always close.
     */
    private static void compare(String what, String op, Tensor actual, Tensor expected, double rtol, double atol,
                                boolean equalNan, boolean strict) {
        requireTensors(op, actual, expected);
        checkShapes(what, op, actual, expected);
        float[] a = actual.toArray();
        float[] e = expected.toArray();
        int worst = -1;
        double worstExcess = Double.NEGATIVE_INFINITY;
        int bad = 0;
        for (int i = 0; i < a.length; i++) {
            double bound = atol + rtol * Math.abs((double) e[i]);
            double d = Math.abs((double) a[i] - e[i]);
            boolean close;
            if (Float.isNaN(a[i]) || Float.isNaN(e[i])) {
                close = equalNan && Float.isNaN(a[i]) && Float.isNaN(e[i]);
            } else if (strict) {
                close = d < bound;
            } else {
                close = a[i] == e[i] || (Double.isFinite(d) && d <= bound);
            }
            if (close) {
                continue;
            }
            bad++;
            // Ranked by how far past its bound an element lies; NaN and infinite differences rank first.
            double excess = Double.isFinite(d) ? d - bound : Double.POSITIVE_INFINITY;
            if (worst < 0 || excess > worstExcess) {
                worst = i;
                worstExcess = excess;
            }
        }
        if (bad == 0) {
            return;
        }
        double d = Math.abs((double) a[worst] - e[worst]);
        String rule = strict ? "|actual - expected| < eps " + atol
                : "|actual - expected| <= atol + rtol * |expected| = " + (atol + rtol * Math.abs((double) e[worst]))
                + " (rtol " + rtol + ", atol " + atol + ")";
        throw new AssertionError(prefix(what) + op + ": " + bad + " of " + a.length + " elements of shape "
                + Arrays.toString(actual.shape()) + " are not close; worst at index "
                + Arrays.toString(unflatten(worst, actual.shape())) + ": actual " + a[worst] + ", expected "
                + e[worst] + ", |diff| " + d + ", need " + rule);
    }

    private static void checkShapes(String what, String op, Tensor actual, Tensor expected) {
        if (!Arrays.equals(actual.shape(), expected.shape())) {
            throw new AssertionError(prefix(what) + op + ": shapes differ: actual " + Arrays.toString(actual.shape())
                    + ", expected " + Arrays.toString(expected.shape()));
        }
    }

    private static void requireTensors(String op, Tensor actual, Tensor expected) {
        if (actual == null || expected == null) {
            throw new IllegalArgumentException(op + ": expected two tensors, got actual=" + (actual == null ? "null" : "a tensor")
                    + ", expected=" + (expected == null ? "null" : "a tensor"));
        }
    }

    private static String prefix(String what) {
        return what == null || what.isEmpty() ? "" : what + ": ";
    }

    /** The row-major multi-index of flat position {@code flat}. */
    static int[] unflatten(int flat, int[] shape) {
        int[] idx = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            idx[d] = flat % shape[d];
            flat /= shape[d];
        }
        return idx;
    }
}
