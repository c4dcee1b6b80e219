package dev.vectorgrad.core.internal;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
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
    /**
     * How many offers the queue holds, as a hint read without the queue's lock: a spinning
     * worker polls it, so it never contends for the lock with a caller making an offer.
     */
    private final AtomicInteger offered = new AtomicInteger();
    /**
     * Each worker while it is parked (or about to park) waiting for an offer, else null. Why not
     * the queue's blocking {@code take()}: its condition wait allocates a node every time the
     * worker parks, so a two-thread training step allocated on the worker between steps.
     */
    private final AtomicReferenceArray<Thread> sleepers;

    private Parallel(int threads) {
        this.threads = threads;
        this.sleepers = new AtomicReferenceArray<>(Math.max(threads - 1, 0));
        for (int i = 1; i < threads; i++) {
            int slot = i - 1;
            Thread worker = new Thread(() -> workLoop(slot), "vectorgrad-worker-" + threads + "-" + i);
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
            offered.incrementAndGet();
        }
        wakeSleepers();
        try {
            job.runTasks();
            job.awaitAll();
        } finally {
            job.busy = false;
        }
    }

    private final ThreadLocal<Job> jobs = ThreadLocal.withInitial(Job::new);

    private void workLoop(int slot) {
        while (true) {
            Job job = spinForJob();
            if (job == null) {
                job = parkForJob(slot);
            }
            job.runTasks();
        }
    }

    /** The next offer from the queue, or null; keeps {@link #offered} in step. */
    private Job take() {
        Job job = queue.poll();
        if (job != null) {
            offered.decrementAndGet();
        }
        return job;
    }

    /**
     * Polls for a job for up to {@link #SPIN_NANOS} before the worker parks. Why: a matmul makes
     * two calls in a row (pack B, then multiply) and training makes thousands, while waking a
     * parked thread costs 50-200 µs on a virtual machine, a tenth of a 512³ product on two
     * threads. The spin reads {@link #offered}, not the queue, whose every look takes its lock.
     */
    private Job spinForJob() {
        long deadline = System.nanoTime() + SPIN_NANOS;
        do {
            if (offered.get() > 0) {
                Job job = take();
                if (job != null) {
                    return job;
                }
            }
            Thread.onSpinWait();
        } while (System.nanoTime() - deadline < 0);
        return null;
    }

    /**
     * Parks until an offer comes. Trick (no lost wake-up without a lock): the worker announces
     * itself in its slot before its last look at the queue, and a caller looks at the slots after
     * its offer, so either the worker sees the offer or the caller sees the worker and unparks it
     * (an unpark before the park just makes the park return at once).
     */
    private Job parkForJob(int slot) {
        Thread self = Thread.currentThread();
        sleepers.set(slot, self);
        try {
            Job job;
            while ((job = take()) == null) {
                LockSupport.park(this);
                Thread.interrupted(); // nobody but the JVM's shutdown interrupts a daemon worker; never spin on it
            }
            return job;
        } finally {
            sleepers.set(slot, null);
        }
    }

    /** Unparks every worker parked in {@link #parkForJob}; one with no offer left parks again. */
    private void wakeSleepers() {
        for (int i = 0; i < sleepers.length(); i++) {
            Thread t = sleepers.get(i);
            if (t != null) {
                LockSupport.unpark(t);
            }
        }
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
