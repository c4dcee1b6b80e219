package dev.vectorgrad.examples.train;

import dev.vectorgrad.data.Batch;
import dev.vectorgrad.data.DataLoader;
import dev.vectorgrad.data.ImageDataset;
import dev.vectorgrad.nn.TrainStep;
import dev.vectorgrad.nn.metrics.ConfusionMatrix;

/**
 * Loss, accuracy and confusion matrix of a model over a set of images, in batches of
 * {@link #BATCH} through {@link TrainStep#evaluate} (no gradients, no update).
 *
 * @param loss mean cross-entropy per image
 * @param accuracy fraction classified right
 * @param confusion the counts of (true, predicted) classes
 */
record Evaluation(double loss, double accuracy, ConfusionMatrix confusion) {

    static final int BATCH = 1000;

    /**
     * @param data the images to score, in order
     * @param norm the normalisation the model was trained with
     * @param arch the model: one with large activations per image (30,000 classes, a CNN) gets
     *     smaller batches, so that one batch's activations stay within {@code 4M} floats
     * @return a loader of batches of at most {@link #BATCH}, reusable for every evaluation of {@code data}
     */
    static DataLoader loader(ImageDataset data, ImageDataset.MeanStd norm, Architecture arch) {
        return DataLoader.builder(data, arch.evaluationBatch()).normalize(norm.mean(), norm.std()).build();
    }

    /**
     * Scores the model in evaluation mode ({@code eval()}: batch norm on its running statistics,
     * dropout off), then puts it back in the mode it was in.
     *
     * @param step the model's step; only its {@link TrainStep#evaluate} is used
     * @param loader the images, at least one
     * @param classes the model's number of outputs
     * @return what the model scores on them
     */
    static Evaluation run(TrainStep step, DataLoader loader, int classes) {
        ConfusionMatrix cm = new ConfusionMatrix(classes);
        double lossSum = 0;
        long count = 0;
        boolean wasTraining = step.model().isTraining();
        step.model().eval();
        try {
            for (Batch b : loader) {
                float loss = step.evaluate(b.x(), b.y());
                cm.add(step.lastOutput(), b.y());
                lossSum += (double) loss * b.size();
                count += b.size();
            }
        } finally {
            step.model().train(wasTraining);
        }
        return new Evaluation(lossSum / count, cm.accuracy(), cm);
    }
}
