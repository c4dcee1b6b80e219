package dev.vectorgrad.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real Fashion-MNIST, from Debian's dataset-fashion-mnist package (installed by .ci/run). */
class FashionMnistDebianTest {
    static final Path DEBIAN = Kind.FASHION_MNIST.debianFolder();

    @BeforeAll
    static void needsThePackage() {
        Assumptions.assumeTrue(Files.isRegularFile(DEBIAN.resolve("train-images-idx3-ubyte.gz")),
                "skipped: Debian package dataset-fashion-mnist is not installed (" + DEBIAN
                        + " is absent); .ci/run installs it with apt-get");
    }

    @Test
    void packageFilesMatchTheContentChecksums() throws Exception {
        for (String f : Kind.FILES) {
            assertNull(Kind.FASHION_MNIST.checksums().get(f).mismatch(DEBIAN.resolve(f)), f);
        }
    }

    @Test
    void loadsSixtyThousandAndTenThousandImagesWithBalancedLabels(@TempDir Path tmp) throws Exception {
        MnistData d = MnistDatasets.load(Kind.FASHION_MNIST, MnistDatasets.Options.defaults()
                .withEnvironment(k -> null).withCacheRoot(tmp).withDownload(false));
        assertEquals(Resolution.Source.DEBIAN_PACKAGE, d.resolution().source());
        assertArrayEquals(new int[] {60000, 784}, d.train().images().shape());
        assertArrayEquals(new int[] {10000, 784}, d.test().images().shape());
        int[] counts = new int[10];
        for (float y : d.train().labels().toArray()) {
            counts[(int) y]++;
        }
        // Fashion-MNIST has exactly 6,000 training images per class.
        for (int c : counts) {
            assertEquals(6000, c);
        }
        float max = d.test().images().max().item();
        float min = d.test().images().min().item();
        assertTrue(min == 0f && max == 1f, "pixels span [0, 1]: " + min + ".." + max);
    }
}
