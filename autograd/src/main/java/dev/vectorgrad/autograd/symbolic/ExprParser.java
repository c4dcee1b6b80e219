package dev.vectorgrad.autograd.symbolic;

import java.math.BigDecimal;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Recursive-descent parser for {@link Expr#parse(String)}. Each rule simplifies as it goes, so
 * an arithmetic failure (division by zero, overflow) is reported at the operator that caused it.
 *
 * <pre>
 * sum     := product (('+' | '-') product)*
 * product := unary (('*' | '/') unary)*
 * unary   := ('-' | '+') unary | power
 * power   := primary (('^' | '**') unary)?      exponent: an integer constant
 * primary := number | identifier | '(' sum ')'
 * </pre>
 */
final class ExprParser {

    /** Larger exponents are refused: they would only overflow the coefficients. */
    private static final int MAX_EXPONENT = 1000;

    private final String src;
    /** Allowed identifiers, or null for any. */
    private final Set<String> symbols;
    private int pos;

    ExprParser(String src, Set<String> symbols) {
        if (src == null) {
            throw new IllegalArgumentException("parse: expected text, got null");
        }
        this.src = src;
        this.symbols = symbols;
    }

    static boolean isIdentifier(String s) {
        if (s == null || s.isEmpty() || !isIdentStart(s.charAt(0))) {
            return false;
        }
        return s.chars().allMatch(c -> isIdentStart(c) || isDigit(c));
    }

    Expr parse() {
        skipBlanks();
        if (pos == src.length()) {
            throw error(pos, "expected an expression but the input is empty");
        }
        Expr e = sum();
        skipBlanks();
        if (pos < src.length()) {
            char c = src.charAt(pos);
            throw c == ')' ? error(pos, "unexpected ')' without a matching '('")
                    : unexpected("an operator (+ - * / ^ **) or the end of the input");
        }
        return e;
    }

    private Expr sum() {
        Expr e = product();
        while (true) {
            skipBlanks();
            if (!at('+') && !at('-')) {
                return e;
            }
            int op = pos;
            char c = src.charAt(pos++);
            Expr rhs = product();
            Expr lhs = e;
            e = arithmetic(op, () -> c == '+' ? lhs.add(rhs) : lhs.sub(rhs));
        }
    }

    private Expr product() {
        Expr e = unary();
        while (true) {
            skipBlanks();
            boolean times = at('*') && !atPower();
            if (!times && !at('/')) {
                return e;
            }
            int op = pos++;
            Expr rhs = unary();
            Expr lhs = e;
            e = arithmetic(op, () -> times ? lhs.mul(rhs) : lhs.div(rhs));
        }
    }

    private Expr unary() {
        skipBlanks();
        if (at('-')) {
            int op = pos++;
            Expr operand = unary();
            return arithmetic(op, operand::neg);
        }
        if (at('+')) {
            pos++;
            return unary();
        }
        return power();
    }

    private Expr power() {
        Expr base = primary();
        skipBlanks();
        if (!at('^') && !atPower()) {
            return base;
        }
        int op = pos;
        pos += at('^') ? 1 : 2;
        skipBlanks();
        int expStart = pos;
        Expr exponent = unary();
        if (!exponent.isConstant()) {
            throw error(expStart, "the exponent must be an integer constant, got '" + exponent + "'");
        }
        double v = exponent.constantValue();
        if (v != Math.rint(v) || Math.abs(v) > MAX_EXPONENT) {
            throw error(expStart, "the exponent must be an integer between -" + MAX_EXPONENT + " and "
                    + MAX_EXPONENT + ", got " + ExprFormat.number(v));
        }
        return arithmetic(op, () -> base.pow((int) v));
    }

    private Expr primary() {
        skipBlanks();
        if (pos == src.length()) {
            throw error(pos, "expected a number, a variable or '(' but the input ended");
        }
        char c = src.charAt(pos);
        if (isDigit(c) || c == '.') {
            return number();
        }
        if (isIdentStart(c)) {
            int start = pos;
            while (pos < src.length() && (isIdentStart(src.charAt(pos)) || isDigit(src.charAt(pos)))) {
                pos++;
            }
            String name = src.substring(start, pos);
            if (symbols != null && !symbols.contains(name)) {
                throw error(start, "unknown symbol '" + name + "' (known: "
                        + new TreeSet<>(symbols) + ")");
            }
            return Expr.variable(name);
        }
        if (c == '(') {
            int open = pos++;
            Expr e = sum();
            skipBlanks();
            if (pos == src.length()) {
                throw error(pos, "missing ')' to close the '(' opened at column " + (open + 1));
            }
            if (!at(')')) {
                throw unexpected("')' to close the '(' opened at column " + (open + 1));
            }
            pos++;
            return e;
        }
        throw unexpected("a number, a variable or '('");
    }

    private Expr number() {
        int start = pos;
        while (pos < src.length() && isDigit(src.charAt(pos))) {
            pos++;
        }
        if (at('.')) {
            pos++;
            while (pos < src.length() && isDigit(src.charAt(pos))) {
                pos++;
            }
        }
        String text = src.substring(start, pos);
        if (text.equals(".")) {
            throw error(start, "expected digits before or after '.'");
        }
        double v = new BigDecimal(text.endsWith(".") ? text + "0" : text).doubleValue();
        if (!Double.isFinite(v)) {
            throw error(start, "number too large: " + text);
        }
        return Expr.constant(v);
    }

    /** Runs one simplifying step, reporting an arithmetic failure at the operator. */
    private Expr arithmetic(int op, Supplier<Expr> step) {
        try {
            return step.get();
        } catch (ArithmeticException e) {
            throw error(op, e.getMessage());
        }
    }

    private boolean at(char c) {
        return pos < src.length() && src.charAt(pos) == c;
    }

    private boolean atPower() {
        return src.startsWith("**", pos);
    }

    private void skipBlanks() {
        while (pos < src.length() && Character.isWhitespace(src.charAt(pos))) {
            pos++;
        }
    }

    /** "unexpected character" for symbols outside the grammar, else "expected ..., got ...". */
    private ParseException unexpected(String expected) {
        char c = src.charAt(pos);
        if (!isDigit(c) && !isIdentStart(c) && "+-*/^().".indexOf(c) < 0) {
            return error(pos, "unexpected character '" + c + "'");
        }
        return error(pos, "expected " + expected + ", got '" + c + "'");
    }

    private ParseException error(int at, String problem) {
        return new ParseException(src, at, problem);
    }

    private static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isIdentStart(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    }
}
