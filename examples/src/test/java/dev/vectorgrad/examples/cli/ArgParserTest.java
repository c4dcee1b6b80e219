package dev.vectorgrad.examples.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ArgParserTest {

    private static ArgParser parser() {
        return new ArgParser("demo", "Does a demo.")
                .option("epochs", "N", "5", "passes")
                .option("hidden", "N[,N...]", "50", "sizes")
                .option("lr", "RATE", null, "rate")
                .flag("fast", "go fast");
    }

    @Test
    void defaultsValuesAndEqualsForm() throws Exception {
        Parsed p = parser().parse(new String[] {"--epochs", "3", "--hidden=256,128", "--fast"});
        assertEquals(3, p.intValue("epochs", 1));
        assertArrayEquals(new int[] {256, 128}, p.intList("hidden"));
        assertTrue(p.flag("fast"));
        assertTrue(!p.has("lr"));
        assertEquals(50, parser().parse(new String[0]).intList("hidden")[0]);
    }

    @Test
    void helpAnywhereListsEveryOptionWithItsDefault() {
        HelpRequested h = assertThrows(HelpRequested.class, () -> parser().parse(new String[] {"--epochs", "2", "--help"}));
        assertTrue(h.getMessage().startsWith("usage: ./vectorgrad demo [options]"), h.getMessage());
        assertTrue(h.getMessage().contains("--epochs N"), h.getMessage());
        assertTrue(h.getMessage().contains("(default: 5)"), h.getMessage());
    }

    @Test
    void mistakesNameTheCommandAndTheFlag() throws Exception {
        String m = assertThrows(UsageException.class, () -> parser().parse(new String[] {"--epoch", "3"})).getMessage();
        assertTrue(m.startsWith("demo: unknown option --epoch"), m);
        m = assertThrows(UsageException.class, () -> parser().parse(new String[] {"--epochs"})).getMessage();
        assertTrue(m.contains("--epochs needs a value"), m);
        m = assertThrows(UsageException.class, () -> parser().parse(new String[] {"stray"})).getMessage();
        assertTrue(m.contains("unexpected argument 'stray'"), m);
        m = assertThrows(UsageException.class, () -> parser().parse(new String[] {"--fast=yes"})).getMessage();
        assertTrue(m.contains("takes no value"), m);
        Parsed p = parser().parse(new String[] {"--epochs", "x", "--hidden", "50,,2", "--lr", "NaN"});
        m = assertThrows(UsageException.class, () -> p.intValue("epochs", 1)).getMessage();
        assertTrue(m.contains("--epochs expects a whole number, got 'x'"), m);
        m = assertThrows(UsageException.class, () -> p.intList("hidden")).getMessage();
        assertTrue(m.contains("--hidden expects sizes"), m);
        m = assertThrows(UsageException.class, () -> p.floatValue("lr", 0f)).getMessage();
        assertTrue(m.contains("--lr must be a finite number"), m);
        Parsed q = parser().parse(new String[] {"--epochs", "0"});
        m = assertThrows(UsageException.class, () -> q.intValue("epochs", 1)).getMessage();
        assertTrue(m.contains("--epochs must be >= 1, got 0"), m);
    }

    @Test
    void progressBarRendersCountsAndLoss() {
        var bytes = new java.io.ByteArrayOutputStream();
        ProgressBar bar = new ProgressBar(new java.io.PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8),
                "epoch 1/2", 100, false);
        bar.update(50, 0.25);
        assertEquals("", bytes.toString(java.nio.charset.StandardCharsets.UTF_8), "not live: nothing until finish");
        bar.finish();
        String line = bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(line.startsWith("epoch 1/2 [###############...............] 50/100"), line);
        assertTrue(line.contains("loss 0.2500") && line.endsWith("\n"), line);
    }
}
