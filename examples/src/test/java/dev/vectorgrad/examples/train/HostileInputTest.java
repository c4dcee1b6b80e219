package dev.vectorgrad.examples.train;

import static dev.vectorgrad.examples.train.TrainCommandTest.main;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vectorgrad.examples.train.TrainCommandTest.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Garbage on the command line and in the files it names: each refused with one line naming the
 * flag or the file, a non-zero exit and no stack trace, before anything of a forged size is
 * allocated and before any training starts.
 */
class HostileInputTest {

    /** Asserts the shape every refusal has: its status, one line, no stack trace, no raw control character. */
    static void assertRefused(Run r, int status, String... mentions) {
        String what = r.err() + r.out();
        assertEquals(status, r.status(), what);
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
        assertFalse(r.err().contains("\tat ") || r.err().contains("Exception"), "no stack trace, no exception name: " + r.err());
        assertNoControlCharacters(r.err());
        for (String m : mentions) {
            assertTrue(r.err().contains(m), "names " + m + ": " + r.err());
        }
        assertFalse(r.out().contains("epoch 1/"), "refused before training: " + r.out());
    }

    static void assertNoControlCharacters(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            assertTrue(c == '\n' || c == '\r' || (c >= 0x20 && c != 0x7f && !(c >= 0x80 && c < 0xa0)),
                    "control character " + (int) c + " at " + i + " of: " + text);
        }
    }

    private static byte[] labels(int n, int classes) {
        byte[] y = new byte[n];
        for (int i = 0; i < n; i++) {
            y[i] = (byte) (i % classes);
        }
        return y;
    }

    private static Run train(Path data, Path out, String... more) {
        String[] base = {"train", "--dataset", data.toString(), "--epochs", "1", "--hidden", "8", "--out", out.toString()};
        return main(Stream.concat(Arrays.stream(base), Arrays.stream(more)).toArray(String[]::new));
    }

    @Test
    void fractionalNanAndHugeLabelsInAPickleAreRefusedNamingTheFile(@TempDir Path tmp) throws IOException {
        int px = 4;
        float[] ok = {0, 1, 2, 0, 1, 2, 0, 1};
        for (float bad : new float[] {0.5f, Float.NaN, -1f, 2e9f, 16_000_000f, 65_536f}) {
            float[] y = ok.clone();
            y[3] = bad;
            Path file = tmp.resolve("labels-" + bad + ".pkl.gz");
            HostileFiles.pickle(file, px, new float[][] {HostileFiles.images(8, px, 1), HostileFiles.images(2, px, 2),
                HostileFiles.images(4, px, 3)}, new float[][] {y, {0, 1}, {0, 1, 2, 0}});
            Run r = train(file, tmp.resolve("out"));
            assertRefused(r, 1, file.toString(), "label 3");
        }
        // 65,535 is the largest label a classifier of 65,536 outputs takes; one more is refused above.
        float[] y = ok.clone();
        y[3] = 65_535f;
        Path file = tmp.resolve("widest.pkl.gz");
        HostileFiles.pickle(file, px, new float[][] {HostileFiles.images(8, px, 1), HostileFiles.images(2, px, 2),
            HostileFiles.images(4, px, 3)}, new float[][] {y, {0, 1}, {0, 1, 2, 0}});
        Run r = train(file, tmp.resolve("out"));
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("65536 classes"), r.out());
    }

    @Test
    void nanAndInfinitePixelsAreRefusedNamingTheFile(@TempDir Path tmp) throws IOException {
        int px = 4;
        for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
            float[] x = HostileFiles.images(6, px, 1);
            x[9] = bad;
            Path file = tmp.resolve("pixels.pkl.gz");
            HostileFiles.pickle(file, px, new float[][] {x, HostileFiles.images(2, px, 2), HostileFiles.images(2, px, 3)},
                    new float[][] {{0, 1, 0, 1, 0, 1}, {0, 1}, {0, 1}});
            assertRefused(train(file, tmp.resolve("out")), 1, file.toString(), "pixel 1 of image 2");
        }
    }

    @Test
    void anEmptyTestSplitIsRefusedBeforeTrainingNotReportedAsAccuracyNaN(@TempDir Path tmp) throws IOException {
        Path data = HostileFiles.idxFolder(tmp.resolve("d"), 3, labels(40, 3), new byte[0]);
        Path out = tmp.resolve("out");
        Run r = train(data, out);
        assertRefused(r, 1, data.toString(), "holds no images");
        assertFalse(r.out().contains("NaN"), r.out());
        assertFalse(Files.exists(out.resolve("model.safetensors")));

        Path pickle = tmp.resolve("empty-test.pkl.gz");
        HostileFiles.pickle(pickle, 4, new float[][] {HostileFiles.images(6, 4, 1), new float[0], new float[0]},
                new float[][] {{0, 1, 0, 1, 0, 1}, {}, {}});
        assertRefused(train(pickle, out), 1, pickle.toString(), "holds no images");

        Path noTrain = HostileFiles.idxFolder(tmp.resolve("e"), 3, new byte[0], labels(5, 2));
        assertRefused(train(noTrain, out), 1, noTrain.toString(), "holds no images");
    }

    @Test
    void oneClassAndTestLabelsBeyondTheTrainingClassesAreClearErrors(@TempDir Path tmp) throws IOException {
        Path single = HostileFiles.idxFolder(tmp.resolve("single"), 3, new byte[30], new byte[5]);
        assertRefused(train(single, tmp.resolve("out")), 1, single.toString(), "every label is 0");
        Path beyond = HostileFiles.idxFolder(tmp.resolve("beyond"), 3, labels(30, 5), labels(10, 10));
        assertRefused(train(beyond, tmp.resolve("out")), 1, beyond.toString(), "labels up to 9", "5 classes");
        // Byte labels up to 255 make 256 classes: trained, not refused.
        byte[] wide = labels(40, 3);
        wide[7] = (byte) 255;
        Run ok = train(HostileFiles.idxFolder(tmp.resolve("wide"), 3, wide, labels(6, 3)), tmp.resolve("out"));
        assertEquals(0, ok.status(), ok.err());
        assertTrue(ok.out().contains("256 classes"), ok.out());
    }

    @Test
    void hugeHiddenSizesAreRefusedNamingTheFlagAndTheLimitBeforeAnyAllocation(@TempDir Path tmp) throws IOException {
        Path data = HostileFiles.idxFolder(tmp.resolve("d"), 3, labels(30, 3), labels(6, 3));
        Path out = tmp.resolve("out");
        for (String hidden : new String[] {"10000000", "65537", "8,100000", "2147483647"}) {
            assertRefused(main("train", "--dataset", data.toString(), "--hidden", hidden, "--out", out.toString()), 2,
                    "--hidden " + hidden, "65536");
        }
        assertRefused(main("train", "--dataset", data.toString(), "--hidden", "99999999999", "--out", out.toString()), 2,
                "--hidden");
        String deep = String.join(",", java.util.Collections.nCopies(65, "4"));
        assertRefused(main("train", "--dataset", data.toString(), "--hidden", deep, "--out", out.toString()), 2,
                "--hidden", "at most 64");
        // 65,536 x 65,536 weights would overflow an array; a 40,000 x 40,000 one does not fit the heap.
        assertRefused(main("train", "--dataset", data.toString(), "--hidden", "65536,65536", "--out", out.toString()), 2,
                "--hidden 65536,65536", "more than one array can");
        long heapMb = Runtime.getRuntime().maxMemory() >> 20;
        if (heapMb < 20_000) {
            assertRefused(main("train", "--dataset", data.toString(), "--hidden", "40000,40000", "--out", out.toString()), 2,
                    "--hidden 40000,40000", "heap", "-Xmx");
        }
        assertRefused(main("evaluate", "--model", tmp.resolve("m").toString(), "--hidden", "10000000"), 2);
    }

    @Test
    void badThreadCountsNameTheFlag(@TempDir Path tmp) {
        for (String t : new String[] {"0", "-1", "abc", "100000"}) {
            assertRefused(main("train", "--dataset", "synthetic", "--threads", t, "--out", tmp.toString()), 2,
                    "--threads " + t, "1024");
        }
    }

    @Test
    void outIsCheckedBeforeAnyDataIsReadOrTrainingStarts(@TempDir Path tmp) throws IOException {
        Path data = HostileFiles.idxFolder(tmp.resolve("d"), 3, labels(30, 3), labels(6, 3));
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        assertRefused(train(data, file), 2, "--out " + file, "is a file");
        assertRefused(train(data, file.resolve("sub")), 2, "--out " + file.resolve("sub"), "cannot be created");
        Path readOnly = Files.createDirectories(tmp.resolve("ro"));
        if (readOnly.toFile().setWritable(false) && !Files.isWritable(readOnly)) {
            try {
                assertRefused(train(data, readOnly), 2, "--out " + readOnly, "not writable");
            } finally {
                readOnly.toFile().setWritable(true);
            }
        }
        // A run refused for its data creates no --out folder.
        Path never = tmp.resolve("never/deeper");
        assertRefused(train(HostileFiles.idxFolder(tmp.resolve("e"), 3, new byte[10], new byte[2]), never), 1,
                "every label is 0");
        assertFalse(Files.exists(tmp.resolve("never")), "nothing created");
        // The check comes first: a bad --out with a bad dataset names the --out.
        assertRefused(main("train", "--dataset", tmp.resolve("nowhere").toString(), "--out", file.toString()), 2, "--out");
    }

    @Test
    void stalePartFilesOfKilledSavesAreRemovedAndNothingHalfWrittenIsLeft(@TempDir Path tmp) throws IOException {
        Path data = HostileFiles.idxFolder(tmp.resolve("d"), 3, labels(30, 3), labels(6, 3));
        Path out = Files.createDirectories(tmp.resolve("out"));
        FileTime old = FileTime.from(Instant.now().minusSeconds(3600));
        List<Path> stale = List.of(out.resolve("model.safetensors8129371.part"), out.resolve("training.png.part"),
                out.resolve("training.png55.part"));
        for (Path p : stale) {
            Files.writeString(p, "half");
            Files.setLastModifiedTime(p, old);
        }
        Path live = Files.writeString(out.resolve("model.safetensors42.part"), "another run, writing now");
        Path unrelated = Files.writeString(out.resolve("notes.part"), "not ours");
        Files.setLastModifiedTime(unrelated, old);
        Run r = train(data, out);
        assertEquals(0, r.status(), r.err());
        for (Path p : stale) {
            assertFalse(Files.exists(p), p + " removed");
        }
        assertTrue(Files.exists(live), "a fresh temporary file may be another run's: kept");
        assertTrue(Files.exists(unrelated), "only the names train writes are touched");
        try (Stream<Path> files = Files.list(out)) {
            assertEquals(List.of("model.safetensors", "model.safetensors42.part", "notes.part", "training.png"),
                    files.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void absurdNormalisationAndSizesMetadataInAModelFileAreRefusedNamingTheFile(@TempDir Path tmp) throws IOException {
        Path data = HostileFiles.idxFolder(tmp.resolve("d"), 3, labels(30, 3), labels(6, 3));
        int[] sizes = {9, 4, 3};
        Path good = HostileFiles.model(tmp.resolve("good.safetensors"), sizes, Map.of());
        Run ok = main("evaluate", "--model", good.toString(), "--dataset", data.toString());
        assertEquals(0, ok.status(), ok.err());
        assertTrue(ok.lastLine().matches("test accuracy: [01]\\.\\d{4}"), ok.out());

        String[][] bad = {
            {"input_std", "0"}, {"input_std", "NaN"}, {"input_std", "-1"}, {"input_std", "1e-40"}, {"input_std", "Infinity"},
            {"input_std", "1e30"}, {"input_mean", "NaN"}, {"input_mean", "-Infinity"}, {"input_mean", "3e38"},
            {"input_mean", "abc"}, {"sizes", "9-10000000-3"}, {"sizes", "9-4-99999999999"}, {"sizes", "9-5-3"},
            {"sizes", "9-4-3-3"}, {"sizes", "nine-four"}, {"sizes", "9-4-\u001b]0;owned\u0007-3"},
        };
        for (String[] kv : bad) {
            Path f = HostileFiles.model(tmp.resolve("bad.safetensors"), sizes, Map.of(kv[0], kv[1]));
            Run r = main("evaluate", "--model", f.toString(), "--dataset", data.toString());
            assertRefused(r, 2, f.toString(), kv[0]);
        }
        Run escaped = main("evaluate", "--model", tmp.resolve("bad.safetensors").toString(), "--dataset", data.toString());
        assertTrue(escaped.err().contains("\\x1b]0;owned\\x07"), "control characters shown escaped: " + escaped.err());

        Path one = HostileFiles.model(tmp.resolve("one.safetensors"), new int[] {9, 4, 1}, Map.of());
        assertRefused(main("evaluate", "--model", one.toString(), "--dataset", data.toString()), 2, one.toString(),
                "at least two classes");
        Path five = HostileFiles.model(tmp.resolve("five.safetensors"), new int[] {9, 4, 2}, Map.of());
        assertRefused(main("evaluate", "--model", five.toString(), "--dataset", data.toString()), 1, "labels up to 2",
                "2 classes");
    }

    @Test
    void aModelOfThirtyThousandClassesPrintsABoundedSummary(@TempDir Path tmp) throws IOException {
        Path data = HostileFiles.idxFolder(tmp.resolve("d"), 3, labels(30, 3), labels(50, 3));
        Path model = HostileFiles.model(tmp.resolve("wide.safetensors"), new int[] {9, 2, 30_000}, Map.of());
        Run r = main("evaluate", "--model", model.toString(), "--dataset", data.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("confusion matrix of 30000 classes"), r.out());
        assertTrue(r.out().lines().count() < 40, "a summary, not a 30,000-column table: " + r.out().length() + " chars");
        assertTrue(r.lastLine().matches("test accuracy: [01]\\.\\d{4}"), r.out());
    }

    @Test
    void fileAndFolderNamesWithEscapeSequencesArePrintedEscaped(@TempDir Path tmp) throws IOException {
        Path evil = Files.createDirectories(tmp.resolve("x\u001b[2J\u001b]0;title\u0007\u202e"));
        Run r = main("train", "--dataset", evil.toString(), "--out", tmp.resolve("out").toString());
        assertRefused(r, 1, "x\\x1b[2J\\x1b]0;title\\x07\\u202e");
        Run unknown = main("train", "--dataset", "\u001b[31mred", "--out", tmp.resolve("out").toString());
        assertRefused(unknown, 2, "\\x1b[31mred");
        Run command = main("\u009b6n");
        assertRefused(command, 2, "\\x9b6n");
    }
}
