package dev.vectorgrad.data;

import dev.vectorgrad.core.Tensor;

/**
 * One batch from a {@link DataLoader}. The tensors and the indices are buffers the loader reuses
 * (a full batch is even the same {@code Batch} object each time, so that gathering allocates
 * nothing): they are valid until the iterator moves on ({@code copy()} the tensors, clone the
 * indices to keep them longer), and each new batch bumps the tensors' {@code version()}, so
 * autograd can tell a stale saved batch.
 *
 * @param x features {@code [size, ...sampleShape]}
 * @param y labels {@code [size]}
 * @param size number of samples (the last batch may be smaller than the batch size)
 * @param indices dataset index of each sample in this batch (exactly {@code size} of them)
 */
public record Batch(Tensor x, Tensor y, int size, int[] indices) {}
