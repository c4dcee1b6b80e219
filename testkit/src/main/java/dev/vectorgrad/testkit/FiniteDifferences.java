package dev.vectorgrad.testkit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

import dev.vectorgrad.autograd.GradCheck;
import dev.vectorgrad.autograd.Var;
import dev.vectorgrad.core.Tensor;

/**
 * Gradient properties against central finite differences in double precision, for a function of
 * {@link Var}s or for a layer with parameters: the {@link GradCheck} of autograd, wrapped for
 * property tests (one call per generated input) and for layers whose parameters live inside them.
 *
 * <pre>{@code
 * @Property(tries = 20)
 * void linearHasTheRightGradients(@ForAll("inputs") Tensor x) {
 *     Linear layer = new Linear(x.size(1), 3, new Rng(1));
 *     FiniteDifferences.assertLayerGradients(layer::forward, layer.parameters(), x);
 * }
 * }</pre>
 */
public final class FiniteDifferences {

    private FiniteDifferences() {}

    /**
     * Asserts that autograd's gradients of {@code f} at {@code inputs} match finite differences,
     * with {@link GradCheck#defaults()}.
     *
     * @param f the function, e.g. {@code x -> x[0].matmul(x[1]).relu()}; it must not modify its inputs
     * @param inputs the point at which to differentiate (not modified); keep kinks (relu at 0)
     *               further than {@code 1e-2 * max(1, |x|)} away, e.g. with {@link Values#awayFromZero}
     * @return GradCheck's report of the passed check
     * @throws AssertionError naming the input, its shape, the element, both derivatives and the tolerance
     */
    public static GradCheck.Report assertGradients(Function<Var[], Var> f, Tensor... inputs) {
        return assertGradients(GradCheck.defaults(), f, inputs);
    }

    /**
     * As {@link #assertGradients(Function, Tensor...)} with the step, tolerances and seed of {@code check}.
     *
     * @param check the configured check
     * @param f the function
     * @param inputs the point at which to differentiate (not modified)
     * @return GradCheck's report of the passed check
     * @throws AssertionError when the gradients disagree
     * @throws IllegalArgumentException when an argument is null or there is no input
     */
    public static GradCheck.Report assertGradients(GradCheck check, Function<Var[], Var> f, Tensor... inputs) {
        if (check == null || f == null || inputs == null || inputs.length == 0 || Arrays.asList(inputs).contains(null)) {
            throw new IllegalArgumentException("assertGradients: expected a GradCheck, a function and at least one"
                    + " non-null input tensor, got check=" + check + ", f=" + f + ", inputs="
                    + (inputs == null ? "null" : inputs.length + " tensors"));
        }
        return check.verify(f, inputs);
    }

    /**
     * Asserts that a layer's gradients, with respect to its input and to every parameter, match
     * finite differences ({@link GradCheck#defaults()}). Pass any {@code Layer} of
     * {@code vectorgrad-nn} as {@code assertLayerGradients(layer::forward, layer.parameters(), x)}.
     *
     * <p>The check perturbs the parameters' own tensors, so the layer must compute with them
     * (not with copies taken at construction); their values and gradients are restored before
     * this method returns. A layer whose forward is random in training mode (dropout) should be
     * checked in {@code eval()} mode.
     *
     * @param forward the layer's forward pass
     * @param parameters the layer's parameters, e.g. {@code layer.parameters()} (may be empty)
     * @param input the input at which to differentiate (not modified)
     * @return GradCheck's report; input 0 of the report is {@code input}, input {@code k + 1} is parameter {@code k}
     * @throws AssertionError naming the input or parameter, the element, both derivatives and the tolerance
     */
    public static GradCheck.Report assertLayerGradients(Function<Var, Var> forward, List<Var> parameters, Tensor input) {
        return assertLayerGradients(GradCheck.defaults(), forward, parameters, input);
    }

    /**
     * As {@link #assertLayerGradients(Function, List, Tensor)} with the step, tolerances and seed of {@code check}.
     *
     * @param check the configured check
     * @param forward the layer's forward pass
     * @param parameters the layer's parameters
     * @param input the input at which to differentiate (not modified)
     * @return GradCheck's report
     * @throws AssertionError when the gradients disagree
     * @throws IllegalArgumentException when an argument is null or a parameter does not require grad
     */
    public static GradCheck.Report assertLayerGradients(GradCheck check, Function<Var, Var> forward, List<Var> parameters,
                                                        Tensor input) {
        if (check == null || forward == null || parameters == null || input == null) {
            throw new IllegalArgumentException("assertLayerGradients: expected a GradCheck, a forward function, a list"
                    + " of parameters and an input tensor, got check=" + check + ", forward=" + forward
                    + ", parameters=" + parameters + ", input=" + (input == null ? "null" : Arrays.toString(input.shape())));
        }
        List<Var> params = new ArrayList<>(parameters);
        for (int k = 0; k < params.size(); k++) {
            Var p = params.get(k);
            if (p == null || !p.requiresGrad() || !p.isLeaf()) {
                throw new IllegalArgumentException("assertLayerGradients: expected parameters that are leaves requiring"
                        + " grad (Var.param), got " + (p == null ? "null" : p.opName() + " of shape "
                        + Arrays.toString(p.shape())) + " at position " + k);
            }
        }
        Tensor[] inputs = new Tensor[params.size() + 1];
        inputs[0] = input;
        Tensor[] savedValues = new Tensor[params.size()];
        Tensor[] savedGrads = new Tensor[params.size()];
        for (int k = 0; k < params.size(); k++) {
            savedValues[k] = params.get(k).value().copy();
            savedGrads[k] = params.get(k).grad();
            inputs[k + 1] = savedValues[k];
        }
        try {
            return check.verify(xs -> throughLayer(forward, params, xs), inputs);
        } finally {
            for (int k = 0; k < params.size(); k++) {
                params.get(k).value().copyFrom(savedValues[k]);
                params.get(k).value().setGrad(savedGrads[k]);
            }
        }
    }

    /**
     * The layer as a function of (input, parameters...): GradCheck hands in Vars of its own, so
     * their values are copied into the layer's parameter tensors, the layer runs on its own Vars,
     * and a custom op routes the gradients that reach the layer's leaves back to GradCheck's.
     */
    private static Var throughLayer(Function<Var, Var> forward, List<Var> params, Var[] xs) {
        for (int k = 0; k < params.size(); k++) {
            params.get(k).value().copyFrom(xs[k + 1].value());
            params.get(k).value().setGrad(null);
        }
        boolean recording = false;
        for (Var x : xs) {
            recording |= x.requiresGrad();
        }
        if (!recording) { // GradCheck's perturbed evaluations: forward only
            return forward.apply(Var.constant(xs[0].value().copy()));
        }
        Var in = Var.param(xs[0].value().copy());
        Var out = forward.apply(in);
        if (out == null) {
            throw new IllegalArgumentException("assertLayerGradients: expected the forward pass to return a Var, got null");
        }
        return Var.custom("layer", out.value(), xs, new Tensor[0], (g, sink) -> {
            if (!out.requiresGrad()) {
                return; // the output does not depend on anything differentiable
            }
            out.backward(g);
            if (in.grad() != null) {
                sink.add(0, in.grad(), false);
            }
            for (int k = 0; k < params.size(); k++) {
                Tensor pg = params.get(k).grad();
                if (pg != null) {
                    sink.add(k + 1, pg, false);
                }
            }
        });
    }
}
