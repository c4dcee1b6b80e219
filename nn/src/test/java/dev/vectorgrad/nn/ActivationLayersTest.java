package dev.vectorgrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import dev.vectorgrad.autograd.GradCheck;
import dev.vectorgrad.autograd.Var;
import dev.vectorgrad.core.Rng;
import dev.vectorgrad.core.Tensor;
import dev.vectorgrad.nn.optim.Adam;
import dev.vectorgrad.nn.optim.Optimizer;
import dev.vectorgrad.nn.optim.Sgd;
import org.junit.jupiter.api.Test;

/**
 * The activation, dropout and embedding layers and the new losses: what they compute, PyTorch's
 * reprs and state-dict names, train/eval behaviour, GradCheck through whole models, and
 * TrainStep training bit-equal to the eager loop.
 */
class ActivationLayersTest {

    private static void assertSameParameters(Layer expected, Layer actual, String when) {
        Map<String, Tensor> e = expected.stateDict();
        Map<String, Tensor> a = actual.stateDict();
        assertEquals(e.keySet(), a.keySet());
        for (String k : e.keySet()) {
            float[] ev = e.get(k).toArray();
            float[] av = a.get(k).toArray();
            for (int i = 0; i < ev.length; i++) {
                if (Float.floatToIntBits(ev[i]) != Float.floatToIntBits(av[i])) {
                    throw new AssertionError(when + ": " + k + "[" + i + "] is " + av[i] + " captured, " + ev[i] + " eager");
                }
            }
        }
    }

