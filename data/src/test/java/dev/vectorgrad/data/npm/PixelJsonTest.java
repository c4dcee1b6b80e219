package dev.vectorgrad.data.npm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vectorgrad.data.DataFormatException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PixelJsonTest {

    /** The package's way of writing a grey level: byte/255 to at most 3 decimals, no trailing zeros. */
    static String level(int b) {
        if (b == 0 || b == 255) {
            return b == 0 ? "0" : "1";
        }
        String s = String.format(Locale.ROOT, "%.3f", b / 255.0);
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    /** A digit file as the package writes it, {@code { "data": [..] }}. */
    static String json(int[] pixels) {
        StringBuilder sb = new StringBuilder("{ \"data\": [");
        for (int i = 0; i < pixels.length; i++) {
            sb.append(i > 0 ? "," : "").append(level(pixels[i]));
        }
        return sb.append("]}").toString();
    }

    private static byte[] read(String text) throws IOException {
        return PixelJson.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "d.json");
    }

    @Test
    void recoversEveryGreyLevelFromThreeDecimals() throws IOException {
        int[] px = new int[784 * 2];
        for (int i = 0; i < px.length; i++) {
            px[i] = (i * 37) % 256;
        }
        byte[] got = read(json(px));
        assertEquals(px.length, got.length);
        for (int i = 0; i < px.length; i++) {
            assertEquals(px[i], got[i] & 0xff, "pixel " + i + " written as " + level(px[i]));
        }
    }

    @Test
    void acceptsAnyJsonSpellingOfTheSameNumbers() throws IOException {
        StringBuilder sb = new StringBuilder("\n\t{\r\n  \"data\" :\n [ 1.0e0 , 5E-1, 0.0 ");
        for (int i = 3; i < 784; i++) {
            sb.append(", 0.00392156862745098");
        }
        sb.append(" ] }\n");
        byte[] got = read(sb.toString());
        assertEquals(255, got[0] & 0xff);
        assertEquals(128, got[1] & 0xff); // 127.5 rounds up, as Math.round does
        assertEquals(0, got[2]);
        assertEquals(1, got[783]);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"data\":[1.2]}| element 0 (image 0, pixel 0): 1.2 is outside [0, 1]",
        "{\"data\":[0,-0.5]}| element 1 (image 0, pixel 1): -0.5 is outside [0, 1]",
        "{\"data\":[0,0,NaN]}| element 2 (image 0, pixel 2): expected a number, found 'N'",
        "{\"data\":[0,\"0\"]}| expected a number, found '\"'",
        "{\"data\":[01]}| leading zero",
        "{\"data\":[1.]}| expected digits after '.'",
        "{\"data\":[1e]}| expected exponent digits",
        "{\"data\":[2e400]}| 2e400 is outside [0, 1]",
        "{\"data\":[0 0]}| after element 0: expected ',' or ']', found '0'",
        "{\"data\":[]}| the \"data\" array is empty",
        "{\"pixels\":[0]}| expected the key \"data\"",
        "[0,1]| expected '{', found '['",
        "{\"data\":[0]} x| unexpected 'x' after the closing '}'",
        "{\"data\":[0]| expected '}', found the end of the file",
        "{\"data\":[0,| expected a number, found the end of the file",
        "{\"data\":[0],\"more\":1}| expected '}', found ','",
        "{\"data\":[0,1,0.5]}| holds 3 numbers, not a multiple of 784",
    })
    void refusesAnythingElseNamingTheFileAndThePosition(String text, String expected) {
        DataFormatException e = assertThrows(DataFormatException.class, () -> read(text));
        assertTrue(e.getMessage().startsWith("d.json: byte "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void namesTheImageAndPixelOfABadValueDeepInTheFile() {
        int[] px = new int[784 * 3];
        String text = json(px).replace("]}", "").substring(0, json(px).length() - 4) + ",7]}";
        // Element 784 * 3 - 1 was replaced: the last pixel of image 2.
        DataFormatException e = assertThrows(DataFormatException.class, () -> read(text));
        assertTrue(e.getMessage().contains("element 2351 (image 2, pixel 783): 7 is outside [0, 1]"), e.getMessage());
        assertTrue(e.getMessage().contains("byte " + (text.length() - 3)), e.getMessage());
    }

    @Test
    void levelHelperWritesThePackageFormat() {
        assertEquals("0.2", level(51));
        assertEquals("0.624", level(159));
        assertArrayEquals(new String[] {"0", "1"}, new String[] {level(0), level(255)});
    }

    @Test
    void aFileOfMoreNumbersThanThePackageHoldsIsRefusedAtTheBound() {
        // {"data":[0,0,0,... for ever: refused once it passes the bound, long before the stream ends.
        java.io.InputStream endless = new java.io.InputStream() {
            private long at;

            @Override
            public int read() {
                long i = at++;
                return i < 9 ? "{\"data\":[".charAt((int) i) : (i - 9) % 2 == 0 ? '0' : ',';
            }

            @Override
            public int read(byte[] b, int off, int len) {
                for (int k = 0; k < len; k++) {
                    b[off + k] = (byte) read();
                }
                return len;
            }
        };
        DataFormatException e = assertThrows(DataFormatException.class, () -> PixelJson.read(endless, "3.json"));
        assertTrue(e.getMessage().startsWith("3.json: byte " + (9 + 2L * PixelJson.MAX_NUMBERS) + ": more than "
                + PixelJson.MAX_NUMBERS + " numbers"), e.getMessage());
        assertEquals(DigitImages.PIXELS * NpmMnist.IMAGES, PixelJson.MAX_NUMBERS);
    }
}
