package dev.vectorgrad.data.pickle;

import dev.vectorgrad.core.Printable;
import dev.vectorgrad.data.DataFormatException;
import dev.vectorgrad.data.numpy.DType;
import dev.vectorgrad.data.numpy.NdArray;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A pickle virtual machine that builds only plain data and NumPy arrays.
 *
 * <p>It runs the opcodes of protocols 0 to 5 that plain values use, and accepts exactly the
 * globals NumPy's array pickling needs ({@link #ALLOWED_GLOBALS}). Any other global
 * ({@code os.system}, {@code builtins.eval}, ...) is refused by name the moment the opcode
 * naming it is read, before anything is called; so is every opcode that would construct an
 * arbitrary object ({@code INST}, {@code OBJ}, {@code NEWOBJ}, persistent ids, extensions).
 *
 * <p>Works on the whole (already decompressed) file in memory: every length an opcode claims
 * is checked against the bytes that remain before anything is allocated, and strings of
 * array data are kept as windows into that buffer instead of copies. Memoised values are
 * shared, never copied: a BINGET pushes the very object stored, {@code _codecs.encode} of the
 * same string returns the same bytes, and the export to Java converts each object once, so
 * shared references stay shared and a "billion laughs" pickle (each level referring twice to
 * the one below) costs memory in proportion to its length, not to its expansion.
 */
final class PickleReader {
    /** {@code module.name} of every global the reader resolves; nothing else is accepted. */
    static final Set<String> ALLOWED_GLOBALS = Set.of(
            "numpy.core.multiarray._reconstruct",
            "numpy._core.multiarray._reconstruct",
            "numpy.ndarray",
            "numpy.dtype",
            "numpy.core.numeric._frombuffer",
            "numpy._core.numeric._frombuffer",
            "_codecs.encode");

    private static final int MAX_NESTING = 64;
    private static final Object MARK = new Object() {
        @Override
        public String toString() {
            return "MARK";
        }
    };

    /** Python's None inside the machine (the stack is a list of non-null objects). */
    static final Object NONE = new Object() {
        @Override
        public String toString() {
            return "None";
        }
    };

    /** A window of the input buffer: Python 3 {@code bytes} or Python 2 {@code str}. */
    record Bytes(byte[] buf, int off, int len) {
        String latin1() {
            return new String(buf, off, len, StandardCharsets.ISO_8859_1);
        }
    }

    /** A Python tuple. */
    record Tuple(List<Object> items) {}

    /** A resolved, allowed global. */
    record Global(String qualifiedName) {}

    /** A {@code numpy.dtype} being built (REDUCE then BUILD sets the byte order). */
    static final class DTypeBox {
        final DType type;
        ByteOrder order = ByteOrder.nativeOrder();
        boolean built;

        DTypeBox(DType type) {
            this.type = type;
        }
    }

    /** An ndarray made by {@code _reconstruct}, empty until BUILD gives it its state. */
    static final class ArrayBox {
        NdArray array;
    }

    private final byte[] in;
    private final String source;
    private int pos;
    private final List<Object> stack = new ArrayList<>();
    private final List<Integer> marks = new ArrayList<>();
    private final Map<Integer, Object> memo = new HashMap<>();
    /** Strings already encoded to bytes, by identity: a memoised string encoded again is not copied again. */
    private final Map<String, Bytes> encoded = new IdentityHashMap<>();
    /** Every value already exported, by identity, so a shared reference exports to one shared object. */
    private final Map<Object, Object> exported = new IdentityHashMap<>();
    /** Containers being exported right now: meeting one again means the value refers to itself. */
    private final Map<Object, Boolean> exporting = new IdentityHashMap<>();

    private PickleReader(byte[] in, String source) {
        this.in = in;
        this.source = source;
    }

    /**
     * Runs the pickle in {@code data} and returns its value with Python types mapped to Java:
     * None to {@code null}, bool to {@link Boolean}, int to {@link Long} (or {@link BigInteger}),
     * float to {@link Double}, str to {@link String}, bytes (and Python 2 str) to {@code byte[]},
     * tuple and list to an unmodifiable / modifiable {@link List}, dict to a {@link Map},
     * ndarray to {@link NdArray}.
     */
    static Object load(byte[] data, String source) throws DataFormatException {
        PickleReader r = new PickleReader(data, source);
        Object v = r.run();
        return r.export(v, 0);
    }

