package dev.vectorgrad.core;

/**
 * Closeness in units in the last place, for core's own kernel tests (core cannot use the testkit
 * module's {@code TensorAssertions.assertWithinUlps}: the kit depends on core).
 */
final class Ulps {

    private Ulps() {}

    /** Equal with NaN equal to NaN and -0.0 distinct from 0.0. */
    static boolean sameBits(float a, float b) {
        return Float.floatToIntBits(a) == Float.floatToIntBits(b);
    }

    /** Same bits, or both finite and within {@code ulps} ulps of {@code expected} (or 1e-37, a flushed subnormal). */
    static boolean withinUlps(float expected, float actual, int ulps) {
        if (sameBits(expected, actual)) {
            return true;
        }
        return Float.isFinite(expected) && Float.isFinite(actual)
                && (Math.abs(expected - actual) <= ulps * Math.ulp(expected) || Math.abs(expected - actual) <= 1e-37f);
    }
}
