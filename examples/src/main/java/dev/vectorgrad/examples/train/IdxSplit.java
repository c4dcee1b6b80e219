package dev.vectorgrad.examples.train;

import dev.vectorgrad.data.idx.Idx;
import dev.vectorgrad.data.idx.IdxArray;
import java.io.IOException;
import java.nio.file.Path;

/**
 * One split of an IDX folder (an images file and its labels file) as training data, the pixels
 * kept as the bytes the data module's {@link Idx#readImageBytes} reads them as, with no float copy.
 */
final class IdxSplit {

    private IdxSplit() {}

    /**
     * Reads an images file and its labels file into training data.
     *
     * @param name what to call the data
     * @param images the {@code *-images-idx3-ubyte[.gz]} file
     * @param labels the {@code *-labels-idx1-ubyte[.gz]} file
     * @param useCache whether to keep and use decompressed copies of gzip files ({@link RawCache#DEFAULT})
     * @return the data
     * @throws IOException if a file is missing, malformed, or the two disagree on the count
     */
    static ImageData read(String name, Path images, Path labels, boolean useCache) throws IOException {
        return read(name, images, labels, useCache ? RawCache.DEFAULT : new RawCache(null));
    }

    static ImageData read(String name, Path images, Path labels, RawCache cache) throws IOException {
        IdxArray x = cache.read(images, Idx::readImageBytes);
        IdxArray y = cache.read(labels, Idx::readLabelBytes);
        int n = x.header().size(0);
        if (y.header().size(0) != n) {
            throw new IOException(images + " holds " + n + " images but " + labels + " holds " + y.header().size(0)
                    + " labels");
        }
        byte[] yb = y.data();
        int[] ys = new int[n];
        for (int i = 0; i < n; i++) {
            ys[i] = yb[i] & 0xff;
        }
        return ImageData.ofBytes(name, n, x.header().size(1) * x.header().size(2), x.data(), ys);
    }
}
