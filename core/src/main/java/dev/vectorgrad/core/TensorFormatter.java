package dev.vectorgrad.core;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * Prints tensors exactly as PyTorch's {@code _tensor_str} does: one width for every element,
 * chosen from the (summarised) values; integer mode when all values are whole; scientific
 * mode when the magnitudes span more than 1000x or leave the [1e-4, 1e8] range, unless the
 * options force it; wrapping at the line width; {@code ...} for the middle of large dims.
 *
 * <p>Numbers are rounded like Python's {@code format}: the exact binary value, half to even,
 * which is not what {@code String.format} does (it rounds the shortest decimal half up).
 */
final class TensorFormatter {

    private static final String PREFIX = "tensor(";

    private final PrintOptions options;
    private boolean intMode = true;
    private boolean sciMode;
    private int maxWidth = 1;

    private TensorFormatter(PrintOptions options, List<Float> values) {
        this.options = options;
        List<Double> nonzeroFinite = new ArrayList<>();
        for (float v : values) {
            if (Float.isFinite(v) && v != 0f) {
                nonzeroFinite.add((double) v);
            }
        }
        if (!nonzeroFinite.isEmpty()) {
            double min = Double.POSITIVE_INFINITY;
            double max = 0;
            for (double v : nonzeroFinite) {
                min = Math.min(min, Math.abs(v));
                max = Math.max(max, Math.abs(v));
                if (v != Math.ceil(v)) {
                    intMode = false;
                }
            }
            int p = options.precision();
            if (intMode) {
                if (max / min > 1000.0 || max > 1.0e8) {
                    sciMode = true;
                    for (double v : nonzeroFinite) {
                        maxWidth = Math.max(maxWidth, sci(v, p).length());
                    }
                } else {
                    for (double v : nonzeroFinite) {
                        maxWidth = Math.max(maxWidth, fixed(v, 0).length() + 1);
                    }
                }
            } else if (max / min > 1000.0 || max > 1.0e8 || min < 1.0e-4) {
                sciMode = true;
                for (double v : nonzeroFinite) {
                    maxWidth = Math.max(maxWidth, sci(v, p).length());
                }
            } else {
                for (double v : nonzeroFinite) {
                    maxWidth = Math.max(maxWidth, fixed(v, p).length());
                }
            }
            // Inside the branch, as in PyTorch: with no non-zero finite value the forced choice is
            // ignored, so zeros print as "0." even with sciMode(true).
            if (options.sciMode() != null) {
                sciMode = options.sciMode();
            }
        }
    }

    static String format(Tensor t, PrintOptions options) {
        if (t.numel() == 0) {
            // As NumPy and PyTorch, the shape is printed unless it is (0,).
            List<String> suffixes = t.dim() == 1 ? List.of() : List.of("size=" + pythonTuple(t.shapeRef()));
            return addSuffixes(PREFIX + "[]", suffixes, PREFIX.length(), options.linewidth());
        }
        boolean summarize = t.numel() > options.threshold();
        List<Float> seen = new ArrayList<>();
        collect(t, summarize, options.edgeitems(), seen);
        TensorFormatter f = new TensorFormatter(options, seen);
        return PREFIX + f.tensorStr(t, PREFIX.length(), summarize) + ")";
    }

    /**
     * PyTorch's {@code _add_suffixes}: each suffix joins the last line with {@code ", "}, or goes
     * on a new line indented by {@code indent} when it would pass the line width, then the
     * closing parenthesis. The line length it starts from counts two characters more than the
     * last line holds (PyTorch's arithmetic, kept so that the same width wraps at the same place).
     */
    private static String addSuffixes(String tensorStr, List<String> suffixes, int indent, int linewidth) {
        StringBuilder sb = new StringBuilder(tensorStr);
        int lastLineLen = tensorStr.length() - tensorStr.lastIndexOf('\n') + 1;
        for (String suffix : suffixes) {
            if (lastLineLen + suffix.length() + 2 > linewidth) {
                sb.append(",\n").append(" ".repeat(indent)).append(suffix);
                lastLineLen = indent + suffix.length();
            } else {
                sb.append(", ").append(suffix);
                lastLineLen += suffix.length() + 2;
            }
        }
        return sb.append(')').toString();
    }

