package dev.vectorgrad.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The public facade of the fused updates: validation, layouts, version counters, allocation. */
class UpdatesTest {

    private static void assertRejected(Executable call, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "message '" + e.getMessage() + "' should contain '" + f + "'");
        }
    }

    @Test
    void sgdFollowsTorchForOneElementInDouble() {
        // p = 2, g = 0.5, buf = 1: L2 0.1 -> d = 0.7; buf = 0.9*1 + 0.8*0.7 = 1.46;
        // nesterov off: p = 2*(1 - 0.1*0.05) - 0.1*1.46.
        Tensor p = Tensor.full(2f, 1);
        Tensor g = Tensor.full(0.5f, 1);
        Tensor buf = Tensor.full(1f, 1);
        Updates.sgd(p, g, buf, 0.1f, 0.9f, 0.2f, false, 0.1f, 0.05f, false);
        assertEquals(1.46, buf.get(0), 1e-6);
        assertEquals(2 * (1 - 0.1 * 0.05) - 0.1 * 1.46, p.get(0), 1e-6);
        assertEquals(0.5f, g.get(0), "the gradient is not written");
    }

    @Test
    void adamFirstStepIsLrTimesTheSignWhateverTheStepNumberOfOthers() {
        // Step 1 of Adam moves each element by lr * g/|g| (up to eps); step 7 on fresh moments does not.
        Tensor p = Tensor.zeros(3);
        Tensor g = Tensor.of(new float[] {2f, -0.01f, 40f}, 3);
        Updates.adam(p, g, Tensor.zeros(3), Tensor.zeros(3), 1, 0.1f, 0.9f, 0.999f, 1e-8f, 0f, 0f);
        assertArrayEquals(new float[] {-0.1f, 0.1f, -0.1f}, p.toArray(), 1e-6f);
        Tensor q = Tensor.zeros(3);
        Updates.adam(q, g, Tensor.zeros(3), Tensor.zeros(3), 7, 0.1f, 0.9f, 0.999f, 1e-8f, 0f, 0f);
        double expected = 0.1 * (0.1 / (1 - Math.pow(0.9, 7))) / (Math.sqrt(0.001 / (1 - Math.pow(0.999, 7))));
        assertEquals(-expected, q.get(0), 1e-5);
    }

    @Test
    void stridedParamsAndGradsGiveTheBitsOfTheContiguousPath() {
        Rng rng = new Rng(3);
        int r = 5;
        int c = 7;
        Tensor pBase = Tensor.randn(rng, c, r);
        Tensor p = pBase.t(); // a transposed parameter
        Tensor gWide = Tensor.randn(rng, r, 2 * c);
        Tensor g = gWide.slice(1, 0, 2 * c, 2); // a strided gradient
        Tensor pc = p.copy();
        Tensor gc = g.copy();
        Tensor[] bufs = {Tensor.zeros(r, c), Tensor.zeros(r, c), Tensor.zeros(r, c)};
        Tensor[] bufsC = {Tensor.zeros(r, c), Tensor.zeros(r, c), Tensor.zeros(r, c)};
        for (int step = 1; step <= 3; step++) {
            Updates.sgd(p, g, bufs[0], 0.1f, 0.9f, 0f, true, 0.01f, 0.02f, step == 1);
            Updates.sgd(pc, gc, bufsC[0], 0.1f, 0.9f, 0f, true, 0.01f, 0.02f, step == 1);
            Updates.adam(p, g, bufs[1], bufs[2], step, 0.01f, 0.9f, 0.99f, 1e-8f, 0.01f, 0.1f);
            Updates.adam(pc, gc, bufsC[1], bufsC[2], step, 0.01f, 0.9f, 0.99f, 1e-8f, 0.01f, 0.1f);
            Updates.sgd(p, g.t().t(), null, 0.05f, 0f, 0f, false, 0.1f, 0f, false);
            Updates.sgd(pc, gc, null, 0.05f, 0f, 0f, false, 0.1f, 0f, false);
        }
        assertArrayEquals(pc.toArray(), p.toArray());
        for (int k = 0; k < 3; k++) {
            assertArrayEquals(bufsC[k].toArray(), bufs[k].toArray());
        }
        // An expanded (broadcast) gradient is a valid read-only view too.
        Tensor q = Tensor.zeros(2, 3);
        Updates.sgd(q, Tensor.of(new float[] {1f, 2f, 3f}, 1, 3).expand(2, 3), null, 1f, 0f, 0f, false, 0f, 0f, false);
        assertArrayEquals(new float[] {-1f, -2f, -3f, -1f, -2f, -3f}, q.toArray());
    }

    @Test
    void writtenTensorsHaveTheirVersionBumped() {
        Tensor p = Tensor.zeros(4);
        Tensor g = Tensor.ones(4);
        Tensor buf = Tensor.zeros(4);
        Tensor m = Tensor.zeros(4);
        Tensor v = Tensor.zeros(4);
        int pv = p.version();
        int gv = g.version();
        Updates.sgd(p, g, buf, 0.1f, 0.9f, 0f, false, 0f, 0f, true);
        assertEquals(pv + 1, p.version());
        assertEquals(1, buf.version());
        assertEquals(gv, g.version(), "the gradient is only read");
        Updates.adam(p, g, m, v, 1, 0.1f, 0.9f, 0.999f, 1e-8f, 0f, 0f);
        assertEquals(pv + 2, p.version());
        assertEquals(1, m.version());
        assertEquals(1, v.version());
        Tensor e = Tensor.zeros(0, 3);
        Updates.adam(e, Tensor.zeros(0, 3), Tensor.zeros(0, 3), Tensor.zeros(0, 3), 1, 0.1f, 0.9f, 0.999f, 1e-8f, 0f, 0f);
        assertEquals(1, e.version(), "an empty update is still an update");
    }

    @Test
    void badArgumentsAreRejectedByNameBeforeAnythingIsWritten() {
        Tensor p = Tensor.ones(2, 3);
        Tensor g = Tensor.ones(2, 3);
        assertRejected(() -> Updates.sgd(p, Tensor.ones(3, 2), null, 0.1f, 0f, 0f, false, 0f, 0f, false),
                "Updates.sgd", "grad has shape [3, 2]", "param has shape [2, 3]");
        assertRejected(() -> Updates.sgd(p, null, null, 0.1f, 0f, 0f, false, 0f, 0f, false), "grad is null");
        assertRejected(() -> Updates.sgd(p, g, null, 0.1f, 0.9f, 0f, false, 0f, 0f, false),
                "momentumBuffer is null");
        assertRejected(() -> Updates.sgd(p, g, Tensor.zeros(2, 3), 0.1f, 0f, 0f, false, 0f, 0f, false),
                "momentum is 0", "pass null");
        assertRejected(() -> Updates.sgd(p, g, Tensor.zeros(3, 2).t(), 0.1f, 0.9f, 0f, false, 0f, 0f, false),
                "momentumBuffer must be contiguous");
        assertRejected(() -> Updates.sgd(p, g, Tensor.zeros(2, 4), 0.1f, 0.9f, 0f, false, 0f, 0f, false),
                "momentumBuffer has shape [2, 4]");
        assertRejected(() -> Updates.sgd(p, g, null, 0.1f, 0f, 0f, true, 0f, 0f, false),
                "Nesterov momentum needs momentum > 0 and dampening 0");
        assertRejected(() -> Updates.sgd(p, g, Tensor.zeros(2, 3), 0.1f, 0.9f, 0.1f, true, 0f, 0f, false),
                "Nesterov", "dampening 0.1");
        assertRejected(() -> Updates.sgd(p, g, null, Float.NaN, 0f, 0f, false, 0f, 0f, false), "lr must be finite");
        assertRejected(() -> Updates.sgd(p, g, null, 0.1f, 0f, 0f, false, -1f, 0f, false), "weightDecay must be");
        assertRejected(() -> Updates.sgd(p, g, null, 0.1f, 0f, 0f, false, 0f, Float.POSITIVE_INFINITY, false),
                "decoupledWeightDecay must be finite");
        assertRejected(() -> Updates.sgd(p, g, null, 0.1f, 0f, 1.5f, false, 0f, 0f, false), "dampening must be in [0, 1]");
        assertRejected(() -> Updates.sgd(p, p.view(2, 3), null, 0.1f, 0f, 0f, false, 0f, 0f, false),
                "grad shares storage with param");
        assertRejected(() -> Updates.sgd(Tensor.ones(1, 3).expand(2, 3), g, null, 0.1f, 0f, 0f, false, 0f, 0f, false),
                "expanded view", "dim 0");
        Tensor m = Tensor.zeros(2, 3);
        Tensor v = Tensor.zeros(2, 3);
        assertRejected(() -> Updates.adam(p, g, m, v, 0, 0.1f, 0.9f, 0.999f, 1e-8f, 0f, 0f), "step must be >= 1", "got 0");
        assertRejected(() -> Updates.adam(p, g, m, m, 1, 0.1f, 0.9f, 0.999f, 1e-8f, 0f, 0f), "v shares storage with m");
        assertRejected(() -> Updates.adam(p, g, g, v, 1, 0.1f, 0.9f, 0.999f, 1e-8f, 0f, 0f), "m shares storage with grad");
        assertRejected(() -> Updates.adam(p, g, m, v, 1, 0.1f, 1f, 0.999f, 1e-8f, 0f, 0f), "beta1 must be in [0.0, 1.0)");
        assertRejected(() -> Updates.adam(p, g, m, v, 1, 0.1f, 0.9f, -0.1f, 1e-8f, 0f, 0f), "beta2");
        assertRejected(() -> Updates.adam(p, g, m, v, 1, 0.1f, 0.9f, 0.999f, 0f, 0f, 0f), "eps must be finite and > 0");
        assertRejected(() -> Updates.adam(p, g, null, v, 1, 0.1f, 0.9f, 0.999f, 1e-8f, 0f, 0f), "m is null");
        assertArrayEquals(Tensor.ones(2, 3).toArray(), p.toArray(), "nothing written");
        assertEquals(0, p.version());
        assertEquals(0, m.version());
    }

    @Test
    void contiguousUpdatesAllocateNothing() {
        var bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Tensor p = Tensor.randn(new Rng(1), 64, 33);
        Tensor g = Tensor.randn(new Rng(2), 64, 33);
        Tensor buf = Tensor.zeros(64, 33);
        Tensor m = Tensor.zeros(64, 33);
        Tensor v = Tensor.zeros(64, 33);
        for (int i = 1; i <= 2000; i++) { // warm up: class loading and JIT compilation allocate
            Updates.sgd(p, g, buf, 1e-4f, 0.9f, 0f, true, 1e-4f, 1e-4f, i == 1);
            Updates.sgd(p, g, null, 1e-4f, 0f, 0f, false, 0f, 0f, false);
            Updates.adam(p, g, m, v, i, 1e-4f, 0.9f, 0.999f, 1e-8f, 1e-4f, 1e-2f);
        }
        long before = bean.getCurrentThreadAllocatedBytes();
        for (int i = 1; i <= 1000; i++) {
            Updates.sgd(p, g, buf, 1e-4f, 0.9f, 0f, true, 1e-4f, 1e-4f, false);
            Updates.sgd(p, g, null, 1e-4f, 0f, 0f, false, 0f, 0f, false);
            Updates.adam(p, g, m, v, 2000 + i, 1e-4f, 0.9f, 0.999f, 1e-8f, 1e-4f, 1e-2f);
        }
        long allocated = bean.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < 1024, "3,000 contiguous updates allocated " + allocated + " bytes");
    }
}
