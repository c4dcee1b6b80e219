package dev.vectorgrad.data.npm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vectorgrad.core.Printable;
import dev.vectorgrad.data.DataFormatException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TarReaderTest {

    private static byte[] body(int n, int salt) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 7 + salt);
        }
        return b;
    }

    private static List<String> names(byte[] tar) throws IOException {
        TarReader r = new TarReader(new ByteArrayInputStream(tar), "t.tar");
        List<String> out = new ArrayList<>();
        for (TarReader.Entry e = r.next(); e != null; e = r.next()) {
            out.add(e.name());
        }
        return out;
    }

    @Test
    void readsEveryEntryAndSkipsWhatTheCallerLeavesUnread() throws IOException {
        byte[] a = body(1000, 1);
        byte[] b = body(512, 2);
        byte[] c = body(0, 3);
        byte[] tar = new TarBuilder().file("package/a.bin", a).entry("package/dir", new byte[0], '5')
                .file("package/b.bin", b).file("package/c.bin", c).tar();
        TarReader r = new TarReader(new ByteArrayInputStream(tar), "t.tar");
        TarReader.Entry e = r.next();
        assertEquals(new TarReader.Entry("package/a.bin", 1000, '0'), e);
        assertArrayEquals(Arrays.copyOf(a, 10), r.content().readNBytes(10), "partial read of the first entry");
        TarReader.Entry dir = r.next();
        assertEquals('5', dir.type());
        assertTrue(!dir.isFile());
        assertEquals("package/b.bin", r.next().name());
        assertArrayEquals(b, r.content().readAllBytes());
        assertEquals("package/c.bin", r.next().name());
        assertArrayEquals(c, r.content().readAllBytes());
        assertNull(r.next(), "end marker");
    }

    @Test
    void joinsTheUstarPrefixToTheName() throws IOException {
        byte[] h = TarBuilder.header("0.json", 0, '0');
        TarBuilder.put(h, 345, "package/src/digits");
        TarBuilder.sealChecksum(h);
        assertEquals(List.of("package/src/digits/0.json"), names(new TarBuilder().raw(h).tar()));
    }

    @Test
    void refusesAHeaderWhoseChecksumIsWrong() {
        byte[] h = TarBuilder.header("package/a", 3, '0');
        h[0] = 'q'; // edited after sealing
        byte[] tar = new TarBuilder().raw(h).raw(new byte[512]).tar();
        DataFormatException e = assertThrows(DataFormatException.class, () -> names(tar));
        assertTrue(e.getMessage().contains("t.tar: header at byte 0: header checksum"), e.getMessage());
    }

    @Test
    void refusesANonUstarHeader() {
        byte[] h = TarBuilder.header("package/a", 3, '0');
        TarBuilder.put(h, 257, "xxxxx");
        TarBuilder.sealChecksum(h);
        DataFormatException e = assertThrows(DataFormatException.class, () -> names(new TarBuilder().raw(h).tar()));
        assertTrue(e.getMessage().contains("not a ustar header"), e.getMessage());
    }

    @Test
    void refusesASizeThatIsNotOctal() {
        byte[] h = TarBuilder.header("package/a", 3, '0');
        TarBuilder.put(h, 124, "0000000009");
        TarBuilder.sealChecksum(h);
        DataFormatException e = assertThrows(DataFormatException.class, () -> names(new TarBuilder().raw(h).tar()));
        assertTrue(e.getMessage().contains("size field: expected octal digits"), e.getMessage());
    }

    @Test
    void refusesASizeBeyondTheEndOfTheArchive() {
        byte[] h = TarBuilder.header("package/big", 100_000, '0');
        byte[] tar = new TarBuilder().raw(h).raw(body(2048, 5)).unterminated();
        DataFormatException skipped = assertThrows(DataFormatException.class, () -> names(tar));
        assertTrue(skipped.getMessage().contains("entry package/big declares 100000 bytes but the archive ends after 2048"),
                skipped.getMessage());
        DataFormatException read = assertThrows(DataFormatException.class, () -> {
            TarReader r = new TarReader(new ByteArrayInputStream(tar), "t.tar");
            r.next();
            r.content().readAllBytes();
        });
        assertTrue(read.getMessage().contains("declares 100000 bytes"), read.getMessage());
    }

    @Test
    void refusesAnArchiveWithoutItsEndMarkerOrCutInAHeader() {
        byte[] whole = new TarBuilder().file("package/a", "abc").unterminated();
        DataFormatException noMarker = assertThrows(DataFormatException.class, () -> names(whole));
        assertTrue(noMarker.getMessage().contains("without its end-of-archive marker"), noMarker.getMessage());
        byte[] cut = Arrays.copyOf(whole, 300);
        DataFormatException inHeader = assertThrows(DataFormatException.class, () -> names(cut));
        assertTrue(inHeader.getMessage().contains("ends inside the header"), inHeader.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"../evil.json", "package/../../etc/passwd", "/etc/passwd", "package\\..\\x", "C:/x", ".."})
    void refusesNamesThatCouldEscapeAFolder(String name) {
        byte[] tar = new TarBuilder().file("package/ok", "fine").file(name, "x").tar();
        DataFormatException e = assertThrows(DataFormatException.class, () -> names(tar));
        assertTrue(e.getMessage().contains("path traversal refused"), e.getMessage());
        assertTrue(e.getMessage().contains(Printable.escape(name)), e.getMessage());
    }

    @Test
    void contentOfTextEntriesRoundTrips() throws IOException {
        byte[] tar = new TarBuilder().file("package/README.md", "héllo").tar();
        TarReader r = new TarReader(new ByteArrayInputStream(tar), "t.tar");
        r.next();
        assertEquals("héllo", new String(r.content().readAllBytes(), StandardCharsets.UTF_8));
        assertNull(r.next());
    }
}
