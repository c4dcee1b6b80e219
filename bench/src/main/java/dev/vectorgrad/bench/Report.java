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

    private Report(List<Result> results) {
        this.results = List.copyOf(results);
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
     * Parses JMH's JSON results.
     *
     * @param json the content of the results file
     * @return the report over every result in it
     */
    public static Report fromJson(String json) {
        if (!(parseJson(json) instanceof List<?> runs)) {
            throw new IllegalArgumentException("JMH results: expected a JSON array of benchmark runs");
        }
        List<Result> results = new ArrayList<>();
        for (Object run : runs) {
            results.add(toResult(asMap(run, "benchmark run")));
        }
        return new Report(results);
    }

    /** @return the parsed results, in file order */
    public List<Result> results() {
        return results;
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
        md.append("| M×K×N | vectorgrad 1t | vectorgrad 2t | scalar twin | OpenBLAS 1t | OpenBLAS 2t | EJML "
                + "| vg 1t / OpenBLAS 1t | vg 2t / vg 1t | OpenBLAS 2t / 1t | vg 1t / EJML |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (String shape : shapes) {
            double flops = MatmulShape.parse(shape).flops();
            md.append("| ").append(shape);
            for (String impl : MatmulImpl.NAMES) {
                md.append(" | ").append(find(rows, "shape", shape, "impl", impl)
                        .map(r -> rate(flops / 1e9, r, "%.2f")).orElse("—"));
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
                        .append(" | ").append(vg.map(r -> rate(flops / 1e9, r, "%.2f")).orElse("—"))
                        .append(" | ").append(blas.map(r -> rate(flops / 1e9, r, "%.2f")).orElse("—"))
                        .append(" | ").append(divide(speed(vg), speed(blas)))
                        .append(" | ").append(divide(speed(vg), speed(findLayout(rows, shape, "NN", "vectorgrad-1t"))))
                        .append(" | ").append(divide(speed(blas), speed(findLayout(rows, shape, "NN", "openblas-1t"))))
                        .append(" |\n");
            }
        }
        return md.toString();
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
        try {
            md.append("- OpenBLAS: ").append(OpenBlas.config()).append("; core type picked: **")
                    .append(OpenBlas.coreName()).append("**\n");
        } catch (RuntimeException | LinkageError e) {
            md.append("- OpenBLAS: could not be queried (").append(e).append(")\n");
        }
        String coreType = System.getenv("OPENBLAS_CORETYPE");
        md.append("- OPENBLAS_CORETYPE: ").append(coreType == null ? "unset" : "`" + coreType + "`").append('\n');
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
     * @param args the results file, {@code results.json} when absent
     * @throws IOException if the file cannot be read
     */
    public static void main(String[] args) throws IOException {
        if (args.length > 1) {
            System.err.println("usage: Report [results.json]");
            System.exit(2);
        }
        Path file = Path.of(args.length == 1 ? args[0] : "results.json");
        String json = Files.readString(file, StandardCharsets.UTF_8);
        Report report = fromJson(json);
        StringBuilder out = new StringBuilder();
        out.append(environment(json, file)).append('\n');
        String matmul = report.matmulTable();
        if (!matmul.isEmpty()) {
            out.append(matmul).append('\n');
        }
        String transposed = report.transposedTable();
        if (!transposed.isEmpty()) {
            out.append(transposed).append('\n');
        }
        String elementwise = report.elementwiseTable();
        if (!elementwise.isEmpty()) {
            out.append(elementwise);
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
