package dev.vectorgrad.data.download;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line progress bar redrawn with a carriage return, at most a few times a second
 * (a redraw per network read would flood a log).
 */
public final class ProgressBar {
    private static final long MIN_INTERVAL_NANOS = 250_000_000L;
    private static final int WIDTH = 30;

    private final PrintStream out;
    private final String label;
    private final long total;
    private long lastDraw = Long.MIN_VALUE;
    private int draws;

    /**
     * @param out where to draw (nothing is drawn if null)
     * @param label printed before the bar, e.g. the file name
     * @param total expected bytes, or -1 if unknown
     */
    public ProgressBar(PrintStream out, String label, long total) {
        this.out = out;
        this.label = label;
        this.total = total;
    }

    /**
     * Redraws if enough time has passed since the last redraw.
     *
     * @param done bytes so far
     */
    public void update(long done) {
        long now = System.nanoTime();
        if (lastDraw != Long.MIN_VALUE && now - lastDraw < MIN_INTERVAL_NANOS) {
            return;
        }
        lastDraw = now;
        draw(done, false);
    }

    /**
     * Draws the final state and ends the line.
     *
     * @param done bytes received in total
     */
    public void finish(long done) {
        draw(done, true);
    }

    /** Ends the line after a failed transfer, so the next message starts on its own line. */
    public void abandon() {
        if (out != null && draws > 0) {
            out.println(" failed");
            out.flush();
        }
    }

    /** @return how many times the bar was drawn (the throttle keeps this small) */
    public int draws() {
        return draws;
    }

    private void draw(long done, boolean end) {
        if (out == null) {
            return;
        }
        draws++;
        String text;
        if (total > 0) {
            int filled = (int) Math.min(WIDTH, done * WIDTH / total);
            text = String.format(Locale.ROOT, "\r%s [%s%s] %5.1f%% %s / %s", label, "#".repeat(filled),
                    " ".repeat(WIDTH - filled), 100.0 * done / total, human(done), human(total));
        } else {
            text = String.format(Locale.ROOT, "\r%s %s", label, human(done));
        }
        out.print(end ? text + System.lineSeparator() : text);
        out.flush();
    }

    private static String human(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        if (bytes < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
        }
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
    }
}
