package dev.vectorgrad.autograd.symbolic;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Prints an {@link Expr} in sympy's notation; see {@link Expr#toString()}. */
final class ExprFormat {

    private ExprFormat() {}

    static String format(Expr e) {
        if (e.terms().isEmpty()) {
            return "0";
        }
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<Monomial, Double> t : e.terms().entrySet()) {
            double c = t.getValue();
            if (sb.isEmpty()) {
                sb.append(c < 0 ? "-" : "");
            } else {
                sb.append(c < 0 ? " - " : " + ");
            }
            sb.append(unsignedTerm(Math.abs(c), t.getKey()));
        }
        return sb.toString();
    }

    /**
     * {@code 3*x**2}, {@code x*y}, {@code 2/(x + 1)}, {@code 1/(x*y)}, {@code 8},
     * {@code x*(x + 1)**-2}.
     */
    private static String unsignedTerm(double c, Monomial m) {
        List<String> num = new ArrayList<>();
        List<String> den = new ArrayList<>();
        long groups = m.powers().keySet().stream().filter(b -> b instanceof Base.Group).count();
        for (Map.Entry<Base, Integer> f : m.powers().entrySet()) {
            int e = f.getValue();
            if (f.getKey() instanceof Base.Group && (e < -1 || groups > 1)) {
                // "/(x + 1)**2" or "/((x + 1)*(x + 2))" would read back as a division by the
                // multiplied-out product, another canonical form (factoring is out of scope);
                // a negative exponent reads back as it was.
                num.add(base(f.getKey()) + "**" + e);
            } else {
                (e > 0 ? num : den).add(base(f.getKey()) + (Math.abs(e) == 1 ? "" : "**" + Math.abs(e)));
            }
        }
        String s;
        if (num.isEmpty()) {
            s = number(c);
        } else if (c == 1) {
            s = String.join("*", num);
        } else {
            s = number(c) + "*" + String.join("*", num);
        }
        if (!den.isEmpty()) {
            s += "/" + (den.size() == 1 ? den.get(0) : "(" + String.join("*", den) + ")");
        }
        return s;
    }

    private static String base(Base b) {
        return switch (b) {
            case Base.Symbol s -> s.name();
            case Base.Group g -> "(" + format(g.sum()) + ")";
        };
    }

    /**
     * Integers without a decimal point; other values in the shortest decimal that reads back to
     * the same double, never in exponent notation (which the parser does not read).
     */
    static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }
}
