package dev.vectorgrad.bench;

import java.util.Locale;

import dev.vectorgrad.core.Rng;
import dev.vectorgrad.nn.Linear;
import dev.vectorgrad.nn.ReLU;
import dev.vectorgrad.nn.Sequential;
import dev.vectorgrad.nn.models.SmallCnn;
import dev.vectorgrad.nn.optim.Adam;
import dev.vectorgrad.nn.optim.Optimizer;
import dev.vectorgrad.nn.optim.Sgd;

/**
 * The network {@link TrainEpochs} and {@link TrainStepBench} train, as a user of vectorgrad-nn
 * builds it: an MLP {@code Sequential(Linear, ReLU, Linear)} {@code 784-hidden-10} with SGD
 * (lr 0.05, momentum 0.9), or the library's {@code SmallCnn} of channels {@code c1, c2} with
 * Adam (lr 0.01, as {@code ./vectorgrad train --model cnn}).
 *
 * @param cnn whether it is the CNN
 * @param hidden the MLP's hidden units (0 for the CNN)
 * @param c1 the CNN's first block's channels (0 for the MLP)
 * @param c2 the CNN's second block's channels (0 for the MLP)
 */
record TrainedModel(boolean cnn, int hidden, int c1, int c2) {

    static TrainedModel mlp(int hidden) {
        return new TrainedModel(false, hidden, 0, 0);
    }

    static TrainedModel cnn(int c1, int c2) {
        return new TrainedModel(true, 0, c1, c2);
    }

    /** What {@link #parse} accepts, for error messages. */
    static final String EXPECTED = "expected hidden units (50) or cnn:C1xC2 (cnn:C1,C2 also, but not in JMH's -p,"
            + " which splits values at commas)";

    /**
     * @param text {@code 50} (an MLP's hidden units) or {@code cnn:16x32}; {@code cnn:16,32} too,
     *     for the command lines of {@link TrainEpochs} (JMH's {@code -p} would split it in two)
     * @return the model
     * @throws IllegalArgumentException for anything else, naming the text and what is expected
     */
    static TrainedModel parse(String text) {
        try {
            if (text.startsWith("cnn:")) {
                String[] c = text.substring(4).split("[x,]", -1);
                if (c.length == 2 && Integer.parseInt(c[0]) > 0 && Integer.parseInt(c[1]) > 0) {
                    return cnn(Integer.parseInt(c[0]), Integer.parseInt(c[1]));
                }
            } else if (Integer.parseInt(text) > 0) {
                return mlp(Integer.parseInt(text));
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("model '" + text + "': " + EXPECTED);
    }

    /** Learning rate of the MLP's SGD. */
    static final float MLP_LR = 0.05f;
    /** Momentum of the MLP's SGD. */
    static final float MLP_MOMENTUM = 0.9f;
    /** Learning rate of the CNN's Adam (the peak of its one-cycle schedule in {@link TrainEpochs}). */
    static final float CNN_LR = 0.01f;

    /**
     * @param features pixels per image (a square for the CNN)
     * @param classes outputs
     * @param rng the generator of the initial weights
     * @return the untrained network
     */
    Sequential network(int features, int classes, Rng rng) {
        if (cnn) {
            return SmallCnn.build((int) Math.round(Math.sqrt(features)), c1, c2, classes, rng);
        }
        return new Sequential(Linear.kaimingNormal(features, hidden, rng), new ReLU(),
                Linear.kaimingNormal(hidden, classes, rng));
    }

    /**
     * @param network what {@link #network} built
     * @return its optimiser: SGD with momentum for the MLP, Adam for the CNN
     */
    Optimizer optimizer(Sequential network) {
        return cnn ? Adam.builder(network.parameters(), CNN_LR).build()
                : Sgd.builder(network.parameters(), MLP_LR).momentum(MLP_MOMENTUM).build();
    }

    /** @return the optimiser as a table says it, e.g. {@code SGD lr 0.05 momentum 0.9} */
    String describeOptimizer() {
        return cnn ? String.format(Locale.ROOT, "Adam lr %s", CNN_LR)
                : String.format(Locale.ROOT, "SGD lr %s momentum %s", MLP_LR, MLP_MOMENTUM);
    }

    /** @return e.g. {@code 784-50-10} or {@code cnn 16,32} */
    String describe() {
        return cnn ? String.format(Locale.ROOT, "cnn %d,%d", c1, c2) : "784-" + hidden + "-10";
    }
}