    private DataFormatException fail(String problem) {
        return new DataFormatException(source, "pickle: " + problem);
    }

    /** File text (a global's name, a dtype code) made safe to print, quoted. */
    private static String q(String fileText) {
        return "'" + Printable.escape(fileText) + "'";
    }

    private Object run() throws DataFormatException {
        if (in.length == 0) {
            throw fail("empty file");
        }
        while (true) {
            if (pos >= in.length) {
                throw fail("truncated: input ended at byte " + pos + " before the STOP opcode");
            }
            int at = pos;
            int op = in[pos++] & 0xff;
            switch (op) {
                case 0x80 -> { // PROTO
                    int p = u1();
                    if (p > 5) {
                        throw fail("protocol " + p + " at byte " + at + " is newer than 5");
                    }
                }
                case 0x95 -> { // FRAME: a length hint only
                    long len = u8();
                    if (len < 0 || len > in.length - pos) {
                        throw fail("FRAME at byte " + at + " claims " + Long.toUnsignedString(len)
                                + " bytes but only " + (in.length - pos) + " remain");
                    }
                }
                case '.' -> { // STOP
                    if (stack.size() != 1 || !marks.isEmpty()) {
                        throw fail("STOP at byte " + at + " with " + stack.size() + " values on the stack"
                                + (marks.isEmpty() ? "" : " and an open MARK") + " (expected exactly one)");
                    }
                    return stack.get(0);
                }
                case '(' -> marks.add(stack.size());
                case '0' -> pop(at);
                case '1' -> popMark(at);
                case '2' -> push(peek(at));
                case 'N' -> push(NONE);
                case 0x88 -> push(Boolean.TRUE);
                case 0x89 -> push(Boolean.FALSE);
                case 'K' -> push((long) u1());
                case 'M' -> push((long) (u1() | (u1() << 8)));
                case 'J' -> push((long) s4());
                case 'I' -> push(parseInt(line(at), at));
                case 'L' -> {
                    String s = line(at);
                    push(parseLong(s.endsWith("L") ? s.substring(0, s.length() - 1) : s, at));
                }
                case 0x8a -> push(longBytes(u1(), at));
                case 0x8b -> push(longBytes(lengthS4(at), at));
                case 'F' -> {
                    try {
                        push(Double.parseDouble(line(at)));
                    } catch (NumberFormatException e) {
                        throw fail("FLOAT at byte " + at + " is not a number");
                    }
                }
                case 'G' -> push(Double.longBitsToDouble(take8BigEndian()));
                case 'T' -> push(bytes(lengthS4(at), at)); // BINSTRING (Python 2 str)
                case 'U' -> push(bytes(u1(), at)); // SHORT_BINSTRING
                case 'S' -> push(stringLiteral(line(at), at)); // STRING (protocol 0)
                case 'B' -> push(bytes(lengthU4(at), at)); // BINBYTES
                case 'C' -> push(bytes(u1(), at)); // SHORT_BINBYTES
                case 0x8e, 0x96 -> push(bytes(lengthU8(at), at)); // BINBYTES8, BYTEARRAY8
                case 'X' -> push(utf8(lengthU4(at), at)); // BINUNICODE
                case 0x8c -> push(utf8(u1(), at)); // SHORT_BINUNICODE
                case 0x8d -> push(utf8(lengthU8(at), at)); // BINUNICODE8
                case 'V' -> push(rawUnicodeEscape(line(at))); // UNICODE (protocol 0)
                case ')' -> push(new Tuple(List.of()));
                case 0x85 -> push(tupleOf(at, 1));
                case 0x86 -> push(tupleOf(at, 2));
                case 0x87 -> push(tupleOf(at, 3));
                case 't' -> push(new Tuple(Collections.unmodifiableList(new ArrayList<>(popMark(at)))));
                case ']' -> push(new ArrayList<>());
                case 'l' -> push(new ArrayList<>(popMark(at)));
                case 'a' -> {
                    Object v = pop(at);
                    listAt(at).add(v);
                }
                case 'e' -> {
                    List<Object> items = popMark(at);
                    listAt(at).addAll(items);
                }
                case '}' -> push(new LinkedHashMap<>());
                case 'd' -> {
                    List<Object> items = popMark(at);
                    Map<Object, Object> m = new LinkedHashMap<>();
                    putPairs(m, items, at);
                    push(m);
                }
                case 's' -> {
                    Object v = pop(at);
                    Object k = pop(at);
                    dictAt(at).put(key(k, at), v);
                }
                case 'u' -> {
                    List<Object> items = popMark(at);
                    putPairs(dictAt(at), items, at);
                }
                case 'p' -> memo.put(parseInt(line(at), at).intValue(), peek(at));
                case 'q' -> memo.put(u1(), peek(at));
                case 'r' -> memo.put(lengthU4(at), peek(at));
                case 0x94 -> memo.put(memo.size(), peek(at));
                case 'g' -> push(memoGet(parseInt(line(at), at), at));
                case 'h' -> push(memoGet((long) u1(), at));
                case 'j' -> push(memoGet((long) lengthU4(at), at));
                case 'c' -> {
                    String module = line(at);
                    String name = line(at);
                    push(global(module, name, at));
                }
                case 0x93 -> {
                    Object name = pop(at);
                    Object module = pop(at);
                    if (!(name instanceof String n) || !(module instanceof String m)) {
                        throw fail("STACK_GLOBAL at byte " + at + " expects two strings");
                    }
                    push(global(m, n, at));
                }
                case 'R' -> {
                    Object args = pop(at);
                    Object fn = pop(at);
                    push(reduce(fn, args, at));
                }
                case 'b' -> {
                    Object state = pop(at);
                    build(peek(at), state, at);
                }
                case 'i', 'o', 0x81, 0x92 -> throw fail(String.format(
                        "opcode %s at byte %d constructs arbitrary objects; refused", opName(op), at));
                case 'P', 'Q' -> throw fail("persistent ids (opcode " + opName(op) + " at byte " + at + ") are refused");
                case 0x82, 0x83, 0x84 -> throw fail("extension registry codes (opcode at byte " + at + ") are refused");
                case 0x97, 0x98 -> throw fail("out-of-band buffers (opcode " + opName(op) + " at byte " + at
                        + ") are not supported");
                case 0x8f, 0x90, 0x91 -> throw fail("sets (opcode " + opName(op) + " at byte " + at
                        + ") are not supported: a NumPy array pickle never contains one");
                default -> throw fail(String.format("unknown opcode 0x%02x at byte %d", op, at));
            }
        }
    }

