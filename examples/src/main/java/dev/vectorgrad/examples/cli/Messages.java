package dev.vectorgrad.examples.cli;

/** Shaping error text for the command line. */
public final class Messages {

    private Messages() {}

    /**
     * Joins a multi-line message (a list of places looked at, say) into the one line an error gets.
     *
     * @param message the message
     * @return the same text on one line
     */
    public static String oneLine(String message) {
        if (message == null) {
            return "";
        }
        return message.strip().replaceAll("[ \\t]*\\R[ \\t]*(- )?", "; ").replace(":;", ":");
    }

    /**
     * Makes text from a file or a command line safe to print on a terminal: control characters
     * (C0, DEL, C1), the line and paragraph separators and the bidirectional overrides become
     * visible escapes, {@code \x1b} for ESC, {@code \u202e} for RIGHT-TO-LEFT OVERRIDE, so that a
     * dataset name or a metadata value cannot move the cursor, recolour the terminal, set its
     * title or reorder what follows. Other text, non-ASCII letters included, is unchanged.
     *
     * @param text the text, or null
     * @return the text with those characters escaped ({@code "null"} for null)
     */
    public static String escape(String text) {
        if (text == null) {
            return "null";
        }
        int i = 0;
        while (i < text.length() && !unsafe(text.charAt(i))) {
            i++;
        }
        if (i == text.length()) {
            return text;
        }
        StringBuilder sb = new StringBuilder(text.length() + 16).append(text, 0, i);
        for (; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!unsafe(c)) {
                sb.append(c);
            } else if (c < 0x100) {
                sb.append(String.format("\\x%02x", (int) c));
            } else {
                sb.append(String.format("\\u%04x", (int) c));
            }
        }
        return sb.toString();
    }

    /**
     * {@link #oneLine} then {@link #escape}: what an error line shows.
     *
     * @param message the message, or null
     * @return one line without control characters
     */
    public static String forTerminal(String message) {
        return escape(oneLine(message));
    }

    private static boolean unsafe(char c) {
        return c < 0x20 || (c >= 0x7f && c < 0xa0)
                || c == '\u2028' || c == '\u2029'
                || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069')
                || c == '\u200e' || c == '\u200f' || c == '\u061c';
    }
}
