package dev.vectorgrad.core;

import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The in-place operations an optimiser step and a training loop run on contiguous tensors
 * allocate nothing once compiled, whatever else has been run before.
 */
class InPlaceAllocationTest {

    /** The MLP's shapes, a 0-d and a 1-element tensor, an empty one and a row slice (contiguous, offset). */
    private static List<Tensor> targets() {
        Rng rng = new Rng(7);
        return List.of(
                Tensor.randn(rng, 50, 784),
                Tensor.randn(rng, 64, 50),
                Tensor.randn(rng, 10),
                Tensor.scalar(3f),
                Tensor.ones(1),
                Tensor.zeros(0, 5),
                Tensor.randn(rng, 10, 50).slice(0, 3, 7));
    }

    /**
     * Runs every elementwise op on vectors first. A shared helper in the vector kernels was once
     * compiled on its own after many ops had used it, then no longer inlined, and from then on
     * boxed every vector: the in-place ops allocated only after such a warm-up.
     */
    @BeforeAll
    static void polluteProfiles() {
        Tensor a = Tensor.randn(new Rng(1), 40, 100);
        Tensor b = Tensor.randn(new Rng(2), 40, 100);
        for (int i = 0; i < 2_000; i++) {
            a.add(b).sub(b).mul(b).div(b.abs().add(1f)).maximum(b).minimum(a).gt(b).ge(a).lt(b).le(a).eq(b).ne(a);
            a.mul(2f).add(1f).sub(3f).div(4f).rsub(1f).rdiv(2f).clampMin(0f).clampMax(1f);
            a.neg().abs().exp().sqrt().log().relu();
            b.addScaledInPlace(-1e-6f, a);
            // Every reduction kind through the one kernel entry, so none of them is left alone in its profile.
            a.sum().add(a.max()).add(a.min()).add(a.sum(1).sum()).add(a.max(1, false).sum()).add(a.min(0, false).mean());
        }
        // The smooth activations share the kernels' exp/log helpers: all of them hot before any is checked.
        Tensor g = Tensor.randn(new Rng(4), 40, 100);
        for (int i = 0; i < 2_000; i++) {
            a.tanh().sigmoid().gelu().gelu("tanh").log1p().expm1().softplus(1f, 20f);
            Fused.geluBackward(g, a, "none", b, false);
            Fused.geluBackward(g, a, "tanh", b, false);
            Fused.softplusBackward(g, a, 1f, 20f, b, false);
        }
    }

    private interface InPlace {
        void run(Tensor target, Tensor other);
    }

    private static void check(String name, InPlace op) {
        check(name, op, targets());
    }

    /**
     * The activations' targets: a batch of hidden units, an odd-sized row slice and an empty one.
     * Smaller than {@link #targets()}: a Math.exp per element over 40,000 calls of [50, 784]
     * would take minutes.
     */
    private static List<Tensor> activationTargets() {
        Rng rng = new Rng(8);
        return List.of(Tensor.randn(rng, 64, 50), Tensor.randn(rng, 9, 53).slice(0, 2, 7), Tensor.zeros(0, 5));
    }

    private static void check(String name, InPlace op, List<Tensor> targets) {
        for (Tensor t : targets) {
            Tensor other = Tensor.randn(new Rng(3), t.shape()).mul(1e-3f).add(1f);
            AllocationMeter.assertAllocationFree(name + " on " + t.describe(), () -> op.run(t, other));
        }
    }

    @Test
    void mulByScalar() {
        // Factors around 1 keep the values finite over every call.
        check("mulInPlace(float)", (t, o) -> t.mulInPlace(0.9999f));
    }

    @Test
    void mulByTensorOfTheSameShape() {
        check("mulInPlace(Tensor)", Tensor::mulInPlace);
    }

    @Test
    void add() {
        check("addInPlace", Tensor::addInPlace);
        check("addInPlace(float)", (t, o) -> t.addInPlace(1e-6f));
    }

    @Test
    void addScaled() {
        check("addScaledInPlace", (t, o) -> t.addScaledInPlace(-1e-4f, o));
    }

    @Test
    void fill() {
        check("fillInPlace", (t, o) -> t.fillInPlace(0.5f));
    }

    @Test
    void zero() {
        check("zeroInPlace", (t, o) -> t.zeroInPlace());
    }

