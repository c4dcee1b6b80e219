package dev.vectorgrad.examples.train;

import dev.vectorgrad.core.Rng;
import dev.vectorgrad.core.Tensor;
import dev.vectorgrad.examples.cli.UsageException;
import dev.vectorgrad.nn.Layer;
import dev.vectorgrad.nn.Linear;
import dev.vectorgrad.nn.ReLU;
import dev.vectorgrad.nn.Sequential;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The command line's classifier, {@code Linear -> ReLU -> ... -> Linear} as an
 * {@code nn.Sequential}, described by its layer sizes ({@code 784-50-10}): its state then has
 * PyTorch's {@code nn.Sequential} names, {@code 0.weight} {@code [out, in]}, {@code 0.bias},
 * {@code 2.weight}, ...
 */
final class Mlps {

    /**
     * The widest layer the command line builds, classes included: far beyond any MLP on these
     * images, and small enough that a weight matrix of two such layers stays within an array.
     */
    static final int MAX_UNITS = 65_536;

    /** The most hidden layers the command line builds. */
    static final int MAX_HIDDEN_LAYERS = 64;

    /**
     * Floats the heap holds per parameter while training, measured rather than counted: the
     * weight, its gradient and up to two optimiser moments, and at the end the state's copy
     * and its serialised bytes while the file is saved. (A 784-2500-2500-10 MLP with Adam
     * runs out of a 256 MB heap, 784-2000-2000-10 does not: between 6 and 8.)
     */
    private static final int FLOATS_PER_PARAMETER = 8;

    private Mlps() {}

    /**
     * Refuses layer sizes outside {@code 1..}{@link #MAX_UNITS}, before anything is allocated.
     *
     * @param what where the sizes came from, for the message: {@code "train: --hidden 10000000"}
     * @param sizes the sizes to check (some or all of a network's)
     * @throws UsageException naming {@code what}, the size and the limit
     */
    static void checkUnits(String what, int[] sizes) throws UsageException {
        for (int s : sizes) {
            if (s < 1 || s > MAX_UNITS) {
                throw new UsageException(what + ": a layer of " + s + " units is outside 1.." + MAX_UNITS);
            }
        }
    }

    /**
     * Refuses hidden sizes beyond {@link #MAX_UNITS} or more than {@link #MAX_HIDDEN_LAYERS} of them.
     *
     * @param what the command and flag with its value, for the message: {@code "train: --hidden 10000000"}
     * @param hidden the sizes
     * @throws UsageException naming {@code what} and the limit
     */
    static void checkHidden(String what, int[] hidden) throws UsageException {
        if (hidden.length > MAX_HIDDEN_LAYERS) {
            throw new UsageException(what + ": " + hidden.length + " hidden layers, at most " + MAX_HIDDEN_LAYERS
                    + " are supported");
        }
        checkUnits(what, hidden);
    }

    /**
     * @param sizes input size, hidden sizes..., classes
     * @return the number of weights and biases, without overflow
     */
    static long parameterCount(int[] sizes) {
        long n = 0;
        for (int l = 0; l + 1 < sizes.length; l++) {
            n += (long) sizes[l] * sizes[l + 1] + sizes[l + 1];
        }
        return n;
    }

    /**
     * Refuses a network that cannot fit the JVM's heap while training, before any of it is
     * allocated: its weights, gradients and optimiser state, and the activations of one batch.
     *
     * @param what where the sizes came from, for the message: {@code "train: --hidden 20000,20000"}
     * @param sizes input size, hidden sizes..., classes, each within {@link #checkUnits}
     * @param batch samples per step
     * @param maxHeap the heap's limit in bytes ({@link Runtime#maxMemory()})
     * @throws UsageException naming {@code what}, the parameter count, the estimate and the heap
     */
    static void checkFits(String what, int[] sizes, int batch, long maxHeap) throws UsageException {
        for (int l = 0; l + 1 < sizes.length; l++) {
            long w = (long) sizes[l] * sizes[l + 1];
            if (w > Integer.MAX_VALUE - 16) {
                throw new UsageException(what + ": the " + sizes[l + 1] + " x " + sizes[l] + " weight of an MLP "
                        + describe(sizes) + " holds " + w + " numbers, more than one array can (" + Integer.MAX_VALUE + ")");
            }
        }
        long units = 0;
        for (int s : sizes) {
            units += s;
        }
        long params = parameterCount(sizes);
        // Activations: each layer's output and its gradient, before and after ReLU.
        long bytes = 4 * (FLOATS_PER_PARAMETER * params + 4L * batch * units);
        if (bytes > maxHeap) {
            throw new UsageException(String.format(java.util.Locale.ROOT,
                    "%s: an MLP %s has %,d parameters and needs about %,d MB in batches of %d,"
                            + " more than the JVM's heap of %,d MB (raise -Xmx, or use smaller layers)",
                    what, describe(sizes), params, bytes >> 20, batch, maxHeap >> 20));
        }
    }

    /**
     * @param sizes input size, hidden sizes..., classes
     * @param rng the generator of the Kaiming-normal weights (biases 0), or null for all zeros (to be loaded)
     * @return the network
     */
    static Sequential build(int[] sizes, Rng rng) {
        List<Layer> layers = new ArrayList<>();
        for (int l = 0; l + 1 < sizes.length; l++) {
            if (l > 0) {
                layers.add(new ReLU());
            }
            layers.add(rng != null ? Linear.kaimingNormal(sizes[l], sizes[l + 1], rng)
                    : new Linear(Tensor.zeros(sizes[l + 1], sizes[l]), Tensor.zeros(sizes[l + 1])));
        }
        return new Sequential(layers.toArray(new Layer[0]));
    }

    /**
     * @param features the input size
     * @param hidden the hidden sizes
     * @param classes the number of outputs
     * @return {@code [features, hidden..., classes]}
     */
    static int[] sizes(int features, int[] hidden, int classes) {
        int[] sizes = new int[hidden.length + 2];
        sizes[0] = features;
        System.arraycopy(hidden, 0, sizes, 1, hidden.length);
        sizes[sizes.length - 1] = classes;
        return sizes;
    }

    /** @return the sizes as {@code 784-50-10} */
    static String describe(int[] sizes) {
        return Arrays.stream(sizes).mapToObj(Integer::toString).collect(Collectors.joining("-"));
    }

    /**
     * @param text sizes as {@link #describe} writes them
     * @return the sizes, or null if {@code text} is not at least two positive whole numbers joined by {@code -}
     */
    static int[] parse(String text) {
        String[] parts = text.split("-", -1);
        if (parts.length < 2) {
            return null;
        }
        int[] sizes = new int[parts.length];
        try {
            for (int i = 0; i < parts.length; i++) {
                sizes[i] = Integer.parseInt(parts[i]);
                if (sizes[i] < 1) {
                    return null;
                }
            }
        } catch (NumberFormatException e) {
            return null;
        }
        return sizes;
    }
}
