package dev.vectorgrad.nn;

import java.util.List;

import dev.vectorgrad.autograd.Var;

/** Layers applied one after another, as PyTorch's {@code nn.Sequential}; children are named "0", "1", .... */
public final class Sequential extends Layer {

    private final List<Layer> layers;

    /**
     * @param layers the layers, in order
     */
    public Sequential(Layer... layers) {
        for (int i = 0; i < layers.length; i++) {
            registerChild(Integer.toString(i), layers[i]);
        }
        this.layers = List.of(layers);
    }

    /**
     * @param i the position
     * @return the layer at that position (the lesson's {@code model.layers[i]})
     */
    public Layer get(int i) {
        if (i < 0 || i >= layers.size()) {
            throw new IndexOutOfBoundsException("Sequential: layer " + i + " of " + layers.size());
        }
        return layers.get(i);
    }

    /** @return the number of layers */
    public int size() {
        return layers.size();
    }

    /** @return the layers, in order (unmodifiable) */
    public List<Layer> layers() {
        return layers;
    }

    @Override
    public Var forward(Var input) {
        Var x = input;
        for (Layer l : layers) {
            x = l.forward(x);
        }
        return x;
    }
}
