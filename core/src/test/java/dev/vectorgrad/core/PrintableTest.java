package dev.vectorgrad.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PrintableTest {
    @Test
    void plainTextIsUnchanged() {
        assertEquals("numpy.core.multiarray._reconstruct ü 数", Printable.escape("numpy.core.multiarray._reconstruct ü 数"));
    }

    @Test
    void terminalEscapesAreShownAsHex() {
        assertEquals("os.\\x1b[2Jsystem\\x07\\x0a\\x9b\\x7f", Printable.escape("os.\u001b[2Jsystem\u0007\n\u009b\u007f"));
    }

    @Test
    void bidiOverridesLoneSurrogatesAndBackslashesAreEscaped() {
        assertEquals("a\\u202eb\\ud800c\\\\x1b", Printable.escape("a\u202eb\ud800c\\x1b"));
    }

    @Test
    void supplementaryCharactersSurviveAndTagCharactersDoNot() {
        assertEquals("\uD83D\uDE00 \\U000e0041", Printable.escape("\uD83D\uDE00 \uDB40\uDC41"));
    }

    @Test
    void longTextIsCutAndItsLengthSaid() {
        String s = Printable.escape("x".repeat(5000));
        assertTrue(s.startsWith("x".repeat(Printable.MAX_CHARS) + "..."), s);
        assertTrue(s.endsWith("(5000 characters)"), s);
        assertEquals("null", Printable.escape(null));
    }
}
