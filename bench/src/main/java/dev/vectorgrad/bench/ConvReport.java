package dev.vectorgrad.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Prints {@link ConvBench}'s results as a Markdown table in GFLOP/s ({@link ConvCase#flops} /
 * time, ± JMH's 99.9% error propagated to first order), with the ratio to the im2col-shaped
 * matmul of the same run.
 *
 * <p>Usage: {@code java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar
 * dev.vectorgrad.bench.ConvReport results.json}
 */
public final class ConvReport {

    private ConvReport() {}

    /**
     * @param args the JMH JSON results file
     * @throws IOException if it cannot be read
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: ConvReport results.json");
            System.exit(2);
        }
        System.out.print(table(Report.fromJson(Files.readString(Path.of(args[0]), StandardCharsets.UTF_8))));
    }

    /**
     * @param report JMH's results
     * @return the Markdown table, one row per case present
     */
    public static String table(Report report) {
        StringBuilder sb = new StringBuilder();
        sb.append("Convolution passes, batch 64, 3x3 kernel, padding 1; GFLOP/s = 2*C_out*C_in*9*N*H*W / time\n\n");
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
                    .append(rate(f, conv)).append(" | ").append(rate(f, mm)).append(" | ")
                    .append(conv == null || mm == null ? "—"
                            : String.format(Locale.ROOT, "%.2f×", mm.seconds() / conv.seconds()))
                    .append(" |\n");
        }
        return sb.toString();
    }

    private static String rate(double flops, Report.Result r) {
        if (r == null) {
            return "—";
        }
        double g = flops / r.seconds() / 1e9;
        double e = Double.isNaN(r.errorSeconds()) ? Double.NaN : g * r.errorSeconds() / r.seconds();
        return Double.isNaN(e) ? String.format(Locale.ROOT, "%.1f", g) : String.format(Locale.ROOT, "%.1f ± %.1f", g, e);
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
