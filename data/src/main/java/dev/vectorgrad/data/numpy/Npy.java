package dev.vectorgrad.data.numpy;

import dev.vectorgrad.core.Printable;
import dev.vectorgrad.core.Tensor;
import dev.vectorgrad.data.DataFormatException;
import dev.vectorgrad.data.internal.AtomicFiles;
import dev.vectorgrad.data.internal.Bytes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * NumPy's {@code .npy} format (versions 1.0, 2.0 and 3.0): a magic string, a version, a
 * header that is a Python dict literal ({@code {'descr': '<f4', 'fortran_order': False,
 * 'shape': (2, 3), }}), then the raw elements. Reads the numeric dtypes of {@link DType} in
 * either byte order and either memory order; writes float32 little-endian C order, which
 * {@code numpy.load} and {@code torch.from_numpy} take as is.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

    private Npy() {}

    /**
     * Reads a {@code .npy} file (gzip-compressed or not).
     *
     * @param file the file
     * @return the array
     * @throws DataFormatException if the file is not a well-formed {@code .npy} of a supported dtype
     * @throws IOException if the file cannot be read
     */
    public static NdArray read(Path file) throws IOException {
        return decode(Bytes.readMaybeGzip(file), file.toString());
    }

    /**
     * Reads a {@code .npy} file straight into a float32 tensor.
     *
     * @param file the file
     * @return the elements in row-major order, shaped as stored
     * @throws DataFormatException if the file is not a well-formed {@code .npy} of a supported dtype
     * @throws IOException if the file cannot be read
     */
    public static Tensor readTensor(Path file) throws IOException {
        return read(file).toTensor();
    }

    /**
     * Decodes the bytes of a {@code .npy} file.
     *
     * @param bytes the file's bytes (gzip-compressed or not)
     * @param source the name used in error messages
     * @return the array
     * @throws DataFormatException if the bytes are not a well-formed {@code .npy} of a supported dtype
     */
    public static NdArray decode(byte[] bytes, String source) throws DataFormatException {
        byte[] b = Bytes.maybeGunzip(bytes, source);
        if (b.length < 10 || !Arrays.equals(Arrays.copyOf(b, 6), MAGIC)) {
            throw new DataFormatException(source, "not a .npy file: expected the magic \\x93NUMPY");
        }
        int major = b[6] & 0xff;
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        long headerLen;
        int headerStart;
        switch (major) {
            case 1 -> {
                headerLen = buf.getShort(8) & 0xffff;
                headerStart = 10;
            }
            case 2, 3 -> {
                if (b.length < 12) {
                    throw new DataFormatException(source, ".npy version " + major + " header is cut short");
                }
                headerLen = Integer.toUnsignedLong(buf.getInt(8));
                headerStart = 12;
            }
            default -> throw new DataFormatException(source, ".npy version " + major + "." + (b[7] & 0xff)
                    + " is not 1.0, 2.0 or 3.0");
        }
        if (headerLen > b.length - headerStart) {
            throw new DataFormatException(source, ".npy header claims " + headerLen + " bytes but the file has only "
                    + (b.length - headerStart) + " after the preamble");
        }
        String header = new String(b, headerStart, (int) headerLen,
                major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Map<String, Object> dict = HeaderParser.parse(header, source);
        Object descr = dict.get("descr");
        Object fortran = dict.get("fortran_order");
        Object shapeObj = dict.get("shape");
        if (!(descr instanceof String d) || !(fortran instanceof Boolean f) || !(shapeObj instanceof List<?> shapeList)) {
            throw new DataFormatException(source, ".npy header must have 'descr' (str), 'fortran_order' (bool) and "
                    + "'shape' (tuple), got: " + Printable.escape(header.strip()));
        }
        if (d.isEmpty()) {
            throw new DataFormatException(source, ".npy dtype is empty");
        }
        char endian = d.charAt(0);
        ByteOrder order;
        String code = d;
        if (endian == '<' || endian == '>' || endian == '|' || endian == '=') {
            code = d.substring(1);
            order = endian == '>' ? ByteOrder.BIG_ENDIAN : endian == '<' ? ByteOrder.LITTLE_ENDIAN : ByteOrder.nativeOrder();
        } else {
            order = ByteOrder.nativeOrder();
        }
        DType type = DType.fromCode(code);
        if (type == null) {
            throw new DataFormatException(source, ".npy dtype '" + Printable.escape(d) + "' is not supported");
        }
        int[] shape = new int[shapeList.size()];
        for (int i = 0; i < shape.length; i++) {
            if (!(shapeList.get(i) instanceof Long v) || v < 0 || v > Integer.MAX_VALUE) {
                throw new DataFormatException(source, ".npy shape " + Printable.escape(String.valueOf(shapeList)) + " holds something other than a size");
            }
            shape[i] = v.intValue();
        }
        long dataStart = headerStart + headerLen;
        long have = b.length - dataStart;
        long need = NdArray.byteCount(type, shape);
        if (need != have) {
            throw new DataFormatException(source, ".npy shape " + Arrays.toString(shape) + " of " + Printable.escape(d) + " needs "
                    + (need < 0 ? "more than 2^63" : String.valueOf(need)) + " data bytes but the file has " + have);
        }
        return NdArray.of(type, order, shape, f, b, (int) dataStart, have);
    }

    /**
     * Writes a tensor as a float32 little-endian C-order {@code .npy} file (version 1.0),
     * through a temporary file renamed into place.
     *
     * @param file the file
     * @param t the tensor (any view)
     * @throws IOException if writing fails
     */
    public static void write(Path file, Tensor t) throws IOException {
        byte[] bytes = encode(t);
        AtomicFiles.write(file, out -> out.write(bytes));
    }

    /**
     * The bytes of a float32 little-endian C-order {@code .npy} file holding {@code t}.
     *
     * @param t the tensor
     * @return the file's bytes
     */
    public static byte[] encode(Tensor t) {
        int[] shape = t.shape();
        StringBuilder sb = new StringBuilder("{'descr': '<f4', 'fortran_order': False, 'shape': (");
        for (int s : shape) {
            sb.append(s).append(", ");
        }
        if (shape.length > 1) {
            sb.setLength(sb.length() - 2);
        } else if (shape.length == 1) {
            sb.setLength(sb.length() - 1);
        }
        sb.append("), }");
        // Pad with spaces so that magic + version + length + header is a multiple of 64 bytes.
        int total = 10 + sb.length() + 1;
        int pad = (64 - total % 64) % 64;
        sb.append(" ".repeat(pad)).append('\n');
        byte[] header = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
        float[] v = t.toArray();
        ByteArrayOutputStream bo = new ByteArrayOutputStream(10 + header.length + 4 * v.length);
        bo.write(MAGIC, 0, MAGIC.length);
        bo.write(1);
        bo.write(0);
        bo.write(header.length & 0xff);
        bo.write(header.length >>> 8);
        bo.write(header, 0, header.length);
        byte[] data = new byte[4 * v.length];
        ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().put(v);
        bo.write(data, 0, data.length);
        return bo.toByteArray();
    }

    /** Parses the tiny subset of Python literals a .npy header uses: dict, str, bool, int, tuple. */
    static final class HeaderParser {
        private final String s;
        private final String source;
        private int i;

        private HeaderParser(String s, String source) {
            this.s = s;
            this.source = source;
        }

        static Map<String, Object> parse(String header, String source) throws DataFormatException {
            HeaderParser p = new HeaderParser(header, source);
            Object v = p.value(0);
            p.ws();
            if (p.i != p.s.length() || !(v instanceof Map<?, ?>)) {
                throw p.fail("expected a single dict literal");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> m = (Map<String, Object>) v;
            return m;
        }

        private DataFormatException fail(String what) {
            return new DataFormatException(source, ".npy header: " + what + " at character " + i + " of: "
                    + Printable.escape(s.strip()));
        }

        private void ws() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }

        private Object value(int depth) throws DataFormatException {
            if (depth > 8) {
                throw fail("nesting too deep");
            }
            ws();
            if (i >= s.length()) {
                throw fail("unexpected end");
            }
            char c = s.charAt(i);
            if (c == '{') {
                i++;
                Map<String, Object> m = new HashMap<>();
                while (true) {
                    ws();
                    if (i < s.length() && s.charAt(i) == '}') {
                        i++;
                        return m;
                    }
                    Object k = value(depth + 1);
                    if (!(k instanceof String key)) {
                        throw fail("dict key is not a string");
                    }
                    ws();
                    expect(':');
                    m.put(key, value(depth + 1));
                    ws();
                    if (i < s.length() && s.charAt(i) == ',') {
                        i++;
                    } else {
                        ws();
                        expect('}');
                        return m;
                    }
                }
            }
            if (c == '(' || c == '[') {
                char close = c == '(' ? ')' : ']';
                i++;
                List<Object> l = new ArrayList<>();
                while (true) {
                    ws();
                    if (i < s.length() && s.charAt(i) == close) {
                        i++;
                        return l;
                    }
                    if (l.size() > 64) {
                        throw fail("tuple too long");
                    }
                    l.add(value(depth + 1));
                    ws();
                    if (i < s.length() && s.charAt(i) == ',') {
                        i++;
                    } else {
                        expect(close);
                        return l;
                    }
                }
            }
            if (c == '\'' || c == '"') {
                int end = s.indexOf(c, i + 1);
                if (end < 0) {
                    throw fail("unterminated string");
                }
                String v = s.substring(i + 1, end);
                i = end + 1;
                return v;
            }
            if (s.startsWith("True", i)) {
                i += 4;
                return Boolean.TRUE;
            }
            if (s.startsWith("False", i)) {
                i += 5;
                return Boolean.FALSE;
            }
            int start = i;
            while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '-' || s.charAt(i) == 'L')) {
                i++;
            }
            String num = s.substring(start, i).replace("L", "");
            try {
                return Long.parseLong(num);
            } catch (NumberFormatException e) {
                throw fail("expected a value");
            }
        }

        private void expect(char c) throws DataFormatException {
            if (i >= s.length() || s.charAt(i) != c) {
                throw fail("expected '" + c + "'");
            }
            i++;
        }
    }
}
