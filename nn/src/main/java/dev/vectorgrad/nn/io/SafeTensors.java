package dev.vectorgrad.nn.io;

import dev.vectorgrad.core.Printable;
import dev.vectorgrad.core.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Reads and writes the safetensors format: an 8-byte little-endian header length, a JSON header
 * naming each tensor's {@code dtype}, {@code shape} and {@code data_offsets} (plus an optional
 * string map {@code __metadata__}), then the little-endian data. Only {@code F32} is supported,
 * the one dtype vectorgrad has.
 *
 * <p>Reading is strict, since a file may come from anywhere: every offset must lie inside the
 * data, each tensor's byte count must match its shape, and the non-empty tensors must tile the
 * data with no hole and no overlap (the format's own rule; a zero-size tensor may sit at any
 * offset inside the data). Writing goes to a temporary file that is moved into place, so a crash
 * never leaves a half-written model.
 */
public final class SafeTensors {

    /** Headers larger than this are refused before anything is allocated for them. */
    static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;

    private static final String METADATA = "__metadata__";

    private SafeTensors() {}

    /**
     * Writes tensors without metadata.
     *
     * @param file the file to (over)write
     * @param tensors the tensors by name, written in the map's order
     * @throws IOException if the file cannot be written
     */
    public static void save(Path file, Map<String, Tensor> tensors) throws IOException {
        save(file, tensors, Map.of());
    }

