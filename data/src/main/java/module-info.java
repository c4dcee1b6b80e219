/**
 * Datasets: MNIST-family loaders (IDX, the lesson's {@code mnist.pkl.gz} through a pickle
 * reader that runs no code), NumPy {@code .npy}/{@code .npz}, checked downloads, a synthetic
 * digit generator, and {@code Dataset}/{@code DataLoader} batching.
 */
module dev.vectorgrad.data {
    requires transitive dev.vectorgrad.core;

    exports dev.vectorgrad.data;
    exports dev.vectorgrad.data.idx;
    exports dev.vectorgrad.data.pickle;
    exports dev.vectorgrad.data.numpy;
    exports dev.vectorgrad.data.download;
    exports dev.vectorgrad.data.npm;
}
