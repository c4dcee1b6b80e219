package dev.vectorgrad.data.numpy;

import dev.vectorgrad.core.Printable;
import dev.vectorgrad.core.Tensor;
import dev.vectorgrad.data.DataFormatException;
import dev.vectorgrad.data.internal.AtomicFiles;
import dev.vectorgrad.data.internal.Bytes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * NumPy's {@code .npz}: a zip archive of {@code .npy} files, one per named array (what
 * {@code numpy.savez} and {@code numpy.savez_compressed} write). Names come back without the
 * {@code .npy} suffix, as {@code numpy.load(...)[name]} shows them.
 */
public final class Npz {
    private Npz() {}

    /**
     * Reads every array of an archive.
     *
     * @param file the {@code .npz} file
     * @return arrays by name, in archive order
     * @throws DataFormatException if the archive or one of its arrays is malformed
     * @throws IOException if the file cannot be read
     */
    public static Map<String, NdArray> read(Path file) throws IOException {
        long size = Files.size(file);
        if (size > Bytes.MAX_ARRAY) {
            throw new DataFormatException(file.toString(), "file of " + size + " bytes exceeds " + Bytes.MAX_ARRAY
                    + " bytes, more than one Java array holds");
        }
        return decode(Files.readAllBytes(file), file.toString());
    }

    /**
     * Decodes the bytes of an archive. As {@code numpy.load} does, it reads the zip central
     * directory at the end and refuses an archive cut short; beyond that, every entry must
     * match its CRC-32 and inflate to exactly its declared size, at most
     * {@link Bytes#MAX_RATIO_PROPERTY} times its stored size (a zip bomb is refused), and no
     * byte of the archive may lie outside the entries the directory lists.
     *
     * @param bytes the archive's bytes
     * @param source the name used in error messages
     * @return arrays by name, in archive order
     * @throws DataFormatException if the archive or one of its arrays is malformed
     */
    public static Map<String, NdArray> decode(byte[] bytes, String source) throws DataFormatException {
        Map<String, NdArray> out = new LinkedHashMap<>();
        for (ZipArchive.Entry e : ZipArchive.read(bytes, source)) {
            String name = e.name();
            String key = name.endsWith(".npy") ? name.substring(0, name.length() - 4) : name;
            out.put(key, Npy.decode(e.data(), source + "!" + Printable.escape(name)));
        }
        if (out.isEmpty()) {
            throw new DataFormatException(source, "not an .npz archive: no entries found");
        }
        return out;
    }

    /**
     * Writes tensors as float32 arrays into a compressed archive, through a temporary file
     * renamed into place.
     *
     * @param file the {@code .npz} file
     * @param arrays tensors by name (names become {@code name.npy} entries)
     * @throws IOException if writing fails
     */
    public static void write(Path file, Map<String, Tensor> arrays) throws IOException {
        AtomicFiles.write(file, out -> {
            ZipOutputStream z = new ZipOutputStream(out);
            for (Map.Entry<String, Tensor> e : arrays.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey() + ".npy"));
                z.write(Npy.encode(e.getValue()));
                z.closeEntry();
            }
            z.finish();
        });
    }
}
