package dev.vectorgrad.data.pickle;

import dev.vectorgrad.data.DataFormatException;
import dev.vectorgrad.data.internal.Bytes;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

/**
 * Safe loading of pickles that hold plain data and NumPy arrays, such as the lesson's
 * {@code mnist.pkl.gz}. Loading never runs code from the file: only the globals in
 * {@link #allowedGlobals()} are resolved, anything else is refused by name.
 *
 * <p>Python values come back as: None as {@code null}, bool as {@link Boolean}, int as
 * {@link Long} (or {@link java.math.BigInteger}), float as {@link Double}, str as
 * {@link String}, bytes and Python 2 str as {@code byte[]}, tuple as an unmodifiable
 * {@link java.util.List}, list as a {@link java.util.List}, dict as a {@link java.util.Map},
 * ndarray as {@link dev.vectorgrad.data.numpy.NdArray}.
 */
public final class Pickle {
    private Pickle() {}

    /**
     * Loads a pickle file, gzip-compressed or not (recognised from its first bytes).
     *
     * @param file the file
     * @return the pickled value
     * @throws DataFormatException if the file is not a pickle this reader accepts (corrupt,
     *     truncated, an unknown opcode, a refused global)
     * @throws IOException if the file cannot be read
     */
    public static Object load(Path file) throws IOException {
        return PickleReader.load(Bytes.readMaybeGzip(file), file.toString());
    }

    /**
     * Loads a pickle from bytes, gzip-compressed or not.
     *
     * @param bytes the file's bytes
     * @param source the name used in error messages
     * @return the pickled value
     * @throws DataFormatException if the bytes are not a pickle this reader accepts
     */
    public static Object load(byte[] bytes, String source) throws DataFormatException {
        return PickleReader.load(Bytes.maybeGunzip(bytes, source), source);
    }

    /** @return the {@code module.name} of every global a pickle may name */
    public static Set<String> allowedGlobals() {
        return new TreeSet<>(PickleReader.ALLOWED_GLOBALS);
    }
}
