package dev.vectorgrad.examples.train;

import static dev.vectorgrad.examples.train.HostileInputTest.assertNoControlCharacters;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vectorgrad.examples.train.TrainCommandTest.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Hostile command lines, metadata values and label files, generated: whatever comes in, the
 * outcome is exit 0 with a test accuracy, or one line on stderr naming the flag or the file,
 * with a non-zero status, no stack trace and no raw control character, and where the rule is
 * simple enough to restate, the outcome the rule says.
 */
class HostileCliProperties {

    private static Path dir;
    private static Path data;
    private static int counter;

    @BeforeContainer
    static void files() throws IOException {
        dir = Files.createTempDirectory("vectorgrad-hostile-cli");
        byte[] train = new byte[30];
        byte[] test = new byte[6];
        for (int i = 0; i < train.length; i++) {
            train[i] = (byte) (i % 3);
        }
        for (int i = 0; i < test.length; i++) {
            test[i] = (byte) (i % 3);
        }
        data = HostileFiles.idxFolder(dir.resolve("data"), 3, train, test);
    }

    @AfterContainer
    static void removeFiles() throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static Path fresh(String name) {
        return dir.resolve(name + "-" + counter++);
    }

    /** Text no option accepts: control characters, bidirectional overrides, stray dashes, NaN. */
    private static Arbitrary<String> junk() {
        Arbitrary<String> prefix = Arbitraries.of("\u001b[2J", "\u001b]0;t\u0007", "x", "\u202e", "\u009b", "NaN", "--x", "\u0000", "");
        Arbitrary<String> rest = Arbitraries.strings().withCharRange('\u0000', '\u00ff').withChars('\u202e', '\u2028', '\u4e00')
                .ofMaxLength(12);
        return Combinators.combine(prefix, rest).as((p, r) -> p + r)
                .filter(s -> !s.strip().matches("[+-]?\\d+(,[+-]?\\d+)*|[+-]?\\d*\\.?\\d+([eE][+-]?\\d+)?[fFdD]?"));
    }

    private static Arbitrary<String> badCount(boolean zeroOk) {
        Arbitrary<String> numbers = Arbitraries.of("-1", "-2147483648", "2147483648", "99999999999999999999", "1.5", "1e3", " ",
                "0x10", "");
        Arbitrary<String> all = Arbitraries.oneOf(numbers, junk(), Arbitraries.integers().lessOrEqual(-1).map(Object::toString));
        return zeroOk ? all : Arbitraries.oneOf(all, Arbitraries.just("0"));
    }

    private static Arbitrary<String> badRate() {
        return Arbitraries.oneOf(Arbitraries.of("NaN", "Infinity", "-Infinity", "1e39", "-1e-3", "-0.5", "abc", ""), junk(),
                Arbitraries.floats().lessOrEqual(-0.01f).map(Object::toString));
    }

    @Provide
    Arbitrary<Tuple.Tuple2<String, String>> badTrainOption() {
        return Arbitraries.oneOf(
                Combinators.combine(Arbitraries.of("epochs", "batch-size", "threads"), badCount(false)).as(Tuple::of),
                badCount(true).map(v -> Tuple.of("valid", v)),
                Arbitraries.oneOf(badCount(false), Arbitraries.of("8,", ",8", "8,,8", "65537", "8,70000", "2147483647,1"),
                        Arbitraries.integers().between(65_537, Integer.MAX_VALUE).map(Object::toString)).map(v -> Tuple.of("hidden", v)),
                Combinators.combine(Arbitraries.of("lr", "weight-decay"), badRate()).as(Tuple::of),
                junk().map(v -> Tuple.of("optimizer", v)),
                junk().map(v -> Tuple.of("schedule", v)),
                junk().map(v -> Tuple.of("seed", v)),
                junk().filter(v -> !v.isEmpty()).map(v -> Tuple.of("dataset", v)));
    }

    @Property(tries = 150)
    void badFlagValuesAreOneUsageLineNamingTheFlag(@ForAll("badTrainOption") Tuple.Tuple2<String, String> option) {
        Path out = fresh("out");
        Run r = TrainCommandTest.main("train", "--dataset", data.toString(), "--epochs", "1", "--out", out.toString(),
                "--" + option.get1(), option.get2());
        assertRefused(r, 2);
        if (!option.get2().startsWith("--")) {
            // A value that starts with -- reads as a missing value; any other names the option it was given to.
            assertTrue(r.err().contains("--" + option.get1()), r.err());
        }
    }

