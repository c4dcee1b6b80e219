package dev.vectorgrad.testkit;

import java.util.Arrays;
import java.util.function.Function;

import dev.vectorgrad.autograd.Var;
import dev.vectorgrad.core.Rng;
import dev.vectorgrad.core.Tensor;

/**
 * Compares a hand-written backward pass with autograd's, as the lesson checks its
 * {@code lin_grad} against {@code loss.backward()} with {@code test_close}: the same forward is
 * written once with {@link Var}s, the hand-written rule gets the inputs, the output and an
 * upstream gradient, and must return every input's gradient.
 *
 * <pre>{@code
 * HandBackward.assertMatchesAutograd(
 *         x -> x[0].matmul(x[1]),                                   // forward, in autograd
 *         (in, out, g) -> new Tensor[] {g.matmul(in[1].t()), in[0].t().matmul(g)},
 *         1e-4, 1e-5, a, b);
 * }</pre>
 */
public final class HandBackward {

    private HandBackward() {}

    /** A hand-written backward pass. */
    @FunctionalInterface
    public interface Rule {
        /**
         * The gradients of {@code sum(gradOutput * f(inputs))} with respect to each input.
         *
         * @param inputs the forward's inputs (copies: the rule may not change the caller's)
         * @param output the forward's output
         * @param gradOutput the upstream gradient, of the output's shape
         * @return one gradient per input, each of that input's shape
         */
        Tensor[] backward(Tensor[] inputs, Tensor output, Tensor gradOutput);
    }

    /**
     * Asserts that {@code rule} gives the gradients autograd gives for {@code forward}, with a
     * seeded random upstream gradient (ones for a one-element output), elementwise within
     * {@code atol + rtol * |autograd|}.
     *
     * @param forward the forward pass written with Vars
     * @param rule the hand-written backward
     * @param rtol relative tolerance, not negative
     * @param atol absolute tolerance, not negative
     * @param inputs the inputs (not modified)
     * @throws AssertionError naming the input, its shape, the worst element and both values
     * @throws IllegalArgumentException when an argument is null or the rule returns the wrong number of gradients
     */
    public static void assertMatchesAutograd(Function<Var[], Var> forward, Rule rule, double rtol, double atol,
                                             Tensor... inputs) {
        if (forward == null || rule == null || inputs == null || inputs.length == 0
                || Arrays.asList(inputs).contains(null)) {
            throw new IllegalArgumentException("assertMatchesAutograd: expected a forward function, a rule and at least"
                    + " one non-null input, got forward=" + forward + ", rule=" + rule + ", inputs="
                    + (inputs == null ? "null" : inputs.length + " tensors"));
        }
        Var[] vars = new Var[inputs.length];
        for (int k = 0; k < inputs.length; k++) {
            vars[k] = Var.param(inputs[k].copy());
        }
        Var out = forward.apply(vars);
        Tensor g = out.numel() == 1 ? Tensor.onesLike(out.value()) : Tensor.randn(new Rng(0), out.shape());
        if (out.requiresGrad()) {
            out.backward(g);
        }
        Tensor[] copies = new Tensor[inputs.length];
        for (int k = 0; k < inputs.length; k++) {
            copies[k] = inputs[k].copy();
        }
        Tensor[] hand = rule.backward(copies, out.value().copy(), g.copy());
        if (hand == null || hand.length != inputs.length) {
            throw new IllegalArgumentException("assertMatchesAutograd: expected the rule to return " + inputs.length
                    + " gradients, one per input, got " + (hand == null ? "null" : hand.length));
        }
        for (int k = 0; k < inputs.length; k++) {
            Tensor auto = vars[k].grad() == null ? Tensor.zerosLike(inputs[k]) : vars[k].grad();
            if (hand[k] == null) {
                throw new AssertionError("assertMatchesAutograd: the rule returned no gradient for input " + k
                        + " of shape " + Arrays.toString(inputs[k].shape()));
            }
            TensorAssertions.assertAllClose("hand-written vs autograd gradient of input " + k + " (shape "
                    + Arrays.toString(inputs[k].shape()) + ")", hand[k], auto, rtol, atol, false);
        }
    }
}
