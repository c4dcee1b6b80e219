package dev.vectorgrad.data;

import java.io.IOException;

/**
 * A dataset was found nowhere and could not be downloaded. The message lists every place
 * looked at (and every download attempt) and how to provide the files by hand.
 */
public class DatasetUnavailableException extends IOException {
    /**
     * @param message the full explanation
     * @param cause the last download failure, or null
     */
    public DatasetUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
