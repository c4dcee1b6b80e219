package dev.vectorgrad.nn.lesson;

import dev.vectorgrad.core.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The lesson's model (cells 36 and 46): layers applied in order, then a loss; {@link #backward()}
 * runs the loss's backward, then every layer's in reverse order.
 *
 * <pre>{@code
 * Model model = new Model(w1, b1, w2, b2);
 * Tensor loss = model.call(xTrain, yTrain);
 * model.backward();                  // w1.grad(), b1.grad(), ..., xTrain.grad() are set
 * }</pre>
 */
public final class Model extends Module {

    private final List<Module> layers;
    private final Module loss;

    /**
     * A model from any layers and a loss.
     *
     * @param layers the layers, each taking one input, applied in order
     * @param loss a loss taking the last layer's output and the targets
     */
    public Model(List<? extends Module> layers, Module loss) {
        this.layers = List.copyOf(layers);
        this.loss = Objects.requireNonNull(loss, "Model: loss");
    }

    /**
     * The lesson's {@code Model(w1, b1, w2, b2)}: {@code Lin(w1, b1), Relu(), Lin(w2, b2)} and
     * {@link Mse}.
     *
     * @param w1 first weights {@code [m, nh]}
     * @param b1 first bias {@code [nh]}
     * @param w2 second weights {@code [nh, 1]}
     * @param b2 second bias {@code [1]}
     */
    public Model(Tensor w1, Tensor b1, Tensor w2, Tensor b2) {
        this(List.of(new Lin(w1, b1), new Relu(), new Lin(w2, b2)), new Mse());
    }

    /** @return the layers, in forward order */
    public List<Module> layers() {
        return layers;
    }

    /** @return the loss */
    public Module loss() {
        return loss;
    }

    /**
     * @param args the input and the targets
     * @return the loss
     */
    @Override
    public Tensor forward(Tensor... args) {
        requireArgs(args, "x", "targ");
        Tensor x = args[0];
        for (Module l : layers) {
            x = l.call(x);
        }
        return loss.call(x, args[1]);
    }

    @Override
    protected boolean needsOutputGrad() {
        return false;
    }

    @Override
    protected void bwd(Tensor out, Tensor... args) {
        loss.backward();
        List<Module> reversed = new ArrayList<>(layers);
        Collections.reverse(reversed);
        for (Module l : reversed) {
            l.backward();
        }
    }
}