    private static String opName(int op) {
        return op >= 0x20 && op < 0x7f ? "'" + (char) op + "'" : String.format("0x%02x", op);
    }

    // ---- stack ----

    private void push(Object v) {
        stack.add(v);
    }

    private Object pop(int at) throws DataFormatException {
        int floor = marks.isEmpty() ? 0 : marks.get(marks.size() - 1);
        if (stack.size() <= floor) {
            throw fail("stack underflow at byte " + at);
        }
        return stack.remove(stack.size() - 1);
    }

    private Object peek(int at) throws DataFormatException {
        int floor = marks.isEmpty() ? 0 : marks.get(marks.size() - 1);
        if (stack.size() <= floor) {
            throw fail("stack underflow at byte " + at);
        }
        return stack.get(stack.size() - 1);
    }

    private List<Object> popMark(int at) throws DataFormatException {
        if (marks.isEmpty()) {
            throw fail("no MARK on the stack at byte " + at);
        }
        int m = marks.remove(marks.size() - 1);
        List<Object> top = new ArrayList<>(stack.subList(m, stack.size()));
        stack.subList(m, stack.size()).clear();
        return top;
    }

    private Tuple tupleOf(int at, int n) throws DataFormatException {
        Object[] items = new Object[n];
        for (int i = n - 1; i >= 0; i--) {
            items[i] = pop(at);
        }
        return new Tuple(List.of(items));
    }

    @SuppressWarnings("unchecked")
    private List<Object> listAt(int at) throws DataFormatException {
        if (peek(at) instanceof ArrayList<?> l) {
            return (List<Object>) l;
        }
        throw fail("APPEND at byte " + at + " onto a " + describe(peek(at)) + ", not a list");
    }

    @SuppressWarnings("unchecked")
    private Map<Object, Object> dictAt(int at) throws DataFormatException {
        if (peek(at) instanceof LinkedHashMap<?, ?> m) {
            return (Map<Object, Object>) m;
        }
        throw fail("SETITEM at byte " + at + " onto a " + describe(peek(at)) + ", not a dict");
    }

