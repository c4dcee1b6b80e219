/** Datasets: MNIST-family loaders, safe pickle reading, synthetic digits, batching. */
module dev.vectorgrad.data {
    requires transitive dev.vectorgrad.core;

    exports dev.vectorgrad.data;
}