    private static String pythonTuple(int[] shape) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        return sb.append(shape.length == 1 ? ",)" : ")").toString();
    }

    /** The values PyTorch's formatter sees: only the edges of a summarised tensor. */
    private static void collect(Tensor t, boolean summarize, int edge, List<Float> out) {
        if (t.dim() == 0) {
            out.add(t.item());
            return;
        }
        int n = t.size(0);
        boolean cut = summarize && n > 2 * edge;
        for (int i = 0; i < n; i++) {
            if (cut && i == edge) {
                i = n - edge - 1;
                continue;
            }
            if (t.dim() == 1) {
                out.add(t.get(i));
            } else {
                collect(t.select(0, i), summarize, edge, out);
            }
        }
    }

    private String tensorStr(Tensor t, int indent, boolean summarize) {
        int dim = t.dim();
        if (dim == 0) {
            return fmt(t.item());
        }
        int edge = options.edgeitems();
        int n = t.size(0);
        boolean cut = summarize && n > 2 * edge;
        if (dim == 1) {
            List<String> data = new ArrayList<>();
            if (summarize && edge == 0) {
                data.add("...");
            } else {
                for (int i = 0; i < n; i++) {
                    if (cut && i == edge) {
                        data.add(" ...");
                        i = n - edge - 1;
                        continue;
                    }
                    data.add(fmt(t.get(i)));
                }
            }
            int perLine = Math.max(1, (options.linewidth() - indent) / (maxWidth + 2));
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < data.size(); i++) {
                if (i > 0) {
                    sb.append(i % perLine == 0 ? ",\n" + " ".repeat(indent + 1) : ", ");
                }
                sb.append(data.get(i));
            }
            return sb.append(']').toString();
        }
        List<String> slices = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (cut && i == edge) {
                slices.add("...");
                i = n - edge - 1;
                continue;
            }
            slices.add(tensorStr(t.select(0, i), indent + 1, summarize));
        }
        String sep = "," + "\n".repeat(dim - 1) + " ".repeat(indent + 1);
        return "[" + String.join(sep, slices) + "]";
    }

    private String fmt(float value) {
        double v = value;
        String s;
        if (sciMode) {
            s = sci(v, options.precision());
            return " ".repeat(Math.max(0, maxWidth - s.length())) + s;
        } else if (intMode) {
            s = fixed(v, 0);
            if (Double.isFinite(v)) {
                s += ".";
            }
        } else {
            s = fixed(v, options.precision());
        }
        return " ".repeat(Math.max(0, maxWidth - s.length())) + s;
    }

    /** Python's {@code '{:.{p}f}'.format(v)}. */
    static String fixed(double v, int p) {
        if (Double.isNaN(v)) {
            return "nan";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        String s = new BigDecimal(v).setScale(p, RoundingMode.HALF_EVEN).toPlainString();
        return negative(v) && !s.startsWith("-") ? "-" + s : s;
    }

    /** Python's {@code '{:.{p}e}'.format(v)}: at least two exponent digits, with a sign. */
    static String sci(double v, int p) {
        if (Double.isNaN(v)) {
            return "nan";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        String sign = negative(v) ? "-" : "";
        if (v == 0) {
            return sign + fixed(0, p) + "e+00";
        }
        BigDecimal bd = new BigDecimal(Math.abs(v)).round(new MathContext(p + 1, RoundingMode.HALF_EVEN));
        int exponent = bd.precision() - bd.scale() - 1;
        String mantissa = bd.movePointLeft(exponent).setScale(p, RoundingMode.HALF_EVEN).toPlainString();
        String exp = String.format("%02d", Math.abs(exponent));
        return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + exp;
    }

    private static boolean negative(double v) {
        return Double.doubleToRawLongBits(v) < 0;
    }
}
