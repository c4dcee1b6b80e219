package dev.vectorgrad.data;

import dev.vectorgrad.core.Rng;
import dev.vectorgrad.core.Tensor;
import dev.vectorgrad.data.idx.Idx;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A seeded generator of 28x28 handwritten-looking digits, the offline dataset that always
 * works. Each digit 0-9 is a few strokes (polylines and ellipse arcs) in a unit box; every
 * sample moves the stroke points a little, applies a random affine map (rotation, scale,
 * shear, translation), draws the strokes with a random pen width and anti-aliased edges, and
 * adds pixel noise. Anything trained or shown on it should say {@value #NAME}: it is not MNIST.
 */
public final class SyntheticDigits {
    /** The dataset's name, for logs and plots. */
    public static final String NAME = "synthetic digits";
    /** Image side in pixels. */
    public static final int SIDE = 28;
    /** Pixels per image. */
    public static final int PIXELS = SIDE * SIDE;

    private static final float[][][] STROKES = strokes();

    private SyntheticDigits() {}

    /**
     * Generates a split with labels drawn uniformly from 0-9.
     *
     * @param name the split's name (e.g. {@code "train"})
     * @param count number of images
     * @param seed the seed; the same seed gives the same images
     * @return images {@code [count, 784]} in [0, 1], labels {@code [count]}
     */
    public static Split generate(String name, int count, long seed) {
        if (count < 0) {
            throw new IllegalArgumentException("SyntheticDigits.generate: count must be >= 0, got " + count);
        }
        Rng rng = new Rng(seed);
        float[] images = new float[Math.multiplyExact(count, PIXELS)];
        float[] labels = new float[count];
        for (int i = 0; i < count; i++) {
            int digit = rng.nextInt(10);
            labels[i] = digit;
            render(digit, rng, images, i * PIXELS);
        }
        return new Split(name, Tensor.wrap(images, count, PIXELS), Tensor.wrap(labels, count));
    }

    /**
     * Draws one digit into {@code dest[offset .. offset + 784)} (row-major, 0 background, 1 ink).
     *
     * @param digit 0-9
     * @param rng source of the random deformation
     * @param dest the buffer
     * @param offset where the image starts
     */
    public static void render(int digit, Rng rng, float[] dest, int offset) {
        if (digit < 0 || digit > 9) {
            throw new IllegalArgumentException("SyntheticDigits.render: digit must be 0-9, got " + digit);
        }
        double angle = Math.toRadians((rng.nextDouble() * 2 - 1) * 15);
        double sx = 0.85 + rng.nextDouble() * 0.3;
        double sy = 0.85 + rng.nextDouble() * 0.25;
        double shear = (rng.nextDouble() * 2 - 1) * 0.3;
        double tx = (rng.nextDouble() * 2 - 1) * 2.0;
        double ty = (rng.nextDouble() * 2 - 1) * 2.0;
        double pen = 0.9 + rng.nextDouble() * 1.1;
        double jitter = 0.06;
        // Unit box [-1, 1] maps to about 20 pixels, like MNIST's 20x20 box inside 28x28.
        double half = 9.5;
        double cos = Math.cos(angle);
        double sin = Math.sin(angle);

        for (int i = 0; i < PIXELS; i++) {
            dest[offset + i] = 0f;
        }
        for (float[] stroke : STROKES[digit]) {
            int pts = stroke.length / 2;
            double[] px = new double[pts];
            double[] py = new double[pts];
            for (int p = 0; p < pts; p++) {
                double x = stroke[2 * p] + (rng.nextDouble() * 2 - 1) * jitter;
                double y = stroke[2 * p + 1] + (rng.nextDouble() * 2 - 1) * jitter;
                x = x * sx + y * shear;
                y = y * sy;
                double rx = x * cos - y * sin;
                double ry = x * sin + y * cos;
                px[p] = SIDE / 2.0 - 0.5 + tx + rx * half;
                py[p] = SIDE / 2.0 - 0.5 + ty + ry * half;
            }
            for (int p = 0; p + 1 < pts; p++) {
                drawSegment(dest, offset, px[p], py[p], px[p + 1], py[p + 1], pen);
            }
        }
        double noise = 0.03 + rng.nextDouble() * 0.04;
        for (int i = 0; i < PIXELS; i++) {
            double v = dest[offset + i] + rng.nextGaussian() * noise;
            dest[offset + i] = (float) Math.min(1.0, Math.max(0.0, v));
        }
    }

    /** Ink = 1 within the pen radius of the segment, fading linearly over one pixel. */
    private static void drawSegment(float[] dest, int offset, double x0, double y0, double x1, double y1, double pen) {
        int minX = Math.max(0, (int) Math.floor(Math.min(x0, x1) - pen - 1));
        int maxX = Math.min(SIDE - 1, (int) Math.ceil(Math.max(x0, x1) + pen + 1));
        int minY = Math.max(0, (int) Math.floor(Math.min(y0, y1) - pen - 1));
        int maxY = Math.min(SIDE - 1, (int) Math.ceil(Math.max(y0, y1) + pen + 1));
        double dx = x1 - x0;
        double dy = y1 - y0;
        double len2 = dx * dx + dy * dy;
        for (int y = minY; y <= maxY; y++) {
            for (int x = minX; x <= maxX; x++) {
                double t = len2 == 0 ? 0 : ((x - x0) * dx + (y - y0) * dy) / len2;
                t = Math.max(0, Math.min(1, t));
                double ex = x0 + t * dx - x;
                double ey = y0 + t * dy - y;
                double d = Math.sqrt(ex * ex + ey * ey);
                double ink = Math.min(1.0, Math.max(0.0, pen - d + 0.5));
                int i = offset + y * SIDE + x;
                if (ink > dest[i]) {
                    dest[i] = (float) ink;
                }
            }
        }
    }

    /**
     * Writes a generated train and test set as the four MNIST-named IDX files (gzip), so that
     * any command taking an MNIST folder can use it.
     *
     * @param dir the folder to write into (created if needed)
     * @param trainCount training images
     * @param testCount test images
     * @param seed the seed (the test set uses a seed derived from it)
     * @throws IOException if writing fails
     */
    public static void writeIdx(Path dir, int trainCount, int testCount, long seed) throws IOException {
        Split train = generate("train", trainCount, seed);
        Split test = generate("test", testCount, seed ^ 0x5DEECE66DL);
        writeSplit(dir, train, "train");
        writeSplit(dir, test, "t10k");
    }

    private static void writeSplit(Path dir, Split s, String prefix) throws IOException {
        Idx.writeImages(dir.resolve(prefix + "-images-idx3-ubyte.gz"), s.images().reshape(s.size(), SIDE, SIDE), true);
        Idx.writeLabels(dir.resolve(prefix + "-labels-idx1-ubyte.gz"), s.labels(), true);
    }

    private static float[] ellipse(double cx, double cy, double rx, double ry, double fromDeg, double toDeg, int n) {
        float[] p = new float[2 * (n + 1)];
        for (int i = 0; i <= n; i++) {
            double a = Math.toRadians(fromDeg + (toDeg - fromDeg) * i / n);
            p[2 * i] = (float) (cx + rx * Math.cos(a));
            p[2 * i + 1] = (float) (cy + ry * Math.sin(a));
        }
        return p;
    }

    private static float[] line(double... xy) {
        float[] p = new float[xy.length];
        for (int i = 0; i < xy.length; i++) {
            p[i] = (float) xy[i];
        }
        return p;
    }

    /** Stroke skeletons in a box x in [-0.6, 0.6], y in [-1, 1], y pointing down. */
    private static float[][][] strokes() {
        return new float[][][] {
            {ellipse(0, 0, 0.55, 0.92, 0, 360, 20)},
            {line(-0.25, -0.6, 0.05, -0.92, 0.05, 0.92)},
            {line(-0.5, -0.5, -0.3, -0.85, 0.1, -0.92, 0.45, -0.65, 0.45, -0.3, 0.0, 0.2, -0.5, 0.9, 0.55, 0.9)},
            {line(-0.5, -0.75, -0.1, -0.92, 0.35, -0.8, 0.45, -0.45, 0.1, -0.08, -0.2, -0.08),
                line(0.1, -0.08, 0.5, 0.3, 0.4, 0.75, 0.0, 0.92, -0.5, 0.75)},
            {line(0.25, 0.92, 0.25, -0.92, -0.55, 0.35, 0.6, 0.35)},
            {line(0.5, -0.9, -0.35, -0.9, -0.45, -0.1, 0.1, -0.2, 0.45, 0.1, 0.5, 0.5, 0.3, 0.85, -0.1, 0.92, -0.5, 0.75)},
            {line(0.4, -0.85, 0.0, -0.92, -0.4, -0.5, -0.5, 0.2, -0.4, 0.7, 0.0, 0.92, 0.4, 0.7, 0.45, 0.3, 0.2, 0.0,
                    -0.2, 0.0, -0.48, 0.3)},
            {line(-0.5, -0.9, 0.5, -0.9, -0.1, 0.92)},
            {ellipse(0, -0.47, 0.38, 0.43, 0, 360, 16), ellipse(0, 0.45, 0.46, 0.47, 0, 360, 16)},
            {ellipse(0, -0.42, 0.42, 0.47, 0, 360, 16), line(0.42, -0.42, 0.3, 0.92)},
        };
    }
}
