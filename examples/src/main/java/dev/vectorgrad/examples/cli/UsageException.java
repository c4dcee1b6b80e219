package dev.vectorgrad.examples.cli;

/**
 * A mistake on the command line (unknown flag, bad value, missing file): reported as one line
 * on stderr with exit status 2, never with a stack trace.
 */
public final class UsageException extends Exception {

    /**
     * @param message the whole line to show, naming the command and what was wrong
     */
    public UsageException(String message) {
        super(message);
    }
}
