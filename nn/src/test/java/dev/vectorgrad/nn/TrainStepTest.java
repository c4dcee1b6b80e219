package dev.vectorgrad.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
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
 * The captured step against the eager loop it replaces ({@code zeroGrad}, forward, loss,
 * {@code backward}, {@code step}): two copies of one model trained on the same batches must hold
 * the same floats after every step, bit for bit.
 */
class TrainStepTest {

    /** A user's own layer: a residual block {@code x + relu(x @ W + b) * 0.5}, its input read twice. */
    static final class ScaledResidual extends Layer {
        private final Var weight;
        private final Var bias;

        ScaledResidual(int n, Rng rng) {
            weight = registerParameter("weight", Tensor.randn(rng, n, n).mul(0.3f));
            bias = registerParameter("bias", Tensor.randn(rng, n).mul(0.1f));
        }

        @Override
        public Var forward(Var x) {
            return x.add(x.matmul(weight).add(bias).relu().mul(0.5f));
        }
    }

    /** A layer whose op has no replay form (an op of the user's own), so its steps run eagerly. */
    static final class Cube extends Layer {
        @Override
        public Var forward(Var x) {
            Tensor v = x.value();
            return Var.custom("cube", v.pow(3f), new Var[] {x}, new Tensor[] {v},
                    (g, sink) -> sink.add(0, v.pow(2f).mul(3f).mul(g), true)).mul(0.1f);
        }
    }

    private static Sequential mlp(long seed, int features, int hidden, int classes, boolean residual, boolean cube) {
        Rng rng = new Rng(seed);
        if (residual) {
            return new Sequential(Linear.kaimingNormal(features, hidden, rng), new ReLU(), new ScaledResidual(hidden, rng),
                    cube ? new Cube() : new ReLU(), new Linear(hidden, classes, rng));
        }
        return new Sequential(Linear.kaimingNormal(features, hidden, rng), new ReLU(), new Linear(hidden, classes, rng));
    }

    private static Optimizer optimizer(Layer model, boolean adam) {
        return adam
                ? Adam.builder(model.parameters(), 0.01f).weightDecay(0.01f).build()
                : Sgd.builder(model.parameters(), 0.05f).momentum(0.9f).decoupledWeightDecay(0.001f).build();
    }

