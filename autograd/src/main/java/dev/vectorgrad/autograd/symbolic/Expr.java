package dev.vectorgrad.autograd.symbolic;

import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * An immutable symbolic expression over named variables with {@code + - * /} and integer
 * powers: the lesson's {@code sympy} cells.
 *
 * <pre>{@code
 * Expr e = Expr.parse("3*x^2+8");
 * Expr d = e.diff("x");               // 6*x
 * d.eval(Map.of("x", 2.0));           // 12.0
 * Expr.parse("x**3").diff("x")        // 3*x**2
 * }</pre>
 *
 * <p><b>Always simplified.</b> Every expression is kept in one canonical form: a sum of terms,
 * each a coefficient times a product of variables (and of sums that sit in a denominator) raised
 * to integer powers. Constants are folded, like terms are collected, products and positive
 * powers of sums are multiplied out, {@code x*1}, {@code x+0}, {@code 0*x}, {@code x^1} and
 * {@code x^0} vanish. So {@code d(3*x^2+8)/dx} is {@code 6*x}, never {@code 3*2*x^1+0}, and two
 * polynomials are {@link #equals equal} exactly when their coefficients are. Coefficients are
 * doubles, so {@code 0.1+0.2} is {@code 0.30000000000000004}, as in Java.
 *
 * <p><b>Printing</b> ({@link #toString()}) follows sympy and the lesson's notebook: powers as
 * {@code **} ({@code 3*x**2}), terms by descending degree joined by {@code " + "} and
 * {@code " - "}, negative powers as a division ({@code -1/x**2}, {@code 1/(x + 1)}), except
 * powers below -1 of a sum, which print as a negative exponent ({@code (x + 1)**-2}) because
 * {@code /(x + 1)**2} would read back as a division by the multiplied-out square. The parser
 * reads what the printer writes back to an equal expression, and also accepts {@code ^}.
 */
public final class Expr implements Comparable<Expr> {

    /** The constant 0: no terms. */
    public static final Expr ZERO = new Expr(new TreeMap<>());
    /** The constant 1. */
    public static final Expr ONE = constant(1);

    /** Positive powers of sums are multiplied out; this bounds the work that can cause. */
    static final int MAX_EXPANDED_POWER = 64;

    /**
     * The most term-by-term products one multiplication may form. Nested powers of sums grow
     * exponentially ({@code ((x+y+1)^3)^3)^3} has 406 terms, and cubing it once more forms 406 x
     * 1,540 products, each level after that some 60 times more), so without a bound a short input
     * could keep the parser busy for hours.
     */
    static final long MAX_TERM_PRODUCTS = 250_000;

    /** Non-zero, finite coefficients by monomial, in print order. */
    private final TreeMap<Monomial, Double> terms;

    private Expr(TreeMap<Monomial, Double> terms) {
        this.terms = terms;
    }

    // ---------------------------------------------------------------- creation

    /**
     * Parses an expression in any variables.
     *
     * <p>Grammar: numbers ({@code 3}, {@code 0.25}, {@code .5}; no exponent notation),
     * identifiers ({@code x}, {@code y_2}), {@code + - * /}, unary minus and plus, powers
     * {@code a^n} or {@code a**n} (right-associative, binding tighter than unary minus, so
     * {@code -x^2} is {@code -(x^2)}) whose exponent must reduce to an integer constant
     * ({@code x^-2}, {@code x^(1+1)}), and parentheses. Blanks are ignored. There is no implicit
     * multiplication: {@code 3x} is an error.
     *
     * @param text the expression
     * @return the simplified expression
     * @throws ParseException with the column of the problem, for bad text
     */
    public static Expr parse(String text) {
        return new ExprParser(text, null).parse();
    }

    /**
     * Parses an expression whose identifiers must all be among {@code symbols}, like sympy's
     * {@code x, y = symbols('x y')}: {@code parse("3*y", Set.of("x"))} fails at the {@code y}.
     *
     * @param text the expression
     * @param symbols the allowed variable names
     * @return the simplified expression
     * @throws ParseException with the column of the problem, for bad text or unknown names
     */
    public static Expr parse(String text, Set<String> symbols) {
        return new ExprParser(text, Set.copyOf(symbols)).parse();
    }

    /**
     * A constant.
     *
     * @param value a finite number
     * @return the constant expression
     */
    public static Expr constant(double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("constant: expected a finite number, got " + value);
        }
        return term(value, Monomial.ONE);
    }

    /**
     * A variable.
     *
     * @param name an identifier: a letter or {@code _}, then letters, digits or {@code _}
     * @return the variable as an expression
     */
    public static Expr variable(String name) {
        if (!ExprParser.isIdentifier(name)) {
            throw new IllegalArgumentException("variable: expected an identifier (letter or '_', then letters, "
                    + "digits or '_'), got '" + name + "'");
        }
        return term(1, Monomial.of(new Base.Symbol(name), 1));
    }

    private static Expr term(double coefficient, Monomial m) {
        TreeMap<Monomial, Double> t = new TreeMap<>();
        if (coefficient != 0) {
            t.put(m, checkFinite(coefficient));
        }
        return new Expr(t);
    }

    private static double checkFinite(double c) {
        if (!Double.isFinite(c)) {
            throw new ArithmeticException("coefficient overflow (" + c + ")");
        }
        return c;
    }

    /**
     * One term, with any positive powers of sums multiplied out (they arise when a negative
     * power is raised to a negative power: {@code (1/(x+1))^-1}).
     */
    private static Expr termExpanded(double coefficient, Monomial m) {
        Monomial kept = m;
        Expr expanded = ONE;
        for (Map.Entry<Base, Integer> e : m.powers().entrySet()) {
            if (e.getKey() instanceof Base.Group g && e.getValue() > 0) {
                kept = kept.with(g, 0);
                expanded = expanded.mul(g.sum().pow(e.getValue()));
            }
        }
        return term(coefficient, kept).mul(expanded);
    }

    // ---------------------------------------------------------------- arithmetic

    /**
     * @param other the addend
     * @return {@code this + other}, simplified
     */
    public Expr add(Expr other) {
        TreeMap<Monomial, Double> t = new TreeMap<>(terms);
        for (Map.Entry<Monomial, Double> e : other.terms.entrySet()) {
            accumulate(t, e.getKey(), e.getValue());
        }
        return new Expr(t);
    }

    private static void accumulate(TreeMap<Monomial, Double> t, Monomial m, double c) {
        double sum = checkFinite(t.getOrDefault(m, 0.0) + c);
        if (sum == 0) {
            t.remove(m);
        } else {
            t.put(m, sum);
        }
    }

    /**
     * @param other the subtrahend
     * @return {@code this - other}, simplified
     */
    public Expr sub(Expr other) {
        return add(other.neg());
    }

    /** @return {@code -this} */
    public Expr neg() {
        return scale(-1);
    }

    private Expr scale(double s) {
        if (s == 0) {
            return ZERO;
        }
        TreeMap<Monomial, Double> t = new TreeMap<>();
        for (Map.Entry<Monomial, Double> e : terms.entrySet()) {
            t.put(e.getKey(), checkFinite(e.getValue() * s));
        }
        return new Expr(t);
    }

    /**
     * @param other the factor
     * @return {@code this * other}, multiplied out and simplified
     */
    public Expr mul(Expr other) {
        if (other.terms.size() >= 2 && hasDenominator(other)) {
            return cancelInto(other);
        }
        if (terms.size() >= 2 && other.hasDenominator(this)) {
            return other.cancelInto(this);
        }
        return distribute(other);
    }

    /**
     * A sum {@code s} of two or more terms as {@code lead * content * primitive}: {@code content}
     * the highest power of each variable that divides every term, {@code primitive} the rest
     * scaled to leading coefficient 1. The primitive part is the one form in which a sum sits in
     * a denominator, so {@code 1/(x^2+x)} and {@code 1/(x*(x+1))} are the same expression.
     */
    private record Split(double lead, Monomial content, Base.Group primitive) {}

    private Split split() {
        Monomial content = null;
        for (Monomial m : terms.keySet()) {
            Monomial common = Monomial.ONE;
            for (Map.Entry<Base, Integer> f : m.powers().entrySet()) {
                if (f.getKey() instanceof Base.Symbol && f.getValue() > 0) {
                    int e = content == null ? f.getValue() : Math.min(f.getValue(), content.exponentOf(f.getKey()));
                    common = common.with(f.getKey(), Math.max(e, 0));
                }
            }
            content = common;
        }
        Monomial inverse = content.pow(-1);
        double lead = terms.firstEntry().getValue();
        TreeMap<Monomial, Double> t = new TreeMap<>();
        for (Map.Entry<Monomial, Double> e : terms.entrySet()) {
            t.put(e.getKey().times(inverse), e.getValue() / lead);
        }
        return new Split(lead, content, new Base.Group(new Expr(t)));
    }

    /** Whether some term of this has the sum {@code s} in its denominator. */
    private boolean hasDenominator(Expr s) {
        Base.Group g = s.split().primitive();
        for (Monomial m : terms.keySet()) {
            if (m.exponentOf(g) < 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code this * s} for a sum {@code s}: terms with {@code s}'s primitive part in their
     * denominator lose one power of it ({@code x/(x+1) * (x+1) = x}); the others are multiplied
     * out.
     */
    private Expr cancelInto(Expr s) {
        Split split = s.split();
        Base.Group g = split.primitive();
        Expr result = ZERO;
        for (Map.Entry<Monomial, Double> e : terms.entrySet()) {
            Monomial m = e.getKey();
            int k = m.exponentOf(g);
            result = result.add(k < 0
                    ? term(e.getValue() * split.lead(), m.with(g, k + 1).times(split.content()))
                    : term(e.getValue(), m).distribute(s));
        }
        return result;
    }

    /** The product term by term, like terms collected. */
    private Expr distribute(Expr other) {
        long products = (long) terms.size() * other.terms.size();
        if (products > MAX_TERM_PRODUCTS) {
            throw new ArithmeticException("multiplying out a product of " + terms.size() + " by " + other.terms.size()
                    + " terms: at most " + MAX_TERM_PRODUCTS + " term products are formed");
        }
        TreeMap<Monomial, Double> t = new TreeMap<>();
        for (Map.Entry<Monomial, Double> a : terms.entrySet()) {
            for (Map.Entry<Monomial, Double> b : other.terms.entrySet()) {
                accumulate(t, a.getKey().times(b.getKey()), a.getValue() * b.getValue());
            }
        }
        return new Expr(t);
    }

    /**
     * @param other the divisor, not zero
     * @return {@code this / other}, simplified
     * @throws ArithmeticException when {@code other} is the constant 0
     */
    public Expr div(Expr other) {
        return mul(other.pow(-1));
    }

    /**
     * An integer power. Positive powers of sums are multiplied out (up to exponent 64); negative
     * powers of sums stay as denominators. {@code pow(0)} is 1, also for 0 (sympy's convention).
     *
     * @param n the exponent
     * @return {@code this^n}, simplified
     * @throws ArithmeticException for a negative power of 0, or a sum raised above 64
     */
    public Expr pow(int n) {
        if (n == 0) {
            return ONE;
        }
        if (n == 1) {
            return this;
        }
        if (terms.isEmpty()) {
            if (n < 0) {
                throw new ArithmeticException("division by zero (0 raised to " + n + ")");
            }
            return ZERO;
        }
        if (terms.size() == 1) {
            Map.Entry<Monomial, Double> e = terms.firstEntry();
            double c = checkFinite(Math.pow(e.getValue(), n));
            if (c == 0) {
                throw new ArithmeticException("coefficient underflow (" + e.getValue() + " raised to " + n + ")");
            }
            return termExpanded(c, e.getKey().pow(n));
        }
        if (n < 0) {
            Split split = split();
            Monomial m = split.content().pow(n).times(Monomial.of(split.primitive(), n));
            return term(checkFinite(Math.pow(split.lead(), n)), m);
        }
        if (n > MAX_EXPANDED_POWER) {
            throw new ArithmeticException("a sum of " + terms.size() + " terms raised to " + n
                    + ": multiplying out is limited to powers up to " + MAX_EXPANDED_POWER);
        }
        Expr result = ONE;
        Expr square = this;
        for (int k = n; k > 0; k >>= 1) {
            if ((k & 1) != 0) {
                result = result.mul(square);
            }
            if (k > 1) {
                square = square.mul(square);
            }
        }
        return result;
    }

    // ---------------------------------------------------------------- calculus and values

    /**
     * The derivative with respect to one variable, simplified. Variables other than
     * {@code variable} are constants.
     *
     * @param variable the variable's name
     * @return {@code d this / d variable}
     */
    public Expr diff(String variable) {
        Objects.requireNonNull(variable, "diff: variable");
        Base.Symbol x = new Base.Symbol(variable);
        Expr result = ZERO;
        for (Map.Entry<Monomial, Double> t : terms.entrySet()) {
            Monomial m = t.getKey();
            // Product rule over the factors, power rule on each: d(b^e) = e*b^(e-1)*db.
            for (Map.Entry<Base, Integer> f : m.powers().entrySet()) {
                Expr dBase = switch (f.getKey()) {
                    case Base.Symbol s -> s.equals(x) ? ONE : ZERO;
                    case Base.Group g -> g.sum().diff(variable);
                };
                if (dBase.terms.isEmpty()) {
                    continue;
                }
                int e = f.getValue();
                result = result.add(termExpanded(t.getValue() * e, m.with(f.getKey(), e - 1)).mul(dBase));
            }
        }
        return result;
    }

    /**
     * Evaluates in double precision.
     *
     * @param values a value for every variable in {@link #variables()} (others are ignored)
     * @return the value; may be infinite or NaN where the expression divides by zero
     * @throws IllegalArgumentException naming a variable that has no value
     */
    public double eval(Map<String, Double> values) {
        double sum = 0;
        for (Map.Entry<Monomial, Double> t : terms.entrySet()) {
            double p = t.getValue();
            for (Map.Entry<Base, Integer> f : t.getKey().powers().entrySet()) {
                double b = switch (f.getKey()) {
                    case Base.Symbol s -> {
                        Double v = values.get(s.name());
                        if (v == null) {
                            throw new IllegalArgumentException("eval: no value for variable '" + s.name()
                                    + "' (given: " + new TreeSet<>(values.keySet()) + ")");
                        }
                        yield v;
                    }
                    case Base.Group g -> g.sum().eval(values);
                };
                p *= Math.pow(b, f.getValue());
            }
            sum += p;
        }
        return sum;
    }

    /** @return the names of the variables that occur, sorted */
    public SortedSet<String> variables() {
        TreeSet<String> names = new TreeSet<>();
        for (Monomial m : terms.keySet()) {
            for (Base b : m.powers().keySet()) {
                switch (b) {
                    case Base.Symbol s -> names.add(s.name());
                    case Base.Group g -> names.addAll(g.sum().variables());
                }
            }
        }
        return Collections.unmodifiableSortedSet(names);
    }

    /** @return whether no variable occurs */
    public boolean isConstant() {
        return terms.isEmpty() || (terms.size() == 1 && terms.firstKey().isOne());
    }

    /**
     * @return the value of a constant expression
     * @throws IllegalStateException when a variable occurs
     */
    public double constantValue() {
        if (!isConstant()) {
            throw new IllegalStateException("constantValue: '" + this + "' depends on " + variables());
        }
        return terms.isEmpty() ? 0 : terms.firstEntry().getValue();
    }

    /** @return the terms in print order: monomial to non-zero coefficient */
    SortedMap<Monomial, Double> terms() {
        return Collections.unmodifiableSortedMap(terms);
    }

    // ---------------------------------------------------------------- identity and printing

    /**
     * Equal canonical forms: for polynomials, equal coefficients for equal monomials.
     *
     * @param o another object
     * @return whether {@code o} is an {@code Expr} with the same terms
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof Expr e && terms.equals(e.terms);
    }

    @Override
    public int hashCode() {
        return terms.hashCode();
    }

    /**
     * A total order consistent with {@link #equals}, used to sort sums that occur in
     * denominators; not a numeric comparison.
     *
     * @param other another expression
     * @return negative, zero or positive
     */
    @Override
    public int compareTo(Expr other) {
        Iterator<Map.Entry<Monomial, Double>> a = terms.entrySet().iterator();
        Iterator<Map.Entry<Monomial, Double>> b = other.terms.entrySet().iterator();
        while (a.hasNext() && b.hasNext()) {
            Map.Entry<Monomial, Double> x = a.next();
            Map.Entry<Monomial, Double> y = b.next();
            int c = x.getKey().compareTo(y.getKey());
            if (c == 0) {
                c = Double.compare(x.getValue(), y.getValue());
            }
            if (c != 0) {
                return c;
            }
        }
        return Boolean.compare(a.hasNext(), b.hasNext());
    }

    /**
     * The canonical text, in sympy's notation: {@code 3*x**2 + 8}, {@code 6*x},
     * {@code x**2 - 2*x*y + y**2}, {@code -1/x**2}, {@code -(x + 1)**-2}, {@code 0}. {@link #parse(String)} reads it
     * back to an equal expression.
     *
     * @return the canonical text
     */
    @Override
    public String toString() {
        return ExprFormat.format(this);
    }
}
