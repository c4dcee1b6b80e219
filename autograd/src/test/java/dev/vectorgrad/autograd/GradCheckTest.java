package dev.vectorgrad.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import dev.vectorgrad.core.Rng;
import dev.vectorgrad.core.Tensor;

/** GradCheck must pass right gradients and, above all, catch wrong ones. */
class GradCheckTest {

    @Test
    void passesACorrectGradientAndReportsWhatItChecked() {
        Rng rng = new Rng(3);
        Tensor a = Tensor.randn(rng, 4, 5);
        GradCheck.Report r = GradCheck.assertGradients(x -> x[0].mul(x[0]).sum(), a);
        assertTrue(r.passed());
        assertEquals(20, r.checkedElements());
        assertTrue(r.maxRelError() < 1e-2, r.toString());
        assertNull(a.grad(), "the caller's tensors are left alone");
    }

    @Test
    void catchesAGradientThatIgnoresAPath() {
        // The detached branch contributes 2x to the value but nothing to autograd's gradient.
        Tensor a = Tensor.randn(new Rng(4), 3, 3);
        GradCheck.Report r = GradCheck.defaults().check(x -> x[0].detach().mul(2f).add(x[0]).sum(), a);
        assertFalse(r.passed());
        assertEquals(1.0, r.worst().analytic(), 0, "autograd sees only the recorded branch");
        assertFalse(r.worst().ok());
        AssertionError e = assertThrows(AssertionError.class,
                () -> GradCheck.assertGradients(x -> x[0].detach().mul(2f).add(x[0]), a));
        assertTrue(e.getMessage().contains("input 0 of shape [3, 3]"), e.getMessage());
    }

    @Test
    void samplesBigInputsAndTheDirectionalCheckSeesEveryElement() {
        int n = 5000;
        int half = n / 2;
        Tensor a = Tensor.randn(new Rng(5), n);
        GradCheck few = GradCheck.defaults().withMaxElements(10);
        GradCheck.Report ok = few.verify(x -> x[0].exp().sum(), a);
        assertEquals(10, ok.checkedElements());
        // Autograd misses the second half of the gradient; whichever elements were sampled,
        // the directional derivative (which moves every element) disagrees.
        GradCheck.Report r = few.check(x -> x[0].slice(0, 0, half).exp().sum()
                .add(x[0].detach().slice(0, half, n).exp().sum()), a);
        assertFalse(r.passed());
        assertFalse(r.directional().ok(), r.toString());
    }

    @Test
    void functionsOfSeveralInputsAndNonScalarOutputsAreChecked() {
        Rng rng = new Rng(6);
        GradCheck.Report r = GradCheck.defaults().withSeed(9)
                .verify(x -> x[0].matmul(x[1]).exp(), Tensor.randn(rng, 2, 3).mul(0.3f), Tensor.randn(rng, 3, 4).mul(0.3f));
        assertEquals(6 + 12, r.checkedElements());
    }

    @Test
    void anInputTheFunctionIgnoresHasZeroGradient() {
        Rng rng = new Rng(8);
        GradCheck.assertGradients(x -> x[0].sum(), Tensor.randn(rng, 2), Tensor.randn(rng, 3));
    }

    @Test
    void badSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> GradCheck.defaults().withEps(0));
        assertThrows(IllegalArgumentException.class, () -> GradCheck.defaults().withTolerances(-1, 0));
        assertThrows(IllegalArgumentException.class, () -> GradCheck.defaults().withMaxElements(0));
        assertThrows(IllegalArgumentException.class, () -> GradCheck.defaults().check(x -> x[0]));
    }
}
