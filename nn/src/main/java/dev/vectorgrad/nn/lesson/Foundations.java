package dev.vectorgrad.nn.lesson;

import dev.vectorgrad.core.Tensor;
import java.util.Arrays;

/**
 * The lesson's foundations version as plain functions: the forward pieces of the 784-50-1 MLP
 * and their hand-derived gradients. Gradients go to {@link Tensor#setGrad} (the lesson's
 * {@code .g}), overwriting whatever was there.
 */
public final class Foundations {

    private Foundations() {}

    /**
     * A linear layer, the lesson's {@code x@w+b}.
     *
     * @param x input {@code [n, in]}
     * @param w weights {@code [in, out]}
     * @param b bias {@code [out]}, broadcast over the rows
     * @return {@code [n, out]}
     * @throws IllegalArgumentException naming the shapes when they do not fit
     */
    public static Tensor lin(Tensor x, Tensor w, Tensor b) {
        checkLin("lin", x, w, b);
        return x.matmul(w).add(b);
    }

    /**
     * The rectified linear unit, the lesson's {@code x.clamp_min(0.)}.
     *
     * @param x any tensor
     * @return {@code max(x, 0)} elementwise, a new tensor
     */
    public static Tensor relu(Tensor x) {
        return x.clampMin(0f);
    }

    /**
     * Mean squared error of a one-column output against a target vector, the lesson's
     * {@code (output[:,0]-targ).pow(2).mean()}. The shapes are checked because broadcasting
     * {@code [n, 1]} against {@code [n]} would silently give an {@code [n, n]} matrix.
     *
     * @param output predictions {@code [n, 1]}, n at least 1
     * @param targ targets {@code [n]}
     * @return the loss, a 0-d tensor
     * @throws IllegalArgumentException naming both shapes when they are not {@code [n, 1]} and
     *     {@code [n]}
     */
    public static Tensor mse(Tensor output, Tensor targ) {
        checkMse("mse", output, targ);
        return output.select(1, 0).sub(targ).pow(2f).mean();
    }

    /**
     * The gradients of {@code out = lin(inp, w, b)} from {@code out}'s gradient, the lesson's
     * {@code lin_grad}: {@code inp.g = out.g @ w.t()}, {@code w.g = inp.t() @ out.g},
     * {@code b.g = out.g.sum(0)}. The transposes are views: matmul reads them without copying.
     *
     * @param inp the layer's input {@code [n, in]}; receives its gradient
     * @param out the layer's output {@code [n, out]}, whose gradient must be set
     * @param w the weights {@code [in, out]}; receive their gradient
     * @param b the bias {@code [out]}; receives its gradient
     * @throws IllegalStateException when {@code out} has no gradient
     */
    public static void linGrad(Tensor inp, Tensor out, Tensor w, Tensor b) {
        checkLin("linGrad", inp, w, b);
        Tensor g = requireGrad("linGrad", "out", out);
        inp.setGrad(g.matmul(w.t()));
        w.setGrad(inp.t().matmul(g));
        b.setGrad(g.sum(0));
    }

    /**
     * One forward and backward pass of the lesson's model {@code lin -> relu -> lin -> mse},
     * filling the gradients of {@code inp}, {@code w1}, {@code b1}, {@code w2} and {@code b2}
     * (and of the intermediate activations, which are dropped).
     *
     * @param inp input {@code [n, m]}, e.g. {@code [50000, 784]}
     * @param targ targets {@code [n]}
     * @param w1 first weights {@code [m, nh]}
     * @param b1 first bias {@code [nh]}
     * @param w2 second weights {@code [nh, 1]}
     * @param b2 second bias {@code [1]}
     * @return the loss, a 0-d tensor
     */
    public static Tensor forwardAndBackward(Tensor inp, Tensor targ, Tensor w1, Tensor b1, Tensor w2, Tensor b2) {
        // forward pass
        Tensor l1 = lin(inp, w1, b1);
        Tensor l2 = relu(l1);
        Tensor out = lin(l2, w2, b2);
        checkMse("forwardAndBackward", out, targ);
        Tensor diff = out.select(1, 0).sub(targ);
        Tensor loss = diff.pow(2f).mean();

        // backward pass: d mean(diff^2) / d out = 2 * diff / n, as a column
        out.setGrad(diff.unsqueeze(1).mul(2f / inp.size(0)));
        linGrad(l2, out, w2, b2);
        l1.setGrad(l1.gt(0f).mul(l2.grad()));
        linGrad(inp, l1, w1, b1);
        return loss;
    }

    // ---- checks shared with the layer classes

    static void checkLin(String op, Tensor x, Tensor w, Tensor b) {
        if (x.dim() != 2 || w.dim() != 2 || b.dim() != 1 || x.size(1) != w.size(0) || b.size(0) != w.size(1)) {
            throw new IllegalArgumentException(op + ": input " + shape(x) + ", weights " + shape(w) + ", bias "
                    + shape(b) + ": expected [n, in], [in, out] and [out]");
        }
    }

    static void checkMse(String op, Tensor output, Tensor targ) {
        if (output.dim() != 2 || output.size(1) != 1 || targ.dim() != 1 || targ.size(0) != output.size(0)) {
            throw new IllegalArgumentException(op + ": output " + shape(output) + ", target " + shape(targ)
                    + ": expected [n, 1] and [n]");
        }
        if (targ.size(0) == 0) {
            throw new IllegalArgumentException(op + ": output " + shape(output) + ", target " + shape(targ)
                    + ": the mean of an empty batch is undefined, expected n >= 1");
        }
    }

    static Tensor requireGrad(String op, String name, Tensor t) {
        Tensor g = t.grad();
        if (g == null) {
            throw new IllegalStateException(op + ": " + name + " " + shape(t)
                    + " has no gradient yet; backward runs from the loss towards the input");
        }
        return g;
    }

    static String shape(Tensor t) {
        return Arrays.toString(t.shape());
    }
}