    private static Tensor labels(Rng rng, int n, int classes) {
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            y[i] = rng.nextInt(classes);
        }
        return Tensor.of(y, n);
    }

    private static void assertSameParameters(Layer expected, Layer actual, String when) {
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

    /**
     * Trains one copy with TrainStep and one eagerly on the same batches, checking that every loss
     * and parameter is the same float after every step; returns the TrainStep.
     */
    private static TrainStep trainBoth(long seed, int samples, int features, int hidden, int classes, int batch,
                                       int epochs, boolean adam, boolean residual, boolean cube) {
        Rng data = new Rng(seed + 1);
        Tensor x = Tensor.randn(data, samples, features);
        Tensor y = labels(data, samples, classes);
        Sequential capturedModel = mlp(seed, features, hidden, classes, residual, cube);
        Sequential eagerModel = mlp(seed, features, hidden, classes, residual, cube);
        CrossEntropyLoss loss = new CrossEntropyLoss();
        TrainStep step = new TrainStep(capturedModel, loss, optimizer(capturedModel, adam));
        Optimizer eagerOpt = optimizer(eagerModel, adam);
        for (int epoch = 0; epoch < epochs; epoch++) {
            for (int s = 0; s < samples; s += batch) {
                int e = Math.min(samples, s + batch);
                Tensor bx = x.slice(0, s, e);
                Tensor by = y.slice(0, s, e);
                float captured = step.step(bx, by);

                eagerModel.zeroGrad();
                Var l = loss.call(eagerModel.call(Var.constant(bx)), by);
                l.backward();
                eagerOpt.step();
                String when = "epoch " + epoch + ", sample " + s;
                assertEquals(Float.floatToIntBits(l.item()), Float.floatToIntBits(captured), "loss at " + when);
                assertSameParameters(eagerModel, capturedModel, when);
            }
        }
        return step;
    }

    @Property(tries = 25)
    void capturedStepsOfRandomMlpsEqualEagerSteps(@ForAll @IntRange(min = 1, max = 40) int features,
            @ForAll @IntRange(min = 1, max = 30) int hidden, @ForAll @IntRange(min = 2, max = 10) int classes,
            @ForAll @IntRange(min = 1, max = 17) int batch, @ForAll boolean adam, @ForAll long seed) {
        TrainStep step = trainBoth(seed, 37, features, hidden, classes, batch, 3, adam, false, false);
        assertTrue(step.lastReplayed(), "the last step replayed");
        assertEquals(37 % batch == 0 ? 1 : 2, step.capturedShapes(), "a full and a partial batch shape");
        assertEquals(List.of("linear+relu", "linear", "crossEntropy"), step.lastOps());
    }

    @Test
    void aUserDefinedLayerIsCapturedToo() {
        // Its input is read twice: the two gradients are added as the eager engine adds them.
        TrainStep step = trainBoth(5, 50, 12, 9, 4, 16, 3, false, true, false);
        assertTrue(step.lastReplayed());
        assertEquals(List.of("linear+relu", "matmul", "add", "relu", "mul", "add", "relu", "linear", "crossEntropy"),
                step.lastOps());
    }

    @Test
    void aModelWithAnOpThatCannotBeReplayedTrainsEagerly() {
        TrainStep step = trainBoth(6, 30, 8, 5, 3, 10, 2, true, true, true);
        assertFalse(step.lastReplayed());
        assertEquals(List.of(), step.lastOps());
    }

    @Test
    void evaluationReplaysTheForwardPassUnderNoGrad() {
        Rng rng = new Rng(7);
        Sequential model = mlp(7, 10, 6, 3, false, false);
        TrainStep step = new TrainStep(model, new CrossEntropyLoss(), optimizer(model, false));
        for (int round = 0; round < 3; round++) {
            Tensor x = Tensor.randn(rng, 8, 10);
            Tensor y = labels(rng, 8, 3);
            float loss = step.evaluate(x, y);
            assertEquals(round > 0, step.lastReplayed(), "round " + round);
            Var eager;
            try (NoGrad ignored = NoGrad.enter()) {
                eager = model.call(x);
                assertEquals(new CrossEntropyLoss().call(eager, y).item(), loss);
            }
            assertTrue(eager.value().allClose(step.lastOutput(), 0, 0), "logits");
            assertTrue(eager.value().allClose(step.predict(x), 0, 0), "predict");
            assertFalse(step.lastOutput().grad() != null, "evaluation leaves no gradient behind");
        }
        for (Var p : model.parameters()) {
            assertTrue(p.grad() == null || p.grad().abs().sum().item() == 0f, "no update, no gradient");
        }
    }

    @Test
    void trainAndEvalModesGetTheirOwnCaptures() {
        Rng rng = new Rng(8);
        Sequential model = mlp(8, 5, 4, 2, false, false);
        TrainStep step = new TrainStep(model, new CrossEntropyLoss(), optimizer(model, false));
        Tensor x = Tensor.randn(rng, 4, 5);
        Tensor y = labels(rng, 4, 2);
        step.step(x, y);
        step.step(x, y);
        assertTrue(step.lastReplayed());
        model.eval();
        step.step(x, y);
        assertFalse(step.lastReplayed(), "a model in eval mode is captured anew");
        assertEquals(2, step.capturedShapes());
    }

    @Test
    void badBatchesAreRefusedWithTheirShapes() {
        Sequential model = mlp(9, 5, 4, 2, false, false);
        TrainStep step = new TrainStep(model, new CrossEntropyLoss(), optimizer(model, false));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> step.step(Tensor.zeros(4, 5), Tensor.zeros(3)));
        assertTrue(e.getMessage().contains("[4, 5]") && e.getMessage().contains("[3]"), e.getMessage());
        IllegalArgumentException wrongFeatures = assertThrows(IllegalArgumentException.class,
                () -> step.step(Tensor.zeros(4, 6), Tensor.zeros(4)));
        assertTrue(wrongFeatures.getMessage().contains("Linear(5, 4)"), wrongFeatures.getMessage());
        TrainStep perRow = new TrainStep(model, (out, t) -> out.sum(1), optimizer(model, false));
        IllegalArgumentException notScalar = assertThrows(IllegalArgumentException.class,
                () -> perRow.step(Tensor.zeros(4, 5), Tensor.zeros(4)));
        assertTrue(notScalar.getMessage().contains("one element"), notScalar.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new TrainStep(model, null, optimizer(model, false)));
    }

    @Test
    void aWarmStepOfTheLessonsMlpAllocatesLessThanAKibibyte() {
        Rng rng = new Rng(10);
        Sequential model = mlp(10, 784, 50, 10, false, false);
        TrainStep step = new TrainStep(model, new CrossEntropyLoss(), optimizer(model, false));
        Tensor x = Tensor.randn(rng, 64, 784).mul(0.1f);
        Tensor y = labels(rng, 64, 10);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        // Until C2 compiles the kernels the Vector API boxes vectors on the heap: measure rounds
        // of 100 steps until one is clean (a few thousand steps), or give up.
        long perStep = Long.MAX_VALUE;
        for (int round = 0; round < 100 && perStep >= 1024; round++) {
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 100; i++) {
                step.step(x, y);
            }
            perStep = (threads.getCurrentThreadAllocatedBytes() - before) / 100;
        }
        assertTrue(perStep < 1024, "a warm step allocated " + perStep + " bytes");
    }

    /** Trains a 784-256-10 MLP at batch 256 (products big enough to use both threads) and prints a digest of the weights. */
    static final class ReproducibilityProbe {
        public static void main(String[] args) {
            Rng rng = new Rng(11);
            Sequential model = mlp(11, 784, 256, 10, false, false);
            TrainStep step = new TrainStep(model, new CrossEntropyLoss(),
                    Adam.builder(model.parameters(), 0.001f).build());
            Tensor x = Tensor.randn(rng, 256, 784);
            Tensor y = labels(rng, 256, 10);
            for (int i = 0; i < 12; i++) {
                step.step(x.slice(0, 0, i % 3 == 2 ? 100 : 256), y.slice(0, 0, i % 3 == 2 ? 100 : 256));
            }
            long h = 1125899906842597L;
            for (Tensor t : model.stateDict().values()) {
                for (float v : t.toArray()) {
                    h = 31 * h + Float.floatToIntBits(v);
                }
            }
            System.out.println("digest " + Long.toHexString(h));
        }
    }

    private static String runProbe(int threads) throws Exception {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        StringBuilder cp = new StringBuilder();
        for (Class<?> c : new Class<?>[] {ReproducibilityProbe.class, TrainStep.class, Var.class, Tensor.class}) {
            if (!cp.isEmpty()) {
                cp.append(java.io.File.pathSeparator);
            }
            cp.append(Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()));
        }
        List<String> cmd = new java.util.ArrayList<>(List.of(javaBin, "--add-modules", "jdk.incubator.vector",
                "-Dvectorgrad.threads=" + threads, "-cp", cp.toString()));
        String bits = System.getProperty("vectorgrad.vectorBitSize");
        if (bits != null) {
            cmd.add("-Dvectorgrad.vectorBitSize=" + bits);
        }
        cmd.add(ReproducibilityProbe.class.getName());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        return out.lines().filter(l -> l.startsWith("digest ")).findFirst().orElseThrow(() -> new AssertionError(out));
    }

    @Test
    void theSameSeedsGiveTheSameWeightsRunToRunAndOnOneOrTwoThreads() throws Exception {
        String one = runProbe(1);
        assertEquals(one, runProbe(1), "run to run");
        assertEquals(one, runProbe(2), "one thread against two");
    }

}
