package dev.vectorgrad.nn;

/** Numbers as Python's {@code repr} prints them in PyTorch's module reprs ({@code 0.01}, {@code 1.0}, {@code 1e-05}). */
final class PyRepr {

    private PyRepr() {}

    static String of(float v) {
        String s = Double.toString(Double.parseDouble(Float.toString(v))); // the shortest float digits
        int e = s.indexOf('E');
        if (e < 0) {
            return s;
        }
        String mantissa = s.substring(0, e);
        if (mantissa.endsWith(".0")) {
            mantissa = mantissa.substring(0, mantissa.length() - 2);
        }
        int exp = Integer.parseInt(s.substring(e + 1));
        return mantissa + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
    }
}
