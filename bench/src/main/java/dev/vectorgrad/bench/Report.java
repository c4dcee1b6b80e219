package dev.vectorgrad.bench;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import com.google.gson.Strictness;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import dev.vectorgrad.core.internal.FmaPeak;
import dev.vectorgrad.core.internal.Kernels;

/**
 * Reads the JSON result file of a JMH run ({@code -rf json -rff results.json}) and prints
 * Markdown tables: matmul in GFLOP/s (row-major and with a transposed operand), elementwise
 * kernels in GB/s, each with its ratios against the yardsticks measured in the same run. Every
 * figure comes from the file.
 *
 * <p>Usage: {@code java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED
 * -cp bench/target/benchmarks.jar dev.vectorgrad.bench.Report results.json}
 */
public final class Report {

    /** Bytes each elementwise benchmark reads plus writes per element. */
    private static final Map<String, Integer> BYTES_PER_ELEMENT = Map.of(
            "relu", 8, "reluScalar", 8, "add", 12, "addScalar", 12, "arraycopy", 8);

    private static final Gson GSON = new GsonBuilder().setStrictness(Strictness.STRICT).create();

    private final List<Result> results;
    private final List<MachinePeak> peaks;

    private Report(List<Result> results, List<MachinePeak> peaks) {
        this.results = List.copyOf(results);
        this.peaks = List.copyOf(peaks);
    }

    /**
     * One benchmark's score, converted to seconds per operation.
     *
     * @param benchmark class and method, e.g. {@code MatmulBench.matmul}
     * @param params the JMH parameters of this score
     * @param seconds mean time of one operation in seconds
     * @param errorSeconds half-width of JMH's confidence interval, in seconds (NaN if unknown)
     */
    public record Result(String benchmark, Map<String, String> params, double seconds, double errorSeconds) {}

    /**
     * Parses JMH's JSON results, of one run or of several on the same machine (bench/run.sh
     * measures the peak in a run of its own, just before the others).
     *
     * @param jsons the content of each results file
     * @return the report over every result in them, in order
     */
    public static Report fromJson(String... jsons) {
        List<Result> results = new ArrayList<>();
        List<MachinePeak> peaks = new ArrayList<>();
        for (String json : jsons) {
            if (!(parseJson(json) instanceof List<?> runs)) {
                throw new IllegalArgumentException("JMH results: expected a JSON array of benchmark runs");
            }
            for (Object run : runs) {
                Map<String, Object> map = asMap(run, "benchmark run");
                Result result = toResult(map);
                results.add(result);
                int threads = MachinePeak.peakThreads(result.benchmark());
                if (threads > 0) {
                    peaks.add(toPeak(result, threads, map));
                }
            }
        }
        return new Report(results, peaks);
    }

    /** @return the parsed results, in file order */
    public List<Result> results() {
        return results;
    }

    /**
     * @param threads 1 or 2
     * @return the machine's peak for that thread count measured in these results, if any
     */
    public Optional<MachinePeak> peak(int threads) {
        return MachinePeak.find(peaks, threads);
    }

    private static MachinePeak toPeak(Result calls, int threads, Map<String, Object> run) {
        Map<String, Object> secondary = asMap(run.get("secondaryMetrics"), calls.benchmark() + " secondaryMetrics");
        if (secondary.get("flops") == null) {
            throw new IllegalArgumentException("JMH results: " + calls.benchmark()
                    + ": expected the secondary result \"flops\" (PeakBench's counter), got " + secondary.keySet());
        }
        Map<String, Object> flops = asMap(secondary.get("flops"), "flops");
        String unit = string(flops, "scoreUnit");
        if (!unit.equals("ops/s")) {
            throw new IllegalArgumentException("JMH results: " + calls.benchmark() + ": expected flops in ops/s, got " + unit);
        }
        return MachinePeak.fromRates(calls.benchmark(), threads, 1 / calls.seconds(), number(flops.get("score")),
                number(flops.get("scoreError")));
    }

