package dev.vectorgrad.data.numpy;

import dev.vectorgrad.core.Printable;
import dev.vectorgrad.data.DataFormatException;
import dev.vectorgrad.data.internal.Bytes;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.Inflater;

/**
 * A strict reader of a whole zip archive in memory, as {@code numpy.load} reads an
 * {@code .npz}: the central directory at the end is the table of contents, so an archive cut
 * short (no end record) is refused, and so is anything the directory does not list. Every byte
 * before the directory must belong to exactly one listed entry (no hidden entries, no
 * overlapping entries, the trick of the overlapping zip bomb); every entry's data must lie in
 * the file, inflate to exactly the size the directory declares, no more than
 * {@link Bytes#inflateCap} of its stored size, and match its CRC-32. Memory grows with the
 * bytes that really inflate, never with a declared size.
 */
final class ZipArchive {
    private static final int EOCD = 0x06054b50;
    private static final int EOCD64 = 0x06064b50;
    private static final int EOCD64_LOCATOR = 0x07064b50;
    private static final int CENTRAL = 0x02014b50;
    private static final int LOCAL = 0x04034b50;
    private static final int DESCRIPTOR = 0x08074b50;
    private static final long U32 = 0xffffffffL;

    /** One entry: its name and its inflated, checked contents. */
    record Entry(String name, byte[] data) {}

    private record Listed(String name, int method, int flags, long crc, long csize, long usize, long offset,
            boolean zip64) {}

    private final byte[] b;
    private final ByteBuffer le;
    private final String source;

    private ZipArchive(byte[] b, String source) {
        this.b = b;
        this.le = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        this.source = source;
    }

    /**
     * @param bytes the archive
     * @param source the name used in error messages
     * @return its entries in directory order
     * @throws DataFormatException if the archive is malformed, truncated or a bomb
     */
    static List<Entry> read(byte[] bytes, String source) throws DataFormatException {
        ZipArchive z = new ZipArchive(bytes, source);
        List<Listed> listed = z.directory();
        List<Entry> out = new ArrayList<>(listed.size());
        for (Listed l : listed) {
            out.add(new Entry(l.name(), z.contents(l)));
        }
        return out;
    }

    private DataFormatException fail(String problem) {
        return new DataFormatException(source, problem);
    }

    private static String shown(String name) {
        return "entry '" + Printable.escape(name) + "'";
    }

    private int u16(long at) {
        return le.getShort((int) at) & 0xffff;
    }

    private long u32(long at) {
        return le.getInt((int) at) & U32;
    }

    private long u64(long at) throws DataFormatException {
        long v = le.getLong((int) at);
        if (v < 0) {
            throw fail("zip64 field at byte " + at + " holds " + Long.toUnsignedString(v) + ", beyond any file");
        }
        return v;
    }

    private boolean fits(long at, long n) {
        return at >= 0 && n >= 0 && at <= b.length && n <= b.length - at;
    }

