package dev.vectorgrad.examples.cli;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Properties;

import dev.vectorgrad.data.MnistDatasets;

/**
 * Checks the {@code -Dvectorgrad.*} system properties before anything reads them. The core reads
 * {@code vectorgrad.vectorBitSize} and {@code vectorgrad.threads} in static initialisers, where a
 * bad value surfaces as an {@link ExceptionInInitializerError} deep in the first tensor operation;
 * checked here first, it is one line naming the property, the value and what is accepted. The
 * data module's settings ({@code vectorgrad.mirrors}, {@code $VECTORGRAD_MIRRORS},
 * {@code vectorgrad.download.deadline}, {@code vectorgrad.data.maxInflateRatio}) are checked here
 * too, by the data module's own parser.
 */
public final class SystemProperties {

    /** The vector width property of the core's kernels. */
    public static final String VECTOR_BIT_SIZE = "vectorgrad.vectorBitSize";
    /** The thread count property of the core's matmul pool. */
    public static final String THREADS = "vectorgrad.threads";
    /** The folder of the data module's decompressed IDX copies, or {@code none}. */
    public static final String RAW_CACHE = "vectorgrad.rawCache";
    /**
     * The most threads the command line lets the pool start: far above any core count it runs on,
     * far below the thousands of platform threads that would exhaust the process.
     */
    public static final int MAX_THREADS = 1024;

    private SystemProperties() {}

    /**
     * @param props the properties to check ({@link System#getProperties()})
     * @throws UsageException naming the first property whose value is not accepted
     */
    public static void check(Properties props) throws UsageException {
        String bits = props.getProperty(VECTOR_BIT_SIZE);
        if (bits != null && !bits.isBlank() && !bits.strip().matches("0|64|128|256|512")) {
            throw new UsageException("-D" + VECTOR_BIT_SIZE + "=" + Messages.escape(bits)
                    + ": expected 0 (scalar kernels), 64, 128, 256 or 512");
        }
        String threads = props.getProperty(THREADS);
        if (threads != null && !threads.isBlank()) {
            threads(threads, "-D" + THREADS + "=" + Messages.escape(threads));
        }
        String cache = props.getProperty(RAW_CACHE);
        if (cache != null && !cache.equals("none")) {
            try {
                Path.of(cache);
            } catch (InvalidPathException e) {
                throw new UsageException("-D" + RAW_CACHE + "=" + Messages.escape(cache)
                        + ": not a usable folder name (" + Messages.escape(e.getReason()) + "); give a folder or none");
            }
        }
        // The data module's own settings (mirrors, download deadline, inflation cap), parsed by
        // the data module itself: otherwise a typo surfaces only when a download or gzip read needs it.
        try {
            MnistDatasets.Options.defaults().withProperties(props::getProperty).checkSettings();
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /**
     * @param value a thread count as text
     * @param what the property or flag it came from, with its value, for the message
     * @return the count, 1 to {@link #MAX_THREADS}
     * @throws UsageException otherwise
     */
    public static int threads(String value, String what) throws UsageException {
        int n;
        try {
            n = Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new UsageException(what + ": expected a whole number of threads, 1 to " + MAX_THREADS);
        }
        if (n < 1 || n > MAX_THREADS) {
            throw new UsageException(what + ": expected 1 to " + MAX_THREADS + " threads");
        }
        return n;
    }
}
