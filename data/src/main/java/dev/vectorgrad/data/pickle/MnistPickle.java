package dev.vectorgrad.data.pickle;

import dev.vectorgrad.core.Tensor;
import dev.vectorgrad.data.DataFormatException;
import dev.vectorgrad.data.Split;
import dev.vectorgrad.data.internal.Bytes;
import dev.vectorgrad.data.numpy.NdArray;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The lesson's {@code mnist.pkl.gz}: {@code ((x_train, y_train), (x_valid, y_valid),
 * (x_test, y_test))}, images as float32 rows in [0, 1], labels as int64 class indices; written
 * by Python 2's cPickle or by Python 3 (any protocol from 2 to 5).
 *
 * @param train 50,000 training images and labels in the original file
 * @param valid 10,000 validation images and labels
 * @param test 10,000 test images and labels
 */
public record MnistPickle(Split train, Split valid, Split test) {

    /**
     * Reads the file.
     *
     * @param file {@code mnist.pkl.gz} (or an uncompressed {@code mnist.pkl})
     * @return the three splits, images {@code [n, 784]}, labels {@code [n]}
     * @throws DataFormatException if the file is not a pickle of that shape
     * @throws IOException if the file cannot be read
     */
    public static MnistPickle read(Path file) throws IOException {
        return decode(Bytes.readMaybeGzip(file), file.toString());
    }

    /**
     * Decodes the file's bytes.
     *
     * @param bytes the file's bytes, gzip-compressed or not
     * @param source the name used in error messages
     * @return the three splits
     * @throws DataFormatException if the bytes are not a pickle of that shape
     */
    public static MnistPickle decode(byte[] bytes, String source) throws DataFormatException {
        Object v = Pickle.load(bytes, source);
        List<?> top = tuple(v, 3, source, "the top-level value");
        String[] names = {"train", "valid", "test"};
        Split[] splits = new Split[3];
        for (int i = 0; i < 3; i++) {
            List<?> pair = tuple(top.get(i), 2, source, "the " + names[i] + " split");
            NdArray x = array(pair.get(0), source, names[i] + " images");
            NdArray y = array(pair.get(1), source, names[i] + " labels");
            if (x.shape().length != 2) {
                throw new DataFormatException(source, names[i] + " images have shape " + Arrays.toString(x.shape())
                        + ", expected [n, pixels]");
            }
            if (y.shape().length != 1) {
                throw new DataFormatException(source, names[i] + " labels have shape " + Arrays.toString(y.shape())
                        + ", expected [n]");
            }
            Tensor xt = x.toTensor();
            Tensor yt = y.toTensor();
            splits[i] = Split.of(names[i], xt, yt, source);
        }
        return new MnistPickle(splits[0], splits[1], splits[2]);
    }

    private static List<?> tuple(Object v, int n, String source, String what) throws DataFormatException {
        if (v instanceof List<?> l && l.size() == n) {
            return l;
        }
        throw new DataFormatException(source, what + " should be a " + n + "-tuple but is "
                + (v == null ? "None" : v instanceof List<?> l ? "a sequence of " + l.size() : v.getClass().getSimpleName()));
    }

    private static NdArray array(Object v, String source, String what) throws DataFormatException {
        if (v instanceof NdArray a) {
            return a;
        }
        throw new DataFormatException(source, what + " should be an ndarray but is "
                + (v == null ? "None" : v.getClass().getSimpleName()));
    }
}
