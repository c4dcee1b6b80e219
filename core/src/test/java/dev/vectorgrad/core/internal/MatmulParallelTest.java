package dev.vectorgrad.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/** The pool behind the multi-threaded matmul. */
class MatmulParallelTest {

    @Test
    void everyTaskRunsExactlyOnce() {
        for (int threads = 1; threads <= 3; threads++) {
            AtomicIntegerArray runs = new AtomicIntegerArray(57);
            Parallel.withThreads(threads).forEach(57, runs::incrementAndGet);
            for (int t = 0; t < 57; t++) {
                assertEquals(1, runs.get(t), "task " + t + " with " + threads + " threads");
            }
        }
    }

    @Test
    void theWorkerJoinsWhetherStillSpinningOrParked() throws InterruptedException {
        Parallel pool = Parallel.withThreads(2);
        // pauses shorter and far longer than the spin window: the worker is either polling or parked
        for (long pauseNanos : new long[] {0, Parallel.SPIN_NANOS / 4, 20 * Parallel.SPIN_NANOS}) {
            Thread.sleep(pauseNanos / 1_000_000, (int) (pauseNanos % 1_000_000));
            CountDownLatch bothArrived = new CountDownLatch(2);
            AtomicIntegerArray met = new AtomicIntegerArray(2);
            // Each task waits for the other: only two threads running at once can finish both.
            pool.forEach(2, t -> {
                bothArrived.countDown();
                try {
                    met.set(t, bothArrived.await(10, TimeUnit.SECONDS) ? 1 : 0);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            assertEquals(1, met.get(0), "task 0 after a pause of " + pauseNanos + " ns");
            assertEquals(1, met.get(1), "task 1 after a pause of " + pauseNanos + " ns");
        }
    }

    @Test
    void nestedCallsFromTasksDoNotDeadlock() {
        Parallel pool = Parallel.withThreads(2);
        AtomicIntegerArray runs = new AtomicIntegerArray(4 * 5);
        pool.forEach(4, outer -> pool.forEach(5, inner -> runs.incrementAndGet(outer * 5 + inner)));
        for (int t = 0; t < 20; t++) {
            assertEquals(1, runs.get(t), "task " + t);
        }
    }

    @Test
    void aFailingTaskFailsTheCallAfterTheOthersFinish() {
        AtomicIntegerArray runs = new AtomicIntegerArray(8);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Parallel.withThreads(3).forEach(8, t -> {
                    runs.incrementAndGet(t);
                    if (t == 5) {
                        throw new IllegalStateException("task 5 broke");
                    }
                }));
        assertEquals("task 5 broke", e.getMessage());
        for (int t = 0; t < 8; t++) {
            assertEquals(1, runs.get(t), "task " + t);
        }
    }

    @Test
    void poolsAreCachedPerSize() {
        assertSame(Parallel.withThreads(2), Parallel.withThreads(2));
        assertEquals(3, Parallel.withThreads(3).threads());
    }

    @Test
    void badThreadCountsAreRejectedWithTheirValue() {
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class, () -> Parallel.withThreads(0));
        assertTrue(zero.getMessage().contains("got 0"), zero.getMessage());
        IllegalArgumentException word = assertThrows(IllegalArgumentException.class,
                () -> Parallel.parseThreads("two"));
        assertTrue(word.getMessage().contains(Parallel.THREADS_PROPERTY) && word.getMessage().contains("'two'"),
                word.getMessage());
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> Parallel.parseThreads("-1"));
        assertTrue(negative.getMessage().contains("got -1"), negative.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Kernels.vectorMatmul(0));
    }

    @Test
    void unsetOrBlankMeansOneThreadPerProcessor() {
        int cpus = Runtime.getRuntime().availableProcessors();
        assertEquals(cpus, Parallel.parseThreads(null));
        assertEquals(cpus, Parallel.parseThreads(" "));
        assertEquals(3, Parallel.parseThreads(" 3 "));
    }
}