    private void putPairs(Map<Object, Object> m, List<Object> items, int at) throws DataFormatException {
        if (items.size() % 2 != 0) {
            throw fail("odd number of items for a dict at byte " + at);
        }
        for (int i = 0; i < items.size(); i += 2) {
            m.put(key(items.get(i), at), items.get(i + 1));
        }
    }

    /** Dict keys must be hashable values we can compare: strings, numbers, bools, None. */
    private Object key(Object k, int at) throws DataFormatException {
        if (k instanceof String || k instanceof Long || k instanceof Boolean || k instanceof Double
                || k instanceof BigInteger || k == NONE) {
            return k;
        }
        if (k instanceof Bytes b) {
            return b.latin1();
        }
        throw fail("dict key of type " + describe(k) + " at byte " + at + " is not supported");
    }

    private Object memoGet(Long index, int at) throws DataFormatException {
        Object v = index >= 0 && index <= Integer.MAX_VALUE ? memo.get(index.intValue()) : null;
        if (v == null) {
            throw fail("memo entry " + index + " read at byte " + at + " was never stored");
        }
        return v;
    }

    // ---- input ----

    private void need(long n, int at, String what) throws DataFormatException {
        if (n < 0 || n > in.length - pos) {
            throw fail("truncated: " + what + " at byte " + at + " needs " + n + " bytes but only "
                    + (in.length - pos) + " remain");
        }
    }

    private int u1() throws DataFormatException {
        need(1, pos - 1, "an argument");
        return in[pos++] & 0xff;
    }

