package dev.vectorgrad.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Matmul contenders timed in alternating rounds in one JVM, for ratios on a machine whose speed
 * drifts. On shared cloud cores the speed of one core changes by up to 2x from one second to
 * the next (measured here: the same in-cache kernel at 55 and at 90 GFLOP/s a second apart).
 * JMH runs each contender in its own fork, minutes apart, so such drift lands in the ratio of
 * two rows; here every round runs each contender once, for the same number of calls (what takes
 * {@code roundSeconds} at 20 GFLOP/s, a fifth of it at 100), and the ratio is taken round by
 * round, so both sides of each ratio saw nearly the same machine.
 *
 * <p>Usage: {@code Interleaved <MxKxN> <rounds> <impl,impl,...>}, e.g.
 * {@code Interleaved 1024x1024x1024 40 vectorgrad-1t,vectorgrad-2t}. The first contender is
 * the reference of every ratio. Do not mix OpenBLAS with more than one thread and vectorgrad in
 * one run: OpenBLAS's idle workers keep spinning after a call and take a core from the next
 * contender.
 */
public final class Interleaved {

    /** Rounds run before measuring, for the JIT. */
    static final int WARMUP_ROUNDS = 5;

    private Interleaved() {}

    /**
     * One contender's rates over the measured rounds.
     *
     * @param name the contender
     * @param gflops GFLOP/s in each round, in round order
     */
    public record Series(String name, double[] gflops) {}

    /**
     * Times every contender once per round, in the given order, for {@code rounds} rounds after
     * {@link #WARMUP_ROUNDS} unmeasured ones.
     *
     * @param shape the product
     * @param rounds measured rounds, at least 1
     * @param names contenders, as {@link MatmulImpl#NAMES}
     * @param roundSeconds how long a contender at 20 GFLOP/s runs per round; every contender
     *     makes the same number of calls, so a faster one runs for less
     * @return one series per contender, in the order given
     */
    public static List<Series> run(MatmulShape shape, int rounds, List<String> names, double roundSeconds) {
        if (rounds < 1 || names.isEmpty()) {
            throw new IllegalArgumentException("Interleaved: expected at least 1 round and 1 contender, got "
                    + rounds + " rounds and " + names);
        }
        List<MatmulImpl> impls = new ArrayList<>();
        try {
            for (String name : names) {
                impls.add(MatmulImpl.seeded(name, shape, Operands.NN)); // MatmulBench's operands
            }
            // Calls per round from the flops, assuming at least 20 GFLOP/s; at least one call.
            int calls = (int) Math.max(1, Math.round(roundSeconds * 20e9 / shape.flops()));
            double[][] rates = new double[impls.size()][rounds];
            for (int round = -WARMUP_ROUNDS; round < rounds; round++) {
                for (int i = 0; i < impls.size(); i++) {
                    MatmulImpl impl = impls.get(i);
                    impl.claimSettings();
                    long start = System.nanoTime();
                    for (int c = 0; c < calls; c++) {
                        impl.multiply();
                    }
                    long nanos = System.nanoTime() - start;
                    if (round >= 0) {
                        rates[i][round] = shape.flops() * calls / nanos;
                    }
                }
            }
            List<Series> out = new ArrayList<>();
            for (int i = 0; i < impls.size(); i++) {
                out.add(new Series(names.get(i), rates[i]));
            }
            return out;
        } finally {
            impls.forEach(MatmulImpl::close);
        }
    }

    /**
     * The ratio {@code numerator / denominator} round by round.
     *
     * @throws IllegalArgumentException if the series have different lengths
     */
    static double[] ratios(Series numerator, Series denominator) {
        if (numerator.gflops().length != denominator.gflops().length) {
            throw new IllegalArgumentException("Interleaved.ratios: " + numerator.name() + " has "
                    + numerator.gflops().length + " rounds, " + denominator.name() + " has "
                    + denominator.gflops().length);
        }
        double[] r = new double[numerator.gflops().length];
        for (int i = 0; i < r.length; i++) {
            r[i] = numerator.gflops()[i] / denominator.gflops()[i];
        }
        return r;
    }

    /**
     * The {@code q}-quantile of {@code values} by linear interpolation between order statistics
     * (as NumPy's default): q = 0.5 is the median.
     */
    static double quantile(double[] values, double q) {
        if (values.length == 0 || !(q >= 0 && q <= 1)) {
            throw new IllegalArgumentException("Interleaved.quantile: expected values and q in [0, 1], got "
                    + values.length + " values and q = " + q);
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

    /** Markdown: each contender's median and quartiles, then each ratio to the first. */
    static String table(MatmulShape shape, List<Series> series) {
        StringBuilder md = new StringBuilder();
        Series ref = series.get(0);
        md.append(String.format(Locale.ROOT, "Interleaved rounds at %s: %d rounds, GFLOP/s and ratio to %s per round"
                + " (median, quartiles)%n%n", shape, ref.gflops().length, ref.name()));
        md.append("| contender | GFLOP/s median | GFLOP/s q1-q3 | ratio median | ratio q1-q3 |\n");
        md.append("|---|---:|---:|---:|---:|\n");
        for (Series s : series) {
            double[] r = ratios(s, ref);
            md.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f-%.1f | %.2f× | %.2f-%.2f× |%n", s.name(),
                    quantile(s.gflops(), 0.5), quantile(s.gflops(), 0.25), quantile(s.gflops(), 0.75),
                    quantile(r, 0.5), quantile(r, 0.25), quantile(r, 0.75)));
        }
        return md.toString();
    }

    /**
     * Runs {@link #run} and prints {@link #table}.
     *
     * @param args {@code <MxKxN> <rounds> <impl,impl,...>}
     */
    public static void main(String[] args) {
        if (args.length != 3) {
            System.err.println("usage: Interleaved <MxKxN> <rounds> <impl,impl,...>  (impls: "
                    + String.join(", ", MatmulImpl.NAMES) + ")");
            System.exit(2);
        }
        MatmulShape shape = MatmulShape.parse(args[0]);
        int rounds = Integer.parseInt(args[1]);
        List<Series> series = run(shape, rounds, List.of(args[2].split(",")), 0.2);
        System.out.print(table(shape, series));
    }
}
