package dev.vectorgrad.core.internal;

/** Assertions the kernel property tests share: bit-exact arrays, and nothing written outside a run. */
final class KernelAssertions {

    private KernelAssertions() {}

    /** Every element of {@code actual} has {@code expected}'s bits (NaN payloads and the sign of 0 included). */
    static void assertSameBits(float[] expected, float[] actual, String what) {
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToIntBits(expected[i]) != Float.floatToIntBits(actual[i])) {
                throw new AssertionError(what + ": at " + i + " expected " + expected[i] + " but was " + actual[i]);
            }
        }
    }

    /** Every element of {@code a} outside {@code [off, off + n)} still holds {@code sentinel}. */
    static void assertSentinels(float sentinel, float[] a, int off, int n, String what) {
        for (int i = 0; i < a.length; i++) {
            if ((i < off || i >= off + n) && Float.floatToIntBits(a[i]) != Float.floatToIntBits(sentinel)) {
                throw new AssertionError(what + ": written outside [" + off + ", " + (off + n) + ") at " + i
                        + ": " + a[i] + " in place of the sentinel " + sentinel);
            }
        }
    }
}
