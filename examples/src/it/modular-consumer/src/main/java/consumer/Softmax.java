package consumer;

import dev.vectorgrad.core.Tensor;

/** A user's function on vectorgrad tensors. */
public final class Softmax {
    private Softmax() {}

    /**
     * @param x a 2-d tensor of any layout
     * @return the softmax of each row, stabilised by the row's maximum
     */
    public static Tensor rows(Tensor x) {
        Tensor e = x.sub(x.max(1, true)).exp();
        return e.div(e.sum(1, true));
    }
}
