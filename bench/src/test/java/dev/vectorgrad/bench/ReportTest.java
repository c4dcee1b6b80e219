package dev.vectorgrad.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Feeds the report JSON in JMH's layout, written here, and checks the derived figures. */
class ReportTest {

    private static String run(String benchmark, String params, double score, String error, String unit) {
        return String.format(Locale.ROOT, """
                {
                    "jmhVersion" : "1.37",
                    "benchmark" : "dev.vectorgrad.bench.%s",
                    "mode" : "avgt",
                    "threads" : 1,
                    "forks" : 1,
                    "jvmArgs" : [ "--add-modules=jdk.incubator.vector" ],
                    "jdkVersion" : "25", "vmName" : "OpenJDK 64-Bit Server VM", "vmVersion" : "25",
                    "warmupIterations" : 3, "warmupTime" : "1 s",
                    "measurementIterations" : 5, "measurementTime" : "1 s",
                    "params" : { %s },
                    "primaryMetric" : {
                        "score" : %s, "scoreError" : %s, "scoreConfidence" : [ 0, 0 ],
                        "scorePercentiles" : { "0.0" : 1.0 }, "scoreUnit" : "%s", "rawData" : [ [ 1.0 ] ]
                    },
                    "secondaryMetrics" : { }
                }""", benchmark, params, Double.toString(score), error, unit);
    }

    private static String matmul(String impl, String shape, double microseconds, double errorMicroseconds) {
        return run("MatmulBench.matmul", "\"shape\" : \"" + shape + "\", \"impl\" : \"" + impl + "\"",
                microseconds, Double.toString(errorMicroseconds), "us/op");
    }

    private static String array(List<String> runs) {
        return "[\n" + String.join(",\n", runs) + "\n]\n";
    }

