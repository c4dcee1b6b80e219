package dev.vectorgrad.bench;

import dev.vectorgrad.data.Dataset;

/** The training images as bytes (as the trainers keep them), a {@link Dataset} of [784] floats in [0, 1]. */
record ByteImages(byte[] pixels, byte[] labels, int features) implements Dataset {

    @Override
    public int size() {
        return labels.length;
    }

    @Override
    public int[] sampleShape() {
        return new int[] {features};
    }

    @Override
    public void copyFeatures(int index, float[] dest, int offset) {
        int src = index * features;
        for (int j = 0; j < features; j++) {
            dest[offset + j] = (pixels[src + j] & 0xff) * (1f / 255f);
        }
    }

    @Override
    public float label(int index) {
        return labels[index] & 0xff;
    }
}
