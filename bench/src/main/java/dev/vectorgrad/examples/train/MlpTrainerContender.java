package dev.vectorgrad.examples.train;

import dev.vectorgrad.bench.EpochTrainer;
import dev.vectorgrad.core.Rng;
import dev.vectorgrad.nn.optim.Sgd;

/**
 * The hand-written trainer of the examples module ({@link MlpTrainer} over an {@link Mlp} and its
 * {@link MlpWorkspace}), with the loop {@code ./vectorgrad train} ran it in: the reference the
 * captured {@code TrainStep} is measured against before the hand-written trainer is deleted. In
 * this package because those classes are package-private.
 */
public final class MlpTrainerContender implements EpochTrainer {

    private final ImageData data;
    private final int[] sizes;
    private final MlpTrainer trainer;
    private final Sgd optimizer;
    private final MlpWorkspace ws;
    private final MlpWorkspace tailWs;
    private final int[] order;
    private final Rng shuffle;
    private final float mean;
    private final float invStd;
    private double lastLoss;

    /**
     * @param pixels the training images, 784 bytes each
     * @param labels their labels
     * @param hidden the hidden layer's width
     * @param batch the batch size
     * @param mean the pixel mean (of pixels scaled to [0, 1])
     * @param std the pixel standard deviation
     * @param seed the seed of the weights and the shuffling
     */
    public MlpTrainerContender(byte[] pixels, byte[] labels, int hidden, int batch, float mean, float std, long seed) {
        int[] ys = new int[labels.length];
        for (int i = 0; i < ys.length; i++) {
            ys[i] = labels[i] & 0xff;
        }
        int features = pixels.length / labels.length;
        data = ImageData.ofBytes("training images", labels.length, features, pixels, ys);
        sizes = new int[] {features, hidden, 10};
        Rng rng = new Rng(seed);
        Mlp mlp = Mlp.kaiming(sizes, rng);
        trainer = new MlpTrainer(mlp);
        optimizer = Sgd.builder(mlp.parameters(), 0.05f).momentum(0.9f).build();
        ws = trainer.workspace(batch);
        int tail = labels.length % batch;
        tailWs = tail > 0 ? trainer.workspace(tail) : null;
        order = data.allIndices();
        shuffle = rng.split();
        this.mean = mean;
        this.invStd = 1f / std;
    }

    @Override
    public String name() {
        return "MlpTrainer (hand-written)";
    }

    @Override
    public int epoch() {
        shuffle.shuffle(order);
        int n = order.length;
        int steps = 0;
        double sum = 0;
        for (int s = 0; s < n; s += ws.rows) {
            MlpWorkspace w = n - s >= ws.rows ? ws : tailWs;
            for (int r = 0; r < w.rows; r++) {
                int i = order[s + r];
                data.copyNormalised(i, w.act[0], r * sizes[0], mean, invStd);
                w.labels[r] = data.label(i);
            }
            sum += trainer.lossAndGradients(w);
            optimizer.step();
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
