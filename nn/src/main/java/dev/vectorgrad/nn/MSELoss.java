package dev.vectorgrad.nn;

import dev.vectorgrad.autograd.Losses;
import dev.vectorgrad.autograd.Var;
import dev.vectorgrad.core.Tensor;

/**
 * Mean squared error as an object, PyTorch's {@code nn.MSELoss}; see {@link Losses#mse(Var, Var)}
 * (the input and target shapes must be equal).
 */
public final class MSELoss implements Loss {

    /** The loss. */
    public MSELoss() {}

    /**
     * @param input predictions
     * @param target targets of the same shape
     * @return the 0-d loss
     */
    @Override
    public Var call(Var input, Tensor target) {
        return Losses.mse(input, target);
    }

    /**
     * @param input predictions
     * @param target targets of the same shape
     * @return the 0-d loss
     */
    public Var call(Var input, Var target) {
        return Losses.mse(input, target);
    }

    /** @return {@code "MSELoss()"}, as PyTorch prints it */
    @Override
    public String toString() {
        return "MSELoss()";
    }
}
