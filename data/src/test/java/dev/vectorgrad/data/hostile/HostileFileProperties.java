package dev.vectorgrad.data.hostile;

import static dev.vectorgrad.data.hostile.HostileFiles.deflate;
import static dev.vectorgrad.data.hostile.HostileFiles.gzip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vectorgrad.core.Tensor;
import dev.vectorgrad.data.DataFormatException;
import dev.vectorgrad.data.hostile.HostileFiles.Deflated;
import dev.vectorgrad.data.hostile.HostileFiles.PickleWriter;
import dev.vectorgrad.data.hostile.HostileFiles.ZipEntrySpec;
import dev.vectorgrad.data.internal.Bytes;
import dev.vectorgrad.data.pickle.MnistPickle;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;

/**
 * Generated hostile files for every reader of this module, one class of attack each: pickles
 * of shared references (a "billion laughs"), gzip and zip bombs, headers declaring far more
 * than the file holds, forged gzip trailers and zip directories, truncated archives, a digit
 * file of 150 million numbers, terminal escape sequences in names. All of them are read in one
 * forked JVM with a 256 MiB heap, where memory that followed a declared size instead of the
 * real data would end in an OutOfMemoryError; each must end in the reader's one-line
 * {@link DataFormatException} naming the file and the problem, with file text escaped.
 */
class HostileFileProperties {
    /** Bombs inflate to this: more than the fork's heap, were it read whole. */
    private static final long BOMB = 300L << 20;
    private static final int PIXELS = 784;

    /** One generated file, the loader that reads it and what its error must say. */
    record HostileCase(String kind, String label, List<String> expect, Consumer<Path> writer) {
        @Override
        public String toString() {
            return kind + ": " + label;
        }
    }

    private static HostileCase c(String kind, String label, Consumer<Path> writer, String... expect) {
        return new HostileCase(kind, label, List.of(expect), writer);
    }

    // ---- pickle ----

    /** Level 0 a string, each level a tuple or list of {@code fan} references to the level below. */
    static HostileCase laughs(int depth, int fan, boolean lists, int stringLength) {
        return c("pickle", "billion laughs, " + depth + " levels of " + fan + (lists ? " (lists)" : " (tuples)")
                + ", base string of " + stringLength, p -> {
                    PickleWriter w = new PickleWriter();
                    w.unicode("ha".repeat(stringLength / 2));
                    int below = w.put();
                    w.op('0');
                    for (int level = 1; level <= depth; level++) {
                        w.op(lists ? ']' : '(');
                        if (lists) {
                            w.op('(');
                        }
                        for (int i = 0; i < fan; i++) {
                            w.get(below);
                        }
                        w.op(lists ? 'e' : 't');
                        below = w.put();
                        w.op('0');
                    }
                    HostileFiles.write(p, w.get(below).stop());
                }, "should be a 3-tuple but is a sequence of " + fan);
    }

    /** One big string memoised, then {@code _codecs.encode(s, 'latin1')} called on it {@code calls} times. */
    static HostileCase encodeLaughs(int stringLength, int calls) {
        return c("pickle", "_codecs.encode of one " + stringLength + "-char string " + calls + " times", p -> {
            PickleWriter w = new PickleWriter();
            w.global("_codecs", "encode");
            int fn = w.put();
            w.op('0');
            w.unicode("\u00e9".repeat(stringLength));
            int s = w.put();
            w.op('0');
            w.unicode("latin1");
            int enc = w.put();
            w.op('0');
            w.op(']').op('(');
            for (int i = 0; i < calls; i++) {
                w.get(fn).get(s).get(enc).op(0x86).op('R');
            }
            w.op('e');
            HostileFiles.write(p, w.stop());
        }, "should be a 3-tuple but is a sequence of " + calls);
    }

    static HostileCase evilGlobal(String escape, boolean stack) {
        return c("pickle", "global name holding " + visible(escape) + (stack ? " (STACK_GLOBAL)" : ""), p -> {
            PickleWriter w = new PickleWriter();
            if (stack) {
                w.unicode("os" + escape).unicode("system").op(0x93);
            } else {
                w.global("os" + escape, "system");
            }
            w.op(')').op('R');
            HostileFiles.write(p, w.stop());
        }, "refused", "global os" + escaped(stack ? escape
                // GLOBAL's text lines are read byte for byte (latin1), STACK_GLOBAL's strings as UTF-8.
                : new String(escape.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1)) + ".system");
    }

