package dev.vectorgrad.examples.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Seeded end-to-end runs of ./vectorgrad train with accuracy floors, as CI's guard on learning. */
class TrainingAccuracyTest {

    private static double accuracy(TrainCommandTest.Run r) {
        assertEquals(0, r.status(), r.err());
        String last = r.lastLine();
        assertTrue(last.startsWith("test accuracy: "), last);
        return Double.parseDouble(last.substring("test accuracy: ".length()));
    }

    @Test
    void syntheticDigitsReachNinetyFivePercent(@TempDir Path tmp) {
        TrainCommandTest.Run r = TrainCommandTest.main("train", "--dataset", "synthetic", "--epochs", "3", "--seed", "42",
                "--out", tmp.toString());
        double acc = accuracy(r);
        assertTrue(acc >= 0.95, "synthetic digits: " + acc + "\n" + r.out());
    }

    @Test
    void oneEpochOfFashionMnistReachesEightyPercent(@TempDir Path tmp) {
        Path debian = Path.of("/usr/share/datasets/fashion-mnist");
        assumeTrue(Files.isRegularFile(debian.resolve("train-images-idx3-ubyte.gz")),
                "Debian's dataset-fashion-mnist is not installed");
        TrainCommandTest.Run r = TrainCommandTest.main("train", "--dataset", debian.toString(), "--epochs", "1",
                "--seed", "42", "--out", tmp.toString());
        double acc = accuracy(r);
        assertTrue(acc >= 0.80, "Fashion-MNIST, one epoch: " + acc + "\n" + r.out());
    }
}
