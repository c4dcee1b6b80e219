package dev.vectorgrad.examples.train;

import java.util.Arrays;

/**
 * Labelled images for training: pixels kept as the bytes they came in (a quarter of the memory of
 * floats: 47 MB instead of 188 MB for MNIST's 60,000 training images) or as floats in [0, 1], and
 * turned into normalised floats one batch at a time.
 */
public final class ImageData {

    private final String name;
    private final int count;
    private final int features;
    private final byte[] bytePixels;
    private final float[] floatPixels;
    private final int[] labels;
    private final int classes;

    private ImageData(String name, int count, int features, byte[] bytePixels, float[] floatPixels, int[] labels) {
        this.name = name;
        this.count = count;
        this.features = features;
        this.bytePixels = bytePixels;
        this.floatPixels = floatPixels;
        this.labels = labels;
        int max = -1;
        for (int y : labels) {
            if (y < 0) {
                throw new IllegalArgumentException(name + ": negative label " + y);
            }
            max = Math.max(max, y);
        }
        this.classes = max + 1;
    }

    /**
     * @param name what to call the data in messages
     * @param count number of images
     * @param features pixels per image
     * @param pixels {@code count*features} bytes, 0-255, row-major
     * @param labels one class index per image
     * @return the data (sharing the arrays)
     */
    public static ImageData ofBytes(String name, int count, int features, byte[] pixels, int[] labels) {
        check(name, count, features, pixels.length, labels.length);
        return new ImageData(name, count, features, pixels, null, labels);
    }

    /**
     * @param name what to call the data in messages
     * @param count number of images
     * @param features pixels per image
     * @param pixels {@code count*features} floats in [0, 1], row-major
     * @param labels one class index per image
     * @return the data (sharing the arrays)
     */
    public static ImageData ofFloats(String name, int count, int features, float[] pixels, int[] labels) {
        check(name, count, features, pixels.length, labels.length);
        return new ImageData(name, count, features, null, pixels, labels);
    }

    private static void check(String name, int count, int features, int pixels, int labels) {
        if ((long) count * features != pixels || labels != count) {
            throw new IllegalArgumentException(name + ": " + count + " images of " + features + " pixels need "
                    + (long) count * features + " pixels and " + count + " labels, got " + pixels + " and " + labels);
        }
    }

    /** @return the name given */
    public String name() {
        return name;
    }

    /** @return the number of images */
    public int size() {
        return count;
    }

    /** @return pixels per image */
    public int features() {
        return features;
    }

    /** @return 1 + the largest label */
    public int classes() {
        return classes;
    }

    /**
     * @param i an image index
     * @return its label
     */
    public int label(int i) {
        return labels[i];
    }

    /**
     * Writes image {@code i} as {@code (pixel/255 - mean) / std} into {@code dest[offset ...]}.
     *
     * @param i the image
     * @param dest the batch buffer
     * @param offset where the row starts
     * @param mean the mean to subtract (of pixels scaled to [0, 1])
     * @param invStd one over the standard deviation
     */
    public void copyNormalised(int i, float[] dest, int offset, float mean, float invStd) {
        int src = i * features;
        if (bytePixels != null) {
            float scale = invStd / 255f;
            float shift = -mean * invStd;
            for (int j = 0; j < features; j++) {
                dest[offset + j] = (bytePixels[src + j] & 0xff) * scale + shift;
            }
        } else {
            for (int j = 0; j < features; j++) {
                dest[offset + j] = (floatPixels[src + j] - mean) * invStd;
            }
        }
    }

    /**
     * The mean and standard deviation of every pixel of the given images, scaled to [0, 1].
     *
     * @param indices the images to include
     * @return {mean, std}
     */
    public float[] meanAndStd(int[] indices) {
        double sum = 0;
        double sumSq = 0;
        if (bytePixels != null) {
            long[] hist = new long[256];
            for (int i : indices) {
                for (int j = i * features, end = j + features; j < end; j++) {
                    hist[bytePixels[j] & 0xff]++;
                }
            }
            for (int v = 0; v < 256; v++) {
                double x = v / 255.0;
                sum += hist[v] * x;
                sumSq += hist[v] * x * x;
            }
        } else {
            for (int i : indices) {
                for (int j = i * features, end = j + features; j < end; j++) {
                    sum += floatPixels[j];
                    sumSq += (double) floatPixels[j] * floatPixels[j];
                }
            }
        }
        double n = (double) indices.length * features;
        double mean = sum / n;
        double var = Math.max(sumSq / n - mean * mean, 0);
        double std = Math.sqrt(var);
        return new float[] {(float) mean, (float) (std > 1e-6 ? std : 1.0)};
    }

    /** @return the indices 0..size-1 */
    public int[] allIndices() {
        int[] idx = new int[count];
        Arrays.setAll(idx, i -> i);
        return idx;
    }
}
