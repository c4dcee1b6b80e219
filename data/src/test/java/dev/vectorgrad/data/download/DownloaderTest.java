package dev.vectorgrad.data.download;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DownloaderTest {
    private static final byte[] BODY = body();
    private static final FileChecksum SUM = FileChecksum.ofFile(FileChecksum.sha256(BODY));

    private LoopbackServer server;
    @TempDir
    Path dir;

    private static byte[] body() {
        byte[] b = new byte[200_000];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (i * 31 + (i >>> 9));
        }
        return b;
    }

    @BeforeEach
    void start() throws Exception {
        server = new LoopbackServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Downloader downloader(PrintStream progress) {
        return new Downloader(Duration.ofSeconds(5), Duration.ofMillis(500), progress);
    }

    private void assertNoPartialFiles() throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(), s.filter(p -> p.toString().endsWith(".part")).toList(), "temporary files removed");
        }
    }

    @Test
    void goodFileIsVerifiedAndPlaced() throws Exception {
        server.serve("/a/f.bin", BODY, LoopbackServer.Mode.GOOD);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Path target = dir.resolve("f.bin");
        downloader(new PrintStream(log, true, StandardCharsets.UTF_8)).fetch(List.of(server.base("/a/")), "f.bin", SUM, target);
        assertArrayEquals(BODY, Files.readAllBytes(target));
        String text = log.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("f.bin [") && text.contains("100.0%"), text);
        assertNoPartialFiles();
    }

    @Test
    void wrongChecksumIsDeletedAndReported() throws Exception {
        byte[] other = BODY.clone();
        other[1000] ^= 1;
        server.serve("/a/f.bin", other, LoopbackServer.Mode.GOOD);
        DownloadException e = assertThrows(DownloadException.class,
                () -> downloader(null).fetch(List.of(server.base("/a/")), "f.bin", SUM, dir.resolve("f.bin")));
        assertTrue(e.getMessage().contains("SHA-256 mismatch"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("f.bin")));
        assertNoPartialFiles();
    }

    @Test
    void truncatedBodyIsNeverUsed() throws Exception {
        server.serve("/a/f.bin", BODY, LoopbackServer.Mode.TRUNCATED);
        DownloadException e = assertThrows(DownloadException.class,
                () -> downloader(null).fetch(List.of(server.base("/a/")), "f.bin", SUM, dir.resolve("f.bin")));
        assertEquals(1, e.attempts().size());
        assertFalse(Files.exists(dir.resolve("f.bin")));
        assertNoPartialFiles();
    }

    @Test
    void notFoundIsReportedWithTheUrl() throws Exception {
        DownloadException e = assertThrows(DownloadException.class,
                () -> downloader(null).fetch(List.of(server.base("/none/")), "f.bin", SUM, dir.resolve("f.bin")));
        assertTrue(e.getMessage().contains(server.base("/none/") + "f.bin: HTTP 404"), e.getMessage());
        assertNoPartialFiles();
    }

    @Test
    void stalledServerTimesOut() throws Exception {
        server.serve("/a/f.bin", BODY, LoopbackServer.Mode.STALL);
        DownloadException e = assertThrows(DownloadException.class,
                () -> downloader(null).fetch(List.of(server.base("/a/")), "f.bin", SUM, dir.resolve("f.bin")));
        assertTrue(e.getMessage().contains("timed out"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("f.bin")));
        assertNoPartialFiles();
    }

    @Test
    void failingMirrorsAreSkippedInOrder() throws Exception {
        server.serve("/bad/f.bin", BODY, LoopbackServer.Mode.TRUNCATED);
        server.serve("/good/f.bin", BODY, LoopbackServer.Mode.GOOD);
        Path target = dir.resolve("f.bin");
        downloader(null).fetch(List.of(server.base("/missing/"), server.base("/bad/"), server.base("/good/")), "f.bin", SUM,
                target);
        assertArrayEquals(BODY, Files.readAllBytes(target));
        assertEquals(1, server.hits("/missing/f.bin"));
        assertEquals(1, server.hits("/bad/f.bin"));
        assertNoPartialFiles();
    }

    @Test
    void contentChecksumAcceptsARecompressedFile() throws Exception {
        byte[] content = "the same content".getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (var out = new java.util.zip.GZIPOutputStream(gz)) {
            out.write(content);
        }
        server.serve("/a/c.gz", gz.toByteArray(), LoopbackServer.Mode.GOOD);
        downloader(null).fetch(List.of(server.base("/a/")), "c.gz", FileChecksum.ofContent(FileChecksum.sha256(content)),
                dir.resolve("c.gz"));
        assertTrue(Files.exists(dir.resolve("c.gz")));
    }

    @Test
    void staleTemporaryFilesOfAKilledDownloadAreRemovedButALiveOneIsKept() throws Exception {
        Path dead = Files.write(dir.resolve("f.bin5551212.part"), new byte[] {1});
        Files.setLastModifiedTime(dead, FileTime.from(Instant.now().minus(Duration.ofHours(5))));
        Path live = Files.write(dir.resolve("f.bin8675309.part"), new byte[] {2});
        Path other = Files.write(dir.resolve("g.bin1.part"), new byte[] {3});
        Files.setLastModifiedTime(other, FileTime.from(Instant.now().minus(Duration.ofHours(5))));
        // Even a fetch that fails cleans up after the killed one.
        assertThrows(DownloadException.class,
                () -> downloader(null).fetch(List.of(server.base("/none/")), "f.bin", SUM, dir.resolve("f.bin")));
        assertFalse(Files.exists(dead), "an hour-old temporary file of this target is removed");
        assertTrue(Files.exists(live), "a fresh one may be another process's download in progress");
        assertTrue(Files.exists(other), "another target's is not this fetch's business");
    }

    @Test
    void aMirrorThatIsNotHttpIsAFailedAttemptLeavingNothingBehind() throws Exception {
        Path src = Files.createDirectories(dir.resolve("src"));
        Files.write(src.resolve("f.bin"), BODY);
        Path target = dir.resolve("f.bin");
        DownloadException e = assertThrows(DownloadException.class,
                () -> downloader(null).fetch(List.of(src.toUri(), server.base("/none/")), "f.bin", SUM, target));
        assertEquals(2, e.attempts().size());
        assertTrue(e.attempts().get(0).endsWith("f.bin: not an http(s) URL"), e.attempts().get(0));
        assertFalse(Files.exists(target));
        assertNoPartialFiles();
    }

    @Test
    void progressBarIsThrottled() {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        ProgressBar bar = new ProgressBar(new PrintStream(log, true, StandardCharsets.UTF_8), "x", 1_000_000);
        for (int i = 0; i <= 1000; i++) {
            bar.update(i * 1000L);
        }
        bar.finish(1_000_000);
        // 1001 updates in a tight loop: the throttle lets through far fewer redraws.
        assertTrue(bar.draws() < 100, "draws " + bar.draws());
        assertTrue(log.toString(StandardCharsets.UTF_8).endsWith("100.0% 976.6 KiB / 976.6 KiB" + System.lineSeparator()));
    }
}
