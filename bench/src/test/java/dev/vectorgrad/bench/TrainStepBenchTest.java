package dev.vectorgrad.bench;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vectorgrad.core.internal.Kernels;
import dev.vectorgrad.core.internal.Parallel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The benchmarked step trains: forward, backward and the optimiser's update all happen. */
class TrainStepBenchTest {

    private static TrainStepBench bench(String model, int threads) {
        TrainStepBench b = new TrainStepBench();
        b.model = model;
        b.batch = 16;
        b.threads = threads;
        b.warmupSeconds = 0;
        return b;
    }

    @ParameterizedTest
    @ValueSource(strings = {"50", "cnn:4x8"})
    void repeatedStepsOnTheBatchLowerItsLoss(String model) {
        // vectorgrad started in this JVM already; the benchmark must be told its size (a fork starts fresh).
        TrainStepBench b = bench(model, Kernels.MATMUL.threads());
        b.setUp();
        float first = b.trainStep();
        float last = first;
        for (int i = 0; i < 30; i++) {
            last = b.trainStep();
        }
        assertTrue(Float.isFinite(last) && last < 0.8f * first, model + ": loss " + first + " -> " + last);
    }

    @Test
    void refusesAMatmulKernelOnOtherThreadsThanAsked() {
        assumeTrue(Kernels.VECTOR_BIT_SIZE != 0, "the scalar matmul has one thread whatever is asked");
        String before = System.getProperty(Parallel.THREADS_PROPERTY);
        try {
            TrainStepBench b = bench("50", Kernels.MATMUL.threads() + 1);
            IllegalStateException e = assertThrows(IllegalStateException.class, b::setUp);
            assertTrue(e.getMessage().contains("expected the matmul kernel on " + b.threads + " threads"), e.getMessage());
        } finally {
            if (before == null) {
                System.clearProperty(Parallel.THREADS_PROPERTY);
            } else {
                System.setProperty(Parallel.THREADS_PROPERTY, before);
            }
        }
    }
}
