package dev.vectorgrad.data.npm;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;

/** Writes ustar archives byte by byte, as {@code npm pack} lays them out (tests only). */
final class TarBuilder {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** Adds a regular file. */
    TarBuilder file(String name, byte[] body) {
        return entry(name, body, '0');
    }

    /** Adds a regular file of text. */
    TarBuilder file(String name, String text) {
        return file(name, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Adds an entry of any type with a correct header. */
    TarBuilder entry(String name, byte[] body, char type) {
        byte[] h = header(name, body.length, type);
        out.writeBytes(h);
        out.writeBytes(body);
        out.writeBytes(new byte[(512 - body.length % 512) % 512]);
        return this;
    }

    /** Adds raw bytes (a hand-broken header, say). */
    TarBuilder raw(byte[] bytes) {
        out.writeBytes(bytes);
        return this;
    }

    /** @return the archive so far, without the end marker */
    byte[] unterminated() {
        return out.toByteArray();
    }

    /** @return the archive with its two zero blocks */
    byte[] tar() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(out.toByteArray());
        b.writeBytes(new byte[1024]);
        return b.toByteArray();
    }

    /** @return the archive, terminated and gzip-compressed */
    byte[] tgz() {
        return gzip(tar());
    }

    static byte[] gzip(byte[] raw) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(b)) {
            gz.write(raw);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return b.toByteArray();
    }

    /** A ustar header with a valid checksum. */
    static byte[] header(String name, long size, char type) {
        byte[] h = new byte[512];
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(n, 0, h, 0, Math.min(n.length, 100));
        put(h, 100, "0000644\0");
        put(h, 108, "0000765\0");
        put(h, 116, "0000024\0");
        put(h, 124, String.format("%011o", size) + "\0");
        put(h, 136, "13145615342\0");
        h[156] = (byte) type;
        put(h, 257, "ustar\0");
        put(h, 263, "00");
        sealChecksum(h);
        return h;
    }

    /** Recomputes the checksum field after an edit. */
    static void sealChecksum(byte[] h) {
        put(h, 148, "        ");
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        put(h, 148, String.format("%06o", sum) + "\0 ");
    }

    static void put(byte[] h, int off, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, h, off, b.length);
    }
}
