package dev.vectorgrad.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import dev.vectorgrad.core.Rng;
import dev.vectorgrad.core.Tensor;

/** Every misuse of backward fails with a message that names the problem and the shapes. */
class BackwardErrorsTest {

    private static void assertMentions(Throwable e, String... parts) {
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "message should mention '" + p + "': " + e.getMessage());
        }
    }

    @Test
    void nonScalarBackwardWithoutAGradientIsRefused() {
        Var x = Var.param(Tensor.ones(3, 2));
        Var y = x.mul(2f);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, y::backward);
        assertMentions(e, "backward", "[3, 2]", "one-element", "backward(gradient)");
        assertNull(x.grad(), "nothing was accumulated");
    }

    @Test
    void dimsOutOfRangeAreRefusedAsTensorsRefuseThem() {
        Var x = Var.param(Tensor.ones(3, 2));
        Map<String, Executable> calls = Map.of(
                "sum", () -> x.sum(2, false),
                "mean", () -> x.mean(-3, true),
                "logSumExp", () -> x.logSumExp(2, true),
                "logSoftmax", () -> x.logSoftmax(5));
        calls.forEach((op, call) -> assertMentions(assertThrows(IndexOutOfBoundsException.class, call),
                op + ":", "[3, 2]", "[-2, 1]"));
        assertArrayEquals(new float[] {3f, 3f}, x.sum(-2, false).value().toArray(), "-2 is the first of two dims");
    }

    @Test
    void oneElementOutputsOfAnyRankAreSeededWithOne() {
        Var x = Var.param(Tensor.of(new float[] {3f}, 1, 1));
        x.mul(x).backward();
        assertArrayEquals(new float[] {6f}, x.grad().toArray());
    }

    @Test
    void gradientOfTheWrongShapeIsRefused() {
        Var x = Var.param(Tensor.ones(3, 2));
        Var y = x.mul(2f);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> y.backward(Tensor.ones(2, 3)));
        assertMentions(e, "backward", "[2, 3]", "[3, 2]", "shapes must be equal");
    }

    @Test
    void backwardOfSomethingThatNeedsNoGradIsRefused() {
        Var c = Var.constant(Tensor.ones(2));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> c.sum().backward());
        assertMentions(e, "does not require grad");
        Var p = Var.param(Tensor.ones(2));
        Var under;
        try (NoGrad _ = NoGrad.enter()) {
            under = p.sum();
        }
        assertThrows(IllegalStateException.class, under::backward);
    }

    @Test
    void inPlaceEditOfASavedTensorIsDetectedNamingTheOpAndShape() {
        Rng rng = new Rng(1);
        Tensor a = Tensor.randn(rng, 4, 3);
        Var w = Var.param(Tensor.randn(rng, 3, 5));
        Var loss = Var.constant(a).matmul(w).sum();
        a.mulInPlace(2f); // the matmul saved `a` for dW = a^T @ g
        IllegalStateException e = assertThrows(IllegalStateException.class, loss::backward);
        assertMentions(e, "matmul", "[4, 3]", "modified in place");
        assertNull(w.grad(), "the check runs before any gradient is written");
    }

    @Test
    void inPlaceEditOfASavedOutputIsDetected() {
        Var x = Var.param(Tensor.ones(2, 2));
        Var y = x.exp();
        Var loss = y.sum();
        y.value().addInPlace(Tensor.ones(2, 2)); // exp saved its output
        IllegalStateException e = assertThrows(IllegalStateException.class, loss::backward);
        assertMentions(e, "exp", "[2, 2]", "modified in place");
    }

    @Test
    void inPlaceEditThroughAViewIsDetected() {
        Tensor base = Tensor.ones(6);
        Var x = Var.param(Tensor.ones(2, 3));
        Var loss = x.mul(Var.constant(base.view(2, 3))).sum();
        base.slice(0, 0, 2).fillInPlace(5f); // shares storage, so shares the version counter
        assertThrows(IllegalStateException.class, loss::backward);
    }

    @Test
    void secondBackwardThroughAReleasedGraphIsRefused() {
        Var x = Var.param(Tensor.ones(3));
        Var loss = x.mul(x).sum();
        loss.backward();
        IllegalStateException e = assertThrows(IllegalStateException.class, loss::backward);
        assertMentions(e, "already released", "retainGraph");
        assertArrayEquals(new float[] {2f, 2f, 2f}, x.grad().toArray(), "the failed call added nothing");
    }

    @Test
    void retainGraphAllowsASecondBackwardThatAccumulates() {
        Var x = Var.param(Tensor.of(new float[] {1f, 2f, 3f}, 3));
        Var loss = x.mul(x).sum();
        loss.backward(true);
        loss.backward();
        assertArrayEquals(new float[] {4f, 8f, 12f}, x.grad().toArray());
    }

    @Test
    void shapeErrorsOfTheForwardPassComeFromTheTensorOps() {
        Var a = Var.param(Tensor.ones(10, 783));
        Var b = Var.param(Tensor.ones(784, 50));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.matmul(b));
        assertMentions(e, "matmul", "783", "784");
        assertThrows(IllegalArgumentException.class, () -> Var.param(Tensor.ones(3)).add(Var.param(Tensor.ones(4))));
    }

    @Test
    void gatherColumnsRejectsBadIndices() {
        Var x = Var.param(Tensor.ones(3, 4));
        assertMentions(assertThrows(IllegalArgumentException.class, () -> x.gatherColumns(new int[] {0, 1})),
                "2 targets for 3 rows");
        assertMentions(assertThrows(IllegalArgumentException.class, () -> x.gatherColumns(new int[] {0, 4, 1})),
                "target 4 at row 1", "4 classes");
        assertMentions(assertThrows(IllegalArgumentException.class,
                () -> x.gatherColumns(Tensor.of(new float[] {0f, 1.5f, 2f}, 3))), "1.5", "not a whole number");
        assertMentions(assertThrows(IllegalArgumentException.class,
                () -> Var.param(Tensor.ones(3)).gatherColumns(new int[] {0, 0, 0})), "2-d");
    }
}
