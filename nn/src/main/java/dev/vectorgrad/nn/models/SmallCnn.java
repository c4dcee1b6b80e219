package dev.vectorgrad.nn.models;

import java.util.Locale;

import dev.vectorgrad.core.Rng;
import dev.vectorgrad.nn.BatchNorm2d;
import dev.vectorgrad.nn.Conv2d;
import dev.vectorgrad.nn.Flatten;
import dev.vectorgrad.nn.Linear;
import dev.vectorgrad.nn.MaxPool2d;
import dev.vectorgrad.nn.ReLU;
import dev.vectorgrad.nn.Sequential;
import dev.vectorgrad.nn.Unflatten;

/**
 * A small LeNet-like classifier of square one-channel images given as flat rows of pixels (the
 * {@code [batch, 784]} batches of the MNIST loaders): two blocks of 3x3 convolution (padding 1),
 * batch norm, ReLU and 2x2 max pooling, then one linear layer.
 *
 * <pre>
 * Sequential(
 *   (0): Unflatten(dim=1, unflattened_size=(1, 28, 28))
 *   (1): Conv2d(1, c1, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))
 *   (2): BatchNorm2d(c1)   (3): ReLU()   (4): MaxPool2d(kernel_size=2)
 *   (5): Conv2d(c1, c2, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))
 *   (6): BatchNorm2d(c2)   (7): ReLU()   (8): MaxPool2d(kernel_size=2)
 *   (9): Flatten(start_dim=1, end_dim=-1)
 *   (10): Linear(c2 * (side/4)^2, classes)
 * )
 * </pre>
 *
 * The same modules in the same order in {@code torch.nn.Sequential} take this network's
 * {@link Sequential#stateDict()} with {@code load_state_dict} as it is ({@code 1.weight}
 * {@code [c1, 1, 3, 3]}, {@code 2.running_mean}, ..., {@code 10.weight}); every layer starts
 * from PyTorch's default initialisation.
 */
public final class SmallCnn {

    /** The most channels a block may have. */
    public static final int MAX_CHANNELS = 4096;

    /** Index of the linear layer in the network, whose weight names the number of classes. */
    public static final int LINEAR_INDEX = 10;

    private SmallCnn() {}

    /**
     * @param side the images' height and width, at least 4 (the two poolings halve it twice)
     * @param c1 channels of the first convolution, 1..{@link #MAX_CHANNELS}
     * @param c2 channels of the second convolution, 1..{@link #MAX_CHANNELS}
     * @param classes outputs, at least 1
     * @param rng the generator of the initial weights
     * @return the network
     */
    public static Sequential build(int side, int c1, int c2, int classes, Rng rng) {
        if (side < 4) {
            throw new IllegalArgumentException("SmallCnn: images of side " + side
                    + " are too small for two 2x2 poolings (at least 4)");
        }
        checkChannels("c1", c1);
        checkChannels("c2", c2);
        if (classes < 1) {
            throw new IllegalArgumentException("SmallCnn: classes must be positive, got " + classes);
        }
        int pooled = side / 4;
        return new Sequential(
                new Unflatten(1, 1, side, side),
                Conv2d.builder(1, c1, 3).padding(1).build(rng), new BatchNorm2d(c1), new ReLU(), new MaxPool2d(2),
                Conv2d.builder(c1, c2, 3).padding(1).build(rng), new BatchNorm2d(c2), new ReLU(), new MaxPool2d(2),
                new Flatten(),
                new Linear(c2 * pooled * pooled, classes, rng));
    }

    /**
     * @param side the images' side
     * @param c2 channels of the second convolution
     * @return the linear layer's input features, {@code c2 * (side / 4)^2}
     */
    public static int linearFeatures(int side, int c2) {
        return c2 * (side / 4) * (side / 4);
    }

    /**
     * Floats one image needs in a training step, activations and their gradients included, the
     * convolutions' unfolded inputs too: what sizes a batch against a heap.
     *
     * @param side the images' side
     * @param c1 channels of the first convolution
     * @param c2 channels of the second convolution
     * @return an upper estimate in floats
     */
    public static long floatsPerImage(int side, int c1, int c2) {
        long hw = (long) side * side;
        long q = (long) (side / 2) * (side / 2);
        // Per block: conv out, batch norm out, relu out (each with a gradient), the pooled output,
        // and the 3x3 unfolded input of the convolution (with its gradient for the second).
        long block1 = 6 * c1 * hw + 2 * c1 * q + 9 * hw;
        long block2 = 6 * c2 * q + 2L * c2 * (q / 4) + 2 * 9L * c1 * q;
        return hw + block1 + block2;
    }

    /** @return e.g. {@code cnn 16,32} */
    public static String describe(int c1, int c2) {
        return String.format(Locale.ROOT, "cnn %d,%d", c1, c2);
    }

    private static void checkChannels(String which, int c) {
        if (c < 1 || c > MAX_CHANNELS) {
            throw new IllegalArgumentException("SmallCnn: " + which + " = " + c + " channels is outside 1.." + MAX_CHANNELS);
        }
    }
}