    static HostileCase pickleBomb(long size) {
        return c("pickle", "mnist.pkl.gz inflating to " + size + " bytes", p -> {
            byte[] head = {(byte) 0x80, 2, (byte) 0x8e};
            byte[] len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(size).array();
            HostileFiles.write(p, gzip(deflate(concat(head, len), new byte[] {0}, size)));
        }, "decompression bomb");
    }

    @Provide
    Arbitrary<List<HostileCase>> pickles() {
        Arbitrary<HostileCase> laughs = Combinators.combine(Arbitraries.integers().between(24, 40),
                Arbitraries.of(2, 4, 5, 9), Arbitraries.of(true, false), Arbitraries.integers().between(2, 4096))
                .as(HostileFileProperties::laughs);
        Arbitrary<HostileCase> encode = Combinators.combine(Arbitraries.integers().between(1 << 16, 1 << 18),
                Arbitraries.integers().between(5_000, 20_000)).as(HostileFileProperties::encodeLaughs);
        // GLOBAL's names are lines: one holding a '\n' ends there, so only STACK_GLOBAL gets those.
        Arbitrary<HostileCase> global = Combinators.combine(escapes(), Arbitraries.of(true, false))
                .filter((e, stack) -> stack || e.indexOf('\n') < 0)
                .as(HostileFileProperties::evilGlobal);
        Arbitrary<HostileCase> bomb = Arbitraries.longs().between(BOMB, 2 * BOMB).map(HostileFileProperties::pickleBomb);
        return Combinators.combine(laughs.list().ofSize(3), encode, global.list().ofSize(2), bomb)
                .as((l, e, g, b) -> concatCases(l, List.of(e), g, List.of(b)));
    }

    // ---- npy / npz ----

    static HostileCase npyShortData(int rows, int cols, int present) {
        return c("npy", "header [" + rows + ", " + cols + "] float32 with " + present + " data bytes", p ->
                HostileFiles.write(p, concat(HostileFiles.npyHeader("<f4", "(" + rows + ", " + cols + ")"),
                        new byte[present])), "needs " + 4L * rows * cols + " data bytes but the file has " + present);
    }

    static HostileCase npyGzipBomb(long size) {
        return c("npy", "gzip'd .npy of " + size + " uint8 zeros", p -> HostileFiles.write(p,
                gzip(deflate(HostileFiles.npyHeader("|u1", "(" + size + ",)"), new byte[] {0}, size))),
                "decompression bomb");
    }

    static HostileCase npyEscapedDtype(String escape) {
        return c("npy", "dtype holding " + visible(escape), p -> HostileFiles.write(p,
                HostileFiles.npyHeader("<f4" + escape, "(1,)")), "dtype '<f4" + escaped(escape) + "'");
    }

    /** A valid small .npy of {@code n} float32 zeros. */
    private static byte[] npy(int n) {
        return concat(HostileFiles.npyHeader("<f4", "(" + n + ",)"), new byte[4 * n]);
    }

    static HostileCase npzDeclaredBomb(long size) {
        return c("npz", "entry declaring its true " + size + " inflated bytes", p -> {
            Deflated z = deflate(HostileFiles.npyHeader("|u1", "(" + size + ",)"), new byte[] {0}, size);
            HostileFiles.write(p, HostileFiles.zip(List.of(ZipEntrySpec.deflated("x.npy", z))));
        }, "entry 'x.npy'", "decompression bomb");
    }

    static HostileCase npzUnderstatedBomb(long size, int claimed) {
        return c("npz", "entry claiming " + claimed + " bytes but inflating to " + size, p -> {
            Deflated z = deflate(HostileFiles.npyHeader("|u1", "(" + size + ",)"), new byte[] {0}, size);
            ZipEntrySpec e = ZipEntrySpec.deflated("x.npy", z);
            e.usize = claimed;
            HostileFiles.write(p, HostileFiles.zip(List.of(e)));
        }, "inflates to more than the " + claimed + " bytes");
    }

