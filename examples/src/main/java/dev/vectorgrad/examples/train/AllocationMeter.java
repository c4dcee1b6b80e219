package dev.vectorgrad.examples.train;

import java.lang.management.ManagementFactory;

/**
 * Bytes allocated by the current thread (HotSpot's per-thread counter), to show that a training
 * step allocates next to nothing. Reported per epoch when {@code -Dvectorgrad.reportAllocation=true}.
 */
final class AllocationMeter {

    static final boolean REPORT = Boolean.getBoolean("vectorgrad.reportAllocation");

    private AllocationMeter() {}

    /**
     * @return the CPU time the current thread has used so far, in nanoseconds (0 when not
     *     reporting): unlike wall time, it does not grow when other processes share the cores
     */
    static long cpuNanos() {
        return REPORT ? ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() : 0;
    }

    /** @return the current thread's allocated bytes so far, or 0 if the JVM cannot tell */
    static long bytes() {
        if (!REPORT) {
            return 0;
        }
        if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean hot) {
            return hot.getCurrentThreadAllocatedBytes();
        }
        return 0;
    }
}
