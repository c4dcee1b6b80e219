package dev.vectorgrad.examples.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vectorgrad.autograd.Var;
import dev.vectorgrad.core.Tensor;
import dev.vectorgrad.data.ImageDataset;
import dev.vectorgrad.examples.Main;
import dev.vectorgrad.nn.TrainStep;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line in a JVM of its own, as a user starts it: with a 256 MB heap, files whose
 * figures would ask for gigabytes end in one line and a status, not an OutOfMemoryError; and bad
 * {@code -Dvectorgrad.*} properties, which the core reads in static initialisers, are one line
 * without a stack trace.
 */
class BoundedHeapTest {

    /** Exit status, the lines the command printed on stderr (not the JVM's or the core's log), and stdout. */
    record Outcome(int status, List<String> errorLines, String out, String all) {}

    static Outcome run(Path dir, List<String> jvmFlags, String... args) throws Exception {
        StringBuilder cp = new StringBuilder();
        for (Class<?> c : new Class<?>[] {Main.class, Tensor.class, Var.class, TrainStep.class, ImageDataset.class}) {
            cp.append(cp.isEmpty() ? "" : File.pathSeparator)
                    .append(Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()));
        }
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "--add-modules", "jdk.incubator.vector", "-Djava.awt.headless=true"));
        String bits = System.getProperty("vectorgrad.vectorBitSize");
        if (bits != null && jvmFlags.stream().noneMatch(f -> f.startsWith("-Dvectorgrad.vectorBitSize="))) {
            cmd.add("-Dvectorgrad.vectorBitSize=" + bits);
        }
        cmd.addAll(jvmFlags);
        cmd.addAll(List.of("-cp", cp.toString(), Main.class.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile())
                .redirectOutput(dir.resolve("stdout").toFile()).redirectError(dir.resolve("stderr").toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("no answer within 120 s: " + cmd);
        }
        String out = java.nio.file.Files.readString(dir.resolve("stdout"), StandardCharsets.UTF_8);
        String err = java.nio.file.Files.readString(dir.resolve("stderr"), StandardCharsets.UTF_8);
        List<String> lines = err.lines().filter(l -> l.startsWith("vectorgrad")).toList();
        return new Outcome(p.exitValue(), lines, out, err + out);
    }

    private static void assertOneLine(Outcome o, int status, String... mentions) {
        assertEquals(status, o.status(), o.all());
        assertEquals(1, o.errorLines().size(), o.all());
        assertFalse(o.all().contains("\tat ") || o.all().contains("OutOfMemoryError") || o.all().contains("Exception in"),
                o.all());
        for (String m : mentions) {
            assertTrue(o.errorLines().get(0).contains(m), "names " + m + ": " + o.all());
        }
    }

    @Test
    void badCorePropertiesAreOneLineWithoutAStackTrace(@TempDir Path tmp) throws Exception {
        Outcome bits = run(tmp, List.of("-Dvectorgrad.vectorBitSize=abc"), "train", "--dataset", "synthetic");
        assertOneLine(bits, 2, "-Dvectorgrad.vectorBitSize=abc", "0 (scalar kernels), 64, 128, 256 or 512");
        assertEquals(List.of(bits.errorLines().get(0)), bits.all().lines().filter(l -> !l.startsWith("WARNING: Using incubator"))
                .toList(), "nothing else: the core was never started");
        assertOneLine(run(tmp, List.of("-Dvectorgrad.threads=-1"), "evaluate", "--model", "m"), 2, "-Dvectorgrad.threads=-1");
    }

    @Test
    void formidableFiguresInFilesAndFlagsEndInOneLineWithinASmallHeap(@TempDir Path tmp) throws Exception {
        Path data = HostileFiles.idxFolder(tmp.resolve("d"), 3, new byte[] {0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2},
                new byte[] {0, 1, 2, 0, 1, 2});
        // One label of 16 million: within what a float holds exactly, so only the class limit stops it.
        Path pickle = tmp.resolve("labels.pkl.gz");
        HostileFiles.pickle(pickle, 4, new float[][] {HostileFiles.images(6, 4, 1), HostileFiles.images(2, 4, 2),
            HostileFiles.images(2, 4, 3)}, new float[][] {{0, 1, 16_000_000f, 1, 0, 1}, {0, 1}, {0, 1}});
        assertOneLine(run(tmp, List.of(), "train", "--dataset", pickle.toString(), "--out", tmp.resolve("o").toString()), 1,
                pickle.toString(), "at most 65536 classes");
        assertOneLine(run(tmp, List.of(), "train", "--dataset", data.toString(), "--hidden", "4000,4000", "--out",
                tmp.resolve("o").toString()), 2, "--hidden 4000,4000", "more than the JVM's heap of", "-Xmx");
        // 30,000 classes: a dense confusion matrix alone would be 7 GB.
        Path model = HostileFiles.model(tmp.resolve("wide.safetensors"), new int[] {9, 2, 30_000}, Map.of());
        Outcome wide = run(tmp, List.of(), "evaluate", "--model", model.toString(), "--dataset", data.toString());
        assertEquals(0, wide.status(), wide.all());
        assertTrue(wide.out().contains("confusion matrix of 30000 classes") && wide.out().contains("test accuracy: "),
                wide.out());
    }
}