    static HostileCase npzOverstated(int n, int claimed) {
        return c("npz", "entry of " + (128 + 4 * n) + " bytes claiming " + claimed, p -> {
            ZipEntrySpec e = ZipEntrySpec.deflated("a.npy", deflate(npy(n)));
            e.usize = claimed;
            HostileFiles.write(p, HostileFiles.zip(List.of(e)));
        }, "but the central directory declares " + claimed);
    }

    static HostileCase npzBadCrc(int n, boolean stored, int flip) {
        return c("npz", (stored ? "stored" : "deflated") + " entry with CRC-32 off by " + flip, p -> {
            ZipEntrySpec e = stored ? ZipEntrySpec.stored("a.npy", npy(n)) : ZipEntrySpec.deflated("a.npy", deflate(npy(n)));
            e.crc ^= flip;
            HostileFiles.write(p, HostileFiles.zip(List.of(ZipEntrySpec.stored("ok.npy", npy(3)), e)));
        }, "entry 'a.npy'", "CRC-32");
    }

    static HostileCase npzTruncated(int entries, double at) {
        return c("npz", entries + " entries cut at " + Math.round(at * 100) + "%", p -> {
            List<ZipEntrySpec> es = new ArrayList<>();
            for (int i = 0; i < entries; i++) {
                es.add(i % 2 == 0 ? ZipEntrySpec.deflated("e" + i + ".npy", deflate(npy(50 + i)))
                        : ZipEntrySpec.stored("e" + i + ".npy", npy(20 + i)));
            }
            byte[] whole = HostileFiles.zip(es);
            HostileFiles.write(p, Arrays.copyOf(whole, Math.max(1, (int) (whole.length * at))));
        }, "cut short");
    }

    static HostileCase npzHiddenEntry(boolean hideFirst) {
        return c("npz", "an entry missing from the central directory (" + (hideFirst ? "first" : "last") + ")", p -> {
            ZipEntrySpec a = ZipEntrySpec.stored("a.npy", npy(4));
            ZipEntrySpec b = ZipEntrySpec.deflated("b.npy", deflate(npy(9)));
            (hideFirst ? a : b).listed = false;
            HostileFiles.write(p, HostileFiles.zip(List.of(a, b)));
        }, "belong to no entry of the central directory");
    }

    static HostileCase npzOverlap() {
        return c("npz", "two entries overlapping (the overlapping zip bomb)", p -> {
            ZipEntrySpec inner = ZipEntrySpec.deflated("b.npy", deflate(npy(16)));
            byte[] innerBytes = concat(HostileFiles.localHeader(inner), inner.data);
            ZipEntrySpec outer = ZipEntrySpec.stored("a.npy", innerBytes);
            inner.offsetOverride = 30 + "a.npy".length();
            HostileFiles.write(p, HostileFiles.zip(List.of(outer, inner)));
        }, "overlaps the entry before it");
    }

    static HostileCase npzEscapedName(String escape) {
        return c("npz", "entry name holding " + visible(escape), p -> {
            ZipEntrySpec e = ZipEntrySpec.stored("a" + escape + ".npy", new byte[] {1, 2, 3});
            HostileFiles.write(p, HostileFiles.zip(List.of(e)));
        }, "!a" + escaped(escape) + ".npy: not a .npy file");
    }

