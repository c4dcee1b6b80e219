package dev.vectorgrad.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import dev.vectorgrad.core.Rng;
import dev.vectorgrad.core.Tensor;

/** Ops written by users through {@link Var#custom}, checked with {@link GradCheck}, as its Javadoc suggests. */
class CustomOpTest {

    private static Var cube(Var x, float factor) {
        Tensor v = x.value();
        return Var.custom("cube", v.pow(3f), new Var[] {x}, new Tensor[] {v},
                (g, sink) -> sink.add(0, v.pow(2f).mul(factor).mul(g), true));
    }

    @Test
    void aCorrectCustomOpPassesGradCheck() {
        Tensor x = Tensor.randn(new Rng(11), 4, 3);
        GradCheck.assertGradients(v -> cube(v[0], 3f), x);
        assertEquals("cube", cube(Var.param(x), 3f).opName());
    }

    @Test
    void aWrongCustomOpFailsGradCheckNamingTheElement() {
        Tensor x = Tensor.randn(new Rng(12), 4, 3);
        GradCheck.Report r = GradCheck.defaults().check(v -> cube(v[0], 2.9f), x);
        assertFalse(r.passed());
        AssertionError e = assertThrows(AssertionError.class, () -> GradCheck.assertGradients(v -> cube(v[0], 2.9f), x));
        assertTrue(e.getMessage().contains("input 0 of shape [4, 3]"), e.getMessage());
    }

    @Test
    void aCustomOpsSavedTensorIsGuardedAgainstInPlaceEdits() {
        Tensor x = Tensor.randn(new Rng(13), 3);
        Var loss = cube(Var.param(x), 3f).sum();
        x.mulInPlace(2f);
        IllegalStateException e = assertThrows(IllegalStateException.class, loss::backward);
        assertTrue(e.getMessage().contains("cube") && e.getMessage().contains("[3]"), e.getMessage());
    }

    @Test
    void aCustomOpOfConstantsRecordsNothing() {
        assertFalse(cube(Var.constant(Tensor.ones(2)), 3f).requiresGrad());
    }
}
