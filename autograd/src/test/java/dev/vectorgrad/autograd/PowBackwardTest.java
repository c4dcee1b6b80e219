package dev.vectorgrad.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import dev.vectorgrad.core.Rng;
import dev.vectorgrad.core.Tensor;

/**
 * {@code pow}'s backward follows PyTorch's {@code pow_backward}: {@code grad * p * x^(p-1)}, except
 * that {@code p == 0} gives exactly 0 everywhere (not {@code 0 * x^-1}, which is NaN at 0).
 */
class PowBackwardTest {

    private static final float INF = Float.POSITIVE_INFINITY;

    private static float[] gradOfPow(float p, float... x) {
        Var v = Var.param(Tensor.of(x, x.length));
        v.pow(p).sum().backward();
        return v.grad().toArray();
    }

    @Test
    void exponentZeroHasAZeroGradientEverywhereIncludingAtZero() {
        // torch.tensor([0., -0., 2., -3., inf, nan], requires_grad=True).pow(0).sum().backward()
        // gives grad [0, 0, 0, 0, 0, 0].
        assertArrayEquals(new float[] {0f, 0f, 0f, 0f, 0f, 0f}, gradOfPow(0f, 0f, -0f, 2f, -3f, INF, Float.NaN));
    }

    @Test
    void otherExponentsKeepPTimesXToThePMinusOneAtZero() {
        // p = 1: x^0 = 1 everywhere, including 0.
        assertArrayEquals(new float[] {1f, 1f, 1f}, gradOfPow(1f, 0f, 2f, -3f));
        // p = 2: 2x, 0 at 0.
        assertArrayEquals(new float[] {0f, 4f, -6f}, gradOfPow(2f, 0f, 2f, -3f));
        // p = 3: 3x^2, 0 at 0.
        assertArrayEquals(new float[] {0f, 12f, 27f}, gradOfPow(3f, 0f, 2f, -3f));
        // p = 0.5: 0.5 * 0^-0.5 = inf, as PyTorch gives.
        assertArrayEquals(new float[] {INF, 0.25f}, gradOfPow(0.5f, 0f, 4f));
        // p = -1: -1 * 0^-2 = -inf.
        assertArrayEquals(new float[] {-INF, -0.25f}, gradOfPow(-1f, 0f, 2f));
        // p = 1.5 at 0: 1.5 * 0^0.5 = 0.
        assertEquals(0f, gradOfPow(1.5f, 0f)[0]);
    }

    @Test
    void theUpstreamGradientScalesTheRuleAndExponentZeroStaysZero() {
        Var x = Var.param(Tensor.of(new float[] {0f, 3f}, 2));
        x.pow(0f).backward(Tensor.of(new float[] {5f, -7f}, 2));
        assertArrayEquals(new float[] {0f, 0f}, x.grad().toArray());
        x.zeroGrad();
        x.pow(2f).backward(Tensor.of(new float[] {5f, -7f}, 2));
        assertArrayEquals(new float[] {0f, -42f}, x.grad().toArray());
    }

    @Test
    void finiteDifferencesAgreeForEveryExponentIncludingZero() {
        Rng rng = new Rng(11);
        Tensor any = Tensor.randn(rng, 3, 4);
        Tensor positive = Tensor.rand(rng, 3, 4).mul(1.5f).add(0.5f); // in [0.5, 2)
        for (float p : new float[] {0f, 1f, 2f, 3f, -2f}) {
            GradCheck.assertGradients(x -> x[0].pow(p), p == -2f ? positive : any);
        }
        for (float p : new float[] {0.5f, 1.5f, -1f, -0.5f}) {
            GradCheck.assertGradients(x -> x[0].pow(p), positive);
        }
        // Exactly at 0, x^0 is the constant 1: its difference quotient is 0, as the gradient.
        GradCheck.assertGradients(x -> x[0].pow(0f), Tensor.zeros(2, 2));
    }
}
