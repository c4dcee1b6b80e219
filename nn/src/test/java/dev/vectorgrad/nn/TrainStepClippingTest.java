package dev.vectorgrad.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vectorgrad.autograd.Var;
import dev.vectorgrad.core.Rng;
import dev.vectorgrad.core.Tensor;
import dev.vectorgrad.nn.optim.Adam;
import dev.vectorgrad.nn.optim.GradClipping;
import dev.vectorgrad.nn.optim.LRScheduler;
import dev.vectorgrad.nn.optim.OneCycleLR;
import dev.vectorgrad.nn.optim.Optimizer;
import dev.vectorgrad.nn.optim.ParamGroup;
import dev.vectorgrad.nn.optim.Sgd;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * TrainStep with gradient clipping and a per-batch schedule against the eager loop with the
 * same clipping and schedule: the same floats after every step, bit for bit, on replayed steps too.
 */
class TrainStepClippingTest {

    private static Sequential mlp(long seed) {
        Rng rng = new Rng(seed);
        return new Sequential(Linear.kaimingNormal(11, 9, rng), new ReLU(), new Linear(9, 4, rng));
    }

    private static void assertSame(Layer expected, Layer actual, String when) {
        Map<String, Tensor> e = expected.stateDict();
        Map<String, Tensor> a = actual.stateDict();
        for (String k : e.keySet()) {
            float[] ev = e.get(k).toArray();
            float[] av = a.get(k).toArray();
            for (int i = 0; i < ev.length; i++) {
                assertEquals(Float.floatToIntBits(ev[i]), Float.floatToIntBits(av[i]), when + ": " + k + "[" + i + "]");
            }
        }
    }

    private interface Clip {
        void apply(List<Var> params);
    }

    private static void trainBoth(boolean adam, float maxNorm, double normType, float clipValue) {
        Rng data = new Rng(9);
        int n = 40;
        Tensor x = Tensor.randn(data, n, 11).mul(3f);
        float[] labels = new float[n];
        for (int i = 0; i < n; i++) {
            labels[i] = data.nextInt(4);
        }
        Tensor y = Tensor.of(labels, n);
        Sequential a = mlp(3);
        Sequential b = mlp(3);
        Optimizer oa = optimizer(a, adam);
        Optimizer ob = optimizer(b, adam);
        int epochs = 3;
        int batch = 16;
        int total = epochs * ((n + batch - 1) / batch);
        LRScheduler sa = new OneCycleLR(oa, 0.05f, total);
        LRScheduler sb = new OneCycleLR(ob, 0.05f, total);
        TrainStep step = new TrainStep(a, new CrossEntropyLoss(), oa);
        if (clipValue >= 0) {
            step.withGradValueClipping(clipValue);
        } else {
            step.withGradClipping(maxNorm, normType);
        }
        CrossEntropyLoss loss = new CrossEntropyLoss();
        int replayed = 0;
        boolean clippedOnce = false;
        for (int epoch = 0; epoch < epochs; epoch++) {
            for (int s = 0; s < n; s += batch) {
                Tensor bx = x.slice(0, s, Math.min(n, s + batch));
                Tensor by = y.slice(0, s, Math.min(n, s + batch));
                float la = step.step(bx, by);
                replayed += step.lastReplayed() ? 1 : 0;
                sa.step();

                b.zeroGrad();
                Var l = loss.call(b.call(Var.constant(bx)), by);
                l.backward();
                if (clipValue >= 0) {
                    GradClipping.clipGradValue(b.parameters(), clipValue);
                } else {
                    double norm = GradClipping.clipGradNorm(b.parameters(), maxNorm, normType);
                    assertEquals(norm, step.lastGradNorm(), "the norm TrainStep saw");
                    clippedOnce |= norm > maxNorm;
                }
                ob.step();
                sb.step();
                assertEquals(Float.floatToIntBits(l.item()), Float.floatToIntBits(la), "loss");
                assertSame(b, a, "epoch " + epoch + " batch " + s);
            }
        }
        assertTrue(replayed >= 5, "most steps replayed, got " + replayed);
        assertTrue(clipValue >= 0 || clippedOnce, "the clipping did something");
    }

    private static Optimizer optimizer(Layer model, boolean adam) {
        List<Var> ps = model.parameters();
        List<ParamGroup> groups = List.of(ParamGroup.of(ps.subList(0, 2)), ParamGroup.of(ps.subList(2, 4)).weightDecay(0f));
        return adam ? Adam.builder(groups, 1e-3f).weightDecay(1e-2f).build()
                : Sgd.builder(groups, 0.1f).momentum(0.9f).weightDecay(1e-2f).build();
    }

    @Test
    void clippedReplayedStepsEqualClippedEagerSteps() {
        trainBoth(false, 0.5f, 2, -1f);
        trainBoth(true, 0.3f, Double.POSITIVE_INFINITY, -1f);
        trainBoth(false, 0f, 2, 0.05f);
    }

    @Test
    void aWarmClippedStepWithASchedulerAllocatesLessThanAKibibyte() {
        // The lesson's MLP, as TrainStepTest measures it without clipping.
        Rng rng = new Rng(4);
        Sequential model = new Sequential(Linear.kaimingNormal(784, 50, rng), new ReLU(), new Linear(50, 10, rng));
        Optimizer opt = optimizer(model, true);
        TrainStep step = new TrainStep(model, new CrossEntropyLoss(), opt).withGradClipping(0.1f);
        OneCycleLR schedule = new OneCycleLR(opt, 1e-3f, 1_000_000);
        Tensor x = Tensor.randn(rng, 64, 784).mul(0.1f);
        float[] labels = new float[64];
        for (int i = 0; i < 64; i++) {
            labels[i] = rng.nextInt(10);
        }
        Tensor y = Tensor.of(labels, 64);
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        // Until C2 compiles the kernels the Vector API boxes vectors: measure rounds until one is clean.
        long perStep = Long.MAX_VALUE;
        for (int round = 0; round < 100 && perStep >= 1024; round++) {
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 100; i++) {
                step.step(x, y);
                schedule.step();
            }
            perStep = (threads.getCurrentThreadAllocatedBytes() - before) / 100;
        }
        assertTrue(perStep < 1024, "a warm clipped, scheduled step allocated " + perStep + " bytes");
        assertTrue(step.lastReplayed());
    }

    @Test
    void badClippingIsRejectedByName() {
        Sequential m = mlp(1);
        TrainStep step = new TrainStep(m, new CrossEntropyLoss(), new Sgd(m.parameters(), 0.1f));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> step.withGradClipping(-1f));
        assertEquals("TrainStep.withGradClipping: max_norm must be finite and >= 0, got -1.0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> step.withGradClipping(1f, 0));
        assertTrue(e.getMessage().contains("norm_type must be >= 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> step.withGradValueClipping(Float.NaN));
        assertTrue(e.getMessage().contains("clip_value must be finite and >= 0, got NaN"), e.getMessage());
        assertTrue(Double.isNaN(step.lastGradNorm()));
    }
}
