package dev.vectorgrad.bench;

import java.util.concurrent.TimeUnit;

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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Time of one C = A·B per implementation and shape; {@link Report} turns it into GFLOP/s
 * (2·M·N·K / time). Square shapes show the kernel's ceiling; the others are the MNIST MLP's
 * layers (batch 64, 784 → 50 → 10), a wider layer, and the lesson's 10 000 validation images
 * through the first layer.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class MatmulBench {

    /** The product's sizes as {@code MxKxN}. */
    @Param({"128x128x128", "256x256x256", "512x512x512", "1024x1024x1024",
            "64x784x50", "64x50x10", "256x784x256", "10000x784x50"})
    public String shape;

    /** The contender, one of {@link MatmulImpl#NAMES}. */
    @Param({"vectorgrad-1t", "vectorgrad-2t", "scalar", "openblas-1t", "openblas-2t", "ejml"})
    public String impl;

    private MatmulImpl contender;

    /** Public for JMH. */
    public MatmulBench() {}

    /** Fills A and B with seeded Gaussian values and builds the contender. */
    @Setup(Level.Trial)
    public void setUp() {
        contender = MatmulImpl.seeded(impl, MatmulShape.parse(shape), Operands.NN);
    }

    /** One product; the result stays in the contender's C, which JMH cannot see through. */
    @Benchmark
    public void matmul() {
        contender.multiply();
    }

    /** Frees native buffers. */
    @TearDown(Level.Trial)
    public void tearDown() {
        contender.close();
    }
}
