package dev.vectorgrad.bench;

import java.util.Locale;

/**
 * {@link TrainStepBench}'s results as a Markdown table: milliseconds per training step (± JMH's
 * 99.9% error) and what an epoch of 60,000 images costs at that rate, the steps alone.
 */
public final class TrainStepReport {

    /** Training images in an epoch of MNIST or Fashion-MNIST. */
    public static final int EPOCH_IMAGES = 60_000;

    private TrainStepReport() {}

    /**
     * @param report JMH's results (parameters {@code model}, {@code batch}, {@code threads})
     * @return the table, one row per network, batch and thread count in file order; empty when
     *     the results hold no {@code TrainStepBench}
     */
    public static String table(Report report) {
        StringBuilder md = new StringBuilder();
        for (Report.Result r : report.results()) {
            if (!r.benchmark().equals("TrainStepBench.trainStep")) {
                continue;
            }
            if (md.isEmpty()) {
                md.append("Training step (forward, loss, backward, optimiser) through nn's TrainStep; an epoch = ")
                        .append(String.format(Locale.ROOT, "%,d", EPOCH_IMAGES))
                        .append(" images / batch steps at this rate (the steps alone, no data loading)\n\n");
                md.append("| network | optimiser | batch | threads | ms/step | s/epoch | images/s |\n");
                md.append("|---|---|---:|---:|---:|---:|---:|\n");
            }
            TrainedModel model = TrainedModel.parse(param(r, "model"));
            int batch = Integer.parseInt(param(r, "batch"));
            double ms = r.seconds() * 1e3;
            String msText = String.format(Locale.ROOT, "%.3f", ms);
            if (Double.isFinite(r.errorSeconds())) {
                msText += String.format(Locale.ROOT, " ± %.3f", r.errorSeconds() * 1e3);
            }
            double epochSeconds = r.seconds() * EPOCH_IMAGES / batch;
            md.append(String.format(Locale.ROOT, "| %s | %s | %d | %s | %s | %.2f | %.0f |%n", model.describe(),
                    model.describeOptimizer(), batch, param(r, "threads"), msText, epochSeconds, batch / r.seconds()));
        }
        return md.toString();
    }

    private static String param(Report.Result r, String name) {
        String value = r.params().get(name);
        if (value == null) {
            throw new IllegalArgumentException("JMH results: TrainStepBench.trainStep: expected the parameter '" + name
                    + "', got " + r.params().keySet());
        }
        return value;
    }
}
