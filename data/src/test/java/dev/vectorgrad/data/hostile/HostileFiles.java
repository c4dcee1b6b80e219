package dev.vectorgrad.data.hostile;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Builders of hostile files, byte by byte, so that every size, checksum and offset can be
 * forged independently: gzip members with any trailer, zip archives with any central
 * directory, pickles of shared references, ustar headers. Bombs are deflated as they are
 * generated, so building one costs memory in proportion to its compressed size only.
 */
final class HostileFiles {
    private HostileFiles() {}

    /** Raw deflate data, with the CRC-32 and length of what it inflates to. */
    record Deflated(byte[] data, long crc, long size) {}

    /** Deflates {@code prefix}, then {@code repeat} copies of {@code unit}. */
    static Deflated deflate(byte[] prefix, byte[] unit, long repeat) {
        Deflater d = new Deflater(Deflater.BEST_COMPRESSION, true);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CRC32 crc = new CRC32();
        byte[] buf = new byte[1 << 16];
        byte[] block = unit.length == 0 ? new byte[0] : repeatTo(unit, 1 << 20);
        long perBlock = unit.length == 0 ? 1 : block.length / unit.length;
        long size = 0;
        List<byte[]> pieces = new ArrayList<>();
        pieces.add(prefix);
        crc.update(prefix);
        size += prefix.length;
        feed(d, prefix, out, buf);
        for (long done = 0; done < repeat; ) {
            long n = Math.min(perBlock, repeat - done);
            int len = (int) (n * unit.length);
            crc.update(block, 0, len);
            size += len;
            feedRange(d, block, len, out, buf);
            done += n;
        }
        d.finish();
        while (!d.finished()) {
            out.write(buf, 0, d.deflate(buf));
        }
        d.end();
        return new Deflated(out.toByteArray(), crc.getValue(), size);
    }

    static Deflated deflate(byte[] data) {
        return deflate(data, new byte[0], 0);
    }

    private static byte[] repeatTo(byte[] unit, int about) {
        int n = Math.max(1, about / unit.length);
        byte[] b = new byte[n * unit.length];
        for (int i = 0; i < n; i++) {
            System.arraycopy(unit, 0, b, i * unit.length, unit.length);
        }
        return b;
    }

    private static void feed(Deflater d, byte[] in, ByteArrayOutputStream out, byte[] buf) {
        feedRange(d, in, in.length, out, buf);
    }

    private static void feedRange(Deflater d, byte[] in, int len, ByteArrayOutputStream out, byte[] buf) {
        d.setInput(in, 0, len);
        while (!d.needsInput()) {
            out.write(buf, 0, d.deflate(buf));
        }
    }

