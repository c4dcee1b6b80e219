package dev.vectorgrad.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * Prints {@link ConvBench}'s results as a Markdown table in GFLOP/s ({@link ConvCase#flops} /
 * time, ± JMH's 99.9% error propagated to first order), with the ratio to the im2col-shaped
 * matmul of the same run, and each rate's share of the machine's 2-thread peak when the results
 * hold {@link PeakBench}'s.
 *
 * <p>Usage: {@code java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar
 * dev.vectorgrad.bench.ConvReport results.json}
 */
public final class ConvReport {

    private ConvReport() {}

    /**
     * @param args JMH JSON results files: ConvBench's, and PeakBench's if measured apart
     * @throws IOException if one cannot be read
     */
    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: ConvReport results.json [peak.json]");
            System.exit(2);
        }
        String[] jsons = new String[args.length];
        for (int i = 0; i < args.length; i++) {
            jsons[i] = Files.readString(Path.of(args[i]), StandardCharsets.UTF_8);
        }
        System.out.print(table(Report.fromJson(jsons)));
    }

    /**
     * @param report JMH's results
     * @return the Markdown table, one row per case present; empty when there is no ConvBench result
     */
    public static String table(Report report) {
        if (report.results().stream().noneMatch(r -> r.benchmark().endsWith("ConvBench.pass"))) {
            return "";
        }
        Optional<MachinePeak> peak = report.peak(ConvBench.THREADS);
        StringBuilder sb = new StringBuilder();
        sb.append("Convolution passes, batch 64, 3x3 kernel, padding 1, ").append(ConvBench.THREADS)
                .append(" threads; GFLOP/s = 2*C_out*C_in*9*N*H*W / time\n\n");
        sb.append(peak.map(p -> "(n%) = share of the machine's " + ConvBench.THREADS + "-thread peak measured in this run, "
                + p.describe() + " (" + p.vectorBits() + "-bit vectors).")
                .orElse("No " + ConvBench.THREADS + "-thread PeakBench result in these files, so no share of the peak."))
                .append("\n\n");
        sb.append("| layer-pass | im2col product MxKxN | conv µs | conv GFLOP/s | matmul GFLOP/s | conv / matmul |\n");
        sb.append("|---|---|---:|---:|---:|---:|\n");
        for (String name : ConvCase.NAMES) {
            Report.Result conv = find(report, name, "conv");
            Report.Result mm = find(report, name, "im2col-matmul");
            if (conv == null && mm == null) {
                continue;
            }
            ConvCase c = ConvCase.parse(name);
            double f = c.flops();
            sb.append("| ").append(name).append(" | ").append(c.im2colShape()).append(" | ")
                    .append(conv == null ? "—" : String.format(Locale.ROOT, "%.0f", conv.seconds() * 1e6)).append(" | ")
                    .append(rate(f, conv, peak)).append(" | ").append(rate(f, mm, peak)).append(" | ")
                    .append(conv == null || mm == null ? "—"
                            : String.format(Locale.ROOT, "%.2f×", mm.seconds() / conv.seconds()))
                    .append(" |\n");
        }
        return sb.toString();
    }

    private static String rate(double flops, Report.Result r, Optional<MachinePeak> peak) {
        if (r == null) {
            return "—";
        }
        double g = flops / r.seconds() / 1e9;
        double e = Double.isNaN(r.errorSeconds()) ? Double.NaN : g * r.errorSeconds() / r.seconds();
        String text = Double.isNaN(e) ? String.format(Locale.ROOT, "%.1f", g)
                : String.format(Locale.ROOT, "%.1f ± %.1f", g, e);
        return text + peak.map(p -> " (" + p.percentOf(g) + ")").orElse("");
    }

    private static Report.Result find(Report report, String layer, String impl) {
        for (Report.Result r : report.results()) {
            if (r.benchmark().endsWith("ConvBench.pass") && layer.equals(r.params().get("layer"))
                    && impl.equals(r.params().get("impl"))) {
                return r;
            }
        }
        return null;
    }
}
