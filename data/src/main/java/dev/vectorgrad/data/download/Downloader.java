package dev.vectorgrad.data.download;

import dev.vectorgrad.data.internal.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Fetches a file from the first mirror that serves it correctly. Bytes go to a temporary file
 * beside the target; only a complete download whose SHA-256 matches is renamed (atomically)
 * into place. A cut, stalled, refused or corrupt download is deleted and the next mirror is
 * tried, so a half-written file is never left where a loader would find it.
 *
 * <p>The temporary file is {@code <target name><digits>.part}. It is removed on every failure
 * path, an unexpected exception included. One left by a process killed mid-download is removed by
 * the next {@link #fetch} of the same target once it has gone unmodified for an hour; a download
 * still running in another process writes to its file continually, so it is left alone.
 *
 * <p>Uses {@link HttpURLConnection} because it has a per-read timeout: a server that stops
 * sending mid-body fails after {@code readTimeout} instead of hanging.
 */
public final class Downloader {
    private static final int MAX_REDIRECTS = 5;

    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final PrintStream progress;

    /**
     * @param connectTimeout time allowed to open a connection
     * @param readTimeout longest silence allowed between two reads
     * @param progress where to draw a progress bar, or null for none
     */
    public Downloader(Duration connectTimeout, Duration readTimeout, PrintStream progress) {
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
        this.progress = progress;
    }

    /**
     * Downloads {@code fileName} from the first mirror that delivers it with the expected checksum.
     *
     * @param mirrors base URLs, tried in order; the file URL is the base plus {@code fileName}
     * @param fileName the file's name on the mirrors
     * @param expected its checksum
     * @param target where the verified file is placed
     * @return {@code target}
     * @throws DownloadException if every mirror failed (lists each attempt)
     * @throws IOException if the target folder cannot be written
     */
    public Path fetch(List<URI> mirrors, String fileName, FileChecksum expected, Path target) throws IOException {
        Path abs = target.toAbsolutePath();
        Files.createDirectories(abs.getParent());
        AtomicFiles.removeStaleTemps(abs, AtomicFiles.STALE_AFTER);
        List<String> attempts = new ArrayList<>();
        for (URI base : mirrors) {
            URI uri = base.resolve(fileName);
            Path tmp = AtomicFiles.createTemp(abs);
            boolean kept = false;
            try {
                fetchOnce(uri, tmp, fileName);
                String bad = expected.mismatch(tmp);
                if (bad != null) {
                    attempts.add(uri + ": " + bad);
                    continue;
                }
                AtomicFiles.moveIntoPlace(tmp, abs);
                kept = true;
                return abs;
            } catch (SocketTimeoutException e) {
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

    private void fetchOnce(URI uri, Path tmp, String label) throws IOException {
        URL url = uri.toURL();
        HttpURLConnection c = null;
        for (int hop = 0; ; hop++) {
            if (!(url.openConnection() instanceof HttpURLConnection http)) {
                throw new IOException("not an http(s) URL");
            }
            c = http;
            c.setConnectTimeout(millis(connectTimeout));
            c.setReadTimeout(millis(readTimeout));
            c.setInstanceFollowRedirects(false);
            int code = c.getResponseCode();
            if (code >= 300 && code < 400 && c.getHeaderField("Location") != null) {
                if (hop >= MAX_REDIRECTS) {
                    throw new IOException("more than " + MAX_REDIRECTS + " redirects");
                }
                // Followed by hand: HttpURLConnection will not cross from http to https itself.
                url = URI.create(url.toString()).resolve(c.getHeaderField("Location")).toURL();
                c.disconnect();
                continue;
            }
            if (code != 200) {
                c.disconnect();
                throw new IOException("HTTP " + code);
            }
            break;
        }
        long length = c.getContentLengthLong();
        ProgressBar bar = new ProgressBar(progress, label, length);
        long done = 0;
        try (InputStream in = c.getInputStream(); OutputStream out = Files.newOutputStream(tmp)) {
            byte[] buf = new byte[65536];
            int n;
            while ((n = in.read(buf)) > 0) {
                out.write(buf, 0, n);
                done += n;
                bar.update(done);
            }
        } catch (IOException e) {
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

    private static int millis(Duration d) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, d.toMillis()));
    }
}