    /** A gzip member around deflated data, its trailer as given (forged or true). */
    static byte[] gzip(Deflated z, long crc, long isize) {
        ByteBuffer b = ByteBuffer.allocate(10 + z.data().length + 8).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff});
        b.put(z.data());
        b.putInt((int) crc).putInt((int) isize);
        return b.array();
    }

    static byte[] gzip(Deflated z) {
        return gzip(z, z.crc(), z.size());
    }

    static byte[] gzip(byte[] raw) {
        return gzip(deflate(raw));
    }

    // ---- zip ----

    /** One zip entry as the archive will claim it: every field can lie. */
    static final class ZipEntrySpec {
        String name;
        int method = 8;
        long crc;
        long csize;
        long usize;
        byte[] data;
        boolean listed = true;
        long offsetOverride = -1;

        static ZipEntrySpec deflated(String name, Deflated z) {
            ZipEntrySpec e = new ZipEntrySpec();
            e.name = name;
            e.crc = z.crc();
            e.csize = z.data().length;
            e.usize = z.size();
            e.data = z.data();
            return e;
        }

        static ZipEntrySpec stored(String name, byte[] raw) {
            ZipEntrySpec e = new ZipEntrySpec();
            e.name = name;
            e.method = 0;
            CRC32 c = new CRC32();
            c.update(raw);
            e.crc = c.getValue();
            e.csize = raw.length;
            e.usize = raw.length;
            e.data = raw;
            return e;
        }
    }

    /** Local headers and data in order, then a central directory of the listed entries. */
    static byte[] zip(List<ZipEntrySpec> entries) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long[] offsets = new long[entries.size()];
        for (int i = 0; i < entries.size(); i++) {
            ZipEntrySpec e = entries.get(i);
            offsets[i] = out.size();
            out.writeBytes(localHeader(e));
            out.writeBytes(e.data);
        }
        long cdOffset = out.size();
        int listed = 0;
        for (int i = 0; i < entries.size(); i++) {
            ZipEntrySpec e = entries.get(i);
            if (!e.listed) {
                continue;
            }
            listed++;
            byte[] name = e.name.getBytes(StandardCharsets.UTF_8);
            ByteBuffer c = ByteBuffer.allocate(46 + name.length).order(ByteOrder.LITTLE_ENDIAN);
            c.putInt(0x02014b50).putShort((short) 20).putShort((short) 20).putShort((short) 0x800)
                    .putShort((short) e.method).putShort((short) 0).putShort((short) 0x21)
                    .putInt((int) e.crc).putInt((int) e.csize).putInt((int) e.usize)
                    .putShort((short) name.length).putShort((short) 0).putShort((short) 0)
                    .putShort((short) 0).putShort((short) 0).putInt(0)
                    .putInt((int) (e.offsetOverride >= 0 ? e.offsetOverride : offsets[i])).put(name);
            out.writeBytes(c.array());
        }
        long cdSize = out.size() - cdOffset;
        ByteBuffer end = ByteBuffer.allocate(22).order(ByteOrder.LITTLE_ENDIAN);
        end.putInt(0x06054b50).putShort((short) 0).putShort((short) 0).putShort((short) listed)
                .putShort((short) listed).putInt((int) cdSize).putInt((int) cdOffset).putShort((short) 0);
        out.writeBytes(end.array());
        return out.toByteArray();
    }

    static byte[] localHeader(ZipEntrySpec e) {
        byte[] name = e.name.getBytes(StandardCharsets.UTF_8);
        ByteBuffer l = ByteBuffer.allocate(30 + name.length).order(ByteOrder.LITTLE_ENDIAN);
        l.putInt(0x04034b50).putShort((short) 20).putShort((short) 0x800).putShort((short) e.method)
                .putShort((short) 0).putShort((short) 0x21).putInt((int) e.crc).putInt((int) e.csize)
                .putInt((int) e.usize).putShort((short) name.length).putShort((short) 0).put(name);
        return l.array();
    }

    // ---- npy ----

    static byte[] npyHeader(String descr, String shape) {
        String h = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
        int total = 10 + h.length() + 1;
        h += " ".repeat((64 - total % 64) % 64) + "\n";
        byte[] hb = h.getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer b = ByteBuffer.allocate(10 + hb.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) hb.length).put(hb);
        return b.array();
    }

    // ---- idx ----

    static byte[] idxHeader(int... dims) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length);
        b.put((byte) 0).put((byte) 0).put((byte) 8).put((byte) dims.length);
        for (int d : dims) {
            b.putInt(d);
        }
        return b.array();
    }

    // ---- pickle (protocol 2) ----

    static final class PickleWriter {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        int memo;

        PickleWriter() {
            out.write(0x80);
            out.write(2);
        }

        PickleWriter op(int b) {
            out.write(b);
            return this;
        }

        PickleWriter unicode(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            out.write('X');
            out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(b.length).array());
            out.writeBytes(b);
            return this;
        }

        /** LONG_BINPUT of the top of the stack; returns its memo index. */
        int put() {
            out.write('r');
            out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(memo).array());
            return memo++;
        }

        /** LONG_BINGET, or BINGET for small indices (both must share, not copy). */
        PickleWriter get(int index) {
            if (index < 256 && index % 2 == 0) {
                out.write('h');
                out.write(index);
            } else {
                out.write('j');
                out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(index).array());
            }
            return this;
        }

        PickleWriter global(String module, String name) {
            out.write('c');
            out.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.UTF_8));
            return this;
        }

        byte[] stop() {
            out.write('.');
            return out.toByteArray();
        }
    }

    // ---- ustar ----

    static byte[] tarHeader(String name, long size) {
        byte[] h = new byte[512];
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(n, 0, h, 0, Math.min(100, n.length));
        octal(h, 100, 8, 0644);
        octal(h, 108, 8, 0);
        octal(h, 116, 8, 0);
        octal(h, 124, 12, size);
        octal(h, 136, 12, 0);
        h[156] = '0';
        System.arraycopy("ustar\u000000".getBytes(StandardCharsets.US_ASCII), 0, h, 257, 8);
        for (int i = 148; i < 156; i++) {
            h[i] = ' ';
        }
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        octal(h, 148, 7, sum);
        h[155] = ' ';
        return h;
    }

    private static void octal(byte[] h, int off, int len, long v) {
        String s = Long.toOctalString(v);
        s = "0".repeat(Math.max(0, len - 1 - s.length())) + s;
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, h, off, b.length);
        h[off + len - 1] = 0;
    }

    static byte[] padTo512(byte[] content) {
        int pad = (512 - content.length % 512) % 512;
        byte[] b = new byte[content.length + pad];
        System.arraycopy(content, 0, b, 0, content.length);
        return b;
    }

    static void write(Path file, byte[] bytes) {
        try {
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void writeAll(OutputStream out, byte[]... parts) throws IOException {
        for (byte[] p : parts) {
            out.write(p);
        }
    }
}
