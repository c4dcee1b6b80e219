package dev.vectorgrad.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import dev.vectorgrad.autograd.NoGrad;
import dev.vectorgrad.autograd.Var;
import dev.vectorgrad.core.Rng;
import dev.vectorgrad.core.Tensor;
import dev.vectorgrad.nn.optim.Adam;
import dev.vectorgrad.nn.optim.Optimizer;
import dev.vectorgrad.nn.optim.Sgd;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * A TrainStep replaying a model built from the pooling, normalisation and reshaping layers against
 * the eager loop on the same batches: the loss, every parameter and every buffer (batch norm's
 * running statistics and batch counter) must be the same floats after every step, then the
 * evaluation-mode forward must agree too.
 */
class PoolingNormalizationTrainStepTest {

    /** [N, 144] -> 4 maps of 6x6 -> batch norm, pools -> 16 features -> batch norm, linear, layer norm -> classes. */
    private static Sequential model(long seed, int classes) {
        Rng rng = new Rng(seed);
        return new Sequential(
                new Unflatten(1, 4, 6, 6),
                new BatchNorm2d(4),
                new ReLU(),
                new MaxPool2d(2),
                new AvgPool2d(3, 1, 1),
                new AdaptiveAvgPool2d(2),
                new Flatten(),
                new BatchNorm1d(16),
                new Linear(16, 12, rng),
                new LayerNorm(12),
                new ReLU(),
                new Linear(12, classes, rng));
    }

    private static Optimizer optimizer(Layer model, boolean adam) {
        return adam ? Adam.builder(model.parameters(), 0.01f).build()
                : Sgd.builder(model.parameters(), 0.05f).momentum(0.9f).build();
    }

    private static void assertSameState(Layer expected, Layer actual, String when) {
        Map<String, Tensor> e = expected.stateDict();
        Map<String, Tensor> a = actual.stateDict();
        assertEquals(e.keySet(), a.keySet());
        for (String k : e.keySet()) {
            float[] ev = e.get(k).toArray();
            float[] av = a.get(k).toArray();
            for (int i = 0; i < ev.length; i++) {
                if (Float.floatToIntBits(ev[i]) != Float.floatToIntBits(av[i])) {
                    throw new AssertionError(when + ": " + k + "[" + i + "] is " + av[i] + " after the captured steps, "
                            + ev[i] + " after the eager ones");
                }
            }
        }
    }

    @Property(tries = 8)
    void capturedStepsEqualEagerStepsWithTheRunningStatistics(@ForAll @IntRange(min = 2, max = 9) int batch,
                                                               @ForAll boolean adam, @ForAll long seed) {
        int classes = 5;
        int samples = 23;
        Rng data = new Rng(seed + 1);
        Tensor x = Tensor.randn(data, samples, 144);
        float[] labels = new float[samples];
        for (int i = 0; i < samples; i++) {
            labels[i] = data.nextInt(classes);
        }
        Tensor y = Tensor.of(labels, samples);
        Sequential captured = model(seed, classes);
        Sequential eager = model(seed, classes);
        CrossEntropyLoss loss = new CrossEntropyLoss();
        TrainStep step = new TrainStep(captured, loss, optimizer(captured, adam));
        Optimizer eagerOpt = optimizer(eager, adam);
        for (int epoch = 0; epoch < 3; epoch++) {
            for (int s = 0; s < samples; s += batch) {
                int e = Math.min(samples, s + batch);
                if (e - s < 2) {
                    continue; // batch norm refuses one value per channel in training, as torch does
                }
                Tensor bx = x.slice(0, s, e);
                Tensor by = y.slice(0, s, e);
                float c = step.step(bx, by);
                eager.zeroGrad();
                Var l = loss.call(eager.call(Var.constant(bx)), by);
                l.backward();
                eagerOpt.step();
                String when = "epoch " + epoch + ", sample " + s;
                assertEquals(Float.floatToIntBits(l.item()), Float.floatToIntBits(c), "loss at " + when);
                assertSameState(eager, captured, when);
            }
        }
        assertTrue(step.lastReplayed(), "the steps replayed");
        assertEquals(List.of("batchNorm", "relu", "maxPool2d", "avgPool2d", "adaptiveAvgPool2d", "reshape", "batchNorm",
                "linear", "layerNorm", "relu", "linear", "crossEntropy"), step.lastOps().subList(1, 13));
        assertTrue(((BatchNorm) captured.get(1)).numBatchesTracked().item() > 3, "the counter counted replays");

        // Evaluation replays with the running statistics and changes none of them.
        captured.eval();
        eager.eval();
        Tensor bx = x.slice(0, 0, 7);
        Tensor by = y.slice(0, 0, 7);
        for (int round = 0; round < 2; round++) {
            float c = step.evaluate(bx, by);
            float expected;
            try (NoGrad ignored = NoGrad.enter()) {
                expected = loss.call(eager.call(bx), by).item();
            }
            assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(c), "evaluation loss, round " + round);
        }
        assertSameState(eager, captured, "after evaluation");
    }

    @Test
    void theFirstOpIsTheUnflattenView() {
        Sequential m = model(3, 4);
        Tensor x = Tensor.randn(new Rng(3), 6, 144);
        float[] labels = {0, 1, 2, 3, 0, 1};
        TrainStep step = new TrainStep(m, new CrossEntropyLoss(), optimizer(m, false));
        step.step(x, Tensor.of(labels, 6));
        step.step(x, Tensor.of(labels, 6));
        assertTrue(step.lastReplayed());
        assertEquals("reshape", step.lastOps().get(0));
    }
}