    private static Result toResult(Map<String, Object> run) {
        String fullName = string(run, "benchmark");
        int methodDot = fullName.lastIndexOf('.');
        int classDot = fullName.lastIndexOf('.', methodDot - 1);
        String benchmark = fullName.substring(classDot + 1);
        Map<String, String> params = new java.util.LinkedHashMap<>();
        if (run.get("params") != null) {
            asMap(run.get("params"), "params").forEach((k, v) -> params.put(k, String.valueOf(v)));
        }
        Map<String, Object> metric = asMap(run.get("primaryMetric"), "primaryMetric");
        double score = number(metric.get("score"));
        double error = number(metric.get("scoreError"));
        String unit = string(metric, "scoreUnit");
        double seconds;
        double errorSeconds;
        if (unit.endsWith("/op")) {            // average time: score is time per operation
            double f = secondsPer(unit.substring(0, unit.length() - 3), unit);
            seconds = score * f;
            errorSeconds = error * f;
        } else if (unit.startsWith("ops/")) {  // throughput: score is operations per time
            double f = secondsPer(unit.substring(4), unit);
            seconds = f / score;
            errorSeconds = seconds * error / score;
        } else {
            throw new IllegalArgumentException("JMH results: " + fullName + ": expected a unit like us/op or ops/s, got "
                    + unit);
        }
        return new Result(benchmark, params, seconds, errorSeconds);
    }

    private static double secondsPer(String timeUnit, String whole) {
        return switch (timeUnit) {
            case "ns" -> 1e-9;
            case "us" -> 1e-6;
            case "ms" -> 1e-3;
            case "s" -> 1.0;
            case "min" -> 60.0;
            default -> throw new IllegalArgumentException("JMH results: unknown time unit in '" + whole + "'");
        };
    }

    /**
     * The matmul table: GFLOP/s = 2·M·N·K / time per implementation, then the ratios.
     *
     * @return Markdown, empty when the file holds no matmul results
     */
    public String matmulTable() {
        List<Result> rows = results.stream().filter(r -> r.benchmark().equals("MatmulBench.matmul")).toList();
        if (rows.isEmpty()) {
            return "";
        }
        Set<String> shapes = new LinkedHashSet<>();
        rows.forEach(r -> shapes.add(r.params().get("shape")));
        StringBuilder md = new StringBuilder();
        md.append("Matmul C[M×N] = A[M×K]·B[K×N], GFLOP/s = 2·M·N·K / time (± JMH's 99.9% error)\n\n");
        md.append(peakCaption()).append("\n\n");
        md.append("| M×K×N | vectorgrad 1t | vectorgrad 2t | scalar twin | OpenBLAS 1t | OpenBLAS 2t | EJML "
                + "| vg 1t / OpenBLAS 1t | vg 2t / vg 1t | OpenBLAS 2t / 1t | vg 1t / EJML |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (String shape : shapes) {
            double flops = MatmulShape.parse(shape).flops();
            md.append("| ").append(shape);
            for (String impl : MatmulImpl.NAMES) {
                Optional<MachinePeak> peak = peak(impl.endsWith("-2t") ? 2 : 1);
                md.append(" | ").append(find(rows, "shape", shape, "impl", impl)
                        .map(r -> rate(flops / 1e9, r, "%.2f") + share(peak, flops / 1e9 / r.seconds())).orElse("—"));
            }
            md.append(" | ").append(ratio(rows, shape, "vectorgrad-1t", "openblas-1t"));
            md.append(" | ").append(ratio(rows, shape, "vectorgrad-2t", "vectorgrad-1t"));
            md.append(" | ").append(ratio(rows, shape, "openblas-2t", "openblas-1t"));
            md.append(" | ").append(ratio(rows, shape, "vectorgrad-1t", "ejml"));
            md.append(" |\n");
        }
        return md.toString();
    }

    /**
     * The transposed-operand table: GFLOP/s per shape and layout, single-thread vectorgrad
     * against single-thread OpenBLAS on the same layout, and each layout against the row-major
     * one of the same shape (what the transposed view costs).
     *
     * @return Markdown, empty when the file holds no transposed-operand results
     */
    public String transposedTable() {
        List<Result> rows = results.stream().filter(r -> r.benchmark().equals("TransposedMatmulBench.matmul")).toList();
        if (rows.isEmpty()) {
            return "";
        }
        Set<String> shapes = new LinkedHashSet<>();
        rows.forEach(r -> shapes.add(r.params().get("shape")));
        StringBuilder md = new StringBuilder();
        md.append("Matmul with a transposed operand (TN: A stored transposed, NT: B), GFLOP/s, 1 thread\n\n");
        md.append(peakCaption()).append("\n\n");
        md.append("| M×K×N | operands | vectorgrad | OpenBLAS | vectorgrad / OpenBLAS "
                + "| vectorgrad / its NN | OpenBLAS / its NN |\n");
        md.append("|---|---|---:|---:|---:|---:|---:|\n");
        for (String shape : shapes) {
            double flops = MatmulShape.parse(shape).flops();
            for (Operands operands : Operands.values()) {
                String layout = operands.name();
                Optional<Result> vg = findLayout(rows, shape, layout, "vectorgrad-1t");
                Optional<Result> blas = findLayout(rows, shape, layout, "openblas-1t");
                if (vg.isEmpty() && blas.isEmpty()) {
                    continue;
                }
                md.append("| ").append(shape).append(" | ").append(layout)
                        .append(" | ").append(vg.map(r -> rate(flops / 1e9, r, "%.2f")
                                + share(peak(1), flops / 1e9 / r.seconds())).orElse("—"))
                        .append(" | ").append(blas.map(r -> rate(flops / 1e9, r, "%.2f")
                                + share(peak(1), flops / 1e9 / r.seconds())).orElse("—"))
                        .append(" | ").append(divide(speed(vg), speed(blas)))
                        .append(" | ").append(divide(speed(vg), speed(findLayout(rows, shape, "NN", "vectorgrad-1t"))))
                        .append(" | ").append(divide(speed(blas), speed(findLayout(rows, shape, "NN", "openblas-1t"))))
                        .append(" |\n");
            }
        }
        return md.toString();
    }

