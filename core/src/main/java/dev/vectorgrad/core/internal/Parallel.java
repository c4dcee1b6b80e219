package dev.vectorgrad.core.internal;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;

/**
 * The project's own thread pool for kernels: {@code threads - 1} daemon workers plus the
 * calling thread, which always takes part.
 *
 * <p>A call splits its work into numbered tasks; whoever is free claims the next unclaimed
 * number, and the caller keeps claiming until none is left, then waits for the tasks still
 * running. So a call made from inside a worker (or while every worker is busy) cannot
 * deadlock: the caller simply runs the tasks itself. Which thread runs a task must not change
 * the result; the matmul guarantees that by computing every output element with the same
 * arithmetic sequence whatever the split.
 *
 * <p>An idle worker polls for new work for {@link #SPIN_NANOS} before it parks, and so does a
 * caller waiting for the last tasks: handing work to a parked thread costs tens to hundreds of
 * microseconds on a virtual machine, and kernels hand work over in quick succession.
 *
 * <p>System property {@value #THREADS_PROPERTY} sets the size of {@link #shared()}; unset means
 * {@link Runtime#availableProcessors()}.
 */
public final class Parallel {

    /** The property that sets the number of threads of the shared pool. */
    public static final String THREADS_PROPERTY = "vectorgrad.threads";

    private static final ConcurrentHashMap<Integer, Parallel> POOLS = new ConcurrentHashMap<>();

    /** How long an idle worker, or a caller waiting for the last tasks, polls before parking. */
    static final long SPIN_NANOS = 200_000;

    private final int threads;
    private final BlockingQueue<Job> queue = new LinkedBlockingQueue<>();

    private Parallel(int threads) {
        this.threads = threads;
        for (int i = 1; i < threads; i++) {
            Thread worker = new Thread(this::workLoop, "vectorgrad-worker-" + threads + "-" + i);
            // Daemon: a forgotten pool must never keep the JVM alive.
            worker.setDaemon(true);
            worker.start();
        }
    }

    /** The pool sized by {@value #THREADS_PROPERTY}, created on first use. */
    public static Parallel shared() {
        return withThreads(defaultThreads());
    }

    /**
     * The pool of exactly {@code threads} threads (the caller included). Pools are cached per
     * size, so asking again never starts more threads.
     *
     * @throws IllegalArgumentException if {@code threads < 1}
     */
    public static Parallel withThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("Parallel.withThreads: expected at least 1 thread, got " + threads);
        }
        return POOLS.computeIfAbsent(threads, Parallel::new);
    }

    /**
     * The thread count asked for by {@value #THREADS_PROPERTY}, or the number of processors.
     *
     * @throws IllegalArgumentException if the property is not a positive integer
     */
    public static int defaultThreads() {
        return parseThreads(System.getProperty(THREADS_PROPERTY));
    }

    /** Parses a value of {@value #THREADS_PROPERTY}; null or blank means the processor count. */
    static int parseThreads(String value) {
        if (value == null || value.isBlank()) {
            return Runtime.getRuntime().availableProcessors();
        }
        int threads;
        try {
            threads = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    THREADS_PROPERTY + ": expected a positive integer, got '" + value + "'", e);
        }
        if (threads < 1) {
            throw new IllegalArgumentException(THREADS_PROPERTY + ": expected a positive integer, got " + threads);
        }
        return threads;
    }

    /** Number of threads that can run tasks at once, the caller included. */
    public int threads() {
        return threads;
    }

    /**
     * Runs {@code task.accept(t)} for every {@code t} in {@code [0, tasks)}, spread over the pool,
     * and returns when all have finished. The first exception thrown by a task is rethrown here
     * once every task has finished or failed.
     */
    public void forEach(int tasks, IntConsumer task) {
        if (tasks <= 1 || threads == 1) {
            for (int t = 0; t < tasks; t++) {
                task.accept(t);
            }
            return;
        }
        Job job = new Job(tasks, task);
        int helpers = Math.min(tasks - 1, threads - 1);
        for (int i = 0; i < helpers; i++) {
            queue.add(job);
        }
        job.runTasks();
        job.awaitAll();
    }

    private void workLoop() {
        while (true) {
            Job job = spinForJob();
            if (job == null) {
                try {
                    job = queue.take();
                } catch (InterruptedException e) {
                    continue; // nobody but the JVM's shutdown should interrupt a daemon worker
                }
            }
            job.runTasks();
        }
    }

    /**
     * Polls for a job for up to {@link #SPIN_NANOS} before the worker parks. Why: a matmul makes
     * two calls in a row (pack B, then multiply) and training makes thousands, while waking a
     * parked thread costs 50-200 µs on a virtual machine, a tenth of a 512³ product on two
     * threads. {@code isEmpty()} of a LinkedBlockingQueue reads its atomic count, so the spinning
     * takes no lock.
     */
    private Job spinForJob() {
        long deadline = System.nanoTime() + SPIN_NANOS;
        do {
            if (!queue.isEmpty()) {
                Job job = queue.poll();
                if (job != null) {
                    return job;
                }
            }
            Thread.onSpinWait();
        } while (System.nanoTime() - deadline < 0);
        return null;
    }

    /** One call's tasks: a counter to claim them, a latch counting the finished ones. */
    private static final class Job {
        private final int tasks;
        private final IntConsumer task;
        private final AtomicInteger next = new AtomicInteger();
        private final CountDownLatch done;
        private final AtomicReference<Throwable> failure = new AtomicReference<>();

        Job(int tasks, IntConsumer task) {
            this.tasks = tasks;
            this.task = task;
            this.done = new CountDownLatch(tasks);
        }

        void runTasks() {
            int t;
            while ((t = next.getAndIncrement()) < tasks) {
                try {
                    task.accept(t);
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                } finally {
                    done.countDown();
                }
            }
        }

        void awaitAll() {
            // The last tasks usually end within microseconds of the caller's own: spin first, as
            // parking and being woken costs far more on a virtual machine (see spinForJob).
            long deadline = System.nanoTime() + SPIN_NANOS;
            while (done.getCount() > 0 && System.nanoTime() - deadline < 0) {
                Thread.onSpinWait();
            }
            boolean interrupted = false;
            while (true) {
                try {
                    done.await();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true; // the tasks still write into the caller's arrays: wait them out
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            Throwable e = failure.get();
            if (e instanceof RuntimeException re) {
                throw re;
            }
            if (e instanceof Error err) {
                throw err;
            }
            if (e != null) {
                throw new IllegalStateException("Parallel.forEach: a task failed", e);
            }
        }
    }
}
