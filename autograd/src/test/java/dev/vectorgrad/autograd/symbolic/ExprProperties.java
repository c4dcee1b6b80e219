package dev.vectorgrad.autograd.symbolic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;

class ExprProperties {

    /** One term {@code c * x^i * y^j} of a random polynomial. */
    record Term(int c, int i, int j) {
        String text() {
            return "(" + c + ")*x^" + i + "*y**" + j;
        }

        double absValue(double x, double y) {
            return Math.abs(c) * Math.pow(Math.max(1, Math.abs(x)), i) * Math.pow(Math.max(1, Math.abs(y)), j);
        }
    }

    @Provide
    Arbitrary<List<Term>> polynomials() {
        Arbitrary<Term> term = Combinators.combine(Arbitraries.integers().between(-9, 9),
                Arbitraries.integers().between(0, 4), Arbitraries.integers().between(0, 3)).as(Term::new);
        return term.list().ofMinSize(1).ofMaxSize(5);
    }

    private static String text(List<Term> p) {
        return String.join(" + ", p.stream().map(Term::text).toList());
    }

    @Property(tries = 300)
    void derivativeMatchesCentralDifference(@ForAll("polynomials") List<Term> p,
            @ForAll @DoubleRange(min = -3, max = 3) double x, @ForAll @DoubleRange(min = -3, max = 3) double y,
            @ForAll boolean wrtY) {
        Expr e = Expr.parse(text(p));
        String v = wrtY ? "y" : "x";
        double symbolic = e.diff(v).eval(Map.of("x", x, "y", y));

        double h = 1e-4;
        double fd = wrtY
                ? (e.eval(Map.of("x", x, "y", y + h)) - e.eval(Map.of("x", x, "y", y - h))) / (2 * h)
                : (e.eval(Map.of("x", x + h, "y", y)) - e.eval(Map.of("x", x - h, "y", y))) / (2 * h);

        // The central difference of a polynomial of degree <= 4 per variable errs by h^2/6*f'''
        // (truncation) plus ~eps*|f|/h (rounding), both far below 1e-6 of the size of the terms.
        double scale = 1 + p.stream().mapToDouble(t -> t.absValue(x, y)).sum();
        assertEquals(fd, symbolic, 1e-6 * scale, () -> "d/d" + v + " " + e + " = " + e.diff(v));
    }

    @Property(tries = 300)
    void derivativeIsThePowerRuleTermByTerm(@ForAll("polynomials") List<Term> p,
            @ForAll @DoubleRange(min = -3, max = 3) double x, @ForAll @DoubleRange(min = -3, max = 3) double y) {
        double expected = 0;
        for (Term t : p) {
            expected += t.i == 0 ? 0 : t.c * t.i * Math.pow(x, t.i - 1) * Math.pow(y, t.j);
        }
        double got = Expr.parse(text(p)).diff("x").eval(Map.of("x", x, "y", y));
        assertEquals(expected, got, 1e-9 * (1 + p.stream().mapToDouble(t -> t.absValue(x, y)).sum()));
    }

    @Property(tries = 300)
    void polynomialPrintsThenParsesToTheSameExpression(@ForAll("polynomials") List<Term> p) {
        Expr e = Expr.parse(text(p));
        assertEquals(e, Expr.parse(e.toString()), e::toString);
        assertEquals(e.toString(), Expr.parse(e.toString()).toString());
    }

    /** Random expression text with every operator, decimals, unary minus and division. */
    @Provide
    Arbitrary<String> expressions() {
        Arbitrary<String> leaf = Arbitraries.oneOf(Arbitraries.of("x", "y", "x", "y"),
                Arbitraries.integers().between(0, 9).map(String::valueOf),
                Arbitraries.of("0.5", "2.25", "0.1"));
        return Arbitraries.lazyOf(() -> leaf, () -> leaf,
                () -> Combinators.combine(expressions(), Arbitraries.of("+", "-", "*", "/"), expressions())
                        .as((a, op, b) -> "(" + a + ")" + op + "(" + b + ")"),
                () -> Combinators.combine(expressions(), Arbitraries.integers().between(-2, 3))
                        .as((a, n) -> "(" + a + ")^" + n),
                () -> expressions().map(a -> "-(" + a + ")"));
    }

    @Property(tries = 300)
    void anyExpressionPrintsThenParsesToAnEqualValuedOne(@ForAll("expressions") String text,
            @ForAll @DoubleRange(min = -3, max = 3) double x, @ForAll @DoubleRange(min = -3, max = 3) double y) {
        Expr e;
        try {
            e = Expr.parse(text);
        } catch (ParseException divisionByZeroOrTooLarge) {
            Assume.that(false);
            return;
        }
        Expr back = Expr.parse(e.toString());
        Map<String, Double> at = Map.of("x", x, "y", y);
        double a = e.eval(at);
        double b = back.eval(at);
        // Only values are compared: rational expressions have no canonical form (the printed
        // 1/(x*y*(1 + 1/y)) reads back as 1/(x*(y + 1))), and near a pole the two orders of
        // evaluation cancel differently, so points where the value is huge are skipped.
        Assume.that(Double.isFinite(a) && Math.abs(a) < 1e6);
        assertTrue(Math.abs(a - b) <= 1e-6 * (1 + Math.abs(a)), () -> e + " -> " + back + ": " + a + " vs " + b);
    }
}
