package dev.vectorgrad.core;

/**
 * Text from a file made safe to echo in a message: a name read from a pickle, a tar header or
 * a safetensors header may hold terminal escape sequences ({@code ESC [ 2 J} clears the
 * screen) or bidirectional overrides that make a message lie about what it shows. Readers pass
 * such text through {@link #escape(String)} before putting it into an exception message.
 */
public final class Printable {
    /** Longest stretch of file text a message shows before cutting it short. */
    public static final int MAX_CHARS = 200;

    private Printable() {}

    /**
     * Escapes control characters as Python's {@code repr} does: C0 and C1 controls and DEL as
     * {@code \x1b}, other invisible formatting characters (bidi overrides, zero-width joiners,
     * line separators) and unpaired surrogates as {@code \u202e}, and the backslash itself as
     * {@code \\} so the result is unambiguous. Text longer than {@link #MAX_CHARS} characters is
     * cut, with the full length said.
     *
     * @param text file-supplied text ({@code null} gives {@code "null"})
     * @return text holding only printable characters
     */
    public static String escape(String text) {
        if (text == null) {
            return "null";
        }
        int n = Math.min(text.length(), MAX_CHARS);
        StringBuilder sb = new StringBuilder(n + 16);
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                sb.append("\\\\");
            } else if (c < 0x20 || (c >= 0x7f && c < 0xa0)) {
                sb.append(String.format("\\x%02x", (int) c));
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                int cp = text.codePointAt(i);
                if (visible(Character.getType(cp))) {
                    sb.append(c).append(text.charAt(i + 1));
                } else {
                    sb.append(String.format("\\U%08x", cp));
                }
                i++;
            } else if (!visible(Character.getType(c))) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        if (text.length() > n) {
            sb.append("... (").append(text.length()).append(" characters)");
        }
        return sb.toString();
    }

    private static boolean visible(int type) {
        return type != Character.FORMAT && type != Character.SURROGATE && type != Character.LINE_SEPARATOR
                && type != Character.PARAGRAPH_SEPARATOR && type != Character.UNASSIGNED
                && type != Character.PRIVATE_USE && type != Character.CONTROL;
    }
}