    private List<Listed> directory() throws DataFormatException {
        long eocd = -1;
        for (long at = b.length - 22L; at >= Math.max(0, b.length - 22L - 0xffff); at--) {
            if (u32(at) == EOCD && at + 22 + u16(at + 20) == b.length) {
                eocd = at;
                break;
            }
        }
        if (eocd < 0) {
            throw fail("not a zip archive, or one cut short: no end-of-central-directory record at its end "
                    + "(numpy.load refuses it too)");
        }
        long count = u16(eocd + 10);
        long cdSize = u32(eocd + 12);
        long cdOffset = u32(eocd + 16);
        long cdEnd = eocd;
        if (u16(eocd + 4) != 0 || u16(eocd + 6) != 0) {
            throw fail("multi-disk (split) zip archives are not supported");
        }
        if (count == 0xffff || cdSize == U32 || cdOffset == U32) {
            long loc = eocd - 20;
            if (loc < 0 || u32(loc) != EOCD64_LOCATOR) {
                throw fail("zip64 end record announced but its locator is missing");
            }
            long e64 = u64(loc + 8);
            if (!fits(e64, 56) || e64 > loc - 56 || u32(e64) != EOCD64) {
                throw fail("zip64 end-of-central-directory record at byte " + e64 + " is missing or cut");
            }
            count = u64(e64 + 32);
            cdSize = u64(e64 + 40);
            cdOffset = u64(e64 + 48);
            cdEnd = e64;
        }
        if (cdOffset > cdEnd || cdSize != cdEnd - cdOffset) {
            throw fail("central directory of " + cdSize + " bytes at byte " + cdOffset + " does not end where its "
                    + "end record starts (byte " + cdEnd + "): truncated or corrupt archive");
        }
        // An entry takes at least 46 directory bytes: a count beyond that is a lie, refused before allocating.
        if (count > cdSize / 46) {
            throw fail("central directory claims " + count + " entries in " + cdSize + " bytes");
        }
        List<Listed> listed = new ArrayList<>((int) count);
        Set<String> names = new HashSet<>();
        long at = cdOffset;
        for (long i = 0; i < count; i++) {
            if (!fits(at, 46) || at + 46 > cdEnd || u32(at) != CENTRAL) {
                throw fail("central directory entry " + i + " at byte " + at + " is missing or corrupt");
            }
            int flags = u16(at + 8);
            int method = u16(at + 10);
            long crc = u32(at + 16);
            long csize = u32(at + 20);
            long usize = u32(at + 24);
            int nameLen = u16(at + 28);
            int extraLen = u16(at + 30);
            int commentLen = u16(at + 32);
            long offset = u32(at + 42);
            long next = at + 46 + nameLen + extraLen + commentLen;
            if (next > cdEnd) {
                throw fail("central directory entry " + i + " at byte " + at + " runs past the directory's end");
            }
            String name = new String(b, (int) at + 46, nameLen,
                    (flags & 0x800) != 0 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
            boolean zip64 = false;
            if (usize == U32 || csize == U32 || offset == U32) {
                long x = findExtra(at + 46 + nameLen, extraLen, 0x0001);
                if (x < 0) {
                    throw fail(shown(name) + ": zip64 sizes announced but no zip64 extra field");
                }
                long xEnd = x + 4 + u16(x + 2);
                long f = x + 4;
                zip64 = true;
                if (usize == U32) {
                    usize = f + 8 <= xEnd ? u64(f) : -1;
                    f += 8;
                }
                if (csize == U32) {
                    csize = f + 8 <= xEnd ? u64(f) : -1;
                    f += 8;
                }
                if (offset == U32) {
                    offset = f + 8 <= xEnd ? u64(f) : -1;
                }
                if (usize < 0 || csize < 0 || offset < 0) {
                    throw fail(shown(name) + ": zip64 extra field is too short");
                }
            }
            if ((flags & 1) != 0) {
                throw fail(shown(name) + " is encrypted");
            }
            if (method != 0 && method != 8) {
                throw fail(shown(name) + " uses compression method " + method + " (only stored and deflated are read)");
            }
            if (!names.add(name)) {
                throw fail(shown(name) + " appears twice in the central directory");
            }
            listed.add(new Listed(name, method, flags, crc, csize, usize, offset, zip64));
            at = next;
        }
        if (at != cdEnd) {
            throw fail("central directory holds " + (cdEnd - at) + " bytes after its " + count + " entries");
        }
        checkCoverage(listed, cdOffset);
        return listed;
    }

    /** Finds the extra field {@code id} in {@code [at, at+len)}, or -1. */
    private long findExtra(long at, int len, int id) {
        long end = at + len;
        while (at + 4 <= end) {
            int size = u16(at + 2);
            if (u16(at) == id && at + 4 + size <= end) {
                return at;
            }
            at += 4 + size;
        }
        return -1;
    }

    /** Every byte before the directory belongs to exactly one listed entry, in order. */
    private void checkCoverage(List<Listed> listed, long cdOffset) throws DataFormatException {
        List<Listed> byOffset = new ArrayList<>(listed);
        byOffset.sort(Comparator.comparingLong(Listed::offset));
        long cursor = 0;
        for (Listed l : byOffset) {
            if (l.offset() != cursor) {
                throw fail(l.offset() > cursor
                        ? "bytes " + cursor + " to " + l.offset() + " belong to no entry of the central directory "
                                + "(a hidden or deleted entry, or a corrupt directory)"
                        : shown(l.name()) + " at byte " + l.offset() + " overlaps the entry before it (ends at byte "
                                + cursor + ")");
            }
            cursor = dataStart(l) + l.csize() + descriptorLength(l, dataStart(l) + l.csize());
        }
        if (cursor != cdOffset) {
            throw fail(cursor > cdOffset ? "the last entry runs into the central directory at byte " + cdOffset
                    : "bytes " + cursor + " to " + cdOffset + " belong to no entry of the central directory");
        }
    }

    private long dataStart(Listed l) throws DataFormatException {
        long at = l.offset();
        if (!fits(at, 30) || u32(at) != LOCAL) {
            throw fail(shown(l.name()) + ": no local header at byte " + at);
        }
        int nameLen = u16(at + 26);
        int extraLen = u16(at + 28);
        if (!fits(at + 30, nameLen + (long) extraLen)) {
            throw fail(shown(l.name()) + ": local header at byte " + at + " runs past the end of the file");
        }
        String local = new String(b, (int) at + 30, nameLen,
                (u16(at + 6) & 0x800) != 0 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        if (!local.equals(l.name()) || u16(at + 8) != l.method()) {
            throw fail(shown(l.name()) + ": local header at byte " + at + " disagrees with the central directory"
                    + " (names '" + Printable.escape(local) + "')");
        }
        long start = at + 30 + nameLen + extraLen;
        if (!fits(start, l.csize())) {
            throw fail(shown(l.name()) + ": " + l.csize() + " compressed bytes at byte " + start
                    + " run past the end of the file (" + b.length + " bytes): truncated");
        }
        return start;
    }

    /** The data descriptor that follows the data when flag bit 3 is set: optional signature, CRC, two sizes. */
    private long descriptorLength(Listed l, long at) {
        if ((l.flags() & 8) == 0) {
            return 0;
        }
        long sig = fits(at, 4) && u32(at) == DESCRIPTOR ? 4 : 0;
        return sig + 4 + (l.zip64() ? 16 : 8);
    }

    private byte[] contents(Listed l) throws DataFormatException {
        long start = dataStart(l);
        if (l.usize() > Bytes.MAX_ARRAY) {
            throw fail(shown(l.name()) + " declares " + l.usize() + " bytes, more than one Java array holds");
        }
        byte[] out;
        if (l.method() == 0) {
            if (l.csize() != l.usize()) {
                throw fail(shown(l.name()) + " is stored uncompressed but declares " + l.csize() + " stored and "
                        + l.usize() + " uncompressed bytes");
            }
            out = Arrays.copyOfRange(b, (int) start, (int) (start + l.csize()));
        } else {
            if (l.usize() > Bytes.inflateCap(l.csize())) {
                throw Bytes.bomb(source, shown(l.name()) + " (by its declared size)", l.usize(), l.csize());
            }
            out = inflate(l, start);
        }
        CRC32 crc = new CRC32();
        crc.update(out);
        if (crc.getValue() != l.crc()) {
            throw fail(String.format("%s: CRC-32 %08x of its contents but the central directory records %08x: "
                    + "corrupt archive", shown(l.name()), crc.getValue(), l.crc()));
        }
        return out;
    }

    private byte[] inflate(Listed l, long start) throws DataFormatException {
        Inflater inf = new Inflater(true);
        try {
            inf.setInput(b, (int) start, (int) l.csize());
            long declared = l.usize();
            byte[] out = new byte[(int) Math.min(declared, 1 << 20)];
            int got = 0;
            byte[] probe = new byte[1];
            while (!inf.finished()) {
                if (got == out.length) {
                    if (got == declared) {
                        // Full: one more byte means the entry inflates past what it declares.
                        if (inf.inflate(probe) > 0) {
                            throw fail(shown(l.name()) + " inflates to more than the " + declared
                                    + " bytes the central directory declares");
                        }
                        if (inf.finished()) {
                            break;
                        }
                        if (inf.needsInput() || inf.needsDictionary()) {
                            throw truncatedDeflate(l);
                        }
                        continue;
                    }
                    out = Arrays.copyOf(out, (int) Math.min(declared, 2L * out.length));
                }
                int n = inf.inflate(out, got, out.length - got);
                got += n;
                if (n == 0 && (inf.needsInput() || inf.needsDictionary())) {
                    throw truncatedDeflate(l);
                }
            }
            if (got != declared) {
                throw fail(shown(l.name()) + " inflates to " + got + " bytes but the central directory declares "
                        + declared);
            }
            return out;
        } catch (java.util.zip.DataFormatException e) {
            throw new DataFormatException(source, shown(l.name()) + ": corrupt deflate data ("
                    + e.getMessage() + ")", e);
        } finally {
            inf.end();
        }
    }

    private DataFormatException truncatedDeflate(Listed l) {
        return fail(shown(l.name()) + ": its " + l.csize() + " compressed bytes end before the deflate stream does: "
                + "truncated or corrupt");
    }
}
