package dev.vectorgrad.examples.train;

import dev.vectorgrad.core.Rng;
import dev.vectorgrad.core.Tensor;
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

    private Mlps() {}

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