    @Provide
    Arbitrary<List<HostileCase>> numpy() {
        Arbitrary<Long> bombs = Arbitraries.longs().between(BOMB, 2 * BOMB);
        Arbitrary<HostileCase> shortData = Combinators.combine(Arbitraries.integers().between(1 << 14, 1 << 20),
                Arbitraries.integers().between(1, 4096), Arbitraries.integers().between(0, 1000))
                .as(HostileFileProperties::npyShortData);
        Arbitrary<HostileCase> overstated = Combinators.combine(Arbitraries.integers().between(1, 64),
                Arbitraries.integers().between(1 << 20, 30 << 20)).as(HostileFileProperties::npzOverstated);
        Arbitrary<HostileCase> crc = Combinators.combine(Arbitraries.integers().between(1, 300), Arbitraries.of(true, false),
                Arbitraries.integers().between(1, Integer.MAX_VALUE)).as(HostileFileProperties::npzBadCrc);
        Arbitrary<HostileCase> truncated = Combinators.combine(Arbitraries.integers().between(1, 5),
                Arbitraries.doubles().between(0.05, 0.995).ofScale(3)).as(HostileFileProperties::npzTruncated);
        return Combinators.combine(List.of(shortData, bombs.map(HostileFileProperties::npyGzipBomb),
                // A version 1.0 header is latin1: only escapes it can spell.
                escapes().filter(e -> e.chars().allMatch(ch -> ch < 0x100)).map(HostileFileProperties::npyEscapedDtype), bombs.map(HostileFileProperties::npzDeclaredBomb),
                Combinators.combine(bombs, Arbitraries.integers().between(200, 1 << 20))
                        .as(HostileFileProperties::npzUnderstatedBomb),
                overstated, crc, truncated, truncated, Arbitraries.of(true, false).map(HostileFileProperties::npzHiddenEntry),
                Arbitraries.just(npzOverlap()), escapes().map(HostileFileProperties::npzEscapedName)))
                .as(l -> l.stream().map(o -> (HostileCase) o).toList());
    }

    // ---- IDX ----

    static HostileCase idxPastCap(int images, boolean forgeTrailer) {
        return c("idx", "gzip'd header of " + images + " images, 2 present" + (forgeTrailer ? ", trailer forged to agree" : ""),
                p -> {
                    Deflated z = deflate(concat(HostileFiles.idxHeader(images, 28, 28), new byte[2 * PIXELS]));
                    long isize = forgeTrailer ? 16L + (long) images * PIXELS : z.size();
                    HostileFiles.write(p, gzip(z, z.crc(), isize));
                }, "declares " + (long) images * PIXELS + " data bytes", "decompression bomb");
    }

    static HostileCase idxForgedTrailer(int images, int present) {
        return c("idx", "gzip'd header of " + images + " images, " + present + " present, ISIZE forged to agree", p -> {
            Deflated z = deflate(concat(HostileFiles.idxHeader(images, 28, 28), new byte[present * PIXELS]));
            HostileFiles.write(p, gzip(z, z.crc(), 16L + (long) images * PIXELS));
        }, "corrupt or truncated gzip data", "Corrupt GZIP trailer");
    }

    static HostileCase idxBadCrc(int images, int flip) {
        return c("idx", images + " images with the gzip CRC-32 off by " + flip, p -> {
            Deflated z = deflate(concat(HostileFiles.idxHeader(images, 28, 28), new byte[images * PIXELS]));
            HostileFiles.write(p, gzip(z, z.crc() ^ flip, z.size()));
        }, "Corrupt GZIP trailer");
    }

    static HostileCase idxTrailingBomb(int images, long extra) {
        return c("idx", images + " images followed by " + extra + " more zero bytes", p -> {
            byte[] head = HostileFiles.idxHeader(images, 28, 28);
            HostileFiles.write(p, gzip(deflate(head, new byte[] {0}, (long) images * PIXELS + extra)));
        }, "data bytes but the gzip stream holds more than");
    }

    static HostileCase idxPlainShort(int images, int present) {
        return c("idx", "plain header of " + images + " images, " + present + " present", p -> HostileFiles.write(p,
                concat(HostileFiles.idxHeader(images, 28, 28), new byte[present * PIXELS])),
                "need " + (long) images * PIXELS + " data bytes but the file has " + (long) present * PIXELS);
    }

