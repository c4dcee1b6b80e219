package dev.vectorgrad.core.internal;

import jdk.incubator.vector.FloatVector;

/**
 * A loop of independent multiply-adds and nothing else, at the matmul kernel's vector width:
 * the arithmetic ceiling of one core, which the benchmarks report every GFLOP/s against. It
 * lives here, not in the bench module, because only core touches {@code jdk.incubator.vector}.
 *
 * <p>Each of {@link #ACCUMULATORS} vectors runs its own chain {@code acc = a·b + acc}, the
 * accumulator as the addend, exactly as the matmul kernels accumulate. A chain waits for its
 * previous result, so the loop saturates the FMA units only if there are at least (FMA ports ×
 * FMA latency) chains: 2 × 4 on Zen and Skylake-X, 2 × 5 on Haswell. Twelve covers them all and,
 * with the two constant vectors, still fits the 16 registers of AVX2 (no spills). The operand
 * matters: a first version chained through the multiplicand ({@code acc = acc·a + b}) ran
 * slower on the Zen 3 here (bench/run.sh: 70.1 against 87.6 GFLOP/s), below what OpenBLAS
 * reached at 1024 (101% of it), so every share of the peak read too high. With {@code a = b =
 * 1/2} a chain grows by a quarter per round, so nothing overflows or goes subnormal (subnormal
 * operands slow some cores down) and, once a quarter is below half an ulp, the value just stays.
 * Without a fast FMA it runs a multiply and an add per step ({@code acc = acc·a + b}, with
 * {@code a = 1/2}, {@code b = 1}: the multiply on the chain, so it cannot leave the loop), as
 * {@link VectorMatmul} does then.
 */
public final class FmaPeak {

    /** Independent accumulator vectors, each a dependency chain of multiply-adds. */
    public static final int ACCUMULATORS = 12;

    private static final boolean FMA = Kernels.FAST_FMA;

    private FmaPeak() {}

    /** @return the width the loop runs at, the matmul kernel's: {@code vectorgrad.vectorBitSize} or the preferred one */
    public static int vectorBitSize() {
        return VectorMatmul.S.vectorBitSize();
    }

    /** @return floats per vector at {@link #vectorBitSize()} */
    public static int lanes() {
        return VectorMatmul.S.length();
    }

    /**
     * @param rounds rounds of {@link #run}
     * @return the floating-point operations they do: 2 (a multiply and an add) per lane, per
     *     accumulator, per round
     */
    public static long flops(long rounds) {
        return 2L * ACCUMULATORS * lanes() * rounds;
    }

    /**
     * Runs {@code rounds} multiply-adds on each accumulator, which starts at
     * {@code start + index} in every lane.
     *
     * @param rounds at least 0
     * @param start the accumulators' offset; a caller passes a field, so the JIT cannot fold the loop
     * @return the sum of every lane of every accumulator, for the caller to consume
     */
    public static float run(int rounds, float start) {
        if (rounds < 0) {
            throw new IllegalArgumentException("FmaPeak.run: expected rounds >= 0, got " + rounds);
        }
        var s = VectorMatmul.S;
        FloatVector a = FloatVector.broadcast(s, 0.5f);
        FloatVector b = FloatVector.broadcast(s, FMA ? 0.5f : 1f);
        FloatVector c0 = FloatVector.broadcast(s, start);
        FloatVector c1 = FloatVector.broadcast(s, start + 1);
        FloatVector c2 = FloatVector.broadcast(s, start + 2);
        FloatVector c3 = FloatVector.broadcast(s, start + 3);
        FloatVector c4 = FloatVector.broadcast(s, start + 4);
        FloatVector c5 = FloatVector.broadcast(s, start + 5);
        FloatVector c6 = FloatVector.broadcast(s, start + 6);
        FloatVector c7 = FloatVector.broadcast(s, start + 7);
        FloatVector c8 = FloatVector.broadcast(s, start + 8);
        FloatVector c9 = FloatVector.broadcast(s, start + 9);
        FloatVector c10 = FloatVector.broadcast(s, start + 10);
        FloatVector c11 = FloatVector.broadcast(s, start + 11);
        if (FMA) {
            for (int r = 0; r < rounds; r++) {
                c0 = a.fma(b, c0);
                c1 = a.fma(b, c1);
                c2 = a.fma(b, c2);
                c3 = a.fma(b, c3);
                c4 = a.fma(b, c4);
                c5 = a.fma(b, c5);
                c6 = a.fma(b, c6);
                c7 = a.fma(b, c7);
                c8 = a.fma(b, c8);
                c9 = a.fma(b, c9);
                c10 = a.fma(b, c10);
                c11 = a.fma(b, c11);
            }
        } else {
            for (int r = 0; r < rounds; r++) {
                c0 = c0.mul(a).add(b);
                c1 = c1.mul(a).add(b);
                c2 = c2.mul(a).add(b);
                c3 = c3.mul(a).add(b);
                c4 = c4.mul(a).add(b);
                c5 = c5.mul(a).add(b);
                c6 = c6.mul(a).add(b);
                c7 = c7.mul(a).add(b);
                c8 = c8.mul(a).add(b);
                c9 = c9.mul(a).add(b);
                c10 = c10.mul(a).add(b);
                c11 = c11.mul(a).add(b);
            }
        }
        FloatVector sum = c0.add(c1).add(c2).add(c3).add(c4).add(c5)
                .add(c6).add(c7).add(c8).add(c9).add(c10).add(c11);
        return sum.reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
    }

    /** @return one line for reports, e.g. {@code 256-bit vectors (8 floats), 12 accumulators, FMA} */
    public static String describe() {
        return vectorBitSize() + "-bit vectors (" + lanes() + " floats), " + ACCUMULATORS + " accumulators, "
                + (FMA ? "FMA" : "multiply and add (no fast FMA)");
    }
}
