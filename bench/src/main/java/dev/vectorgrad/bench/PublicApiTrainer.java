package dev.vectorgrad.bench;

import dev.vectorgrad.autograd.Var;
import dev.vectorgrad.core.Rng;
import dev.vectorgrad.data.Batch;
import dev.vectorgrad.data.DataLoader;
import dev.vectorgrad.data.Dataset;
import dev.vectorgrad.nn.CrossEntropyLoss;
import dev.vectorgrad.nn.Sequential;
import dev.vectorgrad.nn.TrainStep;
import dev.vectorgrad.nn.models.SmallCnn;
import dev.vectorgrad.nn.optim.LRScheduler;
import dev.vectorgrad.nn.optim.OneCycleLR;
import dev.vectorgrad.nn.optim.Optimizer;

/**
 * A network trained as a user of vectorgrad-nn writes it: the MLP {@code Sequential(Linear, ReLU,
 * Linear)} with SGD and momentum 0.9, or the library's {@link SmallCnn} with Adam under a
 * one-cycle schedule (as {@code ./vectorgrad train --model cnn}); {@code CrossEntropyLoss}, a
 * shuffling, normalising {@code DataLoader}, and either the captured {@link TrainStep} or the
 * eager loop ({@code zeroGrad}, forward, loss, {@code backward}, {@code step}).
 */
final class PublicApiTrainer implements EpochTrainer {

    private final boolean captured;
    private final Sequential model;
    private final CrossEntropyLoss loss = new CrossEntropyLoss();
    private final Optimizer optimizer;
    private final LRScheduler scheduler;
    private final TrainStep step;
    private final DataLoader loader;
    private double lastLoss;

    /**
     * @param captured the captured step (else the eager loop)
     * @param data the training images
     * @param model what to train, {@link TrainedModel#mlp} or {@link TrainedModel#cnn}
     * @param batch images per step
     * @param epochs the epochs the one-cycle schedule of a CNN spans
     * @param mean pixel mean of the normalisation
     * @param std pixel spread of the normalisation
     * @param seed seeds the weights and the shuffling
     */
    PublicApiTrainer(boolean captured, Dataset data, TrainedModel model, int batch, int epochs, float mean, float std,
                     long seed) {
        this.captured = captured;
        Rng rng = new Rng(seed);
        int features = data.sampleSize();
        loader = DataLoader.builder(data, batch).shuffle(seed).normalize(mean, std).build();
        this.model = model.network(features, 10, rng);
        optimizer = model.optimizer(this.model);
        scheduler = model.cnn() ? OneCycleLR.builder(optimizer, TrainedModel.CNN_LR, epochs * loader.batchCount()).build()
                : null;
        step = new TrainStep(this.model, loss, optimizer);
    }

    @Override
    public String name() {
        return captured ? "TrainStep (captured)" : "eager autograd";
    }

    @Override
    public int epoch() {
        int steps = 0;
        double sum = 0;
        for (Batch b : loader) {
            if (captured) {
                sum += step.step(b.x(), b.y());
            } else {
                model.zeroGrad();
                Var l = loss.call(model.call(Var.constant(b.x())), b.y());
                l.backward();
                optimizer.step();
                sum += l.item();
            }
            if (scheduler != null) {
                scheduler.step();
            }
            steps++;
        }
        lastLoss = sum / steps;
        return steps;
    }

    @Override
    public double lastLoss() {
        return lastLoss;
    }
}
