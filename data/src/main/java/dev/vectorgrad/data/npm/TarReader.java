package dev.vectorgrad.data.npm;

import dev.vectorgrad.core.Printable;
import dev.vectorgrad.data.DataFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads a POSIX ustar archive (what {@code npm pack} writes) entry by entry from a stream, never
 * touching the disk. Each 512-byte header is checked (magic, header checksum, octal size) and
 * each name is refused if it could escape a folder ({@code ..}, absolute, backslashes), so a
 * caller that matches names never meets a hostile one. Entry contents are read through
 * {@link #content()}; whatever the caller leaves unread is skipped by the next {@link #next()}.
 */
final class TarReader {
    static final int BLOCK = 512;

    /** One archive member as its header describes it. */
    record Entry(String name, long size, char type) {
        /** @return true for a regular file ({@code '0'} or the old {@code NUL} type) */
        boolean isFile() {
            return type == '0' || type == '\0';
        }
    }

    private final InputStream in;
    private final String source;
    private long remaining;
    private long padding;
    private Entry current;
    private long offset;

    /**
     * @param in the uncompressed archive (the caller closes it)
     * @param source the archive's name, for messages
     */
    TarReader(InputStream in, String source) {
        this.in = in;
        this.source = source;
    }

    /**
     * Skips the rest of the current entry and reads the next header.
     *
     * @return the next entry, or null at the end-of-archive marker
     * @throws DataFormatException for a malformed or hostile header, or an archive cut short
     * @throws IOException if reading fails
     */
    Entry next() throws IOException {
        skipFully(remaining + padding, current == null ? "padding" : current.name());
        remaining = 0;
        padding = 0;
        current = null;
        byte[] h = in.readNBytes(BLOCK);
        long headerAt = offset;
        offset += h.length;
        if (h.length == 0) {
            throw new DataFormatException(source, "archive ends at byte " + headerAt
                    + " without its end-of-archive marker (two zero blocks): truncated?");
        }
        if (h.length < BLOCK) {
            throw new DataFormatException(source, "archive ends inside the header at byte " + headerAt
                    + " (" + h.length + " of " + BLOCK + " bytes): truncated");
        }
        if (allZero(h)) {
            return null; // the end-of-archive marker; what follows is padding to the record size
        }
        String where = "header at byte " + headerAt;
        String magic = new String(h, 257, 5, StandardCharsets.US_ASCII);
        if (!magic.equals("ustar")) {
            throw new DataFormatException(source, where + ": not a ustar header (magic '" + printable(h, 257, 6) + "')");
        }
        long stored = octal(h, 148, 8, where + ", checksum field");
        long sum = 0;
        for (int i = 0; i < BLOCK; i++) {
            sum += (i >= 148 && i < 156) ? ' ' : (h[i] & 0xff);
        }
        if (stored != sum) {
            throw new DataFormatException(source, where + ": header checksum " + stored + " but the header sums to " + sum);
        }
        String name = string(h, 0, 100);
        String prefix = string(h, 345, 155);
        if (!prefix.isEmpty()) {
            name = prefix + "/" + name;
        }
        char type = (char) (h[156] & 0xff);
        if ((h[124] & 0x80) != 0) {
            throw new DataFormatException(source, where + " (" + Printable.escape(name) + "): size in base-256 form (files over 8 GiB) is not supported");
        }
        long size = octal(h, 124, 12, where + " (" + Printable.escape(name) + "), size field");
        checkName(name, where);
        current = new Entry(name, size, type);
        remaining = size;
        padding = (BLOCK - size % BLOCK) % BLOCK;
        return current;
    }

    /**
     * @return a stream over the current entry's bytes, ending where the entry ends and failing
     *     with {@link DataFormatException} if the archive ends first; closing it closes nothing
     */
    InputStream content() {
        if (current == null) {
            throw new IllegalStateException("TarReader.content: no current entry (call next() first)");
        }
        Entry e = current;
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (current != e || remaining == 0) {
                    return -1;
                }
                int n = in.read(b, off, (int) Math.min(len, remaining));
                if (n < 0) {
                    throw cutShort(e);
                }
                remaining -= n;
                offset += n;
                return n;
            }
        };
    }

    private DataFormatException cutShort(Entry e) {
        return new DataFormatException(source, "entry " + Printable.escape(e.name()) + " declares " + e.size()
                + " bytes but the archive ends after " + (e.size() - remaining) + " of them: truncated");
    }

    private void skipFully(long n, String what) throws IOException {
        byte[] buf = new byte[8192];
        while (n > 0) {
            int r = in.read(buf, 0, (int) Math.min(buf.length, n));
            if (r < 0) {
                throw current != null && remaining > 0 ? cutShort(current)
                        : new DataFormatException(source, "archive ends inside the padding after " + what + ": truncated");
            }
            n -= r;
            offset += r;
            if (remaining > 0) {
                remaining -= Math.min(remaining, r);
            }
        }
    }

    /** Refuses names a careless extractor would write outside its folder. */
    private void checkName(String name, String where) throws DataFormatException {
        String why = null;
        if (name.isEmpty()) {
            why = "an empty name";
        } else if (name.startsWith("/")) {
            why = "an absolute path";
        } else if (name.indexOf('\\') >= 0) {
            why = "a backslash";
        } else if (name.length() >= 2 && name.charAt(1) == ':') {
            why = "a drive letter";
        } else {
            for (String part : name.split("/")) {
                if (part.equals("..")) {
                    why = "a '..' segment";
                }
            }
        }
        if (why != null) {
            throw new DataFormatException(source, where + ": entry name '" + Printable.escape(name) + "' has " + why
                    + " (path traversal refused)");
        }
    }

    private long octal(byte[] h, int off, int len, String what) throws DataFormatException {
        int i = off;
        int end = off + len;
        while (i < end && (h[i] == ' ' || h[i] == 0)) {
            i++; // leading padding, as some writers use
        }
        long v = 0;
        int digits = 0;
        while (i < end && h[i] >= '0' && h[i] <= '7') {
            v = v * 8 + (h[i] - '0');
            digits++;
            i++;
        }
        while (i < end && (h[i] == ' ' || h[i] == 0)) {
            i++;
        }
        if (digits == 0 || i != end) {
            throw new DataFormatException(source, what + ": expected octal digits, found '" + printable(h, off, len) + "'");
        }
        return v;
    }

    private static String string(byte[] h, int off, int len) {
        int n = 0;
        while (n < len && h[off + n] != 0) {
            n++;
        }
        return new String(h, off, n, StandardCharsets.UTF_8);
    }

    private static String printable(byte[] h, int off, int len) {
        StringBuilder sb = new StringBuilder();
        for (int i = off; i < off + len; i++) {
            int c = h[i] & 0xff;
            sb.append(c >= 0x20 && c < 0x7f ? String.valueOf((char) c) : String.format("\\x%02x", c));
        }
        return sb.toString();
    }

    private static boolean allZero(byte[] h) {
        for (byte b : h) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }
}
