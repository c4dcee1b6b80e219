package dev.vectorgrad.data.download;

import java.io.IOException;
import java.util.List;

/** Every mirror failed for a file; the message lists each URL tried and why it failed. */
public class DownloadException extends IOException {
    private final List<String> attempts;

    /**
     * @param fileName the file that could not be fetched
     * @param attempts one line per mirror: URL and reason
     */
    public DownloadException(String fileName, List<String> attempts) {
        super("could not download " + fileName + ":" + System.lineSeparator() + "  "
                + String.join(System.lineSeparator() + "  ", attempts));
        this.attempts = List.copyOf(attempts);
    }

    /** @return one line per mirror tried: URL and reason */
    public List<String> attempts() {
        return attempts;
    }
}
