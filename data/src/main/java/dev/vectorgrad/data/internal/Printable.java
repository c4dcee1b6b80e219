package dev.vectorgrad.data.internal;

import java.util.Locale;

/**
 * Text from outside (a server's header, a setting's value) made fit for a one-line message: a
 * terminal must never receive its control characters or escape sequences, and a message must
 * stay one readable line however long the value.
 */
public final class Printable {
    /** Characters kept of a value; the rest is shown as {@code ...}. */
    public static final int MAX_CHARS = 200;

    private Printable() {}

    /**
     * @param s any text, or null
     * @return the text with C0 and C1 control characters (and DEL) as {@code \xNN}, cut after
     *     {@link #MAX_CHARS} characters
     */
    public static String of(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder();
        int n = Math.min(s.length(), MAX_CHARS);
        for (int i = 0; i < n; i++) {
            char ch = s.charAt(i);
            if (ch < 0x20 || ch == 0x7f || (ch >= 0x80 && ch < 0xa0)) {
                sb.append(String.format(Locale.ROOT, "\\x%02x", (int) ch));
            } else {
                sb.append(ch);
            }
        }
        return n < s.length() ? sb + "..." : sb.toString();
    }
}
