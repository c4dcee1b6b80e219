package dev.vectorgrad.data;

/**
 * A loaded MNIST-family dataset.
 *
 * @param kind which dataset
 * @param train the 60,000 training images and labels (images {@code [n, 784]} in [0, 1])
 * @param test the 10,000 test images and labels
 * @param resolution where the files were found
 */
public record MnistData(Kind kind, Split train, Split test, Resolution resolution) {}
