package dev.vectorgrad.data.download;

import dev.vectorgrad.data.internal.AtomicFiles;
import dev.vectorgrad.core.Printable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.HttpURLConnection;
import java.net.MalformedURLException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fetches a file from the first mirror that serves it correctly. Bytes go to a temporary file
 * beside the target; only a complete download whose SHA-256 matches is renamed (atomically)
 * into place. A cut, stalled, slow, oversized, refused, misdirected or corrupt download is deleted
 * and the next mirror is tried, so a half-written file is never left where a loader would find it.
 *
 * <p>What a mirror is allowed, per file:
 * <ul>
 *   <li>{@code connectTimeout} to accept the connection and {@code readTimeout} of silence between
 *       two reads;</li>
 *   <li>a {@code deadline} for the whole attempt, redirects and headers included: a mirror that
 *       trickles a byte now and then, never silent long enough for the read timeout, is abandoned
 *       when it passes;</li>
 *   <li>{@link FileChecksum#maxBytes()} bytes: a {@code Content-Length} above it is refused before
 *       the body is read, and a body without one is cut off as soon as it passes the limit;</li>
 *   <li>{@value #MAX_REDIRECTS} redirects, each to an absolute or relative location that resolves
 *       to an {@code http} or {@code https} URL; anything else (a malformed location, another
 *       scheme, a loop) fails the attempt.</li>
 * </ul>
 * Every such failure is an attempt in the {@link DownloadException}, never an unchecked exception.
 *
 * <p>The temporary file is {@code <target name><digits>.part}. It is removed on every failure
 * path, an unexpected exception and an abandoned attempt included. One left by a process killed
 * mid-download is removed by the next {@link #fetch} of the same target once it has gone
 * unmodified for an hour; a download still running in another process writes to its file
 * continually, so it is left alone.
 *
 * <p>Uses {@link HttpURLConnection} because it has a per-read timeout: a server that stops
 * sending mid-body fails after {@code readTimeout} instead of hanging. Each attempt runs on a
 * virtual thread, whose socket reads an interrupt unblocks: that is how the deadline stops a
 * transfer stuck in the middle of a read, even inside the headers.
 */
public final class Downloader {
    /** Redirects followed per attempt. */
    public static final int MAX_REDIRECTS = 5;
    /**
     * The deadline per file and mirror when none is given: the largest MNIST file (9.9 MB) still
     * arrives at 85 kB/s, and a trickling mirror costs two minutes before the next is tried.
     */
    public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(120);
    /** How long an abandoned attempt's thread is given to close its streams before the file is removed. */
    private static final long STOP_GRACE_MILLIS = 5_000;

    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final Duration deadline;
    private final PrintStream progress;

    /**
     * A downloader with the {@link #DEFAULT_DEADLINE}.
     *
     * @param connectTimeout time allowed to open a connection
     * @param readTimeout longest silence allowed between two reads
     * @param progress where to draw a progress bar, or null for none
     */
    public Downloader(Duration connectTimeout, Duration readTimeout, PrintStream progress) {
        this(connectTimeout, readTimeout, DEFAULT_DEADLINE, progress);
    }

    /**
     * @param connectTimeout time allowed to open a connection (positive)
     * @param readTimeout longest silence allowed between two reads (positive)
     * @param deadline longest time one mirror may take to deliver one file, from the first
     *     connection to the last byte (positive)
     * @param progress where to draw a progress bar, or null for none
     */
    public Downloader(Duration connectTimeout, Duration readTimeout, Duration deadline, PrintStream progress) {
        this.connectTimeout = positive("connectTimeout", connectTimeout);
        this.readTimeout = positive("readTimeout", readTimeout);
        this.deadline = positive("deadline", deadline);
        this.progress = progress;
    }

    private static Duration positive(String what, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("Downloader: " + what + " must be a positive duration, got " + d);
        }
        return d;
    }

    /** @return the longest time one mirror may take to deliver one file */
    public Duration deadline() {
        return deadline;
    }

    /**
     * Downloads {@code fileName} from the first mirror that delivers it with the expected checksum.
     *
     * @param mirrors base URLs, tried in order; the file URL is the base resolved against
     *     {@code fileName} (so a base should end with {@code /})
     * @param fileName the file's name on the mirrors
     * @param expected its checksum and size limit
     * @param target where the verified file is placed
     * @return {@code target}
     * @throws DownloadException if every mirror failed (lists each attempt: URL and reason)
     * @throws InterruptedIOException if the calling thread was interrupted (the attempt is
     *     abandoned, its temporary file removed, the interrupt status kept)
     * @throws IOException if the target folder cannot be written
     */
    public Path fetch(List<URI> mirrors, String fileName, FileChecksum expected, Path target) throws IOException {
        Path abs = target.toAbsolutePath();
        Files.createDirectories(abs.getParent());
        AtomicFiles.removeStaleTemps(abs, AtomicFiles.STALE_AFTER);
        List<String> attempts = new ArrayList<>();
        for (URI base : mirrors) {
            URI uri = fileUri(base, fileName);
            if (!isHttp(uri)) {
                attempts.add((uri == null ? base + fileName : uri.toString()) + ": not an http(s) URL");
                continue;
            }
            Path tmp = AtomicFiles.createTemp(abs);
            boolean kept = false;
            try {
                transfer(uri, tmp, fileName, expected.maxBytes());
                String bad = expected.mismatch(tmp);
                if (bad != null) {
                    attempts.add(uri + ": " + bad);
                    continue;
                }
                AtomicFiles.moveIntoPlace(tmp, abs);
                kept = true;
                return abs;
            } catch (InterruptedIOException e) {
                if (Thread.currentThread().isInterrupted()) {
                    throw e; // the caller's interrupt, not a slow mirror
                }
                attempts.add(uri + ": timed out (" + e.getMessage() + ")");
            } catch (IOException e) {
                attempts.add(uri + ": " + e.getMessage());
            } finally {
                if (!kept) {
                    // Quietly: a failure to delete must not hide the download's own; a later fetch removes it.
                    AtomicFiles.discard(tmp, null);
                }
            }
        }
        throw new DownloadException(fileName, attempts.isEmpty() ? List.of("no mirrors configured") : attempts);
    }

    /** The file's URL on a mirror, or null if the base cannot have one. */
    private static URI fileUri(URI base, String fileName) {
        if (base == null || base.isOpaque()) {
            return null;
        }
        try {
            return base.resolve(new URI(null, null, fileName, null));
        } catch (URISyntaxException | IllegalArgumentException e) {
            return null;
        }
    }

    private static boolean isHttp(URI u) {
        if (u == null || !u.isAbsolute() || u.getHost() == null) {
            return false;
        }
        String s = u.getScheme().toLowerCase(Locale.ROOT);
        return s.equals("http") || s.equals("https");
    }

    /**
     * Runs one attempt on a virtual thread and waits for it until the deadline; past it the
     * thread is interrupted, which closes its socket, and given a moment to close its file.
     */
    private void transfer(URI uri, Path tmp, String label, long maxBytes) throws IOException {
        long start = System.nanoTime();
        long end = start + deadline.toNanos();
        AtomicLong received = new AtomicLong();
        FutureTask<Void> task = new FutureTask<>(() -> {
            fetchOnce(uri, tmp, label, maxBytes, end, received);
            return null;
        });
        Thread worker = Thread.ofVirtual().name("vectorgrad-download " + label).start(task);
        try {
            task.get(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            stop(task, worker);
            if (!task.isCancelled()) {
                finished(task); // it completed (or failed) just as the deadline came
                return;
            }
            throw deadlinePassed(received.get());
        } catch (InterruptedException e) {
            stop(task, worker);
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("download of " + label + " interrupted");
        } catch (ExecutionException e) {
            throw unwrap(e);
        }
    }

    private static void stop(FutureTask<Void> task, Thread worker) {
        task.cancel(true);
        try {
            worker.join(STOP_GRACE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void finished(FutureTask<Void> task) throws IOException {
        try {
            task.get();
        } catch (ExecutionException e) {
            throw unwrap(e);
        } catch (InterruptedException | CancellationException e) {
            throw new IOException("attempt abandoned", e);
        }
    }

    private static IOException unwrap(ExecutionException e) {
        Throwable c = e.getCause();
        if (c instanceof IOException io) {
            return io;
        }
        if (c instanceof Error err) {
            throw err;
        }
        // The HTTP stack's own unchecked exceptions (a header it cannot parse) fail this mirror only.
        return new IOException("unexpected response (" + c + ")", c);
    }

    private IOException deadlinePassed(long received) {
        return new IOException("abandoned at the deadline of " + seconds(deadline) + " for the whole file ("
                + received + " bytes received)");
    }

    private void fetchOnce(URI uri, Path tmp, String label, long maxBytes, long end, AtomicLong received)
            throws IOException {
        URI current = uri;
        HttpURLConnection c;
        for (int hop = 0; ; hop++) {
            c = open(current, end);
            int code = c.getResponseCode();
            String location = code >= 300 && code < 400 ? c.getHeaderField("Location") : null;
            if (location != null) {
                c.disconnect();
                if (hop >= MAX_REDIRECTS) {
                    throw new IOException("more than " + MAX_REDIRECTS + " redirects (the last to '" + Printable.escape(location) + "')");
                }
                // Followed by hand: HttpURLConnection will not cross from http to https itself.
                current = redirectTarget(current, location);
                continue;
            }
            if (code != 200) {
                c.disconnect();
                throw new IOException("HTTP " + code + (current.equals(uri) ? "" : " from " + current));
            }
            break;
        }
        long length = c.getContentLengthLong();
        if (length > maxBytes) {
            c.disconnect();
            throw new IOException("announces " + length + " bytes (Content-Length), more than the " + maxBytes
                    + " expected: refused unread");
        }
        ProgressBar bar = new ProgressBar(progress, label, length);
        long done = 0;
        // WRITE without CREATE: after an abandoned attempt's file is removed, a late write cannot bring it back.
        try (InputStream in = c.getInputStream();
             OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            byte[] buf = new byte[65536];
            int n;
            while ((n = in.read(buf)) > 0) {
                done += n;
                received.set(done);
                if (done > maxBytes) {
                    throw new IOException("sent more than the " + maxBytes + " bytes expected"
                            + (length < 0 ? " (no Content-Length)" : "") + ": abandoned");
                }
                out.write(buf, 0, n);
                bar.update(done);
                if (System.nanoTime() - end > 0) {
                    throw deadlinePassed(done);
                }
            }
        } catch (IOException | RuntimeException e) {
            bar.abandon();
            throw e;
        } finally {
            c.disconnect();
        }
        bar.finish(done);
        if (length >= 0 && done != length) {
            throw new IOException("truncated: received " + done + " of " + length + " bytes");
        }
    }

    /** Opens a connection whose timeouts never reach past the deadline. */
    private HttpURLConnection open(URI uri, long end) throws IOException {
        URL url;
        try {
            url = uri.toURL();
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new IOException("not a valid URL: " + uri, e);
        }
        if (!(url.openConnection() instanceof HttpURLConnection c)) {
            throw new IOException("not an http(s) URL: " + uri);
        }
        long left = Math.max(1, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime()));
        c.setConnectTimeout(millis(Math.min(connectTimeout.toMillis(), left)));
        c.setReadTimeout(millis(Math.min(readTimeout.toMillis(), left)));
        c.setInstanceFollowRedirects(false);
        c.setUseCaches(false);
        return c;
    }

    /**
     * Where a redirect leads: the location resolved against the URL that sent it, which must be
     * an http(s) URL with a host.
     */
    static URI redirectTarget(URI from, String location) throws IOException {
        URI ref;
        try {
            ref = new URI(location.strip());
        } catch (URISyntaxException e) {
            throw new IOException("redirected to a malformed location '" + Printable.escape(location) + "' (" + e.getReason() + ")");
        }
        URI next;
        try {
            next = from.resolve(ref);
        } catch (IllegalArgumentException e) {
            throw new IOException("redirected to a location that does not resolve: '" + Printable.escape(location) + "'");
        }
        if (!isHttp(next)) {
            throw new IOException("redirected to '" + Printable.escape(location) + "': not an http(s) URL");
        }
        return next;
    }

    private static String seconds(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + " s" : String.format(Locale.ROOT, "%.3f s", ms / 1000.0);
    }

    private static int millis(long ms) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, ms));
    }
}
