package dev.vectorgrad.testkit;

import java.util.Arrays;
import java.util.function.Function;

import dev.vectorgrad.autograd.Var;
import dev.vectorgrad.core.Rng;
import dev.vectorgrad.core.Tensor;

/**
 * Contract checks for an op written with {@link Var#custom}, beyond agreement with finite
 * differences ({@link FiniteDifferences}): a backward rule is a vector-Jacobian product, so it
 * must be linear in the upstream gradient, and an op that broadcasts its inputs must give a
 * broadcast input the gradient of its expanded copy summed back over the broadcast dims.
 * Both catch rules that finite differences at one point can miss (a rule that ignores part of
 * the upstream gradient, squares it, or keeps one row of it for a broadcast input).
 */
public final class CustomOpChecks {

    private static final double RTOL = 1e-4;
    private static final double ATOL = 1e-5;

    private CustomOpChecks() {}

    /**
     * Asserts {@code grad(c * g1 + g2) = c * grad(g1) + grad(g2)} for every input, with seeded
     * random upstream gradients {@code g1}, {@code g2} and {@code c = -2.5}, within
     * {@code 1e-5 + 1e-4 * |expected|} scaled by the magnitude of the gradients.
     *
     * @param op the op, e.g. {@code x -> MyOps.cube(x[0])}
     * @param inputs the inputs (not modified)
     * @throws AssertionError naming the input, the worst element and both values
     * @throws IllegalArgumentException when an argument is null or there is no input
     */
    public static void assertLinearInUpstream(Function<Var[], Var> op, Tensor... inputs) {
        check("assertLinearInUpstream", op, inputs);
        Rng rng = new Rng(0);
        int[] outShape = apply(op, inputs).shape();
        Tensor g1 = Tensor.randn(rng, outShape);
        Tensor g2 = Tensor.randn(rng, outShape);
        float c = -2.5f;
        Tensor[] a = gradients(op, inputs, g1);
        Tensor[] b = gradients(op, inputs, g2);
        Tensor[] both = gradients(op, inputs, g1.mul(c).add(g2));
        for (int k = 0; k < inputs.length; k++) {
            Tensor expected = a[k].mul(c).add(b[k]);
            TensorAssertions.assertAllClose("assertLinearInUpstream: input " + k + " (shape "
                    + Arrays.toString(inputs[k].shape()) + "), grad(c*g1 + g2) vs c*grad(g1) + grad(g2) with c = " + c,
                    both[k], expected, RTOL, ATOL * scale(a[k], b[k]), false);
        }
    }

    /**
     * Asserts that every input of a shape smaller than the inputs' broadcast shape gets the
     * gradient that its explicitly expanded, contiguous copy gets, summed back over the dims it
     * was broadcast along. The op must accept inputs of the full broadcast shape too.
     *
     * @param op the op, e.g. {@code x -> MyOps.scaledAdd(x[0], x[1])}
     * @param inputs the inputs, at least one of them broadcast (not modified)
     * @throws AssertionError naming the input, the worst element and both values
     * @throws IllegalArgumentException when no input is broadcast, or an argument is null
     */
    public static void assertSumsOverBroadcastDims(Function<Var[], Var> op, Tensor... inputs) {
        check("assertSumsOverBroadcastDims", op, inputs);
        int[][] shapes = new int[inputs.length][];
        for (int k = 0; k < inputs.length; k++) {
            shapes[k] = inputs[k].shape();
        }
        int[] full = BroadcastShapes.broadcast(shapes);
        Tensor[] expanded = new Tensor[inputs.length];
        boolean any = false;
        for (int k = 0; k < inputs.length; k++) {
            any |= !Arrays.equals(shapes[k], full);
            expanded[k] = inputs[k].expand(full).contiguous();
        }
        if (!any) {
            throw new IllegalArgumentException("assertSumsOverBroadcastDims: expected at least one input of a shape that"
                    + " broadcasts to " + Arrays.toString(full) + " without being it, got shapes "
                    + Arrays.deepToString(shapes));
        }
        Rng rng = new Rng(0);
        Tensor g = Tensor.randn(rng, apply(op, inputs).shape());
        int[] expandedOut = apply(op, expanded).shape();
        if (!Arrays.equals(expandedOut, g.shape())) {
            throw new AssertionError("assertSumsOverBroadcastDims: the op's output has shape " + Arrays.toString(g.shape())
                    + " for inputs " + Arrays.deepToString(shapes) + " but " + Arrays.toString(expandedOut)
                    + " for the expanded inputs");
        }
        Tensor[] broadcast = gradients(op, inputs, g);
        Tensor[] ofExpanded = gradients(op, expanded, g);
        for (int k = 0; k < inputs.length; k++) {
            Tensor expected = sumTo(ofExpanded[k], shapes[k]);
            TensorAssertions.assertAllClose("assertSumsOverBroadcastDims: input " + k + " of shape "
                    + Arrays.toString(shapes[k]) + " broadcast to " + Arrays.toString(full)
                    + ", vs its expanded copy's gradient summed back", broadcast[k], expected, RTOL,
                    ATOL * scale(expected), false);
        }
    }

    /** Sums {@code g} (of a broadcast shape) back to {@code shape}: leading dims away, then dims of size 1. */
    static Tensor sumTo(Tensor g, int[] shape) {
        Tensor s = g;
        while (s.dim() > shape.length) {
            s = s.sum(0);
        }
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] == 1 && s.size(d) != 1) {
                s = s.sum(d, true);
            }
        }
        return s;
    }

    private static Var apply(Function<Var[], Var> op, Tensor[] inputs) {
        Var[] cs = new Var[inputs.length];
        for (int k = 0; k < inputs.length; k++) {
            cs[k] = Var.constant(inputs[k].copy());
        }
        Var out = op.apply(cs);
        if (out == null) {
            throw new IllegalArgumentException("custom op check: expected the op to return a Var, got null");
        }
        return out;
    }

    /** Each input's gradient for upstream {@code g}, zeros where none arrived. */
    private static Tensor[] gradients(Function<Var[], Var> op, Tensor[] inputs, Tensor g) {
        Var[] vs = new Var[inputs.length];
        for (int k = 0; k < inputs.length; k++) {
            vs[k] = Var.param(inputs[k].copy());
        }
        Var out = op.apply(vs);
        if (out.requiresGrad()) {
            out.backward(g);
        }
        Tensor[] grads = new Tensor[inputs.length];
        for (int k = 0; k < inputs.length; k++) {
            grads[k] = vs[k].grad() == null ? Tensor.zerosLike(inputs[k]) : vs[k].grad();
        }
        return grads;
    }

    /** max(1, largest |element|): float32 rounding in a rule grows with the gradients' size. */
    private static double scale(Tensor... ts) {
        double m = 1;
        for (Tensor t : ts) {
            for (float v : t.toArray()) {
                if (Float.isFinite(v)) {
                    m = Math.max(m, Math.abs(v));
                }
            }
        }
        return m;
    }

    private static void check(String what, Function<Var[], Var> op, Tensor[] inputs) {
        if (op == null || inputs == null || inputs.length == 0 || Arrays.asList(inputs).contains(null)) {
            throw new IllegalArgumentException(what + ": expected an op and at least one non-null input tensor, got op="
                    + op + ", inputs=" + (inputs == null ? "null" : inputs.length + " tensors"));
        }
    }
}
