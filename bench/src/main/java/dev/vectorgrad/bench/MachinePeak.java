package dev.vectorgrad.bench;

import java.util.Locale;
import java.util.Optional;

import dev.vectorgrad.core.internal.FmaPeak;

/**
 * The arithmetic peak {@link PeakBench} measured for a thread count, read from JMH's results:
 * the yardstick that turns a GFLOP/s figure into a share of what the machine can do.
 *
 * @param threads threads that ran the loop at once (1 or 2)
 * @param gflops their summed rate, in GFLOP/s
 * @param errorGflops half-width of JMH's confidence interval (NaN if unknown)
 * @param vectorBits the width the fork's loop ran at, the kernels' width in that JVM
 */
public record MachinePeak(int threads, double gflops, double errorGflops, int vectorBits) {

    /** The JMH benchmark names of the two peaks, without the package. */
    static final String ONE_THREAD = "PeakBench.fma1t";
    static final String TWO_THREADS = "PeakBench.fma2t";

    /**
     * Reads a peak from one benchmark run of JMH's JSON.
     *
     * @param benchmark the run's benchmark without the package, {@link #ONE_THREAD} or {@link #TWO_THREADS}
     * @param threads the run's {@code threads}
     * @param callsPerSecond the primary score (calls of the loop per second)
     * @param flopsPerSecond the secondary result {@code flops} (flops per second)
     * @param flopsError its confidence half-width (NaN if unknown)
     * @return the peak
     * @throws IllegalArgumentException if the rates do not fit the loop (not a PeakBench result, or a changed loop)
     */
    static MachinePeak fromRates(String benchmark, int threads, double callsPerSecond, double flopsPerSecond,
                                 double flopsError) {
        if (!(callsPerSecond > 0) || !(flopsPerSecond > 0)) {
            throw new IllegalArgumentException("JMH results: " + benchmark + ": expected positive calls/s and flops/s, got "
                    + callsPerSecond + " and " + flopsPerSecond);
        }
        // Both rates count the same calls, so their ratio is the flops of one call: 2 per lane, accumulator
        // and round. Exact on one thread; on two, JMH times each thread's calls and the counter a little
        // differently, so the lanes are the nearest power of two within 20%.
        double lanes = flopsPerSecond / callsPerSecond / (2.0 * FmaPeak.ACCUMULATORS * PeakBench.ROUNDS);
        long rounded = Long.highestOneBit(Math.max(1, Math.round(lanes * 4 / 3)));
        if (!(Math.abs(lanes / rounded - 1) < 0.2)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "JMH results: %s: expected flops/call = "
                    + "2 x %d accumulators x %d rounds x a power-of-two lane count, got %.2f lanes (was the loop changed?)",
                    benchmark, FmaPeak.ACCUMULATORS, PeakBench.ROUNDS, lanes));
        }
        return new MachinePeak(threads, flopsPerSecond / 1e9, flopsError / 1e9, (int) rounded * Float.SIZE);
    }

    /**
     * @param results the report's runs
     * @param threads 1 or 2
     * @return the peak of that thread count, if the results hold it
     */
    static Optional<MachinePeak> find(Iterable<MachinePeak> results, int threads) {
        for (MachinePeak p : results) {
            if (p.threads() == threads) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /**
     * @param gflopsFigure a measured rate
     * @return its share of this peak, e.g. {@code 63%}
     */
    public String percentOf(double gflopsFigure) {
        return String.format(Locale.ROOT, "%.0f%%", 100 * gflopsFigure / gflops);
    }

    /** @return e.g. {@code 96.1 ± 1.2 GFLOP/s} */
    public String describe() {
        String text = String.format(Locale.ROOT, "%.1f", gflops);
        if (Double.isFinite(errorGflops)) {
            text += String.format(Locale.ROOT, " ± %.1f", errorGflops);
        }
        return text + " GFLOP/s";
    }

    /**
     * @param benchmark a benchmark name without the package
     * @return the threads of its peak, or 0 if it is not one of the peaks
     */
    static int peakThreads(String benchmark) {
        return switch (benchmark) {
            case ONE_THREAD -> 1;
            case TWO_THREADS -> 2;
            default -> 0;
        };
    }
}
