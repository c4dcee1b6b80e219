package dev.vectorgrad.bench;

/** One way of training the MLP on the training images, timed one epoch per call by {@link TrainEpochs}. */
public interface EpochTrainer {

    /** @return the contender's name in the table */
    String name();

    /**
     * Trains one epoch: every training image once, in batches.
     *
     * @return the number of steps taken
     */
    int epoch();

    /** @return the mean training loss of the last epoch, to show every contender learns */
    double lastLoss();
}
