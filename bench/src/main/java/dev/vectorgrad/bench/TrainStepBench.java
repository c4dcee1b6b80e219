package dev.vectorgrad.bench;

import java.util.concurrent.TimeUnit;

import dev.vectorgrad.core.Rng;
import dev.vectorgrad.core.Tensor;
import dev.vectorgrad.core.internal.Kernels;
import dev.vectorgrad.core.internal.Parallel;
import dev.vectorgrad.nn.CrossEntropyLoss;
import dev.vectorgrad.nn.Sequential;
import dev.vectorgrad.nn.TrainStep;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Time of one whole training step through the public API, as a user writes it: forward, loss,
 * backward and the optimiser's update by {@link TrainStep} (captured once, then replayed), for
 * the MLP 784-50-10 with SGD and momentum and for {@code SmallCnn} 16,32 with Adam
 * ({@link TrainedModel}), on a batch of 64 images. {@link TrainStepReport} prints ms/step and the
 * seconds an epoch of 60,000 images costs at that rate.
 *
 * <p>The batch is seeded Gaussian pixels with random labels, the same every step: a step's
 * arithmetic does not depend on the values (no data-dependent branches in these layers), and
 * no data set is needed. What an epoch costs besides the steps (shuffling, the byte-to-float
 * batches) is {@link TrainEpochs}' to measure. Other networks and batches:
 * {@code -p model=256 -p batch=256} (an MLP's hidden units, or {@code cnn:C1xC2}: JMH's {@code -p}
 * splits a value at its commas, so {@code cnn:32,64} would ask for two models).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class TrainStepBench {

    /** Images of the 28x28 MNIST family. */
    static final int FEATURES = 784;
    /** Classes of the MNIST family. */
    static final int CLASSES = 10;

    /** The network, as {@link TrainedModel#parse} reads it: an MLP's hidden units, or {@code cnn:C1xC2}. */
    @Param({"50", "cnn:16x32"})
    public String model;

    /** Images per step. */
    @Param({"64"})
    public int batch;

    /**
     * Threads of the project's shared pool ({@code vectorgrad.threads}), set before the fork's
     * first tensor operation: each trial runs in a fresh fork, where vectorgrad has not started.
     */
    @Param({"1", "2"})
    public int threads;

    /** Seconds of steps in the trial's set-up, before JMH's own warm-up, for the JIT to compile the kernels. */
    @Param({"5"})
    public int warmupSeconds;

    private TrainStep step;
    private Tensor x;
    private Tensor y;

    /** Public for JMH. */
    public TrainStepBench() {}

    /** Builds the network, its optimiser and the batch, and takes the capturing first step. */
    @Setup(Level.Trial)
    public void setUp() {
        System.setProperty(Parallel.THREADS_PROPERTY, Integer.toString(threads));
        TrainedModel m = TrainedModel.parse(model);
        Rng rng = new Rng(42);
        Sequential network = m.network(FEATURES, CLASSES, rng);
        step = new TrainStep(network, new CrossEntropyLoss(), m.optimizer(network));
        x = Tensor.randn(rng, batch, FEATURES);
        float[] labels = new float[batch];
        for (int i = 0; i < batch; i++) {
            labels[i] = rng.nextInt(CLASSES);
        }
        y = Tensor.of(labels, batch);
        // Convolution and pooling read the property at each call; the matmul kernel kept the size it had at
        // start-up, which differs only if vectorgrad ran in this JVM before the trial (-f 0).
        if (Kernels.VECTOR_BIT_SIZE != 0 && Kernels.MATMUL.threads() != threads) {
            throw new IllegalStateException("TrainStepBench: expected the matmul kernel on " + threads
                    + " threads, got " + Kernels.MATMUL.threads() + ": vectorgrad started in this JVM before the trial;"
                    + " run with forks (-f 1 or more)");
        }
        float first = step.step(x, y);
        if (!Float.isFinite(first)) {
            throw new IllegalStateException("TrainStepBench: the first step's loss is " + first + ", expected finite");
        }
        // The first steps run the Vector API in the interpreter, hundreds of times slower (the MLP: 250 ms,
        // then 12, 3, 0.6 ms a step over its first four seconds), so JMH's warm-up of the suite's
        // settings (3 x 1 s) alone would measure part of the compilation.
        long start = System.nanoTime();
        while (System.nanoTime() - start < warmupSeconds * 1_000_000_000L) {
            step.step(x, y);
        }
    }

    /**
     * One training step.
     *
     * @return the batch's loss, consumed by JMH
     */
    @Benchmark
    public float trainStep() {
        return step.step(x, y);
    }
}
