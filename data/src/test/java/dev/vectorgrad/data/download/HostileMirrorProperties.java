package dev.vectorgrad.data.download;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * A mirror generated to misbehave: a chain of replies, each with a status, a {@code Location}, a
 * {@code Content-Length} and a body chosen among honest and hostile ones, some trickled. Every
 * outcome is the verified file or a {@link DownloadException} naming the file and the mirror;
 * nothing is left behind, nothing hangs, no other exception escapes. Where the walk through the
 * chain decides the outcome (a clean chain must succeed, a wrong body must fail, a good mirror
 * after the hostile one must always save the day), that outcome is required.
 */
class HostileMirrorProperties {
    private static final byte[] BODY = body();
    private static final FileChecksum SUM = FileChecksum.ofFile(FileChecksum.sha256(BODY)).withMaxBytes(BODY.length);
    private static final Duration DEADLINE = Duration.ofMillis(500);
    private static final AtomicInteger RUN = new AtomicInteger();
    private static HostileServer server;

    private static byte[] body() {
        byte[] b = new byte[4_000];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (i * 13 + (i >>> 5));
        }
        return b;
    }

    @BeforeContainer
    static void start() throws IOException {
        server = new HostileServer();
        server.answer("/good/f.bin", HostileServer.Reply.ok(BODY));
    }

    @AfterContainer
    static void stop() {
        server.close();
    }

    enum Location { NEXT_RELATIVE, NEXT_ABSOLUTE, NEXT_SCHEME_RELATIVE, NONE, EMPTY, SELF, MALFORMED, FTP, FILE, CONTROL, LONG }

    enum Length { RIGHT, ABSENT, SHORT, LONG, HUGE, GARBAGE, NEGATIVE, TWO_DIFFERENT }

    enum Body { EXACT, TRUNCATED, OVERSIZED, EMPTY, CORRUPT }

    enum Outcome { FILE, FAILURE, EITHER }

    record Hop(int status, Location location, Length length, Body body, boolean trickle) {}

    @Provide
    Arbitrary<List<Hop>> chains() {
        Arbitrary<Integer> status = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.just(200)),
                net.jqwik.api.Tuple.of(8, Arbitraries.of(301, 302, 303, 307, 308)),
                net.jqwik.api.Tuple.of(3, Arbitraries.of(204, 206, 300, 304, 404, 500, 503)));
        Arbitrary<Location> loc = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(9, Arbitraries.of(Location.NEXT_RELATIVE, Location.NEXT_ABSOLUTE,
                        Location.NEXT_SCHEME_RELATIVE)),
                net.jqwik.api.Tuple.of(5, Arbitraries.of(Location.values())));
        Arbitrary<Length> len = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.of(Length.RIGHT, Length.ABSENT)),
                net.jqwik.api.Tuple.of(4, Arbitraries.of(Length.values())));
        Arbitrary<Body> body = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.just(Body.EXACT)),
                net.jqwik.api.Tuple.of(3, Arbitraries.of(Body.values())));
        Arbitrary<Boolean> trickle = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(14, Arbitraries.just(false)), net.jqwik.api.Tuple.of(1, Arbitraries.just(true)));
        return Combinators.combine(status, loc, len, body, trickle).as(Hop::new).list().ofMinSize(1).ofMaxSize(8);
    }

    /** The reply of hop {@code i} of a chain whose hops live under {@code /t<run>/h<i>/}. */
    private static HostileServer.Reply reply(String run, List<Hop> chain, int i) {
        Hop h = chain.get(i);
        byte[] b = switch (h.body()) {
            case EXACT -> BODY;
            case TRUNCATED -> java.util.Arrays.copyOf(BODY, BODY.length / 2);
            case OVERSIZED -> java.util.Arrays.copyOf(BODY, BODY.length * 2);
            case EMPTY -> new byte[0];
            case CORRUPT -> {
                byte[] c = BODY.clone();
                c[c.length / 3] ^= 0x40;
                yield c;
            }
        };
        List<String> headers = new ArrayList<>();
        String next = "/" + run + "/h" + (i + 1) + "/f.bin";
        String location = switch (h.location()) {
            case NEXT_RELATIVE -> "../h" + (i + 1) + "/f.bin";
            case NEXT_ABSOLUTE -> server.origin() + next;
            case NEXT_SCHEME_RELATIVE -> "//" + URI.create(server.origin()).getAuthority() + next;
            case NONE -> null;
            case EMPTY -> "";
            case SELF -> "f.bin";
            case MALFORMED -> "http://[bad" + i;
            case FTP -> "ftp://127.0.0.1" + next;
            case FILE -> "file:///etc/passwd";
            case CONTROL -> "\u001b[2J\u001b]0;owned\u0007" + next;
            case LONG -> "/" + "a".repeat(5_000);
        };
        if (location != null) {
            headers.add("Location: " + location);
        }
        switch (h.length()) {
            case RIGHT -> headers.add("Content-Length: " + b.length);
            case ABSENT -> { }
            case SHORT -> headers.add("Content-Length: " + Math.max(0, b.length - 1));
            case LONG -> headers.add("Content-Length: " + (b.length + 100));
            case HUGE -> headers.add("Content-Length: 10000000000000");
            case GARBAGE -> headers.add("Content-Length: 12abc");
            case NEGATIVE -> headers.add("Content-Length: -7");
            case TWO_DIFFERENT -> {
                headers.add("Content-Length: " + b.length);
                headers.add("Content-Length: " + (b.length + 1));
            }
            default -> throw new AssertionError();
        }
        return new HostileServer.Reply("HTTP/1.1 " + h.status() + " Hostile", headers, b, h.trickle() ? 20 : 0);
    }

    /**
     * What the walk through the chain must end in. A trickle (20 ms a byte) never completes
     * within the deadline, not even the headers.
     */
    static Outcome expected(List<Hop> chain) {
        int at = 0;
        for (int redirects = 0; ; ) {
            if (at >= chain.size()) {
                return Outcome.FAILURE; // a 404 past the chain's end
            }
            Hop h = chain.get(at);
            if (h.trickle()) {
                return Outcome.FAILURE;
            }
            boolean redirect = h.status() >= 300 && h.status() < 400 && h.location() != Location.NONE;
            if (redirect) {
                if (redirects >= Downloader.MAX_REDIRECTS) {
                    return Outcome.FAILURE;
                }
                redirects++;
                switch (h.location()) {
                    case NEXT_RELATIVE, NEXT_ABSOLUTE, NEXT_SCHEME_RELATIVE -> at++;
                    case EMPTY, SELF -> { } // the same hop again, until the redirect limit
                    default -> {
                        return Outcome.FAILURE; // malformed, another scheme, or a path nothing serves
                    }
                }
                continue;
            }
            if (h.status() != 200 || h.body() != Body.EXACT) {
                return Outcome.FAILURE;
            }
            return switch (h.length()) {
                case RIGHT, ABSENT -> Outcome.FILE;
                case SHORT, LONG, HUGE -> Outcome.FAILURE;
                // How the JDK reads an unparsable or doubled length is its business; the checksum decides.
                case GARBAGE, NEGATIVE, TWO_DIFFERENT -> Outcome.EITHER;
            };
        }
    }

    @Property(tries = 150)
    void everyHostileMirrorEndsInTheVerifiedFileOrADownloadException(@ForAll("chains") List<Hop> chain,
                                                                     @ForAll boolean goodMirrorAfter) throws Exception {
        Statistics.label("hostile mirror alone").collect(goodMirrorAfter ? "with a good mirror after" : expected(chain));
        Statistics.label("hostile mirror alone").coverage(c -> {
            // The generator must reach both ends, or the property proves little.
            c.check(Outcome.FILE).count(n -> n > 0);
            c.check(Outcome.FAILURE).count(n -> n > 0);
        });
        String run = "t" + RUN.incrementAndGet();
        for (int i = 0; i < chain.size(); i++) {
            server.answer("/" + run + "/h" + i + "/f.bin", reply(run, chain, i));
        }
        URI hostile = server.base("/" + run + "/h0/");
        List<URI> mirrors = goodMirrorAfter ? List.of(hostile, server.base("/good/")) : List.of(hostile);
        Outcome want = goodMirrorAfter ? Outcome.FILE : expected(chain);
        Path dir = Files.createTempDirectory("hostile-mirror");
        Path target = dir.resolve("f.bin");
        try {
            Downloader d = new Downloader(Duration.ofSeconds(2), Duration.ofSeconds(2), DEADLINE, null);
            FutureTask<Path> task = new FutureTask<>(() -> d.fetch(mirrors, "f.bin", SUM, target));
            Thread.ofVirtual().start(task);
            try {
                // Not a timing assertion: a guard so that a hang fails the property instead of the build.
                task.get(60, TimeUnit.SECONDS);
                assertTrue(want != Outcome.FAILURE, "expected a failure for " + chain);
                assertArrayEquals(BODY, Files.readAllBytes(target));
            } catch (TimeoutException e) {
                task.cancel(true);
                fail("hung on " + chain);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof DownloadException de)) {
                    throw new AssertionError("not a DownloadException for " + chain + ": " + e.getCause(), e.getCause());
                }
                assertTrue(want != Outcome.FILE, "expected the file for " + chain + ", got " + de.getMessage());
                String m = de.getMessage();
                assertTrue(m.startsWith("could not download f.bin:"), m);
                assertEquals(mirrors.size(), de.attempts().size(), m);
                assertTrue(de.attempts().get(0).startsWith(hostile.resolve("f.bin") + ": "), m);
                assertFalse(m.chars().anyMatch(c -> c < 0x20 && c != '\n' && c != '\r'), "no control characters: " + m);
                assertFalse(Files.exists(target), "no unverified file");
            }
            try (Stream<Path> s = Files.list(dir)) {
                assertEquals(List.of(), s.filter(p -> p.toString().endsWith(".part")).toList(), "no temporary file left");
            }
        } finally {
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
