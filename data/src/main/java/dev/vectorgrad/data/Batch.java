package dev.vectorgrad.data;

import dev.vectorgrad.core.Tensor;

/**
 * One batch from a {@link DataLoader}. The tensors are views of buffers the loader reuses:
 * they are valid until the iterator moves on ({@code copy()} them to keep them longer), and
 * each new batch bumps their {@code version()}, so autograd can tell a stale saved batch.
 *
 * @param x features {@code [size, ...sampleShape]}
 * @param y labels {@code [size]}
 * @param size number of samples (the last batch may be smaller than the batch size)
 * @param indices dataset index of each sample in this batch (a small array of its own)
 */
public record Batch(Tensor x, Tensor y, int size, int[] indices) {}
