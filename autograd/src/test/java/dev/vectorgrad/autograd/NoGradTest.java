package dev.vectorgrad.autograd;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import dev.vectorgrad.core.Tensor;

class NoGradTest {

    @Test
    void resultsInsideAScopeRecordNothing() {
        Var x = Var.param(Tensor.ones(3));
        Var y;
        try (NoGrad _ = NoGrad.enter()) {
            y = x.mul(2f).sum();
        }
        assertFalse(y.requiresGrad());
        assertNull(y.opName());
        assertTrue(x.mul(2f).sum().requiresGrad());
    }

    @Test
    void scopesNestAndRecordingResumesAfterTheOutermost() {
        assertTrue(NoGrad.isGradEnabled());
        try (NoGrad _ = NoGrad.enter()) {
            try (NoGrad _ = NoGrad.enter()) {
                assertFalse(NoGrad.isGradEnabled());
            }
            assertFalse(NoGrad.isGradEnabled(), "the outer scope is still open");
        }
        assertTrue(NoGrad.isGradEnabled());
    }

    @Test
    void closingTwiceDoesNotReenableAnOuterScope() {
        try (NoGrad _ = NoGrad.enter()) {
            NoGrad inner = NoGrad.enter();
            inner.close();
            inner.close();
            assertFalse(NoGrad.isGradEnabled());
        }
        assertTrue(NoGrad.isGradEnabled());
    }

    @Test
    void scopesArePerThread() throws InterruptedException {
        AtomicBoolean otherThreadEnabled = new AtomicBoolean();
        try (NoGrad _ = NoGrad.enter()) {
            Thread t = new Thread(() -> otherThreadEnabled.set(NoGrad.isGradEnabled()));
            t.start();
            t.join();
        }
        assertTrue(otherThreadEnabled.get());
    }
}
