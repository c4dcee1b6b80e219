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
}