    private int s4() throws DataFormatException {
        need(4, pos - 1, "a 4-byte argument");
        int v = ByteBuffer.wrap(in, pos, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        pos += 4;
        return v;
    }

    private long u8() throws DataFormatException {
        need(8, pos - 1, "an 8-byte argument");
        long v = ByteBuffer.wrap(in, pos, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        pos += 8;
        return v;
    }

    private long take8BigEndian() throws DataFormatException {
        need(8, pos - 1, "BINFLOAT");
        long v = ByteBuffer.wrap(in, pos, 8).getLong();
        pos += 8;
        return v;
    }

    private int lengthS4(int at) throws DataFormatException {
        int n = s4();
        if (n < 0) {
            throw fail("negative length " + n + " at byte " + at);
        }
        return n;
    }

    private int lengthU4(int at) throws DataFormatException {
        long n = Integer.toUnsignedLong(s4());
        if (n > Integer.MAX_VALUE) {
            throw fail("length " + n + " at byte " + at + " exceeds what the input can hold");
        }
        return (int) n;
    }

    private int lengthU8(int at) throws DataFormatException {
        long n = u8();
        if (n < 0 || n > Integer.MAX_VALUE) {
            throw fail("length " + Long.toUnsignedString(n) + " at byte " + at + " exceeds what the input can hold");
        }
        return (int) n;
    }

    private Bytes bytes(int n, int at) throws DataFormatException {
        need(n, at, "a string");
        Bytes b = new Bytes(in, pos, n);
        pos += n;
        return b;
    }

    private String utf8(int n, int at) throws DataFormatException {
        need(n, at, "a unicode string");
        // The JDK's own decoding is far faster on the huge strings of a Python 3 protocol-2
        // array pickle; it replaces malformed input with U+FFFD, so only then decode strictly.
        String fast = new String(in, pos, n, StandardCharsets.UTF_8);
        if (fast.indexOf('\uFFFD') < 0) {
            pos += n;
            return fast;
        }
        try {
            String s = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(in, pos, n)).toString();
            pos += n;
            return s;
        } catch (CharacterCodingException e) {
            throw fail("malformed UTF-8 in the string at byte " + at);
        }
    }

    /** A newline-terminated argument (protocol 0 style), at most 4 KiB long. */
    private String line(int at) throws DataFormatException {
        int start = pos;
        int limit = Math.min(in.length, pos + 4096);
        for (int i = start; i < limit; i++) {
            if (in[i] == '\n') {
                pos = i + 1;
                return new String(in, start, i - start, StandardCharsets.ISO_8859_1);
            }
        }
        throw fail("truncated or overlong text argument of the opcode at byte " + at);
    }

    private Long parseInt(String s, int at) throws DataFormatException {
        if (s.equals("00")) {
            return 0L; // protocol 0 spells False this way
        }
        if (s.equals("01")) {
            return 1L;
        }
        return parseLong(s, at);
    }

    private Long parseLong(String s, int at) throws DataFormatException {
        try {
            return Long.parseLong(s.strip());
        } catch (NumberFormatException e) {
            throw fail("integer argument " + q(s) + " at byte " + at + " is not a 64-bit integer");
        }
    }

    private Object longBytes(int n, int at) throws DataFormatException {
        if (n > 64) {
            throw fail("integer of " + n + " bytes at byte " + at + " is larger than any size or shape");
        }
        need(n, at, "a long integer");
        byte[] be = new byte[Math.max(n, 1)];
        for (int i = 0; i < n; i++) {
            be[n - 1 - i] = in[pos + i];
        }
        pos += n;
        BigInteger v = n == 0 ? BigInteger.ZERO : new BigInteger(be);
        return v.bitLength() < 64 ? (Object) v.longValue() : v;
    }

    private Bytes stringLiteral(String s, int at) throws DataFormatException {
        if (s.length() < 2 || s.charAt(0) != s.charAt(s.length() - 1) || (s.charAt(0) != '\'' && s.charAt(0) != '"')) {
            throw fail("STRING argument at byte " + at + " is not quoted");
        }
        String body = s.substring(1, s.length() - 1);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(body.length());
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c != '\\') {
                out.write(c);
                continue;
            }
            if (++i >= body.length()) {
                throw fail("dangling backslash in STRING at byte " + at);
            }
            char e = body.charAt(i);
            switch (e) {
                case 'n' -> out.write('\n');
                case 'r' -> out.write('\r');
                case 't' -> out.write('\t');
                case '\\', '\'', '"' -> out.write(e);
                case 'x' -> {
                    try {
                        out.write(Integer.parseInt(body.substring(i + 1, i + 3), 16));
                    } catch (NumberFormatException | IndexOutOfBoundsException ex) {
                        throw fail("bad \\x escape in STRING at byte " + at);
                    }
                    i += 2;
                }
                default -> throw fail("unsupported escape \\" + e + " in STRING at byte " + at);
            }
        }
        byte[] b = out.toByteArray();
        return new Bytes(b, 0, b.length);
    }

    private static String rawUnicodeEscape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 6 <= s.length() && s.charAt(i + 1) == 'u') {
                try {
                    sb.append((char) Integer.parseInt(s.substring(i + 2, i + 6), 16));
                    i += 5;
                    continue;
                } catch (NumberFormatException e) {
                    // not an escape: keep the backslash
                }
            }
            sb.append(c);
        }
        return sb.toString();
    }

    // ---- globals and calls ----

    private Global global(String module, String name, int at) throws DataFormatException {
        String q = module + "." + name;
        if (!ALLOWED_GLOBALS.contains(q)) {
            throw fail("global " + Printable.escape(q) + " at byte " + at + " refused: only the NumPy array globals "
                    + new java.util.TreeSet<>(ALLOWED_GLOBALS) + " are allowed");
        }
        return new Global(q);
    }

    private Object reduce(Object fn, Object args, int at) throws DataFormatException {
        if (!(fn instanceof Global g)) {
            throw fail("REDUCE at byte " + at + " calls a " + describe(fn) + ", not an allowed global");
        }
        if (!(args instanceof Tuple t)) {
            throw fail("REDUCE at byte " + at + " expects an argument tuple, got " + describe(args));
        }
        List<Object> a = t.items();
        String q = g.qualifiedName();
        switch (q) {
            case "numpy.core.multiarray._reconstruct", "numpy._core.multiarray._reconstruct" -> {
                if (a.size() != 3 || !(a.get(0) instanceof Global cls) || !cls.qualifiedName().equals("numpy.ndarray")) {
                    throw fail("_reconstruct at byte " + at + " expects (numpy.ndarray, shape, typecode)");
                }
                return new ArrayBox();
            }
            case "numpy.dtype" -> {
                if (a.isEmpty()) {
                    throw fail("numpy.dtype at byte " + at + " called without a type code");
                }
                String code = text(a.get(0), at, "dtype code");
                DType d = DType.fromCode(code);
                if (d == null) {
                    throw fail("dtype " + q(code) + " at byte " + at + " is not supported (float32, float64, uint8, int8, "
                            + "int16, uint16, int32, int64, bool are)");
                }
                return new DTypeBox(d);
            }
            case "_codecs.encode" -> {
                if (a.size() != 2 || !(a.get(0) instanceof String s)) {
                    throw fail("_codecs.encode at byte " + at + " expects (str, encoding)");
                }
                String enc = text(a.get(1), at, "encoding").toLowerCase(java.util.Locale.ROOT);
                if (!enc.equals("latin1") && !enc.equals("latin-1") && !enc.equals("iso-8859-1")) {
                    throw fail("_codecs.encode at byte " + at + " with encoding " + q(enc) + ": only latin1 is supported");
                }
                Bytes done = encoded.get(s);
                if (done != null) {
                    return done;
                }
                byte[] b = new byte[s.length()];
                for (int i = 0; i < b.length; i++) {
                    char c = s.charAt(i);
                    if (c > 0xff) {
                        throw fail("_codecs.encode at byte " + at + ": character U+" + Integer.toHexString(c)
                                + " is not latin1");
                    }
                    b[i] = (byte) c;
                }
                Bytes made = new Bytes(b, 0, b.length);
                encoded.put(s, made);
                return made;
            }
            case "numpy.core.numeric._frombuffer", "numpy._core.numeric._frombuffer" -> {
                if (a.size() != 4 || !(a.get(0) instanceof Bytes buf) || !(a.get(1) instanceof DTypeBox d)) {
                    throw fail("_frombuffer at byte " + at + " expects (buffer, dtype, shape, order)");
                }
                int[] shape = shape(a.get(2), at);
                String order = text(a.get(3), at, "order");
                if (!order.equals("C") && !order.equals("F")) {
                    throw fail("_frombuffer at byte " + at + ": order " + q(order) + " is neither C nor F");
                }
                return array(d, shape, order.equals("F"), buf, at);
            }
            default -> throw fail("global " + q + " cannot be called (at byte " + at + ")");
        }
    }

    private void build(Object target, Object state, int at) throws DataFormatException {
        if (target instanceof DTypeBox d && !d.built) {
            // (version, byteorder, subarray, names, fields, elsize, alignment, flags[, metadata]);
            // NumPy's older versions wrote shorter tuples, but the byte order is always second.
            if (!(state instanceof Tuple t) || t.items().size() < 5 || t.items().size() > 9) {
                throw fail("dtype state at byte " + at + " is not a tuple of 5 to 9 items");
            }
            List<Object> s = t.items();
            String endian = text(s.get(1), at, "byte order");
            d.order = switch (endian) {
                case "<" -> ByteOrder.LITTLE_ENDIAN;
                case ">" -> ByteOrder.BIG_ENDIAN;
                case "|", "=" -> ByteOrder.nativeOrder();
                default -> throw fail("dtype byte order " + q(endian) + " at byte " + at + " is not <, >, | or =");
            };
            for (int i = 2; i < Math.min(5, s.size()); i++) {
                if (s.get(i) != NONE && s.size() >= 8) {
                    throw fail("structured or subarray dtypes (state at byte " + at + ") are not supported");
                }
            }
            d.built = true;
            return;
        }
        if (target instanceof ArrayBox box && box.array == null) {
            if (!(state instanceof Tuple t) || (t.items().size() != 5 && t.items().size() != 4)) {
                throw fail("ndarray state at byte " + at + " is not (version, shape, dtype, is_fortran, data)");
            }
            List<Object> s = t.items();
            int o = s.size() == 5 ? 1 : 0;
            int[] shape = shape(s.get(o), at);
            if (!(s.get(o + 1) instanceof DTypeBox d)) {
                throw fail("ndarray state at byte " + at + " has a " + describe(s.get(o + 1)) + " where a dtype belongs");
            }
            boolean fortran = truth(s.get(o + 2), at);
            Object raw = s.get(o + 3);
            Bytes data;
            if (raw instanceof Bytes b) {
                data = b;
            } else if (raw instanceof String str) {
                // A Python 2 str read as unicode by latin1 decoding: one char per byte.
                data = encoded.get(str);
                if (data == null) {
                    byte[] b = str.getBytes(StandardCharsets.ISO_8859_1);
                    data = new Bytes(b, 0, b.length);
                    encoded.put(str, data);
                }
            } else {
                throw fail("ndarray data at byte " + at + " is a " + describe(raw)
                        + ": object arrays are not supported");
            }
            box.array = array(d, shape, fortran, data, at);
            return;
        }
        throw fail("BUILD at byte " + at + " on a " + describe(target) + " is not supported");
    }

    private NdArray array(DTypeBox d, int[] shape, boolean fortran, Bytes data, int at) throws DataFormatException {
        long need = NdArray.byteCount(d.type, shape);
        if (need != data.len()) {
            throw fail("ndarray of shape " + java.util.Arrays.toString(shape) + " and dtype " + d.type.code()
                    + " at byte " + at + " needs " + (need < 0 ? "too many" : String.valueOf(need))
                    + " bytes of data but has " + data.len());
        }
        return NdArray.of(d.type, d.order, shape, fortran, data.buf(), data.off(), data.len());
    }

    private int[] shape(Object o, int at) throws DataFormatException {
        if (o instanceof Long l) {
            o = new Tuple(List.of(l));
        }
        if (!(o instanceof Tuple t) || t.items().size() > 32) {
            throw fail("shape at byte " + at + " is not a tuple of at most 32 sizes");
        }
        int[] shape = new int[t.items().size()];
        for (int i = 0; i < shape.length; i++) {
            if (!(t.items().get(i) instanceof Long v) || v < 0 || v > Integer.MAX_VALUE) {
                throw fail("shape at byte " + at + " holds " + q(String.valueOf(t.items().get(i))) + ", not a size in 0.." + Integer.MAX_VALUE);
            }
            shape[i] = v.intValue();
        }
        return shape;
    }

    private boolean truth(Object o, int at) throws DataFormatException {
        if (o instanceof Boolean b) {
            return b;
        }
        if (o instanceof Long l) {
            return l != 0;
        }
        throw fail("expected a bool at byte " + at + " but found " + describe(o));
    }

    private String text(Object o, int at, String what) throws DataFormatException {
        if (o instanceof String s) {
            return s;
        }
        if (o instanceof Bytes b) {
            return b.latin1();
        }
        throw fail(what + " at byte " + at + " is a " + describe(o) + ", not a string");
    }

    private static String describe(Object o) {
        if (o == NONE) {
            return "None";
        }
        if (o instanceof Global g) {
            return "global " + g.qualifiedName(); // only allowed names are ever resolved
        }
        if (o instanceof Tuple) {
            return "tuple";
        }
        if (o instanceof Bytes) {
            return "bytes";
        }
        if (o instanceof ArrayBox) {
            return "ndarray";
        }
        if (o instanceof DTypeBox) {
            return "dtype";
        }
        return o.getClass().getSimpleName();
    }

    // ---- export to plain Java ----

    private Object export(Object v, int depth) throws DataFormatException {
        if (depth > MAX_NESTING) {
            throw fail("values nested deeper than " + MAX_NESTING + " levels");
        }
        if (v == NONE) {
            return null;
        }
        Object done = exported.get(v);
        if (done != null) {
            return done;
        }
        Object out = exportOnce(v, depth);
        exported.put(v, out);
        return out;
    }

    private Object exportOnce(Object v, int depth) throws DataFormatException {
        if (v instanceof Bytes b) {
            return java.util.Arrays.copyOfRange(b.buf(), b.off(), b.off() + b.len());
        }
        if (v instanceof ArrayBox box) {
            if (box.array == null) {
                throw fail("an ndarray was created but never given its data (no BUILD)");
            }
            return box.array;
        }
        if (v instanceof NdArray) {
            return v;
        }
        if (v instanceof DTypeBox d) {
            return d.type;
        }
        if (v instanceof Global g) {
            throw fail("the result holds the global " + g.qualifiedName() + " itself, not data");
        }
        if (!(v instanceof Tuple) && !(v instanceof List<?>) && !(v instanceof Map<?, ?>)) {
            return v;
        }
        if (exporting.put(v, Boolean.TRUE) != null) {
            throw fail("a " + describe(v) + " that contains itself (a self-referencing value) is not supported");
        }
        try {
            if (v instanceof Tuple t) {
                List<Object> out = new ArrayList<>(t.items().size());
                for (Object x : t.items()) {
                    out.add(export(x, depth + 1));
                }
                return Collections.unmodifiableList(out);
            }
            if (v instanceof List<?> l) {
                List<Object> out = new ArrayList<>(l.size());
                for (Object x : l) {
                    out.add(export(x, depth + 1));
                }
                return out;
            }
            Map<Object, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
                out.put(export(e.getKey(), depth + 1), export(e.getValue(), depth + 1));
            }
            return out;
        } finally {
            exporting.remove(v);
        }
    }
}
