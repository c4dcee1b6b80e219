package dev.vectorgrad.data;

import dev.vectorgrad.core.Tensor;
import java.util.Arrays;

/** A {@link Dataset} over an images tensor {@code [n, ...]} and a labels tensor {@code [n]}. */
public final class TensorDataset implements Dataset {
    private final float[] features;
    private final float[] labels;
    private final int[] sampleShape;
    private final int sampleSize;

    /**
     * Copies both tensors once into row-major arrays (one copy up front, none per sample).
     *
     * @param images {@code [n, ...]}
     * @param labels {@code [n]}
     * @throws IllegalArgumentException if the counts differ or labels is not 1-d
     */
    public TensorDataset(Tensor images, Tensor labels) {
        if (images.dim() < 1 || labels.dim() != 1 || images.size(0) != labels.size(0)) {
            throw new IllegalArgumentException("TensorDataset: images " + Arrays.toString(images.shape())
                    + " and labels " + Arrays.toString(labels.shape()) + " must have the same first size, labels 1-d");
        }
        int[] s = images.shape();
        this.sampleShape = Arrays.copyOfRange(s, 1, s.length);
        int n = 1;
        for (int x : sampleShape) {
            n *= x;
        }
        this.sampleSize = n;
        this.features = images.toArray();
        this.labels = labels.toArray();
    }

    @Override
    public int size() {
        return labels.length;
    }

    @Override
    public int[] sampleShape() {
        return sampleShape.clone();
    }

    @Override
    public int sampleSize() {
        return sampleSize;
    }

    @Override
    public void copyFeatures(int index, float[] dest, int offset) {
        System.arraycopy(features, index * sampleSize, dest, offset, sampleSize);
    }

    @Override
    public float label(int index) {
        return labels[index];
    }
}