    @Test
    void smoothActivations() {
        check("tanhInPlace", (t, o) -> t.tanhInPlace(), activationTargets());
        check("sigmoidInPlace", (t, o) -> t.sigmoidInPlace(), activationTargets());
        check("geluInPlace(none)", (t, o) -> t.geluInPlace("none"), activationTargets());
        check("geluInPlace(tanh)", (t, o) -> t.geluInPlace("tanh"), activationTargets());
        check("softplusInPlace", (t, o) -> t.softplusInPlace(1f, 20f), activationTargets());
    }

    @Test
    void smoothActivationGradients() {
        check("geluBackward into a gradient", (t, o) -> Fused.geluBackward(o, o, "none", t, false),
                activationTargets());
        check("softplusBackward into a gradient", (t, o) -> Fused.softplusBackward(o, o, 1f, 20f, t, false),
                activationTargets());
    }

    @Test
    void divisions() {
        check("divInPlace(float)", (t, o) -> t.divInPlace(1.0001f));
        check("divInPlace(Tensor)", Tensor::divInPlace);
    }

    @Test
    void powersLogsAndClamps() {
        // pow and log call Math.pow / Math.log per element: the smaller targets, as for the activations.
        check("powInPlace(2)", (t, o) -> t.powInPlace(2f), activationTargets());
        check("powInPlace(0.5)", (t, o) -> t.powInPlace(0.5f), activationTargets());
        check("logInPlace", (t, o) -> t.logInPlace(), activationTargets());
        check("clampMinInPlace", (t, o) -> t.clampMinInPlace(-0.5f));
        check("clampMinBackward into a gradient", (t, o) -> Fused.clampMinBackward(o, o, 1f, t, false));
    }

    @Test
    void copy() {
        check("copyFrom", Tensor::copyFrom);
    }

    @Test
    void reductionsIntoATarget() {
        for (Tensor t : targets()) {
            Tensor whole = Tensor.scalar(0f);
            AllocationMeter.assertAllocationFree("sumInto on " + t.describe(), () -> t.sumInto(whole));
            AllocationMeter.assertAllocationFree("meanInto on " + t.describe(), () -> t.meanInto(whole));
            for (int dim = -Math.max(1, t.dim()); dim < Math.max(1, t.dim()); dim++) {
                int d = dim;
                Tensor out = Tensor.zerosLike(t.sum(d));
                AllocationMeter.assertAllocationFree("sumInto(" + d + ") on " + t.describe(), () -> t.sumInto(d, out));
                AllocationMeter.assertAllocationFree("meanInto(" + d + ") on " + t.describe(), () -> t.meanInto(d, out));
            }
        }
    }

    /**
     * Broadcast and strided operands go through the strided loop's layout, which each thread
     * reuses: a bias row, a per-row column, a transposed source and a transposed target.
     */
    @Test
    void broadcastAndStridedOperandsToo() {
        Rng rng = new Rng(9);
        Tensor t = Tensor.randn(rng, 64, 50);
        Tensor row = Tensor.randn(rng, 50).mul(1e-3f).add(1f);
        Tensor column = Tensor.randn(rng, 64, 1).mul(1e-3f).add(1f);
        Tensor square = Tensor.randn(rng, 32, 32);
        Tensor transposed = Tensor.randn(rng, 32, 32).t();
        AllocationMeter.assertAllocationFree("addInPlace(row)", () -> t.addInPlace(row));
        AllocationMeter.assertAllocationFree("mulInPlace(column)", () -> t.mulInPlace(column));
        AllocationMeter.assertAllocationFree("divInPlace(row)", () -> t.divInPlace(row));
        AllocationMeter.assertAllocationFree("addScaledInPlace(row)", () -> t.addScaledInPlace(-1e-6f, row));
        AllocationMeter.assertAllocationFree("copyFrom(column)", () -> t.copyFrom(column));
        AllocationMeter.assertAllocationFree("copyFrom(transposed)", () -> square.copyFrom(transposed));
        AllocationMeter.assertAllocationFree("mulInPlace(float) on a transposed view", () -> transposed.mulInPlace(0.9999f));
        AllocationMeter.assertAllocationFree("clampMinInPlace on a transposed view", () -> transposed.clampMinInPlace(-1f));
        AllocationMeter.assertAllocationFree("fillInPlace on a transposed view", () -> transposed.fillInPlace(0.5f));
        Tensor deep = Tensor.randn(rng, 2, 3, 2, 2, 3, 2, 2, 3, 2, 2).permute(9, 8, 7, 6, 5, 4, 3, 2, 1, 0);
        AllocationMeter.assertAllocationFree("a ten-dim permuted view, once its thread's layout has grown",
                () -> deep.mulInPlace(0.9999f));
    }
}