    /**
     * The measured peaks as a table: each thread count's GFLOP/s, per thread, and the vector
     * width the forks' kernels chose.
     *
     * @return Markdown, empty when the files hold no {@link PeakBench} result
     */
    public String peakTable() {
        if (peaks.isEmpty()) {
            return "";
        }
        StringBuilder md = new StringBuilder();
        md.append("Machine peak (PeakBench: ").append(FmaPeak.ACCUMULATORS)
                .append(" independent multiply-add chains at the kernels' vector width, 2 flops per lane)\n\n");
        md.append("| threads | peak GFLOP/s | per thread | vector width the kernels chose |\n");
        md.append("|---:|---:|---:|---|\n");
        for (int threads : new int[] {1, 2}) {
            peak(threads).ifPresent(p -> md.append(String.format(Locale.ROOT, "| %d | %s | %.1f | %d bits (%d floats) |%n",
                    p.threads(), p.describe().replace(" GFLOP/s", ""), p.gflops() / p.threads(), p.vectorBits(),
                    p.vectorBits() / Float.SIZE)));
        }
        int here = FmaPeak.vectorBitSize();
        for (MachinePeak p : peaks) {
            if (p.vectorBits() != here) {
                md.append("\nThe forks ran ").append(p.vectorBits()).append("-bit vectors; this JVM would choose ")
                        .append(here).append(" (another machine, or another vectorgrad.vectorBitSize).\n");
                break;
            }
        }
        return md.toString();
    }

    /** The line above a GFLOP/s table that says what its percentages are shares of. */
    private String peakCaption() {
        Optional<MachinePeak> one = peak(1);
        Optional<MachinePeak> two = peak(2);
        if (one.isEmpty() && two.isEmpty()) {
            return "No PeakBench result in these files, so no share of the machine's peak: bench/run.sh measures it"
                    + " first; by hand, run PeakBench in the same session and pass both files.";
        }
        int bits = one.or(() -> two).orElseThrow().vectorBits();
        return "(n%) = share of the machine's peak measured in this run with the same thread count ("
                + bits + "-bit vectors): 1 thread " + one.map(MachinePeak::describe).orElse("not measured")
                + ", 2 threads " + two.map(MachinePeak::describe).orElse("not measured") + ".";
    }

    /** {@code " (63%)"}: a rate's share of the peak, or nothing when the peak was not measured. */
    private static String share(Optional<MachinePeak> peak, double gflops) {
        return peak.map(p -> " (" + p.percentOf(gflops) + ")").orElse("");
    }

    private static Optional<Result> findLayout(List<Result> rows, String shape, String operands, String impl) {
        return rows.stream().filter(r -> shape.equals(r.params().get("shape"))
                && operands.equals(r.params().get("operands")) && impl.equals(r.params().get("impl"))).findFirst();
    }

    /** Operations per second, for ratios of the same work. */
    private static Optional<Double> speed(Optional<Result> r) {
        return r.map(x -> 1 / x.seconds());
    }

