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
 * The MLP's backward products with the operand a backward pass hands over transposed: the
 * weight gradient {@code inp.t() @ out.g} (784x64x50, A transposed) and the input gradient
 * {@code out.g @ w.t()} (64x50x784, B transposed), each also with row-major operands, so the
 * table shows what the transposed view costs ({@link Report#transposedTable()}). Single-thread
 * vectorgrad against single-thread OpenBLAS given the same layout ({@code CblasTrans}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class TransposedMatmulBench {

    /** The product's sizes as {@code MxKxN}. */
    @Param({"784x64x50", "64x50x784"})
    public String shape;

    /** How A and B are stored, one of {@link Operands}. */
    @Param({"NN", "TN", "NT"})
    public String operands;

    /** The contender. */
    @Param({"vectorgrad-1t", "openblas-1t"})
    public String impl;

    private MatmulImpl contender;

    /** Public for JMH. */
    public TransposedMatmulBench() {}

    /** Fills A and B with seeded Gaussian values and builds the contender in the asked layout. */
    @Setup(Level.Trial)
    public void setUp() {
        contender = MatmulImpl.seeded(impl, MatmulShape.parse(shape), Operands.parse(operands));
    }

    /** One product; the result stays in the contender's C. */
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
