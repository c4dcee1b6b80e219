package dev.vectorgrad.core.internal;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
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
    /** Offers of help to the workers; an array so that handing over a job allocates nothing. */
    private final BlockingQueue<Job> queue = new ArrayBlockingQueue<>(256);

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
     * once every task has finished or failed. Allocates nothing once the calling thread has made
     * one call: each caller reuses its own {@link Job}.
     */
    public void forEach(int tasks, IntConsumer task) {
        if (tasks <= 1 || threads == 1) {
            for (int t = 0; t < tasks; t++) {
                task.accept(t);
            }
            return;
        }
        if (tasks > Job.MAX_TASKS) {
            throw new IllegalArgumentException("Parallel.forEach: at most " + Job.MAX_TASKS + " tasks, got " + tasks);
        }
        Job job = jobs.get();
        if (job.busy) {
            job = new Job(); // a task of this thread's own call calls forEach again
        }
        job.start(tasks, task);
        int helpers = Math.min(tasks - 1, threads - 1);
        for (int i = 0; i < helpers; i++) {
            // A full queue means the workers are far behind: the caller then runs the tasks itself.
            if (!queue.offer(job)) {
                break;
            }
        }
        try {
            job.runTasks();
            job.awaitAll();
        } finally {
            job.busy = false;
        }
    }

    private final ThreadLocal<Job> jobs = ThreadLocal.withInitial(Job::new);

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
     * threads. {@code isEmpty()} of an ArrayBlockingQueue takes its lock briefly; polling it
     * between spin hints costs nothing measurable next to a kernel.
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

    /**
     * One caller's tasks, reused from call to call. Trick: the task count and the next index share
     * one {@code long}, replaced whole when a call starts, so a claim is one atomic increment that
     * also says whether it is in range. A worker holding a stale queue entry for a finished call
     * claims an index past the count and leaves; one whose claim is in range knows the call it
     * belongs to cannot finish (and the job be reused) before its task is done, so the task it
     * reads is that call's.
     */
    private static final class Job {
        static final int MAX_TASKS = (1 << 20) - 1;
        private static final int INDEX_BITS = 20;
        private static final long INDEX_MASK = (1L << INDEX_BITS) - 1;

        /** Task count (bits 20-39) and next index (bits 0-19). */
        private final AtomicLong claim = new AtomicLong();
        private final AtomicInteger remaining = new AtomicInteger();
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private volatile IntConsumer task;
        private volatile Thread waiter;
        boolean busy;

        void start(int tasks, IntConsumer t) {
            busy = true;
            failure.set(null);
            task = t;
            remaining.set(tasks);
            // Published last: a claim in range sees the task and count above.
            claim.set((long) tasks << INDEX_BITS);
        }

        void runTasks() {
            while (true) {
                long c = claim.getAndIncrement();
                int index = (int) (c & INDEX_MASK);
                int tasks = (int) ((c >>> INDEX_BITS) & INDEX_MASK);
                if (index >= tasks) {
                    return;
                }
                try {
                    task.accept(index);
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                } finally {
                    if (remaining.decrementAndGet() == 0) {
                        Thread w = waiter;
                        if (w != null) {
                            LockSupport.unpark(w);
                        }
                    }
                }
            }
        }

        void awaitAll() {
            // The last tasks usually end within microseconds of the caller's own: spin first, as
            // parking and being woken costs far more on a virtual machine (see spinForJob).
            long deadline = System.nanoTime() + SPIN_NANOS;
            while (remaining.get() > 0 && System.nanoTime() - deadline < 0) {
                Thread.onSpinWait();
            }
            if (remaining.get() > 0) {
                waiter = Thread.currentThread();
                boolean interrupted = false;
                while (remaining.get() > 0) {
                    LockSupport.park(this);
                    // the tasks still write into the caller's arrays: wait them out even if interrupted
                    interrupted |= Thread.interrupted();
                }
                waiter = null;
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
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
