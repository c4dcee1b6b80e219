package dev.vectorgrad.bench;

import dev.vectorgrad.autograd.Var;
import dev.vectorgrad.core.Rng;
import dev.vectorgrad.data.Batch;
import dev.vectorgrad.data.DataLoader;
import dev.vectorgrad.data.Dataset;
import dev.vectorgrad.nn.CrossEntropyLoss;
import dev.vectorgrad.nn.Linear;
import dev.vectorgrad.nn.ReLU;
import dev.vectorgrad.nn.Sequential;
import dev.vectorgrad.nn.TrainStep;
import dev.vectorgrad.nn.optim.Optimizer;
import dev.vectorgrad.nn.optim.Sgd;

/**
 * The MLP trained as a user of vectorgrad-nn writes it: {@code Sequential(Linear, ReLU, Linear)},
 * {@code CrossEntropyLoss}, SGD with momentum 0.9, a shuffling, normalising {@code DataLoader},
 * and either the captured {@link TrainStep} or the eager loop ({@code zeroGrad}, forward, loss,
 * {@code backward}, {@code step}).
 */
final class PublicApiTrainer implements EpochTrainer {

    private final boolean captured;
    private final Sequential model;
    private final CrossEntropyLoss loss = new CrossEntropyLoss();
    private final Optimizer optimizer;
    private final TrainStep step;
    private final DataLoader loader;
    private double lastLoss;

    PublicApiTrainer(boolean captured, Dataset data, int hidden, int batch, float mean, float std, long seed) {
        this.captured = captured;
        Rng rng = new Rng(seed);
        int features = data.sampleSize();
        model = new Sequential(Linear.kaimingNormal(features, hidden, rng), new ReLU(), Linear.kaimingNormal(hidden, 10, rng));
        optimizer = Sgd.builder(model.parameters(), 0.05f).momentum(0.9f).build();
        step = new TrainStep(model, loss, optimizer);
        loader = DataLoader.builder(data, batch).shuffle(seed).normalize(mean, std).build();
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
