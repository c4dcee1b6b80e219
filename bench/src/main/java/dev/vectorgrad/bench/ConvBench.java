package dev.vectorgrad.bench;

import java.util.concurrent.TimeUnit;

import dev.vectorgrad.core.Convolution;
import dev.vectorgrad.core.Rng;
import dev.vectorgrad.core.Tensor;
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
 * Time of one pass of a convolution layer of the target CNN ({@link ConvCase}), through the
 * workspace forms of {@link Convolution} that a captured training step replays, against the
 * single im2col-shaped product {@code Tensor.matmulInPlace} of the same FLOP count (the SIMD
 * matmul on the project's thread pool, pinned to {@link #THREADS} threads): the yardstick says what share of the
 * matmul's speed the convolution keeps after unfolding, folding and per-image products.
 * {@link ConvReport} turns times into GFLOP/s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
// The shared pool pinned to THREADS, so the figures compare across machines of any core count.
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
        "-Dvectorgrad.threads=" + ConvBench.THREADS})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ConvBench {

    /** Threads of the project's shared pool in the forks ({@code vectorgrad.threads}). */
    public static final int THREADS = 2;

    /** The layer and pass, one of {@link ConvCase#NAMES}. */
    @Param({"conv1-forward", "conv1-backwardInput", "conv1-backwardWeight",
            "conv2-forward", "conv2-backwardInput", "conv2-backwardWeight"})
    public String layer;

    /** {@code conv} (the convolution) or {@code im2col-matmul} (the product of the same size). */
    @Param({"conv", "im2col-matmul"})
    public String impl;

    private ConvCase c;
    private Tensor x;
    private Tensor w;
    private Tensor b;
    private Tensor out;
    private Tensor gx;
    private Tensor gw;
    private Tensor gb;
    private final Convolution.Workspace ws = new Convolution.Workspace();
    private Tensor ma;
    private Tensor mb;
    private Tensor mc;

    /** Public for JMH. */
    public ConvBench() {}

    /** Seeded operands of the case's shapes. */
    @Setup(Level.Trial)
    public void setUp() {
        c = ConvCase.parse(layer);
        Rng rng = new Rng(42);
        if (impl.equals("conv")) {
            x = Tensor.randn(rng, c.n(), c.cin(), c.h(), c.h());
            w = Tensor.randn(rng, c.cout(), c.cin(), 3, 3);
            b = Tensor.randn(rng, c.cout());
            out = Tensor.randn(rng, c.n(), c.cout(), c.h(), c.h());
            gx = Tensor.zeros(x.shape());
            gw = Tensor.zeros(w.shape());
            gb = Tensor.zeros(c.cout());
        } else if (impl.equals("im2col-matmul")) {
            MatmulShape s = c.im2colShape();
            ma = Tensor.randn(rng, s.m(), s.k());
            mb = Tensor.randn(rng, s.k(), s.n());
            mc = Tensor.zeros(s.m(), s.n());
        } else {
            throw new IllegalArgumentException("ConvBench: impl must be conv or im2col-matmul, got " + impl);
        }
    }

    /** One pass; the results stay in the state's tensors. */
    @Benchmark
    public void pass() {
        if (mc != null) {
            mc.matmulInPlace(ma, mb, false);
            return;
        }
        switch (c.pass()) {
            case "forward" -> Convolution.conv2d(x, w, b, ConvCase.SPEC, out, ws);
            case "backwardInput" -> Convolution.conv2dBackwardInput(out, w, ConvCase.SPEC, gx, ws);
            default -> Convolution.conv2dBackwardWeight(out, x, ConvCase.SPEC, gw, gb, ws);
        }
    }
}
