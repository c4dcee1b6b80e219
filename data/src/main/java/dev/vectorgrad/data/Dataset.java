package dev.vectorgrad.data;

/**
 * Indexed samples of fixed shape with a class label, copied on request into buffers the caller
 * owns, so a {@link DataLoader} can gather a batch without allocating per sample.
 */
public interface Dataset {
    /** @return the number of samples */
    int size();

    /** @return the shape of one sample's features, e.g. {@code [784]} or {@code [28, 28]} */
    int[] sampleShape();

    /** @return the number of floats in one sample ({@code product(sampleShape())}) */
    default int sampleSize() {
        int n = 1;
        for (int s : sampleShape()) {
            n *= s;
        }
        return n;
    }

    /**
     * Copies sample {@code index}'s features, row-major, into {@code dest[offset ...]}.
     *
     * @param index sample index in {@code [0, size())}
     * @param dest the buffer to fill
     * @param offset where to start writing; {@link #sampleSize()} floats are written
     */
    void copyFeatures(int index, float[] dest, int offset);

    /**
     * Copies sample {@code index}'s features normalised, each value {@code v} written as
     * {@code (v - mean) * invStd}: what a {@link DataLoader} with
     * {@link DataLoader.Builder#normalize} gathers. This default copies, then rescales in a second
     * pass; a dataset that can do both in one pass (bytes to normalised floats) overrides it.
     *
     * @param index sample index in {@code [0, size())}
     * @param dest the buffer to fill
     * @param offset where to start writing; {@link #sampleSize()} floats are written
     * @param mean subtracted from every feature
     * @param invStd one over the standard deviation, multiplied in after the subtraction
     */
    default void copyFeatures(int index, float[] dest, int offset, float mean, float invStd) {
        copyFeatures(index, dest, offset);
        for (int j = offset, end = offset + sampleSize(); j < end; j++) {
            dest[j] = (dest[j] - mean) * invStd;
        }
    }

    /**
     * @param index sample index in {@code [0, size())}
     * @return the sample's class label
     */
    float label(int index);
}
