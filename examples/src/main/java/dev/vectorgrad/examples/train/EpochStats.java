package dev.vectorgrad.examples.train;

/**
 * What one epoch measured.
 *
 * @param epoch 1-based epoch number
 * @param trainLoss mean cross-entropy over the epoch's batches
 * @param validLoss mean cross-entropy on the held-out images after the epoch
 * @param validAccuracy fraction of held-out images classified right
 * @param trainSeconds wall time of the epoch's training steps
 * @param samplesPerSecond training throughput
 */
public record EpochStats(int epoch, double trainLoss, double validLoss, double validAccuracy, double trainSeconds,
                         double samplesPerSecond) {}
