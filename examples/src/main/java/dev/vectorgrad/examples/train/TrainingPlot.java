package dev.vectorgrad.examples.train;

import dev.vectorgrad.examples.cli.OutputDir;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Stroke;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Draws the loss (train and valid) and the validation accuracy per epoch as two side-by-side
 * line charts in a PNG, with {@link BufferedImage} and {@link ImageIO} only (headless).
 */
public final class TrainingPlot {

    private static final int W = 1000;
    private static final int H = 420;
    private static final Color TRAIN = new Color(31, 119, 180);
    private static final Color VALID = new Color(255, 127, 14);
    private static final Color ACC = new Color(44, 160, 44);
    private static final Color GRID = new Color(225, 225, 225);

    private TrainingPlot() {}

    /**
     * Writes the plot.
     *
     * @param file the PNG to (over)write, through a temporary sibling renamed into place
     *     ({@link OutputDir#writeAtomically}), so that a half-written PNG never has its name
     * @param title the title line (dataset, network)
     * @param history one entry per epoch
     * @throws IOException if the file cannot be written
     */
    public static void write(Path file, String title, List<EpochStats> history) throws IOException {
        BufferedImage img = render(title, history);
        OutputDir.writeAtomically(file, tmp -> {
            if (!ImageIO.write(img, "png", tmp.toFile())) {
                throw new IOException("plot: no PNG writer in this JDK");
            }
        });
    }

    static BufferedImage render(String title, List<EpochStats> history) {
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, W, H);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
            centre(g, title, W / 2, 24);
            int n = history.size();
            double[] epochs = new double[n];
            double[] train = new double[n];
            double[] valid = new double[n];
            double[] acc = new double[n];
            for (int i = 0; i < n; i++) {
                EpochStats s = history.get(i);
                epochs[i] = s.epoch();
                train[i] = s.trainLoss();
                valid[i] = s.validLoss();
                acc[i] = s.validAccuracy();
            }
            // Without a validation split its values are NaN: they are left out of ranges and lines.
            double maxLoss = 0;
            for (int i = 0; i < n; i++) {
                maxLoss = Math.max(maxLoss, Double.isFinite(train[i]) ? train[i] : 0);
                maxLoss = Math.max(maxLoss, Double.isFinite(valid[i]) ? valid[i] : 0);
            }
            double minAcc = 1;
            double maxAcc = 0;
            for (double a : acc) {
                if (Double.isFinite(a)) {
                    minAcc = Math.min(minAcc, a);
                    maxAcc = Math.max(maxAcc, a);
                }
            }
            if (minAcc > maxAcc) {
                minAcc = 0;
                maxAcc = 1;
            }
            Panel loss = new Panel(70, 50, 400, 300, 0.5, Math.max(n, 1) + 0.5, 0, niceCeil(maxLoss));
            loss.axes(g, "cross-entropy loss", "epoch");
            loss.line(g, epochs, train, TRAIN);
            loss.line(g, epochs, valid, VALID);
            legend(g, 70 + 400 - 130, 60, new String[] {"train", "valid"}, new Color[] {TRAIN, VALID});
            double lo = Math.max(0, Math.floor((minAcc - 0.02) * 50) / 50);
            double hi = Math.min(1, Math.ceil((maxAcc + 0.01) * 50) / 50);
            if (hi <= lo) {
                hi = Math.min(1, lo + 0.02);
                lo = hi - 0.02;
            }
            Panel accuracy = new Panel(570, 50, 400, 300, 0.5, Math.max(n, 1) + 0.5, lo, hi);
            accuracy.axes(g, "validation accuracy", "epoch");
            accuracy.line(g, epochs, acc, ACC);
            legend(g, 570 + 400 - 130, 60, new String[] {"valid accuracy"}, new Color[] {ACC});
        } finally {
            g.dispose();
        }
        return img;
    }

    private static double niceCeil(double v) {
        if (!(v > 0) || !Double.isFinite(v)) {
            return 1;
        }
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10}) {
            if (m * p >= v) {
                return m * p;
            }
        }
        return 10 * p;
    }

    private static void centre(Graphics2D g, String s, int x, int y) {
        FontMetrics fm = g.getFontMetrics();
        g.drawString(s, x - fm.stringWidth(s) / 2, y);
    }

    private static void legend(Graphics2D g, int x, int y, String[] names, Color[] colours) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        for (int i = 0; i < names.length; i++) {
            int yy = y + 18 * i;
            g.setColor(colours[i]);
            g.setStroke(new BasicStroke(2.5f));
            g.drawLine(x, yy + 8, x + 24, yy + 8);
            g.setColor(Color.BLACK);
            g.drawString(names[i], x + 30, yy + 13);
        }
    }

    /** One chart: a pixel rectangle and the data ranges it shows. */
    private record Panel(int x, int y, int w, int h, double x0, double x1, double y0, double y1) {

        int px(double v) {
            return x + (int) Math.round((v - x0) / (x1 - x0) * w);
        }

        int py(double v) {
            return y + h - (int) Math.round((v - y0) / (y1 - y0) * h);
        }

        void axes(Graphics2D g, String yLabel, String xLabel) {
            g.setStroke(new BasicStroke(1f));
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            FontMetrics fm = g.getFontMetrics();
            int ticks = 5;
            for (int i = 0; i <= ticks; i++) {
                double v = y0 + (y1 - y0) * i / ticks;
                int yy = py(v);
                g.setColor(GRID);
                g.drawLine(x, yy, x + w, yy);
                g.setColor(Color.BLACK);
                String s = String.format(Locale.ROOT, y1 - y0 < 0.2 ? "%.3f" : "%.2f", v);
                g.drawString(s, x - 8 - fm.stringWidth(s), yy + 4);
            }
            int last = (int) Math.floor(x1);
            int step = Math.max(1, (int) Math.ceil(last / 10.0));
            for (int e = 1; e <= last; e += step) {
                int xx = px(e);
                g.setColor(GRID);
                g.drawLine(xx, y, xx, y + h);
                g.setColor(Color.BLACK);
                String s = Integer.toString(e);
                g.drawString(s, xx - fm.stringWidth(s) / 2, y + h + 16);
            }
            g.setColor(Color.BLACK);
            g.drawRect(x, y, w, h);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
            fm = g.getFontMetrics();
            g.drawString(xLabel, x + w / 2 - fm.stringWidth(xLabel) / 2, y + h + 40);
            g.drawString(yLabel, x + w / 2 - fm.stringWidth(yLabel) / 2, y - 8);
        }

        void line(Graphics2D g, double[] xs, double[] ys, Color c) {
            Stroke old = g.getStroke();
            g.setColor(c);
            g.setStroke(new BasicStroke(2.5f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            Path2D.Double p = new Path2D.Double();
            boolean pen = false;
            for (int i = 0; i < xs.length; i++) {
                if (!Double.isFinite(ys[i])) {
                    pen = false;
                } else if (!pen) {
                    p.moveTo(px(xs[i]), py(ys[i]));
                    pen = true;
                } else {
                    p.lineTo(px(xs[i]), py(ys[i]));
                }
            }
            g.draw(p);
            for (int i = 0; i < xs.length; i++) {
                if (Double.isFinite(ys[i])) {
                    g.fillOval(px(xs[i]) - 4, py(ys[i]) - 4, 8, 8);
                }
            }
            g.setStroke(old);
        }
    }
}
