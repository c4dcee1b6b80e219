package dev.vectorgrad.nn.lesson.classes;

import dev.vectorgrad.core.Tensor;
import java.util.Arrays;

/** The misuse checks the layer classes share (the lesson has none; Java should say what went wrong). */
final class Calls {

    private Calls() {}

    static void requireCalled(String layer, Tensor out) {
        if (out == null) {
            throw new IllegalStateException(layer + ".backward: the layer has not been called yet; call(...) it first");
        }
    }

    static Tensor outGrad(String layer, Tensor out) {
        Tensor g = out.grad();
        if (g == null) {
            throw new IllegalStateException(layer + ".backward: its output " + Arrays.toString(out.shape())
                    + " has no gradient yet; run backward() of the layer after it first");
        }
        return g;
    }
}
