package dev.vectorgrad.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Properties;
import org.junit.jupiter.api.Test;

class TerminalSafetyTest {

    @Test
    void controlCharactersAreShownEscapedAndOtherTextUnchanged() {
        assertEquals("red \\x1b[31mtext\\x1b[0m", Messages.escape("red \u001b[31mtext\u001b[0m"));
        assertEquals("title \\x1b]0;owned\\x07", Messages.escape("title \u001b]0;owned\u0007"));
        assertEquals("\\x00\\x09\\x0a\\x0d\\x7f\\x85\\x9b", Messages.escape("\u0000\t\n\r\u007f\u0085\u009b"));
        assertEquals("abc\\u202egpj.exe \\u2066x\\u2069 \\u2028", Messages.escape("abc\u202egpj.exe \u2066x\u2069 \u2028"));
        String plain = "Fashion-MNIST train (/home/ünïcødé/数据/train-*) 0.1307 \\x1b";
        assertSame(plain, Messages.escape(plain), "nothing to escape: the same string");
        assertEquals("null", Messages.escape(null));
        assertEquals("a; b \\x1b", Messages.forTerminal("a\n  - b \u001b"));
    }

    @Test
    void badVectorgradPropertiesAreOneUsageErrorNamingTheProperty() throws UsageException {
        SystemProperties.check(props());
        SystemProperties.check(props("vectorgrad.vectorBitSize", "0", "vectorgrad.threads", "2", "vectorgrad.rawCache", "none"));
        SystemProperties.check(props("vectorgrad.vectorBitSize", " 256 ", "vectorgrad.threads", ""));
        SystemProperties.check(props("vectorgrad.mirrors", "https://m.example/v, default", "vectorgrad.download.deadline",
                "PT5M", "vectorgrad.data.maxInflateRatio", "500"));
        String[][] bad = {
            {"vectorgrad.vectorBitSize", "abc"}, {"vectorgrad.vectorBitSize", "96"}, {"vectorgrad.vectorBitSize", "-1"},
            {"vectorgrad.threads", "-1"}, {"vectorgrad.threads", "0"}, {"vectorgrad.threads", "x"},
            {"vectorgrad.threads", "99999999999"}, {"vectorgrad.threads", "1025"},
            {"vectorgrad.rawCache", "bad\u0000path"},
            {"vectorgrad.mirrors", "ftp://x"}, {"vectorgrad.mirrors", " , "}, {"vectorgrad.mirrors", "http://a b\u001b"},
            {"vectorgrad.download.deadline", "abc"}, {"vectorgrad.download.deadline", "-5"},
            {"vectorgrad.data.maxInflateRatio", "abc"}, {"vectorgrad.data.maxInflateRatio", "0"},
            {"vectorgrad.data.maxInflateRatio", "1\n2"},
        };
        for (String[] kv : bad) {
            UsageException e = assertThrows(UsageException.class, () -> SystemProperties.check(props(kv)));
            assertTrue(e.getMessage().startsWith("-D" + kv[0] + "="), e.getMessage());
            assertTrue(!e.getMessage().contains("\u0000") && !e.getMessage().contains("\n")
                    && !e.getMessage().contains("\u001b"), e.getMessage());
        }
    }

    private static Properties props(String... kv) {
        Properties p = new Properties();
        for (int i = 0; i < kv.length; i += 2) {
            p.setProperty(kv[i], kv[i + 1]);
        }
        return p;
    }
}
