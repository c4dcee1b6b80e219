package dev.vectorgrad.bench;

import java.util.concurrent.TimeUnit;

import dev.vectorgrad.core.Rng;
import dev.vectorgrad.core.Tensor;
import dev.vectorgrad.core.internal.BinaryOp;
import dev.vectorgrad.core.internal.FloatKernels;
import dev.vectorgrad.core.internal.Kernels;
import dev.vectorgrad.core.internal.ScalarKernels;
import dev.vectorgrad.core.internal.UnaryOp;
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
 * Memory-bound kernels against the memory system's own speed: relu (reads 4 B, writes 4 B per
 * element) and add (reads 8 B, writes 4 B) next to {@code System.arraycopy} of the same length
 * (reads 4 B, writes 4 B). Outputs are preallocated, so nothing is allocated while measuring.
 * {@link Report} turns the times into GB/s. 1M floats (4 MB per array) sit near the caches;
 * 16M floats (64 MB) stream from DRAM.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ElementwiseBench {

    /** Floats per array. */
    @Param({"1048576", "16777216"})
    public int size;

    private static final FloatKernels VECTOR = Kernels.ELEMENTWISE;
    private static final FloatKernels SCALAR = ScalarKernels.INSTANCE;

    private float[] a;
    private float[] b;
    private float[] out;

    /** Public for JMH. */
    public ElementwiseBench() {}

    /** Seeded inputs of both signs, so relu has work in both branches. */
    @Setup(Level.Trial)
    public void setUp() {
        Rng rng = new Rng(7);
        a = Tensor.randn(rng, size).toArray();
        b = Tensor.randn(rng, size).toArray();
        out = new float[size];
    }

    /** vectorgrad's relu kernel. */
    @Benchmark
    public void relu() {
        VECTOR.unary(UnaryOp.RELU, a, 0, out, 0, size);
    }

    /** The scalar twin of relu. */
    @Benchmark
    public void reluScalar() {
        SCALAR.unary(UnaryOp.RELU, a, 0, out, 0, size);
    }

    /** vectorgrad's add kernel. */
    @Benchmark
    public void add() {
        VECTOR.binary(BinaryOp.ADD, a, 0, b, 0, out, 0, size);
    }

    /** The scalar twin of add. */
    @Benchmark
    public void addScalar() {
        SCALAR.binary(BinaryOp.ADD, a, 0, b, 0, out, 0, size);
    }

    /** The yardstick: a plain copy moves the same bytes as relu. */
    @Benchmark
    public void arraycopy() {
        System.arraycopy(a, 0, out, 0, size);
    }
}
