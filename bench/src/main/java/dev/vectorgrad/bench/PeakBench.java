package dev.vectorgrad.bench;

import java.util.concurrent.TimeUnit;

import dev.vectorgrad.core.internal.FmaPeak;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The machine's measured arithmetic peak: {@link FmaPeak}'s loop of independent multiply-adds at
 * the width the kernels chose, on one thread and on two at once. {@link Report} prints every
 * GFLOP/s beside it, as a percentage, so figures from an AVX2 and an AVX-512 machine read alike.
 *
 * <p>Throughput mode, so that JMH sums the two threads' rates. Besides calls per second, the
 * fork counts the flops it did ({@link Flops}, a secondary result named {@code flops}): the
 * results file then carries the rate in flops whatever the width, and {@link Report} recovers
 * the width from flops per call.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class PeakBench {

    /**
     * Rounds of the loop per call: 4096 × 12 multiply-adds, about 25 µs on a 256-bit core, so
     * the call and the final sum over lanes are under 1% of the time.
     */
    public static final int ROUNDS = 1 << 12;

    /** Flops one call does at the width of this JVM. */
    private static final long FLOPS_PER_CALL = FmaPeak.flops(ROUNDS);

    /** A field, not a constant: the JIT cannot fold the loop's start. */
    private float start = 0.25f;

    /** Public for JMH. */
    public PeakBench() {}

    /** Counts the flops of each thread's calls; JMH reports their rate next to the calls'. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Flops {
        /** Flops done since the iteration began. */
        public long flops;

        /** Public for JMH. */
        public Flops() {}

        /** Starts each iteration from zero. */
        @Setup(Level.Iteration)
        public void reset() {
            flops = 0;
        }
    }

    /** Says in the fork's log what runs, since the width depends on this JVM's flags. */
    @Setup(Level.Trial)
    public void announce() {
        System.out.println("PeakBench: " + FmaPeak.describe());
    }

    /**
     * One thread's peak.
     *
     * @param counter the flop counter
     * @return the loop's sum, consumed by JMH
     */
    @Benchmark
    @Threads(1)
    public float fma1t(Flops counter) {
        counter.flops += FLOPS_PER_CALL;
        return FmaPeak.run(ROUNDS, start);
    }

    /**
     * Two threads at once, each with its own accumulators: the ceiling of the 2-thread kernels
     * (twice {@link #fma1t} when each thread has a core of its own).
     *
     * @param counter the flop counter of this thread
     * @return the loop's sum, consumed by JMH
     */
    @Benchmark
    @Threads(2)
    public float fma2t(Flops counter) {
        counter.flops += FLOPS_PER_CALL;
        return FmaPeak.run(ROUNDS, start);
    }
}
