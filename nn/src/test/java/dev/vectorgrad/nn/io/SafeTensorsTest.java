package dev.vectorgrad.nn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vectorgrad.core.Rng;
import dev.vectorgrad.core.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsTest {

    private static int[] bits(Tensor t) {
        float[] v = t.toArray();
        int[] b = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = Float.floatToRawIntBits(v[i]);
        }
        return b;
    }

    private static Map<String, Tensor> sample() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("layers.0.weight", Tensor.randn(new Rng(42), 784, 50));
        m.put("layers.0.bias", Tensor.randn(new Rng(43), 50));
        float[] special = {
            0f, -0f, Float.MIN_VALUE, -Float.MIN_NORMAL / 3, Float.MAX_VALUE, Float.NEGATIVE_INFINITY,
            Float.POSITIVE_INFINITY, Float.intBitsToFloat(0x7fc01234), Float.intBitsToFloat(0xff800001), 1f / 3,
        };
        m.put("special", Tensor.wrap(special, 2, 5));
        m.put("transposed", Tensor.arange(12).reshape(3, 4).t());
        m.put("scalar", Tensor.scalar(2.5f));
        m.put("empty", Tensor.zeros(0, 3));
        m.put("naïve \"quoted\"\n", Tensor.ones(1));
        return m;
    }

    @Test
    void roundTripIsBitExact(@TempDir Path dir) throws IOException {
        Map<String, Tensor> in = sample();
        Path file = dir.resolve("sub/model.safetensors");
        SafeTensors.save(file, in, Map.of("format", "pt", "note", "ü \\ \""));
        SafeTensorsFile out = SafeTensors.load(file);
        assertEquals(List.copyOf(in.keySet()), List.copyOf(out.tensors().keySet()));
        for (var e : in.entrySet()) {
            Tensor back = out.get(e.getKey());
            assertArrayEquals(e.getValue().shape(), back.shape(), e.getKey());
            assertArrayEquals(bits(e.getValue()), bits(back), e.getKey());
        }
        assertEquals(Map.of("format", "pt", "note", "ü \\ \""), out.metadata());
        try (var files = Files.list(file.getParent())) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
    }

    @Test
    void layoutFollowsTheFormat() throws IOException {
        byte[] b = SafeTensors.toBytes(Map.of("w", Tensor.of(new float[] {1f, -2f}, 2)), Map.of());
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        long n = buf.getLong(0);
        assertEquals(0, n % 8, "header padded to 8 bytes");
        String header = new String(b, 8, (int) n, StandardCharsets.UTF_8);
        assertEquals("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", header.strip());
        assertEquals(8 + n + 8, b.length);
        assertEquals(1f, buf.getFloat(8 + (int) n));
        assertEquals(-2f, buf.getFloat(12 + (int) n));
    }

    @Test
    void everyTruncationIsRejectedWithAClearMessage() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("a", Tensor.arange(5));
        m.put("b", Tensor.ones(2, 2));
        byte[] full = SafeTensors.toBytes(m, Map.of("k", "v"));
        for (int len = 0; len < full.length; len++) {
            byte[] cut = java.util.Arrays.copyOf(full, len);
            IOException e = assertThrows(IOException.class, () -> SafeTensors.fromBytes(cut, "cut.safetensors"),
                    "length " + len);
            assertTrue(e.getMessage().startsWith("safetensors: cut.safetensors: "), e.getMessage());
        }
    }

    private static byte[] file(String header, int dataBytes) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(h.length).put(h);
        return buf.array();
    }

    private static String rejection(String header, int dataBytes) {
        return assertThrows(IOException.class, () -> SafeTensors.fromBytes(file(header, dataBytes), "x")).getMessage();
    }

    /** True if every character is printable: no C0/C1 control, no bidi override or other format character. */
    private static boolean printable(String m) {
        return m.chars().noneMatch(c -> c < 0x20 || (c >= 0x7f && c < 0xa0) || Character.getType(c) == Character.FORMAT);
    }

    @Test
    void textFromTheHeaderIsEchoedWithItsControlCharactersEscaped() {
        // JSON spells the characters as escapes; the parsed names and dtypes hold them raw.
        String[][] cases = {
            {"{\"a\":{\"dtype\":\"F\\u001b[2J16\",\"shape\":[2],\"data_offsets\":[0,4]}}", "dtype F\\x1b[2J16 is not"},
            {"{\"x\\u001b]0;owned\\u0007\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[0,4]}}",
                "tensor \"x\\x1b]0;owned\\x07\""},
            {"{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],\"\\u202e\\u009b\":1}}",
                "unknown field \"\\u202e\\x9b\""},
            {"{\"a\":{\"dtype\":\"F32\",\"shape\":[\"\\u001b[31m\"],\"data_offsets\":[0,4]}}", "shape [\\x1b[31m]"},
            {"{\"__metadata__\":{\"k\\r\":1}}", "value of \"k\\x0d\" must be a string"},
            {"{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"a\\u0008\":1,\"a\\u0008\":2}", "duplicate key \"a\\x08\""},
        };
        for (String[] c : cases) {
            String m = rejection(c[0], 4);
            assertTrue(printable(m), m);
            assertTrue(m.contains(c[1]), m + "\n  expected: " + c[1]);
        }
    }

    @Test
    void badHeadersAreRejectedByWhatIsWrong() {
        assertTrue(rejection("{\"a\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]}}", 4)
                .contains("dtype F16 is not supported"));
        assertTrue(rejection("{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8)
                .contains("needs 12 bytes"));
        assertTrue(rejection("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 4)
                .contains("outside"));
        assertTrue(rejection("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8)
                .contains("holes or overlap"));
        assertTrue(rejection("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4).contains("holes or overlap"));
        assertTrue(rejection("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 8)
                .contains("cover 4 bytes"));
        assertTrue(rejection("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"a\":{}}", 4)
                .contains("duplicate key"));
        assertTrue(rejection("{\"a\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", 4)
                .contains("sizes must be integers"));
        assertTrue(rejection("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}} x", 4)
                .contains("unexpected text"));
        assertTrue(rejection("[1,2]", 0).contains("does not start with '{'"));
        assertTrue(rejection("{\"__metadata__\":{\"k\":1}}", 0).contains("must be a string"));
        assertTrue(rejection("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],\"x\":1}}", 4)
                .contains("unknown field"));
        byte[] huge = file("{}", 0);
        ByteBuffer.wrap(huge).order(ByteOrder.LITTLE_ENDIAN).putLong(0, Long.MAX_VALUE);
        IOException e = assertThrows(IOException.class, () -> SafeTensors.fromBytes(huge, "x"));
        assertTrue(e.getMessage().contains("header length"), e.getMessage());
    }

    @Test
    void headerParserAcceptsForeignButValidJson() throws IOException {
        // As other writers may produce it: spaces, metadata last, escaped key.
        String header = "{ \"w\\u0031\" : {\"shape\": [1, 2], \"dtype\": \"F32\", \"data_offsets\": [0, 8]} ,"
                + " \"__metadata__\": {\"format\": \"pt\"} }   ";
        byte[] b = file(header, 8);
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putFloat(b.length - 4, 7f);
        SafeTensorsFile f = SafeTensors.fromBytes(b, "x");
        assertEquals(7f, f.get("w1").get(0, 1));
        assertEquals("pt", f.metadata().get("format"));
        assertFalse(f.tensors().containsKey("__metadata__"));
        var missing = assertThrows(IllegalArgumentException.class, () -> f.get("nope"));
        assertTrue(missing.getMessage().contains("[w1]"), missing.getMessage());
    }

    /** A hand-written file: the header as given (unpadded), then {@code data} as F32 values. */
    private static Path handWritten(Path dir, String header, float... data) throws IOException {
        byte[] b = file(header, 4 * data.length);
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        int start = b.length - 4 * data.length;
        for (int i = 0; i < data.length; i++) {
            buf.putFloat(start + 4 * i, data[i]);
        }
        Path f = dir.resolve("hand.safetensors");
        Files.write(f, b);
        return f;
    }

    private static String entry(String name, String shape, long begin, long end) {
        return "\"" + name + "\":{\"dtype\":\"F32\",\"shape\":" + shape + ",\"data_offsets\":[" + begin + "," + end + "]}";
    }

    @Test
    void zeroSizeTensorsMaySitAtAnyOffsetInsideTheData(@TempDir Path dir) throws IOException {
        // The format spec: offsets are relative to the start of the byte buffer, and a zero-size
        // tensor has begin == end; only the non-empty tensors have to tile the buffer.
        String[] zeroSize = {
            entry("e", "[0,3]", 0, 0),   // [0, 0] after the others: what the defect refused
            entry("e", "[0]", 4, 4),     // where a tensor ends
            entry("e", "[2,0]", 12, 12), // at the very end of the buffer
            entry("e", "[0]", 2, 2),     // inside a tensor's bytes; it reads none of them
        };
        for (String empty : zeroSize) {
            String header = "{" + entry("a", "[1]", 0, 4) + "," + entry("b", "[2]", 4, 12) + "," + empty + "}";
            SafeTensorsFile f = SafeTensors.load(handWritten(dir, header, 1f, 2f, 3f));
            assertEquals(List.of("a", "b", "e"), List.copyOf(f.tensors().keySet()), "header order: " + header);
            assertArrayEquals(new float[] {1f}, f.get("a").toArray(), header);
            assertArrayEquals(new float[] {2f, 3f}, f.get("b").toArray(), header);
            assertEquals(0, f.get("e").numel(), header);
        }
        SafeTensorsFile only = SafeTensors.load(handWritten(dir, "{" + entry("e", "[0,3]", 0, 0) + "}"));
        assertArrayEquals(new int[] {0, 3}, only.get("e").shape(), "a file of one empty tensor has no data");
    }

    @Test
    void zeroSizeTensorsDoNotExcuseOverlapsHolesOrOffsetsOutsideTheData(@TempDir Path dir) {
        String e0 = entry("e", "[0]", 0, 0);
        String[][] bad = {
            {"{" + entry("a", "[1]", 0, 4) + "," + entry("b", "[2]", 0, 8) + "," + e0 + "}", "holes or overlap"},
            {"{" + entry("a", "[1]", 0, 4) + "," + entry("b", "[1]", 8, 12) + "," + e0 + "}", "holes or overlap"},
            {"{" + e0 + "," + entry("a", "[1]", 4, 8) + "}", "holes or overlap"},
            {"{" + entry("a", "[2]", 0, 8) + "," + entry("e", "[0]", 16, 16) + "}", "outside"},
            {"{" + entry("a", "[2]", 0, 8) + "," + entry("e", "[0]", -4, -4) + "}", "outside"},
            {"{" + entry("a", "[1]", 0, 4) + "," + e0 + "}", "cover 4 bytes"},
        };
        for (String[] c : bad) {
            IOException ex = assertThrows(IOException.class, () -> SafeTensors.load(handWritten(dir, c[0], 1f, 2f, 3f)),
                    c[0]);
            assertTrue(ex.getMessage().contains(c[1]), c[0] + " -> " + ex.getMessage());
        }
    }

    @Test
    void savedFilesHaveThePermissionsOfAPlainNewFile(@TempDir Path dir) throws IOException {
        // safetensors' save_file and torch.save open the file as open(path, "wb") does: mode
        // 0666 & ~umask (0644 under umask 022), not a temporary file's 0600. A plain file made
        // as FileOutputStream would shows what the JVM's umask gives.
        assumeTrue(Files.getFileAttributeView(dir, PosixFileAttributeView.class) != null, "needs a POSIX file system");
        Path probe = dir.resolve("probe");
        Files.newOutputStream(probe).close();
        var plain = Files.getPosixFilePermissions(probe);
        Path file = dir.resolve("m.safetensors");
        SafeTensors.save(file, Map.of("w", Tensor.ones(2)));
        assertEquals(plain, Files.getPosixFilePermissions(file));
        SafeTensors.save(file, Map.of("w", Tensor.ones(3)));
        assertEquals(plain, Files.getPosixFilePermissions(file), "after replacing it");
        try (var files = Files.list(dir)) {
            assertEquals(2, files.count(), "no temporary file left behind");
        }
    }
}