    @Provide
    Arbitrary<Tuple.Tuple2<String, String>> metadata() {
        Arbitrary<String> numbers = Arbitraries.oneOf(
                Arbitraries.of("0", "-0", "NaN", "Infinity", "1e-45", "1e-40", "1e-6", "9.9e-7", "1e6", "1000001", "3e38", " 0.3",
                        "0.3\u001b[0m", ""),
                Arbitraries.floats().map(Object::toString), Arbitraries.doubles().map(Object::toString), junk());
        Arbitrary<String> sizes = Arbitraries.oneOf(
                Arbitraries.of("9-4-3", "9-4", "9-4-3-3", "9-0-3", "9--3", "9-4-1", "9-65537-3", "9-2147483647-3", "-9-4-3", "4-9-3"),
                Arbitraries.integers().between(0, Integer.MAX_VALUE).map(n -> "9-" + n + "-3"), junk());
        return Arbitraries.oneOf(
                Combinators.combine(Arbitraries.of("input_mean", "input_std"), numbers).as(Tuple::of),
                sizes.map(v -> Tuple.of("sizes", v)),
                Combinators.combine(Arbitraries.of("dataset", "epochs", "test_accuracy", "architecture"), junk()).as(Tuple::of));
    }

    @Property(tries = 120)
    void hostileMetadataIsScoredOrRefusedNamingTheFile(@ForAll("metadata") Tuple.Tuple2<String, String> kv) throws IOException {
        Path model = HostileFiles.model(fresh("model"), new int[] {9, 4, 3}, Map.of(kv.get1(), kv.get2()));
        Run r = TrainCommandTest.main("evaluate", "--model", model.toString(), "--dataset", data.toString());
        assertNoControlCharacters(r.out());
        boolean accepted = switch (kv.get1()) {
            case "input_std" -> inRange(kv.get2(), 1e-6f, 1e6f);
            case "input_mean" -> inRange(kv.get2(), -1e6f, 1e6f);
            case "sizes" -> kv.get2().equals("9-4-3");
            default -> true;
        };
        if (accepted) {
            assertEquals(0, r.status(), r.err());
            assertTrue(r.lastLine().matches("test accuracy: [01]\\.\\d{4}"), r.out());
        } else {
            assertRefused(r, 2);
            assertTrue(r.err().contains(model.toString()) && r.err().contains(kv.get1()), r.err());
        }
        Files.delete(model);
    }

    private static boolean inRange(String v, float lo, float hi) {
        try {
            float f = Float.parseFloat(v.strip());
            return f >= lo && f <= hi;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    @Provide
    Arbitrary<byte[]> labels() {
        Arbitrary<Byte> value = Arbitraries.oneOf(Arbitraries.bytes().between((byte) 0, (byte) 4), Arbitraries.bytes(),
                Arbitraries.just((byte) 0));
        return value.array(byte[].class).ofMaxSize(40);
    }

    @Property(tries = 60)
    void anyLabelBytesTrainOrAreRefusedBeforeTraining(@ForAll("labels") byte[] train, @ForAll("labels") byte[] test)
            throws IOException {
        Path folder = HostileFiles.idxFolder(fresh("labels"), 2, train, test);
        Path out = fresh("out");
        Run r = TrainCommandTest.main("train", "--dataset", folder.toString(), "--epochs", "1", "--hidden", "4", "--out",
                out.toString());
        int trainClasses = classes(train);
        boolean ok = train.length > 0 && trainClasses >= 2 && test.length > 0 && classes(test) <= trainClasses;
        if (ok) {
            assertEquals(0, r.status(), r.err());
            assertTrue(r.lastLine().matches("test accuracy: [01]\\.\\d{4}"), r.out());
            assertTrue(r.out().contains(", " + trainClasses + " classes"), r.out());
            try (Stream<Path> files = Files.list(out)) {
                assertEquals(List.of("model.safetensors", "training.png"),
                        files.map(p -> p.getFileName().toString()).sorted().toList(), "nothing half-written left");
            }
        } else {
            assertRefused(r, 1);
            assertTrue(r.err().contains(folder.toString()), r.err());
            assertFalse(Files.exists(out.resolve("model.safetensors")));
        }
    }

    private static int classes(byte[] labels) {
        int max = -1;
        for (byte b : labels) {
            max = Math.max(max, b & 0xff);
        }
        return max + 1;
    }

    private static void assertRefused(Run r, int status) {
        assertEquals(status, r.status(), r.err() + r.out());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
        assertFalse(r.err().contains("\tat "), r.err());
        assertNoControlCharacters(r.err());
        assertFalse(r.out().contains("epoch 1/"), r.out());
    }
}