    private static Tensor labels(Rng rng, int n, int classes) {
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            y[i] = rng.nextInt(classes);
        }
        return Tensor.of(y, n);
    }

    /** The model of the TrainStep tests: every new activation and a dropout between linears. */
    private static Sequential model(long seed, long dropoutSeed) {
        Rng rng = new Rng(seed);
        return new Sequential(new Linear(12, 16, rng), new GELU(), new Dropout(0.25f, new Rng(dropoutSeed)),
                new Linear(16, 16, rng), new Tanh(), new Linear(16, 16, rng), new LeakyReLU(0.1f),
                new Linear(16, 16, rng), new Softplus(), new Linear(16, 16, rng), new Sigmoid(),
                new Dropout(0.1f, new Rng(dropoutSeed + 1)), new Linear(16, 5, rng));
    }

    /** Trains a TrainStep copy and an eager copy on the same batches; every loss and parameter must be equal. */
    private static TrainStep trainBoth(java.util.function.LongFunction<Layer> make, Loss loss, Tensor x, Tensor y,
                                       int batch, int epochs, boolean adam) {
        Layer captured = make.apply(1);
        Layer eager = make.apply(1);
        TrainStep step = new TrainStep(captured, loss, optimizer(captured, adam));
        Optimizer eagerOpt = optimizer(eager, adam);
        int n = x.size(0);
        int replayedSteps = 0;
        for (int epoch = 0; epoch < epochs; epoch++) {
            for (int s = 0; s < n; s += batch) {
                int e = Math.min(n, s + batch);
                Tensor bx = x.slice(0, s, e);
                Tensor by = y.slice(0, s, e);
                float c = step.step(bx, by);
                replayedSteps += step.lastReplayed() ? 1 : 0;
                eager.zeroGrad();
                Var l = loss.call(eager.call(Var.constant(bx)), by);
                l.backward();
                eagerOpt.step();
                assertEquals(Float.floatToIntBits(l.item()), Float.floatToIntBits(c),
                        "loss at epoch " + epoch + ", sample " + s + ": " + c + " vs " + l.item());
                assertSameParameters(eager, captured, "epoch " + epoch + ", sample " + s);
            }
        }
        assertTrue(replayedSteps > epochs, "the steps replayed: " + replayedSteps);
        return step;
    }

    private static Optimizer optimizer(Layer model, boolean adam) {
        return adam ? Adam.builder(model.parameters(), 0.01f).build()
                : Sgd.builder(model.parameters(), 0.05f).momentum(0.9f).build();
    }

    @Test
    void aGeluDropoutModelTrainsBitEqualUnderTrainStep() {
        Rng data = new Rng(5);
        Tensor x = Tensor.randn(data, 50, 12);
        Tensor y = labels(data, 50, 5);
        trainBoth(s -> model(11, 77), new CrossEntropyLoss(), x, y, 16, 3, false);
        trainBoth(s -> model(12, 78), new CrossEntropyLoss(0.1f), x, y, 16, 3, true);
    }

    @Test
    void theNewLossesTrainBitEqualUnderTrainStep() {
        Rng data = new Rng(6);
        Tensor x = Tensor.randn(data, 40, 12);
        Tensor y = labels(data, 40, 5);
        trainBoth(s -> new Sequential(new Linear(12, 5, new Rng(3)), new Softplus(2f, 5f)),
                (out, t) -> new NLLLoss().call(out.neg(), t), x, y, 16, 3, false);
        Tensor multi = Tensor.rand(data, 40, 5).gt(0.5f); // multi-label 0/1 targets
        trainBoth(s -> new Sequential(new Linear(12, 16, new Rng(4)), new GELU("tanh"), new Linear(16, 5, new Rng(5))),
                new BCEWithLogitsLoss(Tensor.of(new float[] {1f, 2f, 0.5f, 3f, 1f}, 5)), x, multi, 16, 3, true);
    }

    @Test
    void aModelEndingInLogSoftmaxWithNllLossIsCapturedAndTrainsBitEqual() {
        // The lesson's formulation: log_softmax, then nll. It used to step eagerly (logSoftmax had no replay).
        Rng data = new Rng(13);
        Tensor x = Tensor.randn(data, 45, 12);
        Tensor y = labels(data, 45, 7);
        for (boolean adam : new boolean[] {false, true}) {
            TrainStep step = trainBoth(s -> new Sequential(new Linear(12, 20, new Rng(14)), new ReLU(),
                    new Linear(20, 7, new Rng(15)), new LogSoftmax(-1)), new NLLLoss(), x, y, 16, 3, adam);
            assertTrue(step.lastReplayed(), "the last (partial) batch replayed");
            assertEquals(2, step.capturedShapes(), "batches of 16 and of 13");
            assertEquals(List.of("linear+relu", "linear", "logSoftmax", "nll"), step.lastOps());
        }
    }

    @Test
    void handWrittenLossesOfElementwiseOpsAreCapturedAndTrainBitEqual() {
        // The lesson's first cross entropy, log(softmax) picked at the labels, and an MSE written
        // with pow and div: before log, pow, div and gatherColumns replayed, both stepped eagerly.
        Rng data = new Rng(16);
        Tensor x = Tensor.randn(data, 45, 12);
        Tensor y = labels(data, 45, 7);
        Loss crossEntropy = (out, t) -> out.softmax(1).log().gatherColumns(t).mean().neg();
        Loss mse = (out, t) -> out.sub(Var.constant(t)).pow(2f).sum().div(out.numel());
        Tensor r = Tensor.randn(data, 45, 7);
        for (boolean adam : new boolean[] {false, true}) {
            TrainStep ce = trainBoth(s -> new Sequential(new Linear(12, 20, new Rng(17)), new ReLU(),
                    new Linear(20, 7, new Rng(18))), crossEntropy, x, y, 16, 3, adam);
            assertTrue(ce.lastReplayed(), "the last (partial) batch replayed");
            assertEquals(List.of("linear+relu", "linear", "logSoftmax", "exp", "log", "gatherColumns", "mean", "neg"),
                    ce.lastOps());
            TrainStep sq = trainBoth(s -> new Sequential(new Linear(12, 20, new Rng(19)), new Tanh(),
                    new Linear(20, 7, new Rng(20))), mse, x, r, 16, 3, adam);
            assertTrue(sq.lastReplayed(), "the last (partial) batch replayed");
            assertEquals(List.of("linear", "tanh", "linear", "sub", "pow", "sum", "div"), sq.lastOps());
        }
    }

    @Test
    void softmaxLayersComputeTheVarOpsAlongTheirDim() {
        Tensor x = Tensor.randn(new Rng(21), 4, 5, 3);
        for (int dim : new int[] {0, 1, 2, -1, -3}) {
            Var v = Var.constant(x);
            Tensor logP = new LogSoftmax(dim).forward(v).value();
            Tensor p = new Softmax(dim).forward(v).value();
            assertArrayEquals(v.logSoftmax(dim).value().toArray(), logP.toArray(), 0f, "logSoftmax dim " + dim);
            assertArrayEquals(v.softmax(dim).value().toArray(), p.toArray(), 0f, "softmax dim " + dim);
            // the probabilities along the dim sum to 1 (a check of the dim, not of the op's bits)
            Tensor sums = p.sum(dim);
            for (float s : sums.toArray()) {
                assertEquals(1f, s, 1e-5f, "softmax dim " + dim + " sums");
            }
        }
    }

    @Test
    void softmaxLayersRefuseADimOutsideTheInputsRank() {
        Var x = Var.constant(Tensor.zeros(2, 3));
        RuntimeException e = assertThrows(RuntimeException.class, () -> new LogSoftmax(2).forward(x));
        assertTrue(e.getMessage().contains("logSoftmax") && e.getMessage().contains("2"), e.getMessage());
        e = assertThrows(RuntimeException.class, () -> new Softmax(-3).forward(x));
        assertTrue(e.getMessage().contains("-3"), e.getMessage());
    }

    @Test
    void anEmbeddingModelTrainsBitEqualUnderTrainStep() {
        Rng data = new Rng(7);
        float[] idx = new float[30 * 4];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = data.nextInt(20);
        }
        Tensor x = Tensor.of(idx, 30, 4);
        Tensor y = labels(data, 30, 3);
        trainBoth(s -> new Sequential(new Embedding(20, 6, new Rng(8)), new Flat(), new Linear(24, 3, new Rng(9))),
                new CrossEntropyLoss(), x, y, 8, 3, true);
    }

    /** [n, 4, 6] to [n, 24], a layer of this test's own (Flatten lives in another lane). */
    static final class Flat extends Layer {
        @Override
        public Var forward(Var input) {
            return input.reshape(input.size(0), -1);
        }
    }

    /** Bytes a warm replayed step allocates, measured in rounds until C2 has compiled the kernels. */
    private static long warmStepBytes(TrainStep step, Tensor x, Tensor y) {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long perStep = Long.MAX_VALUE;
        for (int round = 0; round < 600 && perStep >= 1024; round++) { // the gelu kernels need ~20,000 calls to reach C2
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 50; i++) {
                step.step(x, y);
            }
            perStep = (threads.getCurrentThreadAllocatedBytes() - before) / 50;
        }
        return perStep;
    }

    @Test
    void warmStepsWithTheNewLayersAllocateLessThanAKibibyte() {
        Rng rng = new Rng(30);
        Tensor x = Tensor.randn(rng, 32, 12);
        Tensor y = labels(rng, 32, 5);
        Sequential m = model(31, 32);
        TrainStep step = new TrainStep(m, new CrossEntropyLoss(0.1f), optimizer(m, false));
        long bytes = warmStepBytes(step, x, y);
        assertTrue(step.lastReplayed() && bytes < 1024, "a warm step allocated " + bytes + " bytes");

        float[] idx = new float[32 * 4];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = rng.nextInt(20);
        }
        Sequential e = new Sequential(new Embedding(20, 6, rng), new Flat(), new Linear(24, 5, rng), new Tanh());
        TrainStep bce = new TrainStep(e, new BCEWithLogitsLoss(), optimizer(e, true));
        bytes = warmStepBytes(bce, Tensor.of(idx, 32, 4), Tensor.rand(rng, 32, 5));
        assertTrue(bce.lastReplayed() && bytes < 1024, "a warm embedding step allocated " + bytes + " bytes");
    }

    @Test
    void dropoutIsTheIdentityInEvalAndSeededInTraining() {
        Tensor x = Tensor.randn(new Rng(1), 64, 32);
        Dropout d = new Dropout(0.5f, new Rng(3));
        d.eval();
        assertSame(x, d.call(x).value(), "eval: the input itself");
        d.train();
        float[] a = d.call(x).value().toArray();
        float[] b = new Dropout(0.5f, new Rng(3)).call(x).value().toArray();
        assertArrayEquals(a, b, "same seed, same mask");
        float[] c = d.call(x).value().toArray();
        assertTrue(!java.util.Arrays.equals(a, c), "the next call draws a new mask");
        int zeros = 0;
        float[] xs = x.toArray();
        for (int i = 0; i < a.length; i++) {
            if (a[i] == 0f) {
                zeros++;
            } else {
                assertEquals(xs[i] * 2f, a[i], "scaled by 1/(1-p)");
            }
        }
        assertEquals(0.5, zeros / (double) a.length, 0.05);
        assertArrayEquals(x.toArray(), new Dropout(0f, new Rng(1)).call(x).value().toArray(), "p = 0");
        for (float v : new Dropout(1f, new Rng(1)).call(x).value().toArray()) {
            assertEquals(0f, Math.abs(v), "p = 1 gives zeros");
        }
    }

    @Test
    void layersPrintAsPyTorchAndHaveItsStateDictNames() {
        Rng rng = new Rng(1);
        Sequential s = new Sequential(new Embedding(10, 3, rng), new Tanh(), new Sigmoid(), new GELU(),
                new GELU("tanh"), new LeakyReLU(), new Softplus(), new Dropout(0.2f, rng), new LogSoftmax(1),
                new Softmax(-1));
        assertEquals(String.join("\n", "Sequential(",
                "  (0): Embedding(10, 3)",
                "  (1): Tanh()",
                "  (2): Sigmoid()",
                "  (3): GELU(approximate='none')",
                "  (4): GELU(approximate='tanh')",
                "  (5): LeakyReLU(negative_slope=0.01)",
                "  (6): Softplus(beta=1.0, threshold=20.0)",
                "  (7): Dropout(p=0.2, inplace=False)",
                "  (8): LogSoftmax(dim=1)",
                "  (9): Softmax(dim=-1)",
                ")"), s.toString());
        assertEquals(List.of("0.weight"), List.copyOf(s.stateDict().keySet()));
        assertArrayEquals(new int[] {10, 3}, s.stateDict().get("0.weight").shape());
        assertEquals("CrossEntropyLoss()", new CrossEntropyLoss(0.1f).toString());
        assertEquals("NLLLoss()", new NLLLoss().toString());
        assertEquals("BCEWithLogitsLoss()", new BCEWithLogitsLoss().toString());
        assertEquals("1e-05", PyRepr.of(1e-5f));
    }

    @Test
    void embeddingWeightsAreStandardNormal() {
        Tensor w = new Embedding(1000, 50, new Rng(2)).weight().value();
        double mean = w.mean().item();
        double var = w.sub(w.mean()).pow(2f).mean().item();
        assertEquals(0, mean, 0.01);
        assertEquals(1, var, 0.02);
    }

    @Test
    void gradientsThroughTheLayersAgreeWithFiniteDifferences() {
        Rng rng = new Rng(4);
        Linear lin = new Linear(6, 5, rng);
        Tensor x = Tensor.randn(rng, 7, 6);
        Tensor y = labels(rng, 7, 5);
        Layer[] acts = {new Tanh(), new Sigmoid(), new GELU(), new GELU("tanh"), new LeakyReLU(0.3f), new Softplus()};
        for (Layer act : acts) {
            GradCheck.assertGradients(v -> new CrossEntropyLoss(0.2f).call(act.call(v[0].linear(v[1], v[2])), y),
                    x, lin.weight().value(), lin.bias().value());
        }
    }

    @Test
    void badArgumentsAreRefusedWithTheirValues() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Dropout(1.5f, new Rng(1)));
        assertEquals("Dropout: dropout probability has to be between 0 and 1, but got 1.5", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Dropout(-0.5f, new Rng(1)));
        assertTrue(e.getMessage().contains("but got -0.5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new GELU("erf"));
        assertEquals("GELU: approximate must be 'none' or 'tanh', got 'erf'", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new CrossEntropyLoss(2f));
        assertTrue(e.getMessage().contains("label_smoothing must be in [0, 1], got 2.0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Embedding(0, 3, new Rng(1)));
        assertTrue(e.getMessage().startsWith("Embedding(0, 3)"), e.getMessage());
        Embedding emb = new Embedding(4, 2, new Rng(1));
        e = assertThrows(IllegalArgumentException.class, () -> emb.call(Tensor.of(new float[] {1, 4}, 2)));
        assertTrue(e.getMessage().contains("index 4.0 at position 1 of indices [2] is out of range for a table of 4"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new NLLLoss().call(Var.param(Tensor.zeros(3, 4)), Tensor.zeros(2)));
        assertTrue(e.getMessage().contains("nll: 2 targets for 3 rows"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new BCEWithLogitsLoss().call(Var.param(Tensor.zeros(3, 4)), Tensor.zeros(3)));
        assertTrue(e.getMessage().contains("input [3, 4] and target [3]: shapes must be equal"), e.getMessage());
    }
}
