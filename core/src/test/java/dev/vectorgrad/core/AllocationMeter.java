package dev.vectorgrad.core;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;

/**
 * Measures the bytes the current thread allocates over many calls of an operation, after a
 * warm-up long enough for C2 to compile it (and its vector kernels to be intrinsified).
 */
final class AllocationMeter {

    /** Calls measured per round. */
    static final int CALLS = 10_000;
    /** Most bytes allowed over {@link #CALLS} calls: a small constant, not one byte a call. */
    static final long LIMIT = 1024;
    private static final int WARM_UP = 30_000;
    /**
     * Rounds tried before failing: C2 compiles in the background, so the first round may still
     * run interpreted code, which boxes every vector. An operation that allocates on every
     * call fails every round.
     */
    private static final int ROUNDS = 4;

    private AllocationMeter() {}

    private static com.sun.management.ThreadMXBean bean() {
        boolean supported = ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean hot
                && hot.isThreadAllocatedMemorySupported() && hot.isThreadAllocatedMemoryEnabled();
        assumeTrue(supported, "this JVM cannot count a thread's allocated bytes");
        return (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    }

    /**
     * Warms {@code op} up and asserts that some round of {@link #CALLS} calls allocated fewer
     * than {@link #LIMIT} bytes.
     */
    static void assertAllocationFree(String what, Runnable op) {
        com.sun.management.ThreadMXBean bean = bean();
        for (int i = 0; i < WARM_UP; i++) {
            op.run();
        }
        long best = Long.MAX_VALUE;
        for (int round = 0; round < ROUNDS && best >= LIMIT; round++) {
            long before = bean.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < CALLS; i++) {
                op.run();
            }
            best = Math.min(best, bean.getCurrentThreadAllocatedBytes() - before);
        }
        long bytes = best;
        assertTrue(bytes < LIMIT, () -> what + ": " + bytes + " bytes allocated over " + CALLS
                + " calls after warm-up (best of " + ROUNDS + " rounds); expected fewer than " + LIMIT);
    }
}
