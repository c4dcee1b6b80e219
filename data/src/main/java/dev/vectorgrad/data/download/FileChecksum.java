package dev.vectorgrad.data.download;

import dev.vectorgrad.data.internal.Bytes;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * The expected SHA-256 of a downloaded file, given either for the bytes as served or for
 * their gzip-decompressed content (or both; either match accepts the file). The content
 * checksum exists because re-compressing the same data (as Debian's package does) changes
 * the bytes of a {@code .gz} but not what it holds.
 *
 * <p>It also bounds the size: {@link Downloader} refuses a file announced or served larger than
 * {@code maxBytes} (before reading it, or as soon as the limit is passed), and {@link #mismatch}
 * stops decompressing content past it, so a hostile mirror can neither fill the disk nor keep the
 * hash busy with a gzip bomb. Unless given, it is {@link #DEFAULT_MAX_BYTES}.
 *
 * @param fileSha256 hex SHA-256 of the file as served, or null
 * @param contentSha256 hex SHA-256 of the decompressed content, or null
 * @param maxBytes the largest file, and the largest decompressed content, accepted (positive)
 */
public record FileChecksum(String fileSha256, String contentSha256, long maxBytes) {
    /** The size limit of a checksum that names none: far above any dataset file this module fetches. */
    public static final long DEFAULT_MAX_BYTES = 1L << 30;

    /** Validates and lower-cases the hex strings; at least one must be given. */
    public FileChecksum {
        if (fileSha256 == null && contentSha256 == null) {
            throw new IllegalArgumentException("FileChecksum: give a file or a content SHA-256 (never download unchecked)");
        }
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("FileChecksum: maxBytes must be positive, got " + maxBytes);
        }
        fileSha256 = norm(fileSha256);
        contentSha256 = norm(contentSha256);
    }

    /**
     * A checksum limited to {@link #DEFAULT_MAX_BYTES}.
     *
     * @param fileSha256 hex SHA-256 of the file as served, or null
     * @param contentSha256 hex SHA-256 of the decompressed content, or null
     */
    public FileChecksum(String fileSha256, String contentSha256) {
        this(fileSha256, contentSha256, DEFAULT_MAX_BYTES);
    }

    /**
     * @param limit the largest file (and decompressed content) to accept, positive
     * @return the same checksum with that size limit
     */
    public FileChecksum withMaxBytes(long limit) {
        return new FileChecksum(fileSha256, contentSha256, limit);
    }

    private static String norm(String hex) {
        if (hex == null) {
            return null;
        }
        String h = hex.toLowerCase(Locale.ROOT);
        if (!h.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("FileChecksum: '" + hex + "' is not 64 hex digits");
        }
        return h;
    }

    /**
     * @param sha256 hex SHA-256 of the file's bytes
     * @return a checksum of the file as served
     */
    public static FileChecksum ofFile(String sha256) {
        return new FileChecksum(sha256, null);
    }

    /**
     * @param sha256 hex SHA-256 of the decompressed content
     * @return a checksum of the content
     */
    public static FileChecksum ofContent(String sha256) {
        return new FileChecksum(null, sha256);
    }

    /**
     * Checks a file.
     *
     * @param file the file
     * @return null if it matches, else a sentence saying what differed
     * @throws IOException if the file cannot be read
     */
    public String mismatch(Path file) throws IOException {
        String actual;
        try (InputStream in = Files.newInputStream(file)) {
            actual = sha256(in);
        }
        if (fileSha256 != null && fileSha256.equals(actual)) {
            return null;
        }
        String content = null;
        if (contentSha256 != null) {
            try (InputStream raw = Files.newInputStream(file)) {
                byte[] head = raw.readNBytes(2);
                boolean gz = Bytes.isGzip(head);
                try (InputStream in = gz ? new GZIPInputStream(Files.newInputStream(file)) : Files.newInputStream(file)) {
                    content = sha256(in, maxBytes);
                } catch (IOException e) {
                    content = "unreadable (" + e.getMessage() + ")";
                }
            }
            if (contentSha256.equals(content)) {
                return null;
            }
        }
        StringBuilder sb = new StringBuilder("SHA-256 mismatch:");
        if (fileSha256 != null) {
            sb.append(" file expected ").append(fileSha256).append(" got ").append(actual);
        }
        if (contentSha256 != null) {
            sb.append(fileSha256 != null ? ";" : "").append(" content expected ").append(contentSha256).append(" got ")
                    .append(content);
        }
        return sb.toString();
    }

    /**
     * @param in a stream, read to its end
     * @return its hex SHA-256
     * @throws IOException if reading fails
     */
    public static String sha256(InputStream in) throws IOException {
        return sha256(in, Long.MAX_VALUE);
    }

    /** The hex SHA-256 of a stream, or a sentence saying it held more than {@code limit} bytes. */
    private static String sha256(InputStream in, long limit) throws IOException {
        MessageDigest md = digest();
        byte[] buf = new byte[65536];
        long total = 0;
        int n;
        while ((n = in.read(buf)) > 0) {
            total += n;
            if (total > limit) {
                return "more than " + limit + " bytes (the limit)";
            }
            md.update(buf, 0, n);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /**
     * @param bytes some bytes
     * @return their hex SHA-256
     */
    public static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(digest().digest(bytes));
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK provides SHA-256", e);
        }
    }
}
