package dev.vectorgrad.examples.cli;

/** Thrown by {@link ArgParser#parse} for {@code --help}: the caller prints the text and exits 0. */
public final class HelpRequested extends Exception {

    /**
     * @param usage the help text to print
     */
    public HelpRequested(String usage) {
        super(usage);
    }
}