    /**
     * The elementwise table: GB/s counting every byte read and written, against arraycopy.
     *
     * @return Markdown, empty when the file holds no elementwise results
     */
    public String elementwiseTable() {
        List<Result> rows = results.stream().filter(r -> r.benchmark().startsWith("ElementwiseBench.")).toList();
        if (rows.isEmpty()) {
            return "";
        }
        Set<String> sizes = new LinkedHashSet<>();
        rows.forEach(r -> sizes.add(r.params().get("size")));
        StringBuilder md = new StringBuilder();
        md.append("Elementwise, GB/s = bytes read and written / time (relu 8 B/elem, add 12 B/elem, "
                + "arraycopy 8 B/elem)\n\n");
        md.append("| op | floats | vectorgrad GB/s | scalar twin GB/s | arraycopy GB/s "
                + "| vectorgrad / arraycopy | vectorgrad / scalar |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|\n");
        for (String op : List.of("relu", "add")) {
            for (String size : sizes) {
                long n = Long.parseLong(size);
                Optional<Double> vg = gbPerSecond(rows, op, size, n);
                Optional<Double> scalar = gbPerSecond(rows, op + "Scalar", size, n);
                Optional<Double> copy = gbPerSecond(rows, "arraycopy", size, n);
                md.append("| ").append(op).append(" | ").append(floatsLabel(n))
                        .append(" | ").append(elementwiseCell(rows, op, size, n))
                        .append(" | ").append(elementwiseCell(rows, op + "Scalar", size, n))
                        .append(" | ").append(elementwiseCell(rows, "arraycopy", size, n))
                        .append(" | ").append(divide(vg, copy))
                        .append(" | ").append(divide(vg, scalar))
                        .append(" |\n");
            }
        }
        return md.toString();
    }

    /** {@code 1 Mi} for 2^20 and its multiples, which the suite uses; the plain count otherwise. */
    private static String floatsLabel(long n) {
        return n % (1 << 20) == 0 ? (n >> 20) + " Mi" : Long.toString(n);
    }

    private static String elementwiseCell(List<Result> rows, String method, String size, long n) {
        return findMethod(rows, method, size)
                .map(r -> rate(BYTES_PER_ELEMENT.get(method) * (double) n / 1e9, r, "%.1f"))
                .orElse("—");
    }

    private static Optional<Double> gbPerSecond(List<Result> rows, String method, String size, long n) {
        return findMethod(rows, method, size).map(r -> BYTES_PER_ELEMENT.get(method) * (double) n / 1e9 / r.seconds());
    }

    private static Optional<Result> findMethod(List<Result> rows, String method, String size) {
        return rows.stream()
                .filter(r -> r.benchmark().equals("ElementwiseBench." + method) && size.equals(r.params().get("size")))
                .findFirst();
    }

    /** {@code work / time} with its error, e.g. {@code 12.34 ± 0.56}. */
    private static String rate(double work, Result r, String format) {
        double value = work / r.seconds();
        String text = String.format(Locale.ROOT, format, value);
        if (Double.isFinite(r.errorSeconds())) {
            // First-order propagation: d(w/t) = w/t · dt/t.
            text += " ± " + String.format(Locale.ROOT, format, value * r.errorSeconds() / r.seconds());
        }
        return text;
    }

    private static String ratio(List<Result> rows, String shape, String numerator, String denominator) {
        // A ratio of rates for the same work is the inverse ratio of times.
        Optional<Double> num = find(rows, "shape", shape, "impl", numerator).map(r -> 1 / r.seconds());
        Optional<Double> den = find(rows, "shape", shape, "impl", denominator).map(r -> 1 / r.seconds());
        return divide(num, den);
    }

    private static String divide(Optional<Double> num, Optional<Double> den) {
        if (num.isEmpty() || den.isEmpty()) {
            return "—";
        }
        return String.format(Locale.ROOT, "%.2f×", num.get() / den.get());
    }

    private static Optional<Result> find(List<Result> rows, String k1, String v1, String k2, String v2) {
        return rows.stream().filter(r -> v1.equals(r.params().get(k1)) && v2.equals(r.params().get(k2))).findFirst();
    }

