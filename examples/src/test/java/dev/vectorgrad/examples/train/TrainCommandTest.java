package dev.vectorgrad.examples.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vectorgrad.core.Rng;
import dev.vectorgrad.examples.Main;
import dev.vectorgrad.nn.io.SafeTensors;
import dev.vectorgrad.nn.io.SafeTensorsFile;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainCommandTest {

    /** Output of one Main.run call. */
    record Run(int status, String out, String err) {

        String lastLine() {
            String[] lines = out.strip().split("\n");
            return lines[lines.length - 1];
        }
    }

    static Run main(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static void writeIdx(Path file, int[] dims, byte[] data, boolean gzip) throws IOException {
        try (OutputStream raw = Files.newOutputStream(file);
             OutputStream o = gzip ? new GZIPOutputStream(raw) : raw;
             DataOutputStream d = new DataOutputStream(o)) {
            d.writeInt(0x0800 | dims.length);
            for (int s : dims) {
                d.writeInt(s);
            }
            d.write(data);
        }
    }

    /** Ten classes of 28x28 images: class k lights up a horizontal band at rows 2k..2k+3, plus noise. */
    static void writeBands(Path dir, int train, int test, long seed) throws IOException {
        Files.createDirectories(dir);
        Rng rng = new Rng(seed);
        for (String split : new String[] {"train", "t10k"}) {
            int n = split.equals("train") ? train : test;
            byte[] px = new byte[n * 784];
            byte[] ys = new byte[n];
            for (int i = 0; i < n; i++) {
                int k = rng.nextInt(10);
                ys[i] = (byte) k;
                for (int p = 0; p < 784; p++) {
                    int row = p / 28;
                    int v = rng.nextInt(90) + (row >= 2 * k && row < 2 * k + 4 ? 120 : 0);
                    px[i * 784 + p] = (byte) v;
                }
            }
            // One split gzipped, one not: the reader must take both.
            writeIdx(dir.resolve(split + "-images-idx3-ubyte" + (split.equals("train") ? ".gz" : "")),
                    new int[] {n, 28, 28}, px, split.equals("train"));
            writeIdx(dir.resolve(split + "-labels-idx1-ubyte.gz"), new int[] {n}, ys, true);
        }
    }

    @Test
    void trainsSavesBitExactWeightsAndEvaluateAgrees(@TempDir Path tmp) throws IOException {
        Path data = tmp.resolve("bands");
        writeBands(data, 1200, 300, 1);
        Path out = tmp.resolve("run");
        Run r = main("train", "--dataset", data.toString(), "--epochs", "3", "--lr", "0.003", "--valid", "200", "--hidden", "32,16",
                "--out", out.toString(), "--seed", "3");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.lastLine().matches("test accuracy: 0\\.\\d{4}|test accuracy: 1\\.0000"), r.lastLine());
        double acc = Double.parseDouble(r.lastLine().substring("test accuracy: ".length()));
        assertTrue(acc > 0.9, r.out());
        assertTrue(r.out().contains("epoch 3/3  train loss"), r.out());
        assertTrue(r.err().contains("epoch 1/3 ["), r.err());

        Path model = out.resolve("model.safetensors");
        byte[] bytes = Files.readAllBytes(model);
        SafeTensorsFile f = SafeTensors.load(model);
        // nn.Sequential(Linear, ReLU, Linear, ReLU, Linear)'s names, as PyTorch's state_dict() has them.
        assertEquals(java.util.List.of("0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias"),
                java.util.List.copyOf(f.tensors().keySet()));
        assertArrayEquals(new int[] {32, 784}, f.get("0.weight").shape());
        assertArrayEquals(new int[] {32}, f.get("0.bias").shape());
        assertArrayEquals(new int[] {10, 16}, f.get("4.weight").shape());
        assertEquals("784-32-16-10", f.metadata().get("sizes"));
        // Re-serialising what was read gives the same bytes: the round trip loses no bit.
        assertArrayEquals(bytes, SafeTensors.toBytes(f.tensors(), f.metadata()));
        assertTrue(Files.size(out.resolve("training.png")) > 1000);

        Run e = main("evaluate", "--model", model.toString(), "--dataset", data.toString(), "--hidden", "32,16");
        assertEquals(0, e.status(), e.err());
        assertEquals(r.lastLine(), e.lastLine(), "the reloaded weights classify exactly as the trained ones");
        assertTrue(e.out().contains("confusion matrix"), e.out());

        Run fromMetadata = main("evaluate", "--model", model.toString(), "--dataset", data.toString());
        assertEquals(0, fromMetadata.status(), fromMetadata.err());
        assertEquals(r.lastLine(), fromMetadata.lastLine(), "without --hidden the sizes come from the file's metadata");

        Run bad = main("evaluate", "--model", model.toString(), "--dataset", data.toString(), "--hidden", "50");
        assertEquals(2, bad.status());
        assertEquals(1, bad.err().strip().lines().count(), bad.err());
        assertTrue(bad.err().contains("--hidden 50") && bad.err().contains("784-32-16-10"), bad.err());
        assertTrue(bad.err().contains(model.toString()) && bad.err().contains("size mismatch for 0.weight")
                && bad.err().contains("[32, 784]") && bad.err().contains("[50, 784]"), "names the file, key and shapes: " + bad.err());

        // A file of the earlier layout (layers.0.weight, ...) still loads.
        java.util.Map<String, dev.vectorgrad.core.Tensor> old = new java.util.LinkedHashMap<>();
        f.tensors().forEach((k, v) -> old.put("layers." + k, v));
        Path oldFile = tmp.resolve("old.safetensors");
        SafeTensors.save(oldFile, old, f.metadata());
        Run oldRun = main("evaluate", "--model", oldFile.toString(), "--dataset", data.toString(), "--hidden", "32,16");
        assertEquals(0, oldRun.status(), oldRun.err());
        assertEquals(r.lastLine(), oldRun.lastLine());
    }

    @Test
    void trainsTheCnnAndEvaluateRebuildsItFromTheMetadata(@TempDir Path tmp) throws IOException {
        Path data = tmp.resolve("bands");
        writeBands(data, 900, 300, 2);
        Path out = tmp.resolve("cnn");
        Run r = main("train", "--model", "cnn", "--channels", "4,6", "--dataset", data.toString(), "--epochs", "2",
                "--valid", "100", "--out", out.toString(), "--seed", "5");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("model: CNN 4,6 on 28x28 images, 10 classes"), r.out());
        assertTrue(r.out().contains("adam lr 0.01 (one-cycle)"), "the CNN's defaults: " + r.out());
        double acc = Double.parseDouble(r.lastLine().substring("test accuracy: ".length()));
        assertTrue(acc > 0.9, r.out());

        Path model = out.resolve("model.safetensors");
        SafeTensorsFile f = SafeTensors.load(model);
        // torch.nn.Sequential(Unflatten, Conv2d, BatchNorm2d, ReLU, MaxPool2d, Conv2d, BatchNorm2d, ReLU, MaxPool2d,
        // Flatten, Linear)'s state_dict() keys, in its order.
        assertEquals(java.util.List.of("1.weight", "1.bias", "2.weight", "2.bias", "2.running_mean", "2.running_var",
                        "2.num_batches_tracked", "5.weight", "5.bias", "6.weight", "6.bias", "6.running_mean",
                        "6.running_var", "6.num_batches_tracked", "10.weight", "10.bias"),
                java.util.List.copyOf(f.tensors().keySet()));
        assertArrayEquals(new int[] {4, 1, 3, 3}, f.get("1.weight").shape());
        assertArrayEquals(new int[] {6, 4, 3, 3}, f.get("5.weight").shape());
        assertArrayEquals(new int[] {10, 6 * 7 * 7}, f.get("10.weight").shape());
        assertEquals("cnn", f.metadata().get("architecture"));
        assertEquals("4,6", f.metadata().get("channels"));
        // 800 training images in batches of 64 for two epochs: 26 steps, each counted by both batch norms.
        assertEquals(26f, f.get("2.num_batches_tracked").item());

        Run e = main("evaluate", "--model", model.toString(), "--dataset", data.toString());
        assertEquals(0, e.status(), e.err());
        assertTrue(e.out().contains("CNN 4,6"), e.out());
        assertEquals(r.lastLine(), e.lastLine(), "the reloaded CNN, running statistics included, classifies as the trained one");

        Run hidden = main("evaluate", "--model", model.toString(), "--dataset", data.toString(), "--hidden", "50");
        assertEquals(2, hidden.status());
        assertTrue(hidden.err().contains("holds a CNN"), hidden.err());

        java.util.Map<String, String> meta = new java.util.LinkedHashMap<>(f.metadata());
        meta.put("channels", "4,7");
        Path lying = tmp.resolve("lying.safetensors");
        SafeTensors.save(lying, f.tensors(), meta);
        Run lie = main("evaluate", "--model", lying.toString(), "--dataset", data.toString());
        assertEquals(2, lie.status());
        assertEquals(1, lie.err().strip().lines().count(), lie.err());
        assertTrue(lie.err().contains("10.weight") && lie.err().contains("[10, 294]") && lie.err().contains("343"),
                "names the key, its shape and the expected one: " + lie.err());
    }

    @Test
    void badInputIsOneLineOnStderrAndNonZero(@TempDir Path tmp) throws IOException {
        for (String[] args : new String[][] {
            {"train", "--nope"},
            {"train", "--dataset", "imagenet"},
            {"train", "--optimizer", "lbfgs"},
            {"train", "--hidden", "0"},
            {"train", "--model", "rnn"},
            {"train", "--model", "cnn", "--hidden", "50"},
            {"train", "--channels", "16,32"},
            {"train", "--model", "cnn", "--channels", "16"},
            {"train", "--model", "cnn", "--channels", "16,0"},
            {"evaluate", "--model", tmp.resolve("missing.safetensors").toString()},
            {"frobnicate"},
        }) {
            Run r = main(args);
            assertTrue(r.status() != 0, String.join(" ", args));
            assertEquals(1, r.err().strip().lines().count(), String.join(" ", args) + ": " + r.err());
            assertTrue(!r.err().contains("\tat "), r.err());
        }
        Path broken = tmp.resolve("broken");
        Files.createDirectories(broken);
        Files.write(broken.resolve("train-images-idx3-ubyte"), new byte[] {0, 0, 8, 3, 0, 0});
        Run r = main("train", "--dataset", broken.toString());
        assertEquals(1, r.status());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        Run debug = main("train", "--dataset", broken.toString(), "--debug");
        assertTrue(debug.err().contains("\tat "), "--debug prints the stack trace");
    }

    @Test
    void helpForEveryCommandExitsZero() {
        for (String c : new String[] {"demo", "lesson", "train", "evaluate"}) {
            Run r = main(c, "--help");
            assertEquals(0, r.status());
            assertTrue(r.out().startsWith("usage: ./vectorgrad " + c), r.out());
        }
    }
}