    /**
     * Writes tensors and metadata.
     *
     * @param file the file to (over)write
     * @param tensors the tensors by name (any layout; written row-major), in the map's order
     * @param metadata free-form strings stored under {@code __metadata__} (omitted when empty)
     * @throws IOException if the file cannot be written
     */
    public static void save(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        byte[] bytes = toBytes(tensors, metadata);
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        Path tmp = createTemp(file.toAbsolutePath());
        try {
            Files.write(tmp, bytes);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * An empty sibling {@code <name><digits>.part} of {@code target} with the permissions of a
     * plain new file ({@code 0666 & ~umask} on POSIX, as safetensors' and PyTorch's writers give),
     * which the target keeps when renamed into place; {@link Files#createTempFile} would make it
     * {@code 0600}. The name is random and the creation exclusive.
     */
    private static Path createTemp(Path target) throws IOException {
        String prefix = target.getFileName().toString();
        while (true) {
            long digits = ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE;
            try {
                return Files.createFile(target.resolveSibling(prefix + digits + ".part"));
            } catch (FileAlreadyExistsException e) {
                // another writer's name: draw again
            }
        }
    }

    /**
     * The bytes of a safetensors file holding these tensors.
     *
     * @param tensors the tensors by name
     * @param metadata the metadata (may be empty)
     * @return the file's bytes
     */
    public static byte[] toBytes(Map<String, Tensor> tensors, Map<String, String> metadata) {
        if (tensors.containsKey(METADATA)) {
            throw new IllegalArgumentException("safetensors: \"" + METADATA + "\" is reserved and cannot name a tensor");
        }
        StringBuilder h = new StringBuilder("{");
        if (!metadata.isEmpty()) {
            Json.writeString(h, METADATA);
            h.append(":{");
            boolean first = true;
            for (Map.Entry<String, String> e : metadata.entrySet()) {
                if (!first) {
                    h.append(',');
                }
                first = false;
                Json.writeString(h, e.getKey());
                h.append(':');
                Json.writeString(h, e.getValue());
            }
            h.append('}');
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            if (h.length() > 1) {
                h.append(',');
            }
            Tensor t = e.getValue();
            long bytes = 4L * t.numel();
            Json.writeString(h, e.getKey());
            h.append(":{\"dtype\":\"F32\",\"shape\":[");
            int[] shape = t.shape();
            for (int d = 0; d < shape.length; d++) {
                h.append(d == 0 ? "" : ",").append(shape[d]);
            }
            h.append("],\"data_offsets\":[").append(offset).append(',').append(offset + bytes).append("]}");
            offset += bytes;
        }
        h.append('}');
        byte[] header = h.toString().getBytes(StandardCharsets.UTF_8);
        // Pad with spaces to a multiple of 8 so the data starts aligned, as the reference writer does.
        int padded = (header.length + 7) & ~7;
        if (8L + padded + offset > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("safetensors: " + (8L + padded + offset)
                    + " bytes is more than one array can hold");
        }
        ByteBuffer buf = ByteBuffer.allocate(8 + padded + (int) offset).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(padded);
        buf.put(header);
        for (int i = header.length; i < padded; i++) {
            buf.put((byte) ' ');
        }
        for (Tensor t : tensors.values()) {
            for (float f : t.toArray()) {
                buf.putInt(Float.floatToRawIntBits(f));
            }
        }
        return buf.array();
    }

    /**
     * Reads a safetensors file.
     *
     * @param file the file
     * @return its tensors and metadata
     * @throws IOException if the file cannot be read or is not a valid F32 safetensors file; the
     *     message names the file and what is wrong
     */
    public static SafeTensorsFile load(Path file) throws IOException {
        long size = Files.size(file);
        if (size > Integer.MAX_VALUE - 8) {
            throw new IOException("safetensors: " + file + ": " + size + " bytes is too large to load at once");
        }
        return fromBytes(Files.readAllBytes(file), file.toString());
    }

    /**
     * Parses the bytes of a safetensors file.
     *
     * @param bytes the whole file
     * @param source what to call it in error messages
     * @return its tensors and metadata
     * @throws IOException if the bytes are not a valid F32 safetensors file
     */
    public static SafeTensorsFile fromBytes(byte[] bytes, String source) throws IOException {
        String where = "safetensors: " + source + ": ";
        if (bytes.length < 8) {
            throw new IOException(where + "file of " + bytes.length + " bytes is too short for the 8-byte header length");
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long headerLen = buf.getLong(0);
        if (headerLen <= 0 || headerLen > MAX_HEADER_BYTES || headerLen > bytes.length - 8L) {
            throw new IOException(where + "header length " + headerLen + " does not fit in a file of "
                    + bytes.length + " bytes (truncated, or not a safetensors file)");
        }
        String header;
        try {
            header = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, 8, (int) headerLen)).toString();
        } catch (CharacterCodingException e) {
            throw new IOException(where + "header is not valid UTF-8");
        }
        if (!header.startsWith("{")) {
            throw new IOException(where + "header does not start with '{' (not a safetensors file)");
        }
        Object root;
        try {
            root = Json.parse(header);
        } catch (IllegalArgumentException e) {
            throw new IOException(where + "bad header: " + e.getMessage());
        }
        if (!(root instanceof Map<?, ?> entries)) {
            throw new IOException(where + "header is not a JSON object");
        }
        int dataStart = 8 + (int) headerLen;
        long dataLen = bytes.length - (long) dataStart;
        Map<String, String> metadata = new LinkedHashMap<>();
        List<Entry> list = new ArrayList<>();
        for (Map.Entry<?, ?> e : entries.entrySet()) {
            String name = (String) e.getKey();
            if (name.equals(METADATA)) {
                readMetadata(where, e.getValue(), metadata);
            } else {
                list.add(entry(where, name, e.getValue(), dataLen));
            }
        }
        // The format's rule, as the reference reader checks it: the non-empty tensors, in offset
        // order, tile the data. A zero-size tensor (begin == end) occupies no bytes, so any offset
        // inside the data is valid for it (writers put it at 0, or where the previous one ends).
        List<Entry> byOffset = new ArrayList<>();
        for (Entry en : list) {
            if (en.end > en.begin) {
                byOffset.add(en);
            }
        }
        byOffset.sort(Comparator.comparingLong(Entry::begin));
        long expected = 0;
        for (Entry en : byOffset) {
            if (en.begin != expected) {
                throw new IOException(where + "tensor \"" + Printable.escape(en.name) + "\" starts at byte " + en.begin
                        + " of the data but the previous one ends at " + expected
                        + " (tensors must tile the data without holes or overlap)");
            }
            expected = en.end;
        }
        if (expected != dataLen) {
            throw new IOException(where + "the tensors cover " + expected + " bytes of data but the file holds "
                    + dataLen + " after the header (truncated or padded file)");
        }
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Entry en : list) {
            int n = (int) ((en.end - en.begin) / 4);
            float[] values = new float[n];
            int at = dataStart + (int) en.begin;
            for (int i = 0; i < n; i++) {
                values[i] = Float.intBitsToFloat(buf.getInt(at + 4 * i));
            }
            // wrap() reads an empty shape as "1-d of all values"; view() gives the 0-d tensor a scalar needs.
            tensors.put(en.name, Tensor.wrap(values, values.length).view(en.shape));
        }
        return new SafeTensorsFile(Collections.unmodifiableMap(tensors), Collections.unmodifiableMap(metadata));
    }

    private record Entry(String name, int[] shape, long begin, long end) {}

    private static void readMetadata(String where, Object value, Map<String, String> into) throws IOException {
        if (!(value instanceof Map<?, ?> map)) {
            throw new IOException(where + METADATA + " must be an object of strings");
        }
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getValue() instanceof String s)) {
                throw new IOException(where + METADATA + " value of \"" + Printable.escape((String) e.getKey()) + "\" must be a string, got "
                        + describe(e.getValue()));
            }
            into.put((String) e.getKey(), s);
        }
    }

    private static Entry entry(String where, String name, Object value, long dataLen) throws IOException {
        String what = where + "tensor \"" + Printable.escape(name) + "\": ";
        if (!(value instanceof Map<?, ?> map)) {
            throw new IOException(what + "expected an object with dtype, shape and data_offsets, got " + describe(value));
        }
        for (Object key : map.keySet()) {
            if (!key.equals("dtype") && !key.equals("shape") && !key.equals("data_offsets")) {
                throw new IOException(what + "unknown field \"" + Printable.escape(String.valueOf(key)) + "\"");
            }
        }
        Object dtype = map.get("dtype");
        if (!(dtype instanceof String d)) {
            throw new IOException(what + "missing or non-string dtype");
        }
        if (!d.equals("F32")) {
            throw new IOException(what + "dtype " + Printable.escape(d) + " is not supported (vectorgrad reads F32 only)");
        }
        if (!(map.get("shape") instanceof List<?> dims)) {
            throw new IOException(what + "missing shape (expected a list of sizes)");
        }
        int[] shape = new int[dims.size()];
        long numel = 1;
        for (int i = 0; i < shape.length; i++) {
            if (!(dims.get(i) instanceof Long s) || s < 0 || s > Integer.MAX_VALUE) {
                throw new IOException(what + "shape " + Printable.escape(String.valueOf(dims)) + ": sizes must be integers >= 0");
            }
            shape[i] = (int) (long) s;
            numel *= s;
            if (numel > Integer.MAX_VALUE) {
                throw new IOException(what + "shape " + dims + " has more elements than a tensor can hold");
            }
        }
        if (!(map.get("data_offsets") instanceof List<?> offs) || offs.size() != 2
                || !(offs.get(0) instanceof Long begin) || !(offs.get(1) instanceof Long end)) {
            throw new IOException(what + "data_offsets must be a list of two integers [begin, end]");
        }
        if (begin < 0 || end < begin || end > dataLen) {
            throw new IOException(what + "data_offsets [" + begin + ", " + end + "] lie outside the "
                    + dataLen + " bytes of data (truncated file?)");
        }
        if (end - begin != 4 * numel) {
            throw new IOException(what + "shape " + dims + " needs " + 4 * numel + " bytes of F32 but data_offsets ["
                    + begin + ", " + end + "] span " + (end - begin));
        }
        return new Entry(name, shape, begin, end);
    }

    private static String describe(Object v) {
        return v == null ? "null"
                : v.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT) + " " + Printable.escape(String.valueOf(v));
    }
}
