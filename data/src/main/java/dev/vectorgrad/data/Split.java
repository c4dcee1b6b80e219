package dev.vectorgrad.data;

import dev.vectorgrad.core.Tensor;
import java.util.Arrays;

/**
 * One split of an image dataset: images and their class labels, the same count of each.
 *
 * @param name e.g. {@code "train"}, {@code "test"}
 * @param images {@code [n, pixels]} (or {@code [n, rows, cols]}) floats in [0, 1]
 * @param labels {@code [n]} class indices as floats
 */
public record Split(String name, Tensor images, Tensor labels) {

    /**
     * Checks that images and labels agree, then pairs them.
     *
     * @param name the split's name
     * @param images images, first dimension the sample count
     * @param labels labels {@code [n]}
     * @param source the file(s) they came from, for the error message
     * @return the split
     * @throws DataFormatException if the label count differs from the image count
     */
    public static Split of(String name, Tensor images, Tensor labels, String source) throws DataFormatException {
        if (labels.dim() != 1 || images.dim() < 1 || images.size(0) != labels.size(0)) {
            throw new DataFormatException(source, name + ": label count and image count differ: labels "
                    + Arrays.toString(labels.shape()) + ", images " + Arrays.toString(images.shape()));
        }
        return new Split(name, images, labels);
    }

    /** @return the number of samples */
    public int size() {
        return labels.size(0);
    }

    /** @return this split as a {@link Dataset} for a {@link DataLoader} */
    public TensorDataset asDataset() {
        return new TensorDataset(images, labels);
    }
}
