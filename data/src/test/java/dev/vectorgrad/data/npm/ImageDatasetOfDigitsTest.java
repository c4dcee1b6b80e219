package dev.vectorgrad.data.npm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vectorgrad.data.ImageDataset;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageDatasetOfDigitsTest {

    @Test
    void digitImagesKeepTheirBytesAndLabels(@TempDir Path tmp) throws Exception {
        Path tgz = Files.write(tmp.resolve("m.tgz"), NpmMnistTest.fakePackage(-1).tgz());
        DigitImages digits = NpmMnist.read(tgz);
        ImageDataset d = ImageDataset.of(digits);
        assertEquals(digits.name(), d.name());
        assertEquals(digits.size(), d.size());
        assertTrue(d.bytePixels());
        assertArrayEquals(new int[] {DigitImages.PIXELS}, d.sampleShape());
        float[] a = new float[DigitImages.PIXELS];
        float[] b = new float[DigitImages.PIXELS];
        for (int i = 0; i < digits.size(); i++) {
            digits.copyFeatures(i, a, 0);
            d.copyFeatures(i, b, 0);
            assertArrayEquals(a, b, "image " + i);
            assertEquals(digits.digit(i), d.classIndex(i));
        }
        assertArrayEquals(digits.digitCounts(), d.classCounts());
    }
}