    @Provide
    Arbitrary<List<HostileCase>> idx() {
        return Combinators.combine(List.of(
                Combinators.combine(Arbitraries.integers().between(1 << 16, Integer.MAX_VALUE / PIXELS),
                        Arbitraries.of(true, false)).as(HostileFileProperties::idxPastCap),
                Combinators.combine(Arbitraries.integers().between(10_000, 40_000), Arbitraries.integers().between(0, 50))
                        .as(HostileFileProperties::idxForgedTrailer),
                Combinators.combine(Arbitraries.integers().between(1, 100), Arbitraries.integers().between(1, Integer.MAX_VALUE))
                        .as(HostileFileProperties::idxBadCrc),
                Combinators.combine(Arbitraries.integers().between(1, 100), Arbitraries.longs().between(BOMB, 2 * BOMB))
                        .as(HostileFileProperties::idxTrailingBomb),
                Combinators.combine(Arbitraries.integers().between(1 << 20, Integer.MAX_VALUE / PIXELS),
                        Arbitraries.integers().between(0, 20)).as(HostileFileProperties::idxPlainShort)))
                .as(l -> l.stream().map(o -> (HostileCase) o).toList());
    }

    // ---- npm tarball ----

    private static byte[] digitJson(int images) {
        StringBuilder sb = new StringBuilder("{\"data\":[");
        for (int i = 0; i < images * PIXELS; i++) {
            sb.append(i == 0 ? "" : ",").append(i % 7 == 0 ? "0.5" : "0");
        }
        return sb.append("]}").toString().getBytes(StandardCharsets.US_ASCII);
    }

    static HostileCase npmBadCrc(int images, int flip) {
        return c("npm", "tarball of " + images + " zeros with its gzip CRC-32 off by " + flip, p -> {
            byte[] json = digitJson(images);
            byte[] tar = concat(HostileFiles.tarHeader("package/src/digits/0.json", json.length),
                    HostileFiles.padTo512(json), new byte[1024]);
            Deflated z = deflate(tar);
            HostileFiles.write(p, gzip(z, z.crc() ^ flip, z.size()));
        }, "Corrupt GZIP trailer");
    }

    static HostileCase npmHugeJson(long numbers) {
        return c("npm", "digit file of " + numbers + " numbers", p -> {
            byte[] prefix = "{\"data\":[".getBytes(StandardCharsets.US_ASCII);
            byte[] head = concat(HostileFiles.tarHeader("package/src/digits/3.json", prefix.length + 2 * numbers),
                    prefix);
            HostileFiles.write(p, gzip(deflate(head, "0,".getBytes(StandardCharsets.US_ASCII), numbers)));
        }, "3.json", "more than " + PIXELS * 10_000 + " numbers");
    }

    static HostileCase npmEscapedName(String escape) {
        return c("npm", "tar entry name holding " + visible(escape), p -> {
            byte[] tar = concat(HostileFiles.tarHeader("package/" + escape + "/../../x", 0), new byte[1024]);
            HostileFiles.write(p, gzip(tar));
        }, "path traversal refused", "package/" + escaped(escape) + "/../../x");
    }

    @Provide
    Arbitrary<List<HostileCase>> npm() {
        return Combinators.combine(
                Combinators.combine(Arbitraries.integers().between(1, 3), Arbitraries.integers().between(1, Integer.MAX_VALUE))
                        .as(HostileFileProperties::npmBadCrc),
                Arbitraries.longs().between(150_000_000L, 160_000_000L).map(HostileFileProperties::npmHugeJson),
                // A NUL ends a ustar name, so it cannot hide inside one.
                escapes().filter(e -> e.indexOf('\0') < 0).map(HostileFileProperties::npmEscapedName))
                .as(List::of);
    }

    // ---- escapes ----

    /** Terminal escapes and other invisible text a hostile name carries. */
    static Arbitrary<String> escapes() {
        return Arbitraries.of("\u001b[2J\u001b[H", "\u001b]0;owned\u0007", "\u009b31m", "\r\n", "\u202e", "\u0000",
                "\u001b[6n", "\u0008\u0008\u0008");
    }

    /** How {@link dev.vectorgrad.core.Printable} shows it, computed independently of it. */
    static String escaped(String s) {
        StringBuilder sb = new StringBuilder();
        for (char ch : s.toCharArray()) {
            sb.append(ch < 0x20 || (ch >= 0x7f && ch < 0xa0) ? String.format("\\x%02x", (int) ch)
                    : ch == '\u202e' ? "\\u202e" : String.valueOf(ch));
        }
        return sb.toString();
    }

