package dev.vectorgrad.data.download;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Mirrors that misbehave on purpose: trickling, oversized, lying about their length, misdirecting. */
class HostileMirrorTest {
    private static final byte[] BODY = body();
    private static final FileChecksum SUM = FileChecksum.ofFile(FileChecksum.sha256(BODY)).withMaxBytes(BODY.length);
    /** Short, so the trickling tests take about a second each. */
    private static final Duration DEADLINE = Duration.ofSeconds(1);

    private HostileServer server;
    @TempDir
    Path dir;

    private static byte[] body() {
        byte[] b = new byte[20_000];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (i * 17 + (i >>> 7));
        }
        return b;
    }

    @BeforeEach
    void start() throws Exception {
        server = new HostileServer();
        server.answer("/good/f.bin", HostileServer.Reply.ok(BODY));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Downloader downloader() {
        // A read timeout far above the trickle's pauses: only the deadline can stop it.
        return new Downloader(Duration.ofSeconds(5), Duration.ofSeconds(10), DEADLINE, null);
    }

    private void assertNothingLeft() throws Exception {
        assertFalse(Files.exists(dir.resolve("f.bin")), "no unverified file");
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(), s.filter(p -> p.toString().endsWith(".part")).toList(), "temporary files removed");
        }
    }

    /** Fetches from {@code bad} alone (must fail), then from {@code bad} and the good mirror (must succeed). */
    private DownloadException failsAloneThenFallsThrough(URI bad) throws Exception {
        DownloadException e = assertThrows(DownloadException.class,
                () -> downloader().fetch(List.of(bad), "f.bin", SUM, dir.resolve("f.bin")));
        assertEquals(1, e.attempts().size(), e.getMessage());
        assertTrue(e.getMessage().contains("f.bin") && e.attempts().get(0).startsWith(bad.resolve("f.bin").toString()),
                e.getMessage());
        assertNothingLeft();
        Path got = downloader().fetch(List.of(bad, server.base("/good/")), "f.bin", SUM, dir.resolve("f.bin"));
        assertArrayEquals(BODY, Files.readAllBytes(got));
        return e;
    }

    @Test
    void aMirrorTricklingOneBytePerHalfSecondIsAbandonedAtTheDeadline() throws Exception {
        server.answer("/slow/f.bin", new HostileServer.Reply("HTTP/1.1 200 OK", List.of("Content-Length: " + BODY.length),
                BODY, 500));
        DownloadException e = failsAloneThenFallsThrough(server.base("/slow/"));
        assertTrue(e.getMessage().contains("deadline of 1 s"), e.getMessage());
        assertEquals(2, server.hits("/slow/f.bin"));
        assertEquals(1, server.hits("/good/f.bin"));
    }

    @Test
    void aMirrorTricklingItsHeadersIsAbandonedAtTheDeadline() throws Exception {
        // Never silent for the read timeout, never done with the headers: only the deadline ends it.
        String[] many = new String[400];
        java.util.Arrays.fill(many, "X-Filler: abcdefgh");
        server.answer("/slowhead/f.bin", new HostileServer.Reply("HTTP/1.1 200 OK", List.of(many), BODY, 100));
        DownloadException e = failsAloneThenFallsThrough(server.base("/slowhead/"));
        assertTrue(e.getMessage().contains("deadline"), e.getMessage());
    }

    @Test
    void aBodyWithoutContentLengthIsCutOffPastTheExpectedSize() throws Exception {
        byte[] huge = new byte[BODY.length * 50];
        server.answer("/big/f.bin", new HostileServer.Reply("HTTP/1.1 200 OK", List.of(), huge, 0));
        DownloadException e = failsAloneThenFallsThrough(server.base("/big/"));
        assertTrue(e.getMessage().contains("sent more than the " + BODY.length + " bytes expected (no Content-Length)"),
                e.getMessage());
    }

    @Test
    void aBodyWithoutContentLengthOfTheRightSizeIsAccepted() throws Exception {
        server.answer("/nolen/f.bin", new HostileServer.Reply("HTTP/1.1 200 OK", List.of(), BODY, 0));
        Path got = downloader().fetch(List.of(server.base("/nolen/")), "f.bin", SUM, dir.resolve("f.bin"));
        assertArrayEquals(BODY, Files.readAllBytes(got));
    }

    @Test
    void aContentLengthAboveTheExpectedSizeIsRefusedUnread() throws Exception {
        server.answer("/liar/f.bin", new HostileServer.Reply("HTTP/1.1 200 OK", List.of("Content-Length: 99999999999"),
                BODY, 0));
        DownloadException e = failsAloneThenFallsThrough(server.base("/liar/"));
        assertTrue(e.getMessage().contains("announces 99999999999 bytes (Content-Length), more than the " + BODY.length
                + " expected: refused unread"), e.getMessage());
    }

    @Test
    void theDefaultSizeLimitAppliesToAChecksumThatNamesNone() {
        assertEquals(FileChecksum.DEFAULT_MAX_BYTES, FileChecksum.ofFile(FileChecksum.sha256(BODY)).maxBytes());
        assertThrows(IllegalArgumentException.class, () -> SUM.withMaxBytes(0));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "http://[::1",                 // not a URI
        "ht tp://127.0.0.1/f.bin",     // a space in the scheme
        "ftp://127.0.0.1/f.bin",       // another scheme
        "file:///etc/passwd",          // a local file
        "javascript:alert(1)",         // opaque
        "http:///no-host/f.bin",       // no host
        "%zz",                         // bad escape
        "\u001b[31mred\u001b[0m",      // terminal escapes
    })
    void aBadRedirectFailsTheAttemptAndTheNextMirrorIsTried(String location) throws Exception {
        server.answer("/redir/f.bin", HostileServer.Reply.redirect(302, location));
        DownloadException e = failsAloneThenFallsThrough(server.base("/redir/"));
        assertTrue(e.getMessage().contains("redirected"), e.getMessage());
        assertFalse(e.getMessage().contains("\u001b"), "control characters are escaped: " + e.getMessage());
    }

    @Test
    void aRedirectLoopFailsAfterTheLimit() throws Exception {
        server.answer("/loop/f.bin", HostileServer.Reply.redirect(301, "f.bin"));
        DownloadException e = failsAloneThenFallsThrough(server.base("/loop/"));
        assertTrue(e.getMessage().contains("more than " + Downloader.MAX_REDIRECTS + " redirects"), e.getMessage());
        assertEquals(2 * (Downloader.MAX_REDIRECTS + 1), server.hits("/loop/f.bin"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"../good/f.bin", "/good/f.bin", "  /good/f.bin  "})
    void aRelativeRedirectIsResolvedAgainstTheUrlThatSentIt(String location) throws Exception {
        server.answer("/rel/f.bin", HostileServer.Reply.redirect(307, location));
        Path got = downloader().fetch(List.of(server.base("/rel/")), "f.bin", SUM, dir.resolve("f.bin"));
        assertArrayEquals(BODY, Files.readAllBytes(got));
        assertEquals(1, server.hits("/good/f.bin"));
    }

    @Test
    void aSchemeRelativeRedirectKeepsTheScheme() throws Exception {
        server.answer("/sr/f.bin", HostileServer.Reply.redirect(308, "//" + server.base("/good/f.bin").getAuthority()
                + "/good/f.bin"));
        Path got = downloader().fetch(List.of(server.base("/sr/")), "f.bin", SUM, dir.resolve("f.bin"));
        assertArrayEquals(BODY, Files.readAllBytes(got));
    }

    @Test
    void aGarbageStatusLineIsAFailedAttempt() throws Exception {
        server.answer("/junk/f.bin", new HostileServer.Reply("SPDY/9 what", List.of(), BODY, 0));
        failsAloneThenFallsThrough(server.base("/junk/"));
    }

    @Test
    void everyFailedMirrorIsListedWithItsReason() throws Exception {
        server.answer("/big/f.bin", new HostileServer.Reply("HTTP/1.1 200 OK", List.of(), new byte[BODY.length * 3], 0));
        server.answer("/redir/f.bin", HostileServer.Reply.redirect(302, "ftp://x/f.bin"));
        List<URI> mirrors = List.of(server.base("/none/"), server.base("/big/"), server.base("/redir/"),
                URI.create("mailto:someone@example.org"));
        DownloadException e = assertThrows(DownloadException.class,
                () -> downloader().fetch(mirrors, "f.bin", SUM, dir.resolve("f.bin")));
        assertEquals(4, e.attempts().size(), e.getMessage());
        assertTrue(e.attempts().get(0).equals(server.base("/none/f.bin") + ": HTTP 404"), e.attempts().get(0));
        assertTrue(e.attempts().get(1).startsWith(server.base("/big/f.bin") + ": sent more than"), e.attempts().get(1));
        assertTrue(e.attempts().get(2).startsWith(server.base("/redir/f.bin") + ": redirected to 'ftp://x/f.bin'"),
                e.attempts().get(2));
        assertTrue(e.attempts().get(3).endsWith(": not an http(s) URL"), e.attempts().get(3));
        assertNothingLeft();
    }

    @Test
    void anInterruptedFetchStopsRemovesItsFileAndKeepsTheInterrupt() throws Exception {
        server.answer("/slow/f.bin", new HostileServer.Reply("HTTP/1.1 200 OK", List.of("Content-Length: " + BODY.length),
                BODY, 50));
        Downloader patient = new Downloader(Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(60), null);
        Thread.currentThread().interrupt();
        try {
            assertThrows(java.io.InterruptedIOException.class,
                    () -> patient.fetch(List.of(server.base("/slow/")), "f.bin", SUM, dir.resolve("f.bin")));
            assertTrue(Thread.currentThread().isInterrupted(), "the interrupt status is kept");
        } finally {
            Thread.interrupted();
        }
        assertNothingLeft();
    }

    @Test
    void aDeadlineMustBePositive() {
        assertThrows(IllegalArgumentException.class,
                () -> new Downloader(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ZERO, null));
    }
}
