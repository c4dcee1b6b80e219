package dev.vectorgrad.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vectorgrad.data.download.FileChecksum;
import dev.vectorgrad.data.download.LoopbackServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MnistDatasetsTest {
    @TempDir
    Path tmp;

    /** Options isolated from this machine: no env var, cache and Debian folder under tmp, no download. */
    private MnistDatasets.Options isolated() {
        return MnistDatasets.Options.defaults()
                .withEnvironment(k -> null)
                .withCacheRoot(tmp.resolve("cache"))
                .withDebianFolder(tmp.resolve("debian"))
                .withDownload(false)
                .withProgress(null);
    }

    private static void synthetic(Path folder, long seed) throws Exception {
        SyntheticDigits.writeIdx(folder, 20, 8, seed);
    }

    @Test
    void explicitPathWinsAndIsTheOnlyPlaceLookedAt() throws Exception {
        synthetic(tmp.resolve("mine"), 1);
        synthetic(tmp.resolve("cache/mnist"), 2);
        MnistData d = MnistDatasets.load(Kind.MNIST, isolated().withPath(tmp.resolve("mine")));
        assertEquals(Resolution.Source.EXPLICIT_PATH, d.resolution().source());
        assertArrayEquals(SyntheticDigits.generate("train", 20, 1).labels().toArray(), d.train().labels().toArray());
        assertEquals(8, d.test().size());
        DatasetUnavailableException e = assertThrows(DatasetUnavailableException.class,
                () -> MnistDatasets.resolve(Kind.MNIST, isolated().withPath(tmp.resolve("nowhere"))));
        assertTrue(e.getMessage().contains("explicit path " + tmp.resolve("nowhere")), e.getMessage());
    }

    @Test
    void environmentThenCacheThenDebianInThatOrder() throws Exception {
        Path env = tmp.resolve("env");
        synthetic(env.resolve("fashion-mnist"), 1);
        synthetic(tmp.resolve("cache/fashion-mnist"), 2);
        synthetic(tmp.resolve("debian"), 3);
        MnistDatasets.Options o = isolated().withEnvironment(k -> k.equals("VECTORGRAD_DATA") ? env.toString() : null);
        assertEquals(Resolution.Source.ENVIRONMENT, MnistDatasets.resolve(Kind.FASHION_MNIST, o).source());
        Files.delete(env.resolve("fashion-mnist/t10k-labels-idx1-ubyte.gz"));
        Resolution r = MnistDatasets.resolve(Kind.FASHION_MNIST, o);
        assertEquals(Resolution.Source.CACHE, r.source());
        assertTrue(r.looked().get(0).contains("missing t10k-labels-idx1-ubyte.gz"), r.looked().toString());
        Files.delete(tmp.resolve("cache/fashion-mnist/train-images-idx3-ubyte.gz"));
        r = MnistDatasets.resolve(Kind.FASHION_MNIST, o);
        assertEquals(Resolution.Source.DEBIAN_PACKAGE, r.source());
        assertEquals(tmp.resolve("debian"), r.folder());
        // MNIST has no Debian package: the same folder is not consulted for it.
        assertThrows(DatasetUnavailableException.class, () -> MnistDatasets.resolve(Kind.MNIST, o));
    }

    @Test
    void nothingFoundListsEveryPlaceAndHowToProvideTheFiles() {
        DatasetUnavailableException e = assertThrows(DatasetUnavailableException.class,
                () -> MnistDatasets.load(Kind.FASHION_MNIST, isolated()));
        String m = e.getMessage();
        assertTrue(m.contains("$VECTORGRAD_DATA: not set"), m);
        assertTrue(m.contains("cache " + tmp.resolve("cache/fashion-mnist")), m);
        assertTrue(m.contains("Debian package folder " + tmp.resolve("debian")), m);
        assertTrue(m.contains("download: disabled"), m);
        assertTrue(m.contains("apt-get install dataset-fashion-mnist"), m);
        assertTrue(m.contains("train-images-idx3-ubyte.gz"), m);
    }

    /**
     * Serves the four files of a small synthetic MNIST under {@code /mirror/}.
     *
     * @param rightSums whether the returned checksums are the files' own (else all wrong)
     * @return the checksum table to give the loader
     */
    private Map<String, FileChecksum> serveSynthetic(LoopbackServer server, boolean rightSums) throws Exception {
        Path src = tmp.resolve("served");
        synthetic(src, 9);
        Map<String, FileChecksum> sums = new HashMap<>();
        for (String f : Kind.FILES) {
            byte[] b = Files.readAllBytes(src.resolve(f));
            server.serve("/mirror/" + f, b, LoopbackServer.Mode.GOOD);
            sums.put(f, FileChecksum.ofFile(FileChecksum.sha256(rightSums ? b : new byte[] {1})));
        }
        return sums;
    }

    @Test
    void downloadsIntoTheCacheThenUsesTheCache() throws Exception {
        try (LoopbackServer server = new LoopbackServer()) {
            Map<String, FileChecksum> sums = serveSynthetic(server, true);
            MnistDatasets.Options o = isolated().withDownload(true).withMirror(server.base("/mirror/"), sums)
                    .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(5));
            MnistData d = MnistDatasets.load(Kind.MNIST, o);
            assertEquals(Resolution.Source.DOWNLOAD, d.resolution().source());
            assertEquals(20, d.train().size());
            assertEquals(Resolution.Source.CACHE, MnistDatasets.resolve(Kind.MNIST, o).source());
            assertEquals(1, server.hits("/mirror/train-images-idx3-ubyte.gz"));
        }
    }

    @Test
    void failedDownloadLeavesNothingAndSaysWhy() throws Exception {
        try (LoopbackServer server = new LoopbackServer()) {
            Map<String, FileChecksum> sums = serveSynthetic(server, false);
            MnistDatasets.Options o = isolated().withDownload(true).withMirror(server.base("/mirror/"), sums);
            DatasetUnavailableException e = assertThrows(DatasetUnavailableException.class,
                    () -> MnistDatasets.load(Kind.MNIST, o));
            assertTrue(e.getMessage().contains("SHA-256 mismatch"), e.getMessage());
            try (var files = Files.list(tmp.resolve("cache/mnist"))) {
                assertEquals(0, files.count(), "no unverified or partial file in the cache");
            }
        }
    }
}
