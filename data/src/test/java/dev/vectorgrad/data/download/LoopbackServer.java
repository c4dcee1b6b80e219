package dev.vectorgrad.data.download;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** An HTTP server on 127.0.0.1, a free port, serving files in chosen ways (tests only). */
public final class LoopbackServer implements AutoCloseable {
    /** How a path is answered. */
    public enum Mode {
        /** The whole file with its length. */
        GOOD,
        /** The full length announced, half the bytes sent, then the connection closed. */
        TRUNCATED,
        /** The full length announced, some bytes sent, then silence until the server closes. */
        STALL
    }

    private record Entry(byte[] body, Mode mode) {}

    private final HttpServer server;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "loopback-http");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Entry> files = new ConcurrentHashMap<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private final Map<String, Integer> hits = new ConcurrentHashMap<>();

    /**
     * Starts the server.
     *
     * @throws IOException if it cannot bind
     */
    public LoopbackServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(pool);
        server.start();
    }

    /**
     * @param path e.g. {@code /m1/file.gz}
     * @param body bytes to serve
     * @param mode how
     */
    public void serve(String path, byte[] body, Mode mode) {
        files.put(path, new Entry(body, mode));
    }

    /**
     * @param dir a folder path such as {@code /m1/}
     * @return its URL on this server
     */
    public URI base(String dir) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + dir);
    }

    /**
     * @param path a path
     * @return how many requests it received
     */
    public int hits(String path) {
        return hits.getOrDefault(path, 0);
    }

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        hits.merge(path, 1, Integer::sum);
        Entry e = files.get(path);
        try (ex) {
            if (e == null) {
                ex.sendResponseHeaders(404, -1);
                return;
            }
            ex.sendResponseHeaders(200, e.body.length);
            OutputStream out = ex.getResponseBody();
            switch (e.mode) {
                case GOOD -> out.write(e.body);
                case TRUNCATED -> {
                    out.write(e.body, 0, e.body.length / 2);
                    out.flush();
                    // Closing the exchange with bytes missing cuts the connection.
                }
                case STALL -> {
                    out.write(e.body, 0, Math.min(10, e.body.length));
                    out.flush();
                    try {
                        release.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                    }
                }
                default -> throw new AssertionError();
            }
        }
    }

    @Override
    public void close() {
        release.countDown();
        server.stop(0);
        pool.shutdownNow();
    }
}
