package dev.vectorgrad.data.download;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A raw HTTP/1.1 server on 127.0.0.1 (tests only) answering each path with scripted bytes: any
 * status line, any header values (a garbage {@code Content-Length}, a {@code Location} with
 * control characters), any body, sent all at once or trickled. Unlike
 * {@code com.sun.net.httpserver} it never corrects what it is told to send. Every connection is
 * closed after its reply; {@link #close} ends every connection still open, trickles included.
 */
public final class HostileServer implements AutoCloseable {

    /**
     * One scripted reply.
     *
     * @param statusLine e.g. {@code HTTP/1.1 200 OK}, or garbage
     * @param headers header lines without the line end, e.g. {@code Content-Length: 5}
     * @param body the bytes after the headers
     * @param trickleMillis if positive, the headers and body are sent one byte at a time with this
     *     pause between bytes
     */
    public record Reply(String statusLine, List<String> headers, byte[] body, int trickleMillis) {
        /**
         * @param body the file
         * @return a 200 with the right Content-Length
         */
        public static Reply ok(byte[] body) {
            return new Reply("HTTP/1.1 200 OK", List.of("Content-Length: " + body.length), body, 0);
        }

        /**
         * @param status a 3xx code
         * @param location the Location header value
         * @return a redirect without body
         */
        public static Reply redirect(int status, String location) {
            return new Reply("HTTP/1.1 " + status + " Redirect", List.of("Location: " + location, "Content-Length: 0"),
                    new byte[0], 0);
        }
    }

    private final ServerSocket socket;
    private final Map<String, Reply> replies = new ConcurrentHashMap<>();
    private final Map<String, Integer> hits = new ConcurrentHashMap<>();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;
    private volatile boolean closed;

    /**
     * Starts the server on a free loopback port.
     *
     * @throws IOException if it cannot bind
     */
    public HostileServer() throws IOException {
        socket = new ServerSocket();
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        acceptor = Thread.ofPlatform().daemon().name("hostile-http-accept").start(this::acceptLoop);
    }

    /**
     * @param path e.g. {@code /m1/f.bin}
     * @param reply what to send to a request for it (unknown paths get a 404)
     */
    public void answer(String path, Reply reply) {
        replies.put(path, reply);
    }

    /** @return {@code http://127.0.0.1:<port>} without a trailing slash */
    public String origin() {
        return "http://127.0.0.1:" + socket.getLocalPort();
    }

    /**
     * @param dir a folder path such as {@code /m1/}
     * @return its URL on this server
     */
    public URI base(String dir) {
        return URI.create(origin() + dir);
    }

    /**
     * @param path a path
     * @return how many requests it received
     */
    public int hits(String path) {
        return hits.getOrDefault(path, 0);
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket s = socket.accept();
                open.add(s);
                Thread.ofVirtual().name("hostile-http").start(() -> serve(s));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            s.setSoTimeout(5_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
            String request = in.readLine();
            for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                // headers of the request: not needed
            }
            if (request == null) {
                return;
            }
            String[] parts = request.split(" ");
            String path = parts.length > 1 ? URI.create(parts[1]).getPath() : "/";
            hits.merge(path, 1, Integer::sum);
            Reply r = replies.getOrDefault(path,
                    new Reply("HTTP/1.1 404 Not Found", List.of("Content-Length: 0"), new byte[0], 0));
            List<byte[]> pieces = new ArrayList<>();
            StringBuilder head = new StringBuilder(r.statusLine()).append("\r\n");
            for (String h : r.headers()) {
                head.append(h).append("\r\n");
            }
            head.append("Connection: close\r\n\r\n");
            pieces.add(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            pieces.add(r.body());
            OutputStream out = s.getOutputStream();
            for (byte[] p : pieces) {
                if (r.trickleMillis() <= 0) {
                    out.write(p);
                    continue;
                }
                for (byte b : p) {
                    if (closed) {
                        return;
                    }
                    out.write(b);
                    out.flush();
                    Thread.sleep(r.trickleMillis());
                }
            }
            out.flush();
        } catch (SocketException e) {
            // the client hung up, as it should on a hostile reply
        } catch (IOException | IllegalArgumentException e) {
            // a garbage request line or a timeout: nothing to answer
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            open.remove(s);
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
        for (Socket s : open) {
            try {
                s.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
        try {
            acceptor.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
