package dev.vectorgrad.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import dev.vectorgrad.core.Tensor;

/** The graph machinery: ordering, accumulation, sharing, leaves, deep chains. */
class EngineTest {

    @Test
    void aChainOfOneHundredThousandOpsDoesNotOverflowTheStack() {
        int n = 100_000;
        Var x = Var.param(Tensor.of(new float[] {1f, 2f}, 2));
        Var y = x;
        for (int i = 0; i < n; i++) {
            y = y.add(1f);
        }
        Var loss = y.sum();
        assertEquals(2 * n + 3f, loss.item());
        loss.backward();
        assertArrayEquals(new float[] {1f, 1f}, x.grad().toArray());
    }

    @Test
    void aDeepChainOfMultiplicationsGivesTheProductRule() {
        // d/dx (x * c^n) = c^n with c close to 1, so the value stays finite.
        int n = 20_000;
        float c = 1.0001f;
        Var x = Var.param(Tensor.scalar(1f));
        Var y = x;
        for (int i = 0; i < n; i++) {
            y = y.mul(c);
        }
        y.backward();
        assertEquals(Math.pow(c, n), x.grad().item(), 1e-3 * Math.pow(c, n));
    }

    @Test
    void aVarUsedTwiceGetsBothContributions() {
        // y = x*x + x  ->  dy/dx = 2x + 1, and a diamond: z = (x+1) * (x+2)
        Var x = Var.param(Tensor.of(new float[] {3f}, 1));
        x.mul(x).add(x).sum().backward();
        assertArrayEquals(new float[] {7f}, x.grad().toArray());
        x.zeroGrad();
        x.add(1f).mul(x.add(2f)).sum().backward();
        assertArrayEquals(new float[] {2 * 3f + 3f}, x.grad().toArray());
    }

    @Test
    void gradientsLiveInTheWrappedTensorAndAccumulate() {
        Tensor w = Tensor.of(new float[] {1f, 2f}, 2);
        Var p = Var.param(w);
        p.mul(3f).sum().backward();
        assertSame(w.grad(), p.grad(), "the tensor's grad field is the home of the gradient");
        p.mul(3f).sum().backward();
        assertArrayEquals(new float[] {6f, 6f}, w.grad().toArray());
        Tensor same = w.grad();
        p.zeroGrad();
        assertSame(same, w.grad(), "zeroGrad keeps the tensor");
        assertArrayEquals(new float[] {0f, 0f}, w.grad().toArray());
    }

    @Test
    void anExistingHandWrittenGradientIsAddedTo() {
        Tensor w = Tensor.of(new float[] {1f, 2f}, 2);
        w.setGrad(Tensor.of(new float[] {10f, 20f}, 2));
        Var.param(w).sum().backward();
        assertArrayEquals(new float[] {11f, 21f}, w.grad().toArray());
    }

    @Test
    void theUpstreamGradientTensorIsNeverModified() {
        Tensor g = Tensor.of(new float[] {1f, 2f, 3f}, 3);
        Var x = Var.param(Tensor.ones(3));
        x.add(Var.constant(Tensor.zeros(3))).backward(g);
        x.add(Var.constant(Tensor.zeros(3))).backward(g);
        assertArrayEquals(new float[] {1f, 2f, 3f}, g.toArray());
        assertArrayEquals(new float[] {2f, 4f, 6f}, x.grad().toArray());
    }

    @Test
    void backwardFromALeafSeedsItsOwnGradient() {
        Var x = Var.param(Tensor.scalar(5f));
        x.backward();
        assertEquals(1f, x.grad().item());
    }

    @Test
    void constantsAndDetachedVarsGetNoGradient() {
        Tensor c = Tensor.ones(2);
        Var x = Var.param(Tensor.ones(2));
        x.mul(Var.constant(c)).add(x.detach()).sum().backward();
        assertNull(c.grad());
        assertArrayEquals(new float[] {1f, 1f}, x.grad().toArray());
        assertFalse(x.detach().requiresGrad());
    }

    @Test
    void opsRecordTheirNameAndLeavesNone() {
        Var x = Var.param(Tensor.ones(2, 2));
        assertTrue(x.isLeaf());
        assertNull(x.opName());
        assertEquals("matmul", x.matmul(x).opName());
        assertTrue(x.matmul(x).toString().startsWith("Var[2, 2] grad_fn=matmul"));
    }

    @Test
    void topologicalOrderPutsInputsFirstAndVisitsSharedNodesOnce() {
        Var x = Var.param(Tensor.ones(2));
        Var a = x.mul(2f);
        Var b = a.add(a);
        Var c = b.mul(a);
        var order = Engine.topologicalOrder(c);
        assertEquals(4, order.size());
        assertTrue(order.indexOf(x) < order.indexOf(a));
        assertTrue(order.indexOf(a) < order.indexOf(b));
        assertSame(c, order.get(3));
    }
}