    /**
     * What the figures depend on: the JVM and JMH settings from the file, and the CPU, the
     * vectorgrad kernels and OpenBLAS's build and core type as seen by this JVM.
     *
     * @param json the results file's content
     * @param file where it came from, for its time stamp
     * @return a Markdown list
     */
    public static String environment(String json, Path file) throws IOException {
        StringBuilder md = new StringBuilder();
        Instant written = Files.getLastModifiedTime(file).toInstant().truncatedTo(ChronoUnit.SECONDS);
        md.append("- results: `").append(file).append("`, written ").append(written).append('\n');
        if (parseJson(json) instanceof List<?> runs && !runs.isEmpty()) {
            Map<String, Object> first = asMap(runs.get(0), "benchmark run");
            md.append("- JMH ").append(first.get("jmhVersion")).append(": forks ").append(integer(first.get("forks")))
                    .append(", warm-up ").append(integer(first.get("warmupIterations"))).append(" × ")
                    .append(first.get("warmupTime")).append(", measurement ")
                    .append(integer(first.get("measurementIterations"))).append(" × ")
                    .append(first.get("measurementTime")).append('\n');
            md.append("- JVM: ").append(first.get("vmName")).append(' ').append(first.get("vmVersion"))
                    .append(" (JDK ").append(first.get("jdkVersion")).append("), args ")
                    .append(first.get("jvmArgs")).append('\n');
        }
        md.append("- CPU: ").append(cpuModel()).append(", ").append(Runtime.getRuntime().availableProcessors())
                .append(" hardware threads visible to the JVM\n");
        md.append("- vectorgrad kernels: ").append(Kernels.describe()).append("; 2-thread matmul: ")
                .append(Kernels.vectorMatmul(2).describe()).append('\n');
        String core;
        try {
            md.append("- OpenBLAS: ").append(OpenBlas.config()).append("; core type picked: **")
                    .append(core = OpenBlas.coreName()).append("**\n");
        } catch (RuntimeException | LinkageError e) {
            md.append("- OpenBLAS: could not be queried (").append(e).append(")\n");
            core = null;
        }
        if (core != null) {
            // The forks refuse to measure OpenBLAS below its best core; this JVM says whether it would.
            try {
                md.append("- OpenBLAS core check: ").append(OpenBlasCore.check(core,
                        OpenBlasCore.cpuFlags(Path.of("/proc/cpuinfo")))).append('\n');
            } catch (IllegalStateException e) {
                md.append("- OpenBLAS core check: **failed**: ").append(e.getMessage()).append('\n');
            }
        }
        for (String name : OpenBlasCore.STEERING_VARIABLES) {
            String value = System.getenv(name);
            md.append("- ").append(name).append(" in this JVM: ").append(value == null ? "unset" : "`" + value + "`")
                    .append('\n');
        }
        return md.toString();
    }

    private static String cpuModel() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            return lines.filter(l -> l.startsWith("model name")).findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown");
        } catch (IOException | RuntimeException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    /**
     * Prints the environment and every table as Markdown.
     *
     * @param args results files, {@code results.json} when none; the environment is the first's
     *     (bench/run.sh passes the run's results and then the peak measured just before)
     * @throws IOException if a file cannot be read
     */
    public static void main(String[] args) throws IOException {
        List<Path> files = new ArrayList<>();
        for (String a : args.length == 0 ? new String[] {"results.json"} : args) {
            files.add(Path.of(a));
        }
        String[] jsons = new String[files.size()];
        for (int i = 0; i < jsons.length; i++) {
            jsons[i] = Files.readString(files.get(i), StandardCharsets.UTF_8);
        }
        Report report = fromJson(jsons);
        StringBuilder out = new StringBuilder();
        out.append(environment(jsons[0], files.get(0)));
        for (Path other : files.subList(1, files.size())) {
            out.append("- also: `").append(other).append("`\n");
        }
        out.append('\n');
        for (String table : new String[] {report.peakTable(), report.matmulTable(), report.transposedTable(),
                ConvReport.table(report), report.elementwiseTable(), TrainStepReport.table(report)}) {
            if (!table.isEmpty()) {
                out.append(table).append('\n');
            }
        }
        System.out.print(out);
    }

    /**
     * JMH's JSON as plain lists, maps, strings and doubles. Strict: a malformed file is an
     * error naming where it broke, never a partial report.
     */
    private static Object parseJson(String json) {
        try {
            return GSON.fromJson(json, Object.class);
        } catch (JsonParseException e) {
            throw new IllegalArgumentException("JMH results: not valid JSON: " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object value, String what) {
        if (value instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        throw new IllegalArgumentException("JMH results: expected " + what + " to be a JSON object, got " + value);
    }

    private static String string(Map<String, Object> map, String key) {
        if (map.get(key) instanceof String s) {
            return s;
        }
        throw new IllegalArgumentException("JMH results: expected a string \"" + key + "\", got " + map.get(key));
    }

    /** JMH writes NaN errors as the string "NaN"; numbers otherwise. */
    private static double number(Object value) {
        if (value instanceof Double d) {
            return d;
        }
        if (value instanceof String s) {
            try {
                return Double.parseDouble(s);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("JMH results: expected a number, got \"" + s + "\"", e);
            }
        }
        throw new IllegalArgumentException("JMH results: expected a number, got " + value);
    }

    private static String integer(Object value) {
        return value instanceof Double d ? Long.toString(Math.round(d)) : String.valueOf(value);
    }
}
