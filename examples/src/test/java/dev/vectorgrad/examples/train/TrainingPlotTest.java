package dev.vectorgrad.examples.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingPlotTest {

    private static int count(BufferedImage img, int x0, int x1, int rgb) {
        int n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = x0; x < x1; x++) {
                if ((img.getRGB(x, y) & 0xffffff) == rgb) {
                    n++;
                }
            }
        }
        return n;
    }

    @Test
    void writesAPngWithBothLossCurvesLeftAndAccuracyRight(@TempDir Path tmp) throws IOException {
        System.setProperty("java.awt.headless", "true");
        List<EpochStats> h = List.of(
                new EpochStats(1, 0.9, 0.7, 0.80, 1, 1000),
                new EpochStats(2, 0.5, 0.45, 0.86, 1, 1000),
                new EpochStats(3, 0.4, 0.41, 0.88, 1, 1000));
        Path png = tmp.resolve("training.png");
        TrainingPlot.write(png, "test plot", h);
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(1000, img.getWidth());
        assertEquals(420, img.getHeight());
        int train = 31 << 16 | 119 << 8 | 180;
        int valid = 255 << 16 | 127 << 8 | 14;
        int acc = 44 << 16 | 160 << 8 | 44;
        assertTrue(count(img, 0, 500, train) > 100, "train loss curve on the left");
        assertTrue(count(img, 0, 500, valid) > 100, "valid loss curve on the left");
        assertTrue(count(img, 500, 1000, acc) > 100, "accuracy curve on the right");
        assertEquals(0, count(img, 500, 1000, train), "no loss curve on the accuracy panel");
    }
}
