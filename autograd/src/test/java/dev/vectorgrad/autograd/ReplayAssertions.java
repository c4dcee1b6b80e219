package dev.vectorgrad.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.function.Function;

import dev.vectorgrad.core.Tensor;

/**
 * A captured graph replayed on new data against eager autograd on that data, for the tests of
 * {@link CapturedGraph}: the output and every parameter's gradient must be the same floats, bit
 * for bit (NaN and the sign of 0 included, one NaN being as good as another).
 */
final class ReplayAssertions {

    private ReplayAssertions() {}

    /** A computation of some parameters (the first Vars) and some data (the rest). */
    interface Program extends Function<Var[], Var> {}

    /**
     * Captures {@code program} on {@code batches[0]}, then replays it on every later batch after
     * writing it into the data tensors the program read; after each replay, the output and the
     * gradients must equal those of an eager run on that batch with fresh copies of the parameters.
     *
     * @param params the parameters' values, copied for each run
     * @param batches one array of data tensors per run, the first for the capture
     * @return the graph
     */
    static CapturedGraph assertReplaysMatchEager(Program program, Tensor[] params, Tensor[]... batches) {
        Tensor[] capturedParams = copies(params);
        Tensor[] dataBuffers = copies(batches[0]);
        Var[] leaves = leaves(capturedParams, dataBuffers);
        CapturedGraph.Capture c = CapturedGraph.capture(() -> program.apply(leaves));
        assertTrue(c.replayable(), () -> "refused: " + c.refusal());
        CapturedGraph g = c.graph();
        // The eager result of the capture run: the recorded graph is an ordinary one.
        if (c.result().requiresGrad()) {
            c.result().backward(c.result().numel() == 1 ? null : Tensor.onesLike(c.result().value()));
        }
        for (int b = 1; b < batches.length; b++) {
            for (int i = 0; i < dataBuffers.length; i++) {
                dataBuffers[i].copyFrom(batches[b][i]);
            }
            g.forward();
            if (g.output().requiresGrad()) {
                g.backward();
            }
            Tensor[] eagerParams = copies(params);
            Var out = program.apply(leaves(eagerParams, copies(batches[b])));
            String run = "batch " + b + ": ";
            assertSameBits(out.value(), g.output().value(), run + "output");
            if (!out.requiresGrad()) {
                continue;
            }
            out.backward(out.numel() == 1 ? null : Tensor.onesLike(out.value()));
            for (int i = 0; i < params.length; i++) {
                Tensor expected = eagerParams[i].grad();
                Tensor actual = capturedParams[i].grad();
                if (expected == null) {
                    assertTrue(actual == null || isZero(actual), run + "parameter " + i + " got a gradient eager autograd did not give");
                } else {
                    assertNotNull(actual, run + "parameter " + i + " has no gradient after the replay");
                    assertSameBits(expected, actual, run + "gradient of parameter " + i);
                }
            }
        }
        return g;
    }

    private static boolean isZero(Tensor t) {
        for (float v : t.toArray()) {
            if (v != 0f) {
                return false;
            }
        }
        return true;
    }

    static Var[] leaves(Tensor[] params, Tensor[] data) {
        Var[] v = new Var[params.length + data.length];
        for (int i = 0; i < params.length; i++) {
            v[i] = Var.param(params[i]);
        }
        for (int i = 0; i < data.length; i++) {
            v[params.length + i] = Var.constant(data[i]);
        }
        return v;
    }

    static Tensor[] copies(Tensor[] ts) {
        Tensor[] c = new Tensor[ts.length];
        for (int i = 0; i < ts.length; i++) {
            c[i] = ts[i].copy();
        }
        return c;
    }

    static void assertSameBits(Tensor expected, Tensor actual, String what) {
        assertEquals(java.util.Arrays.toString(expected.shape()), java.util.Arrays.toString(actual.shape()), what + ": shape");
        float[] e = expected.toArray();
        float[] a = actual.toArray();
        for (int i = 0; i < e.length; i++) {
            if (Float.floatToIntBits(e[i]) != Float.floatToIntBits(a[i])) {
                throw new AssertionError(what + ": element " + i + " is " + a[i] + " after the replay, " + e[i] + " eagerly");
            }
        }
    }

    /**
     * Bytes a warm replayed step (forward and backward) allocates: rounds of 100 steps until one
     * is under {@code limit}, since until C2 compiles the kernels the Vector API boxes every
     * vector on the heap (it takes a few thousand steps), or the last round's figure.
     */
    static long warmStepBytes(CapturedGraph g, long limit) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long perStep = Long.MAX_VALUE;
        for (int round = 0; round < 100 && perStep >= limit; round++) {
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 100; i++) {
                g.forward();
                g.backward();
            }
            perStep = (threads.getCurrentThreadAllocatedBytes() - before) / 100;
        }
        return perStep;
    }
}
