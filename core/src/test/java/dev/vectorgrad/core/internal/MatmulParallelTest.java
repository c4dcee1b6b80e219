package dev.vectorgrad.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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

    /**
     * Parked workers wake for every call (each task waits for all the others, so a worker that
     * missed its wake-up fails the call), and parking allocates nothing on the workers: the
     * queue's blocking take() allocated a node each time.
     */
    @Test
    void parkedWorkersWakeForEveryCallAndAllocateNothing() throws InterruptedException {
        int threads = 3;
        Parallel pool = Parallel.withThreads(threads);
        com.sun.management.ThreadMXBean bean =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long[] workers = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("vectorgrad-worker-" + threads + "-"))
                .mapToLong(Thread::threadId).toArray();
        assertEquals(threads - 1, workers.length, "the pool's workers");
        long before = 0;
        int rounds = 40;
        int warmUp = 10;
        for (int round = 0; round < rounds; round++) {
            if (round == warmUp) {
                before = sum(bean.getThreadAllocatedBytes(workers));
            }
            Thread.sleep(TimeUnit.NANOSECONDS.toMillis(10 * Parallel.SPIN_NANOS)); // long enough to park
            // A spinning barrier, not a latch: a latch's timed wait allocates on the worker too.
            AtomicInteger arrived = new AtomicInteger();
            AtomicIntegerArray met = new AtomicIntegerArray(threads);
            pool.forEach(threads, t -> {
                arrived.incrementAndGet();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (arrived.get() < threads && System.nanoTime() - deadline < 0) {
                    Thread.onSpinWait();
                }
                met.set(t, arrived.get() == threads ? 1 : 0);
            });
            for (int t = 0; t < threads; t++) {
                assertEquals(1, met.get(t), "task " + t + " of round " + round);
            }
        }
        long bytes = sum(bean.getThreadAllocatedBytes(workers)) - before;
        assertTrue(bytes < 1024, () -> "the workers allocated " + bytes + " bytes over " + (rounds - warmUp)
                + " parks and wake-ups each; expected fewer than 1024");
    }

    private static long sum(long[] values) {
        long s = 0;
        for (long v : values) {
            s += v;
        }
        return s;
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
