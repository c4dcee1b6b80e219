package dev.vectorgrad.examples.lesson;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vectorgrad.core.Rng;
import dev.vectorgrad.examples.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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
