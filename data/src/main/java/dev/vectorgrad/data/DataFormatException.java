package dev.vectorgrad.data;

import java.io.IOException;

/**
 * The one exception every reader in this module throws for a file whose contents are wrong:
 * truncated or corrupt compression, a wrong magic number, sizes that disagree with the length,
 * a refused pickle global, an unknown opcode. The message names the file (or stream) and the
 * problem. A reader that throws it hands back nothing: no partly filled tensor escapes.
 *
 * <p>Plain I/O failures (a missing file, a disk error) stay ordinary {@link IOException}s.
 */
public class DataFormatException extends IOException {
    private final String source;
    private final String problem;

    /**
     * @param source the file or stream that was read (a path, a URL, an entry name)
     * @param problem what was expected and what came
     */
    public DataFormatException(String source, String problem) {
        super(source + ": " + problem);
        this.source = source;
        this.problem = problem;
    }

    /**
     * @param source the file or stream that was read
     * @param problem what was expected and what came
     * @param cause the lower-level failure (e.g. a {@link java.util.zip.ZipException})
     */
    public DataFormatException(String source, String problem, Throwable cause) {
        super(source + ": " + problem, cause);
        this.source = source;
        this.problem = problem;
    }

    /** @return the file or stream that was read */
    public String source() {
        return source;
    }

    /** @return the problem, without the source */
    public String problem() {
        return problem;
    }
}
