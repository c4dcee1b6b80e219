package dev.vectorgrad.data.pickle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vectorgrad.data.DataFormatException;
import dev.vectorgrad.data.Split;
import dev.vectorgrad.data.numpy.DType;
import dev.vectorgrad.data.numpy.NdArray;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Fixtures under src/test/resources/fixtures were written by numpy (Python 3) and, for the
 * Python 2 cPickle stream, assembled opcode by opcode and checked by numpy; see
 * src/test/python/make_fixtures.py. Values follow formulas recomputed here.
 */
class PickleTest {
    static final Path FIXTURES = Path.of("src", "test", "resources", "fixtures");
    static final int[] COUNTS = {12, 5, 7};

    static void assertMnistLike(MnistPickle m) {
        Split[] splits = {m.train(), m.valid(), m.test()};
        int start = 0;
        for (int s = 0; s < 3; s++) {
            int n = COUNTS[s];
            assertArrayEquals(new int[] {n, 784}, splits[s].images().shape());
            assertArrayEquals(new int[] {n}, splits[s].labels().shape());
            float[] x = splits[s].images().toArray();
            float[] y = splits[s].labels().toArray();
            for (int i = 0; i < n; i++) {
                int row = start + i;
                assertEquals((3 * row + 1) % 10, y[i]);
                for (int j = 0; j < 784; j++) {
                    assertEquals((float) (((row * 784 + j) % 256) / 255.0), x[i * 784 + j]);
                }
            }
            start += n;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mnist_py3_p2.pkl.gz", "mnist_py3_p3.pkl.gz", "mnist_py3_p4.pkl.gz", "mnist_py3_p5.pkl.gz",
        "mnist_py2_cpickle.pkl.gz"})
    void readsTheLessonLayoutAsEveryPythonWritesIt(String name) throws Exception {
        assertMnistLike(MnistPickle.read(FIXTURES.resolve(name)));
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 4, 5})
    void readsEveryDtypeByteOrderAndMemoryOrder(int protocol) throws Exception {
        List<String> names = Files.readAllLines(FIXTURES.resolve("variants.txt"));
        Object v = Pickle.load(FIXTURES.resolve("arrays_p" + protocol + ".pkl"));
        List<?> arrays = (List<?>) v;
        assertEquals(names.size(), arrays.size());
        for (int i = 0; i < arrays.size(); i++) {
            NdArray a = (NdArray) arrays.get(i);
            String name = names.get(i);
            assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5}, a.toTensor().toArray(), name);
            assertArrayEquals(new int[] {2, 3}, a.shape(), name);
            assertEquals(DType.fromCode(name.substring(0, 2)), a.dtype(), name);
            assertEquals(name.endsWith("_F"), a.fortranOrder(), name);
        }
    }

    /** A tiny protocol-2 pickle: PROTO 2, then the given body, then STOP. */
    static byte[] p2(String body) {
        return ("\u0080\u0002" + body + ".").getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void plainValuesMapToJava() throws Exception {
        // (1, -2, 'ab', None, True, [3], {'k': 2.5})
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(new byte[] {(byte) 0x80, 2, '('});
        b.writeBytes(new byte[] {'K', 1, 'J', (byte) 0xfe, (byte) 0xff, (byte) 0xff, (byte) 0xff});
        b.writeBytes(new byte[] {'X', 2, 0, 0, 0, 'a', 'b', 'N', (byte) 0x88, ']', 'K', 3, 'a', '}', 'X', 1, 0, 0, 0, 'k',
            'G', 0x40, 0x04, 0, 0, 0, 0, 0, 0, 's', 't', '.'});
        Object v = Pickle.load(b.toByteArray(), "inline");
        assertEquals(Arrays.asList(1L, -2L, "ab", null, true, List.of(3L), Map.of("k", 2.5)), v);
    }

    @Test
    void foreignGlobalsAreRefusedByNameBeforeAnythingIsBuilt() {
        String[] streams = {
            // os.system('echo hi') via GLOBAL
            "cos\nsystem\nX\u0007\u0000\u0000\u0000echo hi\u0085R",
            // builtins.eval via STACK_GLOBAL (protocol 4 style)
            "\u008c\u0008builtins\u008c\u0004eval\u0093X\u0001\u0000\u0000\u00001\u0085R",
            // a global hidden as an argument of an allowed one
            "cnumpy.core.multiarray\n_reconstruct\ncsubprocess\nPopen\n",
        };
        String[] names = {"os.system", "builtins.eval", "subprocess.Popen"};
        for (int i = 0; i < streams.length; i++) {
            int k = i;
            DataFormatException e = assertThrows(DataFormatException.class, () -> Pickle.load(p2(streams[k]), "evil.pkl"));
            assertTrue(e.getMessage().startsWith("evil.pkl: "), e.getMessage());
            assertTrue(e.problem().contains("global " + names[i] + " at byte") && e.problem().contains("refused"),
                    e.getMessage());
        }
    }

    @Test
    void objectConstructingOpcodesAreRefused() {
        for (String body : new String[] {"(i__main__\nC\n", "}N\u0081", "(o", "P1\n", "\u0082\u0001"}) {
            assertThrows(DataFormatException.class, () -> Pickle.load(p2(body), "x"));
        }
    }

    @Test
    void unknownOpcodeIsRefused() {
        DataFormatException e = assertThrows(DataFormatException.class, () -> Pickle.load(p2("K\u0001\u00ff"), "x.pkl"));
        assertTrue(e.problem().contains("unknown opcode 0xff at byte 4"), e.getMessage());
    }

    @Test
    void pickleTruncatedMidStreamIsRefusedAtEveryCut() throws Exception {
        byte[] whole = dev.vectorgrad.data.internal.Bytes.readMaybeGzip(FIXTURES.resolve("mnist_py2_cpickle.pkl.gz"));
        byte[] p5 = dev.vectorgrad.data.internal.Bytes.readMaybeGzip(FIXTURES.resolve("mnist_py3_p5.pkl.gz"));
        for (byte[] full : new byte[][] {whole, p5}) {
            for (int cut = 0; cut < full.length; cut += Math.max(1, cut / 4)) {
                byte[] part = Arrays.copyOf(full, cut);
                assertThrows(DataFormatException.class, () -> MnistPickle.decode(part, "cut.pkl"), "cut at " + cut);
            }
        }
    }

    @Test
    void arrayWhoseDataDisagreesWithItsShapeIsRefused() throws Exception {
        byte[] p3 = Files.readAllBytes(FIXTURES.resolve("arrays_p3.pkl"));
        // The first array's data is SHORT_BINBYTES of 24 bytes (6 x f4): claim 20.
        String s = new String(p3, StandardCharsets.ISO_8859_1);
        int at = s.indexOf("C\u0018");
        assertTrue(at > 0);
        byte[] bad = p3.clone();
        bad[at + 1] = 20;
        assertThrows(DataFormatException.class, () -> Pickle.load(bad, "bad.pkl"));
    }

    @Test
    void allowListIsExactlyTheNumpyGlobals() {
        assertEquals(List.of("_codecs.encode", "numpy._core.multiarray._reconstruct", "numpy._core.numeric._frombuffer",
                "numpy.core.multiarray._reconstruct", "numpy.core.numeric._frombuffer", "numpy.dtype", "numpy.ndarray"),
                List.copyOf(Pickle.allowedGlobals()));
    }

    @Test
    void memoisedValuesAreSharedNotCopied() throws Exception {
        // s = 'ab'; inner = [s, s]; (inner, inner, [inner]) in protocol 2, every reuse through BINGET.
        byte[] pk = p2("X\u0002\u0000\u0000\u0000abq\u00000]q\u0001(h\u0000h\u0000e0h\u0001h\u0001]h\u0001a\u0087");
        List<?> top = (List<?>) Pickle.load(pk, "shared.pkl");
        assertSame(top.get(0), top.get(1), "one list object behind both references");
        assertSame(top.get(0), ((List<?>) top.get(2)).get(0));
        assertEquals(List.of("ab", "ab"), top.get(0));
    }

    @Test
    void aBillionLaughsCostsMemoryInProportionToItsLength() throws Exception {
        // 60 levels, each a tuple of two references to the one below: 2^60 leaves if copied.
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(new byte[] {(byte) 0x80, 2, 'K', 7, 'q', 0});
        for (int level = 1; level <= 60; level++) {
            b.writeBytes(new byte[] {'0', 'h', (byte) (level - 1), 'h', (byte) (level - 1), (byte) 0x86, 'q', (byte) level});
        }
        b.write('.');
        Object v = Pickle.load(b.toByteArray(), "laughs.pkl");
        for (int level = 60; level > 0; level--) {
            List<?> t = (List<?>) v;
            assertSame(t.get(0), t.get(1), "level " + level);
            v = t.get(0);
        }
        assertEquals(7L, v);
    }

    @Test
    void aListThatContainsItselfIsRefused() {
        // l = []; l.append(l)
        byte[] pk = p2("]q\u0000h\u0000a");
        DataFormatException e = assertThrows(DataFormatException.class, () -> Pickle.load(pk, "loop.pkl"));
        assertTrue(e.problem().contains("contains itself"), e.getMessage());
    }

    @Test
    void controlCharactersOfARefusedGlobalAreEscaped() {
        byte[] pk = p2("cos\u001b[2J\u009b\nsystem\n)R");
        DataFormatException e = assertThrows(DataFormatException.class, () -> Pickle.load(pk, "evil.pkl"));
        assertTrue(e.problem().contains("global os\\x1b[2J\\x9b.system at byte 2 refused"), e.getMessage());
        assertFalse(e.getMessage().chars().anyMatch(c -> c < 0x20 || (c >= 0x7f && c < 0xa0)), e.getMessage());
    }
}
