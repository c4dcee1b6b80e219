package dev.vectorgrad.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;

/** ms/step and seconds per epoch from TrainStepBench's times, in JMH's JSON layout. */
class TrainStepReportTest {

    private static String step(String model, int batch, int threads, double ms, String error) {
        return String.format(Locale.ROOT, """
                {
                    "jmhVersion" : "1.37", "benchmark" : "dev.vectorgrad.bench.TrainStepBench.trainStep",
                    "mode" : "avgt", "threads" : 1, "forks" : 1, "jvmArgs" : [ ],
                    "params" : { "model" : "%s", "batch" : "%d", "threads" : "%d" },
                    "primaryMetric" : { "score" : %s, "scoreError" : %s, "scoreUnit" : "ms/op" },
                    "secondaryMetrics" : { }
                }""", model, batch, threads, Double.toString(ms), error);
    }

    private static List<String> row(String table, String prefix) {
        String line = table.lines().filter(l -> l.startsWith(prefix)).findFirst().orElseThrow(() ->
                new AssertionError("no row " + prefix + " in\n" + table));
        List<String> cells = new ArrayList<>();
        for (String c : line.substring(1, line.length() - 1).split("\\|")) {
            cells.add(c.trim());
        }
        return cells;
    }

    @Test
    void stepTimesBecomeEpochSecondsForSixtyThousandImages() {
        String json = "[" + step("50", 64, 1, 0.2, "0.01") + "," + step("cnn:16x32", 64, 2, 12.5, "\"NaN\"")
                + "," + step("256", 256, 2, 1.6, "0.1") + "]";
        String table = TrainStepReport.table(Report.fromJson(json));
        List<String> mlp = row(table, "| 784-50-10 ");
        assertEquals("SGD lr 0.05 momentum 0.9", mlp.get(1));
        assertEquals("64", mlp.get(2));
        assertEquals("1", mlp.get(3));
        assertEquals("0.200 ± 0.010", mlp.get(4));
        assertEquals(String.format(Locale.ROOT, "%.2f", 0.2e-3 * 60_000 / 64), mlp.get(5), "937.5 steps");
        assertEquals(String.format(Locale.ROOT, "%.0f", 64 / 0.2e-3), mlp.get(6));
        List<String> cnn = row(table, "| cnn 16,32 ");
        assertEquals("Adam lr 0.01", cnn.get(1));
        assertEquals("12.500", cnn.get(4), "no error bar when JMH gives none");
        assertEquals(String.format(Locale.ROOT, "%.2f", 12.5e-3 * 60_000 / 64), cnn.get(5));
        assertEquals(String.format(Locale.ROOT, "%.2f", 1.6e-3 * 60_000 / 256), row(table, "| 784-256-10 ").get(5));
    }

    @Test
    void noTrainStepResultsNoTable() {
        String json = "[" + step("50", 64, 1, 0.2, "0.01").replace("TrainStepBench.trainStep", "MatmulBench.matmul") + "]";
        assertEquals("", TrainStepReport.table(Report.fromJson(json)));
    }

    @Test
    void aBadModelParameterNamesWhatWasExpected() {
        String json = "[" + step("cnn:16", 64, 1, 0.2, "0.01") + "]";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainStepReport.table(Report.fromJson(json)));
        assertTrue(e.getMessage().contains(TrainedModel.EXPECTED), e.getMessage());
    }
}