    private static String f2(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    @Test
    void matmulRowsGiveGflopsAndRatiosFromTheTimes() {
        double flops = 2.0 * 64 * 784 * 50;
        double vg1 = 150, vg2 = 90, ob1 = 100, ob2 = 60, ejml = 400, scalar = 900;
        String json = array(List.of(
                matmul("vectorgrad-1t", "64x784x50", vg1, 3),
                matmul("vectorgrad-2t", "64x784x50", vg2, 2),
                matmul("scalar", "64x784x50", scalar, 10),
                matmul("openblas-1t", "64x784x50", ob1, 1),
                matmul("openblas-2t", "64x784x50", ob2, 1),
                matmul("ejml", "64x784x50", ejml, 5)));
        String table = Report.fromJson(json).matmulTable();
        String row = table.lines().filter(l -> l.startsWith("| 64x784x50 ")).findFirst().orElseThrow();
        List<String> cells = cells(row);
        assertEquals(f2(flops / (vg1 * 1e-6) / 1e9) + " ± " + f2(flops / (vg1 * 1e-6) / 1e9 * 3 / vg1), cells.get(1));
        assertTrue(cells.get(4).startsWith(f2(flops / (ob1 * 1e-6) / 1e9) + " ± "), cells.get(4));
        assertEquals(f2(ob1 / vg1) + "×", cells.get(7), "vg 1t / OpenBLAS 1t");
        assertEquals(f2(vg1 / vg2) + "×", cells.get(8), "vg 2t / vg 1t");
        assertEquals(f2(ob1 / ob2) + "×", cells.get(9), "OpenBLAS 2t / 1t");
        assertEquals(f2(ejml / vg1) + "×", cells.get(10), "vg 1t / EJML");
    }

    private static String transposed(String impl, String shape, String operands, double microseconds) {
        return run("TransposedMatmulBench.matmul", "\"shape\" : \"" + shape + "\", \"operands\" : \"" + operands
                + "\", \"impl\" : \"" + impl + "\"", microseconds, "\"NaN\"", "us/op");
    }

    @Test
    void transposedRowsCompareWithOpenBlasAndWithTheRowMajorProduct() {
        double flops = 2.0 * 784 * 64 * 50;
        double vgNN = 100, vgTN = 125, obNN = 110, obTN = 120;
        String json = array(List.of(
                transposed("vectorgrad-1t", "784x64x50", "NN", vgNN),
                transposed("openblas-1t", "784x64x50", "NN", obNN),
                transposed("vectorgrad-1t", "784x64x50", "TN", vgTN),
                transposed("openblas-1t", "784x64x50", "TN", obTN)));
        Report report = Report.fromJson(json);
        assertEquals("", report.matmulTable(), "transposed runs are not rows of the main table");
        String table = report.transposedTable();
        List<String> tn = cells(table.lines().filter(l -> l.startsWith("| 784x64x50 | TN ")).findFirst().orElseThrow());
        assertEquals(f2(flops / (vgTN * 1e-6) / 1e9), tn.get(2), "no error bar when JMH gives none");
        assertEquals(f2(obTN / vgTN) + "×", tn.get(4), "vectorgrad / OpenBLAS");
        assertEquals(f2(vgNN / vgTN) + "×", tn.get(5), "vectorgrad TN / NN");
        assertEquals(f2(obNN / obTN) + "×", tn.get(6), "OpenBLAS TN / NN");
        assertTrue(table.lines().noneMatch(l -> l.startsWith("| 784x64x50 | NT ")), "a layout not run has no row");
    }

    @Test
    void missingContendersShowADashInsteadOfAFigure() {
        String json = array(List.of(matmul("vectorgrad-1t", "1024x1024x1024", 1e5, 10)));
        List<String> cells = cells(Report.fromJson(json).matmulTable().lines()
                .filter(l -> l.startsWith("| 1024x1024x1024")).findFirst().orElseThrow());
        assertEquals("—", cells.get(3), "scalar twin not run");
        assertEquals("—", cells.get(7), "no OpenBLAS, no ratio");
    }

    @Test
    void elementwiseCountsEveryByteReadAndWritten() {
        int n = 1 << 20;
        double relu = 800, add = 1500, copy = 700, reluScalar = 2000;
        String p = "\"size\" : \"" + n + "\"";
        String json = array(List.of(
                run("ElementwiseBench.relu", p, relu, "\"NaN\"", "us/op"),
                run("ElementwiseBench.reluScalar", p, reluScalar, "\"NaN\"", "us/op"),
                run("ElementwiseBench.add", p, add, "\"NaN\"", "us/op"),
                run("ElementwiseBench.arraycopy", p, copy, "\"NaN\"", "us/op")));
        String table = Report.fromJson(json).elementwiseTable();
        List<String> reluRow = cells(table.lines().filter(l -> l.startsWith("| relu |")).findFirst().orElseThrow());
        List<String> addRow = cells(table.lines().filter(l -> l.startsWith("| add |")).findFirst().orElseThrow());
        assertEquals("1 Mi", reluRow.get(1));
        String gb = "%.1f";
        assertEquals(String.format(Locale.ROOT, gb, 8.0 * n / (relu * 1e-6) / 1e9), reluRow.get(2));
        assertEquals(String.format(Locale.ROOT, gb, 8.0 * n / (copy * 1e-6) / 1e9), reluRow.get(4));
        assertEquals(f2(copy / relu) + "×", reluRow.get(5), "same bytes: ratio of times");
        assertEquals(f2(reluScalar / relu) + "×", reluRow.get(6));
        assertEquals(String.format(Locale.ROOT, gb, 12.0 * n / (add * 1e-6) / 1e9), addRow.get(2));
        assertEquals(f2((12.0 / add) / (8.0 / copy)) + "×", addRow.get(5), "add moves 12 B per element");
        assertEquals("—", addRow.get(3), "scalar add not run");
    }

    @Test
    void convertsThroughputAndOtherTimeUnitsToSeconds() {
        String json = array(List.of(
                run("ElementwiseBench.relu", "\"size\" : \"8\"", 2.0, "0.5", "ops/ms"),
                run("ElementwiseBench.add", "\"size\" : \"8\"", 250.0, "5", "ns/op")));
        List<Report.Result> results = Report.fromJson(json).results();
        assertEquals(0.5e-3, results.get(0).seconds(), 1e-15);
        assertEquals(0.5e-3 * 0.5 / 2.0, results.get(0).errorSeconds(), 1e-15);
        assertEquals(250e-9, results.get(1).seconds(), 1e-18);
        assertEquals("ElementwiseBench.relu", results.get(0).benchmark());
        assertEquals("8", results.get(0).params().get("size"));
    }

    @Test
    void rejectsFilesThatAreNotJmhResults() {
        assertThrows(IllegalArgumentException.class, () -> Report.fromJson("{}"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Report.fromJson(
                array(List.of(run("MatmulBench.matmul", "", 1.0, "1", "furlongs")))));
        assertTrue(e.getMessage().contains("furlongs"), e.getMessage());
    }

    @Test
    void rejectsMalformedJsonNamingThePlace() {
        // a truncated results file (JMH killed mid-write) must not give a partial table
        String whole = array(List.of(matmul("ejml", "2x2x2", 1, 0)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Report.fromJson(whole.substring(0, whole.length() / 2)));
        assertTrue(e.getMessage().startsWith("JMH results: not valid JSON"), e.getMessage());
        assertTrue(e.getMessage().matches("(?s).*line \\d+ column \\d+.*"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Report.fromJson("[ {\"benchmark\": 'x'} ]"),
                "single quotes are not JSON");
    }

    @Test
    void environmentNamesTheSettingsOfTheRun(@TempDir Path dir) throws Exception {
        String json = array(List.of(matmul("ejml", "2x2x2", 1, 0)));
        Path file = dir.resolve("results.json");
        Files.writeString(file, json);
        String env = Report.environment(json, file);
        assertTrue(env.contains("warm-up 3 × 1 s, measurement 5 × 1 s"), env);
        assertTrue(env.contains("OPENBLAS_CORETYPE"), env);
        assertTrue(env.contains("core type picked"), env);
    }

    /** A PeakBench run as JMH writes it: calls per second, and the flops counter at {@code lanes} floats per vector. */
    private static String peak(String method, int threads, double callsPerSecond, int lanes) {
        double flops = callsPerSecond * 2.0 * 12 * PeakBench.ROUNDS * lanes;
        return String.format(Locale.ROOT, """
                {
                    "jmhVersion" : "1.37", "benchmark" : "dev.vectorgrad.bench.PeakBench.%s", "mode" : "thrpt",
                    "threads" : %d, "forks" : 1, "jvmArgs" : [ ],
                    "jdkVersion" : "25", "vmName" : "OpenJDK 64-Bit Server VM", "vmVersion" : "25",
                    "warmupIterations" : 3, "warmupTime" : "1 s", "measurementIterations" : 5, "measurementTime" : "1 s",
                    "primaryMetric" : { "score" : %s, "scoreError" : "NaN", "scoreUnit" : "ops/s" },
                    "secondaryMetrics" : {
                        "flops" : { "score" : %s, "scoreError" : %s, "scoreUnit" : "ops/s" }
                    }
                }""", method, threads, Double.toString(callsPerSecond), Double.toString(flops),
                Double.toString(flops / 100));
    }

    @Test
    void everyMatmulRateShowsItsShareOfThePeakOfTheSameThreadCount() {
        double flops = 2.0 * 512 * 512 * 512;
        double vg1 = 3000, vg2 = 1600, ob1 = 2800; // µs
        double calls1 = 10_000, calls2 = 19_000;   // a 256-bit machine: 8 lanes
        double peak1 = calls1 * 2 * 12 * PeakBench.ROUNDS * 8 / 1e9;
        double peak2 = calls2 * 2 * 12 * PeakBench.ROUNDS * 8 / 1e9;
        String results = array(List.of(
                matmul("vectorgrad-1t", "512x512x512", vg1, 30),
                matmul("vectorgrad-2t", "512x512x512", vg2, 20),
                matmul("openblas-1t", "512x512x512", ob1, 10)));
        String peaks = array(List.of(peak("fma1t", 1, calls1, 8), peak("fma2t", 2, calls2, 8)));
        Report report = Report.fromJson(results, peaks);
        String table = report.matmulTable();
        List<String> row = cells(table.lines().filter(l -> l.startsWith("| 512x512x512 ")).findFirst().orElseThrow());
        double g1 = flops / (vg1 * 1e-6) / 1e9;
        double g2 = flops / (vg2 * 1e-6) / 1e9;
        double gb = flops / (ob1 * 1e-6) / 1e9;
        assertTrue(row.get(1).endsWith(String.format(Locale.ROOT, " (%.0f%%)", 100 * g1 / peak1)), row.get(1));
        assertTrue(row.get(2).endsWith(String.format(Locale.ROOT, " (%.0f%%)", 100 * g2 / peak2)), "2t of the 2t peak: " + row.get(2));
        assertTrue(row.get(4).endsWith(String.format(Locale.ROOT, " (%.0f%%)", 100 * gb / peak1)), row.get(4));
        assertEquals(f2(ob1 / vg1) + "×", row.get(7), "ratios unchanged by the share");
        assertTrue(table.contains("1 thread " + String.format(Locale.ROOT, "%.1f", peak1)), table);
        assertTrue(table.contains("2 threads " + String.format(Locale.ROOT, "%.1f", peak2)), table);
        assertTrue(table.contains("256-bit vectors"), table);

        String peakTable = report.peakTable();
        List<String> two = cells(peakTable.lines().filter(l -> l.startsWith("| 2 |")).findFirst().orElseThrow());
        assertEquals(String.format(Locale.ROOT, "%.1f", peak2 / 2), two.get(2), "per thread");
        assertEquals("256 bits (8 floats)", two.get(3), "the width comes from the forks' flops per call");
    }

    @Test
    void readsTheWidthTheForksRanNotThisJvms() {
        Report report = Report.fromJson(array(List.of(peak("fma1t", 1, 5000, 16))));
        assertEquals(512, report.peak(1).orElseThrow().vectorBits());
        assertTrue(report.peak(2).isEmpty());
        assertTrue(report.peakTable().contains("512 bits (16 floats)"), report.peakTable());
    }

    @Test
    void withoutAPeakTheTablesSaySoAndShowNoShare() {
        String table = Report.fromJson(array(List.of(matmul("vectorgrad-1t", "128x128x128", 100, 1)))).matmulTable();
        assertTrue(table.contains("No PeakBench result"), table);
        String cell = cells(table.lines().filter(l -> l.startsWith("| 128x128x128")).findFirst().orElseThrow()).get(1);
        assertFalse(cell.contains("%"), cell);
    }

    @Test
    void rejectsPeakRatesThatDoNotFitTheLoop() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MachinePeak.fromRates("PeakBench.fma1t", 1, 1000, 1000 * 2.0 * 12 * PeakBench.ROUNDS * 3, 0));
        assertTrue(e.getMessage().contains("3.00 lanes"), e.getMessage());
        // two threads: JMH's calls/s and the counter's flops/s differ by a few percent, the width does not
        assertEquals(256, MachinePeak.fromRates("PeakBench.fma2t", 2, 1000, 1000 * 2.0 * 12 * PeakBench.ROUNDS * 8.1, 0)
                .vectorBits());
        String noCounter = peak("fma1t", 1, 1000, 8).replaceAll("(?s)\"secondaryMetrics\".*", "\"secondaryMetrics\" : { } }");
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> Report.fromJson(array(List.of(noCounter))));
        assertTrue(missing.getMessage().contains("expected the secondary result \"flops\""), missing.getMessage());
    }

    private static List<String> cells(String row) {
        List<String> cells = new ArrayList<>();
        for (String cell : row.substring(1, row.length() - 1).split("\\|")) {
            cells.add(cell.trim());
        }
        return cells;
    }
}