    private static String visible(String s) {
        return escaped(s);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @SafeVarargs
    private static List<HostileCase> concatCases(List<HostileCase>... lists) {
        return Stream.of(lists).flatMap(List::stream).toList();
    }

    // ---- the property ----

    @Property(tries = 1, shrinking = ShrinkingMode.OFF)
    void everyHostileFileEndsInOneLineNamingTheFileInA256MiBHeap(@ForAll("pickles") List<HostileCase> pickles,
            @ForAll("numpy") List<HostileCase> numpy, @ForAll("idx") List<HostileCase> idx,
            @ForAll("npm") List<HostileCase> npm) throws Exception {
        List<HostileCase> cases = concatCases(pickles, numpy, idx, npm);
        Path dir = Files.createTempDirectory("vectorgrad-hostile");
        try {
            StringBuilder manifest = new StringBuilder();
            List<Path> files = new ArrayList<>();
            for (int i = 0; i < cases.size(); i++) {
                HostileCase hc = cases.get(i);
                Path f = dir.resolve("case" + i + "." + hc.kind());
                hc.writer().accept(f);
                files.add(f);
                manifest.append(i).append('\t').append(hc.kind()).append('\t').append(f).append('\n');
            }
            Path list = dir.resolve("manifest.txt");
            Files.writeString(list, manifest, StandardCharsets.UTF_8);
            List<String> lines = fork(list, dir.resolve("out.txt"));
            assertEquals(cases.size() + 1, lines.size(), "one line per case and 'done':\n" + String.join("\n", lines));
            List<String> wrong = new ArrayList<>();
            for (int i = 0; i < cases.size(); i++) {
                HostileCase hc = cases.get(i);
                String[] f = lines.get(i).split("\t", 4);
                String why = check(hc, files.get(i), f, i);
                if (why != null) {
                    wrong.add(hc + "\n    " + why + "\n    got: " + lines.get(i));
                }
            }
            assertTrue(wrong.isEmpty(), wrong.size() + " of " + cases.size() + " hostile files ended badly:\n"
                    + String.join("\n", wrong));
        } finally {
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static String check(HostileCase hc, Path file, String[] f, int i) {
        if (f.length != 4 || !f[0].equals(String.valueOf(i))) {
            return "not an outcome line";
        }
        if (!f[1].equals(DataFormatException.class.getName())) {
            return "expected a DataFormatException, not " + f[1];
        }
        if (!f[2].equals("printable")) {
            return "the message holds unprintable characters (raw file text echoed)";
        }
        if (!f[3].startsWith(file.toString())) {
            return "the message does not start with the file's name";
        }
        for (String e : hc.expect()) {
            if (!f[3].contains(e)) {
                return "the message does not say '" + e + "'";
            }
        }
        return null;
    }

    private static List<String> fork(Path manifest, Path out) throws Exception {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        StringBuilder cp = new StringBuilder();
        for (Class<?> k : new Class<?>[] {HostileFileProbe.class, MnistPickle.class, Tensor.class}) {
            if (!cp.isEmpty()) {
                cp.append(File.pathSeparator);
            }
            cp.append(Path.of(k.getProtectionDomain().getCodeSource().getLocation().toURI()));
        }
        List<String> cmd = new ArrayList<>(List.of(javaBin, "-Xmx256m", "--add-modules", "jdk.incubator.vector",
                "-D" + Bytes.MAX_RATIO_PROPERTY + "=" + Bytes.DEFAULT_MAX_RATIO, "-cp", cp.toString()));
        String bits = System.getProperty("vectorgrad.vectorBitSize");
        if (bits != null) {
            cmd.add("-Dvectorgrad.vectorBitSize=" + bits);
        }
        cmd.add(HostileFileProbe.class.getName());
        cmd.add(manifest.toString());
        Path err = out.resolveSibling("err.txt");
        Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).redirectOutput(out.toFile()).start();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the probe did not finish within 180 s (a reader hangs?):\n" + Files.readString(out));
        }
        List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), String.join("\n", lines) + "\n" + Files.readString(err));
        return lines;
    }
}
