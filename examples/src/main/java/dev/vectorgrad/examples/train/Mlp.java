package dev.vectorgrad.examples.train;

import dev.vectorgrad.core.Rng;
import dev.vectorgrad.core.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A multilayer perceptron {@code Linear -> ReLU -> ... -> Linear} producing class logits, with its
 * parameters in arrays it owns (wrapped, not copied, by the tensors that optimisers and the
 * safetensors writer see). Weights are {@code [out, in]}, PyTorch's {@code nn.Linear} layout
 * ({@code y = x @ W^T + b}): the weight gradient {@code dy^T @ x} then comes out of the matmul
 * kernel in its fast layout, and the input gradient {@code dy @ W} reads W row by row.
 *
 * <p>Saved under PyTorch's names for {@code nn.Sequential(Linear, ReLU, Linear, ...)}:
 * {@code layers.<2i>.weight} of shape {@code [out, in]} and {@code layers.<2i>.bias}.
 */
public final class Mlp {

    private final int[] sizes;
    final float[][] w;
    final float[][] b;
    final float[][] wGrad;
    final float[][] bGrad;
    private final Tensor[] weights;
    private final Tensor[] biases;

    private Mlp(int[] sizes) {
        checkSizes(sizes);
        this.sizes = sizes.clone();
        int layers = sizes.length - 1;
        w = new float[layers][];
        b = new float[layers][];
        wGrad = new float[layers][];
        bGrad = new float[layers][];
        weights = new Tensor[layers];
        biases = new Tensor[layers];
        for (int l = 0; l < layers; l++) {
            int in = sizes[l];
            int out = sizes[l + 1];
            w[l] = new float[in * out];
            b[l] = new float[out];
            wGrad[l] = new float[in * out];
            bGrad[l] = new float[out];
            weights[l] = Tensor.wrap(w[l], out, in);
            biases[l] = Tensor.wrap(b[l], out);
            weights[l].setGrad(Tensor.wrap(wGrad[l], out, in));
            biases[l].setGrad(Tensor.wrap(bGrad[l], out));
        }
    }

    private static void checkSizes(int[] sizes) {
        if (sizes.length < 2) {
            throw new IllegalArgumentException("Mlp: expected at least input and output sizes, got " + Arrays.toString(sizes));
        }
        for (int s : sizes) {
            if (s < 1) {
                throw new IllegalArgumentException("Mlp: layer sizes must be >= 1, got " + Arrays.toString(sizes));
            }
        }
    }

    /**
     * A network with Kaiming (He) normal initialisation: weights {@code N(0, 2/fan_in)}, biases 0,
     * which keeps the activations' scale through ReLU layers.
     *
     * @param sizes input size, hidden sizes..., number of classes
     * @param rng the seeded generator
     * @return the network
     */
    public static Mlp kaiming(int[] sizes, Rng rng) {
        Mlp m = new Mlp(sizes);
        for (int l = 0; l < m.layers(); l++) {
            float std = (float) Math.sqrt(2.0 / sizes[l]);
            for (int i = 0; i < m.w[l].length; i++) {
                m.w[l][i] = (float) rng.nextGaussian() * std;
            }
        }
        return m;
    }

    /**
     * A network with all parameters zero, to be filled (e.g. by {@link #loadStateDict}).
     *
     * @param sizes input size, hidden sizes..., number of classes
     * @return the network
     */
    public static Mlp zeros(int[] sizes) {
        return new Mlp(sizes);
    }

    /** @return the layer sizes, input first */
    public int[] sizes() {
        return sizes.clone();
    }

    /** @return the sizes as {@code 784-50-10} */
    public String describe() {
        return Arrays.stream(sizes).mapToObj(Integer::toString).collect(Collectors.joining("-"));
    }

    /** @return the number of Linear layers */
    public int layers() {
        return sizes.length - 1;
    }

    /** @return the number of trainable floats */
    public int parameterCount() {
        int n = 0;
        for (int l = 0; l < layers(); l++) {
            n += w[l].length + b[l].length;
        }
        return n;
    }

    /**
     * @param layer the layer
     * @return its weight {@code [out, in]} (shares this network's array; its grad is set)
     */
    public Tensor weight(int layer) {
        return weights[layer];
    }

    /**
     * @param layer the layer
     * @return its bias {@code [out]} (shares this network's array; its grad is set)
     */
    public Tensor bias(int layer) {
        return biases[layer];
    }

    /** @return weight, bias, weight, bias, ... for an optimiser */
    public List<Tensor> parameters() {
        List<Tensor> ps = new ArrayList<>();
        for (int l = 0; l < layers(); l++) {
            ps.add(weights[l]);
            ps.add(biases[l]);
        }
        return ps;
    }

    /** @return the parameters under PyTorch's names and layouts (sharing this network's arrays) */
    public Map<String, Tensor> stateDict() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        for (int l = 0; l < layers(); l++) {
            m.put("layers." + 2 * l + ".weight", weights[l]);
            m.put("layers." + 2 * l + ".bias", biases[l]);
        }
        return m;
    }

    /**
     * Copies parameters saved by {@link #stateDict()} into this network.
     *
     * @param state tensors by name
     * @param source what to call the state in error messages (a file name)
     * @throws IllegalArgumentException naming the first missing tensor or wrong shape
     */
    public void loadStateDict(Map<String, Tensor> state, String source) {
        for (int l = 0; l < layers(); l++) {
            String wName = "layers." + 2 * l + ".weight";
            String bName = "layers." + 2 * l + ".bias";
            Tensor wt = state.get(wName);
            Tensor bt = state.get(bName);
            int[] wantW = {sizes[l + 1], sizes[l]};
            int[] wantB = {sizes[l + 1]};
            if (wt == null || bt == null) {
                throw new IllegalArgumentException(source + ": no tensor " + (wt == null ? wName : bName)
                        + " for a " + describe() + " network; the file has " + state.keySet());
            }
            if (!Arrays.equals(wt.shape(), wantW) || !Arrays.equals(bt.shape(), wantB)) {
                throw new IllegalArgumentException(source + ": " + wName + " is " + Arrays.toString(wt.shape())
                        + " and " + bName + " is " + Arrays.toString(bt.shape()) + ", but a " + describe()
                        + " network needs " + Arrays.toString(wantW) + " and " + Arrays.toString(wantB));
            }
            weights[l].copyFrom(wt);
            biases[l].copyFrom(bt);
        }
        int expected = 2 * layers();
        if (state.size() != expected) {
            throw new IllegalArgumentException(source + ": holds " + state.size() + " tensors " + state.keySet()
                    + " but a " + describe() + " network has " + expected);
        }
    }
}
