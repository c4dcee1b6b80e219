package dev.vectorgrad.nn;

import java.math.BigDecimal;

/** Numbers and tuples written as Python's {@code repr} writes them, for {@code extraRepr()}. */
final class PythonLiterals {

    private PythonLiterals() {}

    /**
     * A float as Python's {@code repr} of the same shortest decimal: {@code 0.1}, {@code 1e-05},
     * {@code 1.0}, {@code 1e+16}; Python switches to the exponent form below 1e-4 and from 1e16.
     */
    static String number(float f) {
        if (Float.isNaN(f)) {
            return "nan";
        }
        if (Float.isInfinite(f)) {
            return f > 0 ? "inf" : "-inf";
        }
        if (f == 0f) {
            return (1f / f < 0) ? "-0.0" : "0.0";
        }
        BigDecimal d = new BigDecimal(Float.toString(f)).stripTrailingZeros();
        String digits = d.unscaledValue().abs().toString();
        int exp = digits.length() - 1 - d.scale(); // the decimal exponent of the first digit
        String sign = f < 0 ? "-" : "";
        if (exp < -4 || exp >= 16) {
            String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            return sign + mantissa + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
        }
        String plain = d.abs().toPlainString();
        return sign + (plain.contains(".") ? plain : plain + ".0");
    }

    /** {@code 2} for a square pair, else {@code (2, 3)}, as PyTorch prints a size given either way. */
    static String pair(int a, int b) {
        return a == b ? Integer.toString(a) : "(" + a + ", " + b + ")";
    }

    /** A Python tuple: {@code (64,)}, {@code (2, 5, 5)}. */
    static String tuple(int[] values) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < values.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(values[i]);
        }
        return sb.append(values.length == 1 ? ",)" : ")").toString();
    }

    /** {@code True} or {@code False}. */
    static String bool(boolean b) {
        return b ? "True" : "False";
    }
}
