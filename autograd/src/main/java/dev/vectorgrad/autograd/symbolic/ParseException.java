package dev.vectorgrad.autograd.symbolic;

/**
 * Text that {@link Expr#parse(String)} cannot read. The message names the problem, the 1-based
 * column, and repeats the input with a caret under the offending character:
 *
 * <pre>
 * parse: column 6: expected a number, a variable or '(' but the input ended
 *   3*x**
 *        ^
 * </pre>
 */
public final class ParseException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** The text that was parsed. */
    private final String input;
    /** The 0-based index of the problem in {@link #input}. */
    private final int position;
    /** The problem alone, without position or caret. */
    private final String problem;

    /**
     * A parse failure.
     *
     * @param input the whole text being parsed
     * @param position 0-based index of the problem, at most {@code input.length()} (the end)
     * @param problem what was wrong, e.g. {@code "unexpected character '$'"}
     */
    public ParseException(String input, int position, String problem) {
        super(format(input, position, problem));
        this.input = input;
        this.position = position;
        this.problem = problem;
    }

    private static String format(String input, int position, String problem) {
        return "parse: column " + (position + 1) + ": " + problem + "\n  " + input + "\n  "
                + " ".repeat(position) + "^";
    }

    /** @return the text that was parsed */
    public String input() {
        return input;
    }

    /** @return the 0-based index of the problem; {@code input().length()} means the end */
    public int position() {
        return position;
    }

    /** @return the problem without position or caret */
    public String problem() {
        return problem;
    }
}
