package dev.vectorgrad.examples.cli;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line progress bar with throughput and a running value (the loss), redrawn in place with
 * {@code \r} on a terminal at most ten times a second; elsewhere (a log file, a pipe) it prints
 * only its final state, so logs stay readable. Between redraws {@link #update} allocates nothing.
 */
public final class ProgressBar {

    private static final long REDRAW_NANOS = 100_000_000L;
    private static final int WIDTH = 30;

    private final PrintStream out;
    private final String label;
    private final long total;
    private final boolean live;
    private final long start;
    private long lastDraw;
    private long done;
    private double value;

    /**
     * @param out where to draw (stderr, so stdout keeps only results)
     * @param label shown before the bar, e.g. {@code epoch 1/5}
     * @param total the number of samples the bar counts to
     * @param live whether to redraw in place (true on a terminal)
     */
    public ProgressBar(PrintStream out, String label, long total, boolean live) {
        this.out = out;
        this.label = label;
        this.total = Math.max(total, 1);
        this.live = live;
        this.start = System.nanoTime();
        this.lastDraw = start;
    }

    /** @return whether stderr is a terminal, where a live bar makes sense */
    public static boolean stderrIsTerminal() {
        java.io.Console c = System.console();
        return c != null && c.isTerminal();
    }

    /**
     * Records progress.
     *
     * @param samplesDone samples processed so far
     * @param runningValue the value to show (e.g. the running mean loss)
     */
    public void update(long samplesDone, double runningValue) {
        done = samplesDone;
        value = runningValue;
        if (live) {
            long now = System.nanoTime();
            if (now - lastDraw >= REDRAW_NANOS) {
                lastDraw = now;
                out.print('\r' + render(now));
                out.flush();
            }
        }
    }

    /** Draws the final state and ends the line. */
    public void finish() {
        out.print((live ? "\r" : "") + render(System.nanoTime()) + "\n");
        out.flush();
    }

    String render(long now) {
        double secs = Math.max((now - start) / 1e9, 1e-9);
        int filled = (int) (WIDTH * Math.min(done, total) / total);
        return String.format(Locale.ROOT, "%s [%s%s] %d/%d  %,.0f samples/s  loss %.4f",
                label, "#".repeat(filled), ".".repeat(WIDTH - filled), done, total, done / secs, value);
    }
}
