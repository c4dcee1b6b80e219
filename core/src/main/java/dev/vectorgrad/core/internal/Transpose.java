package dev.vectorgrad.core.internal;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Copies a block of a matrix transposed: {@code dst[dOff + j·ds + i] = src[sOff + i·ss + j]}
 * for {@code i < rows}, {@code j < cols}. Matmul packing uses it for transposed views (A of
 * {@code inp.t() @ out.g}, B of {@code out.g @ w.t()}), whose consecutive elements along the
 * inner dimension lie a whole row apart in memory.
 */
final class Transpose {

    /**
     * Whether 8 × 8 blocks go through registers: where the matmul runs on vectors of at least
     * 256 bits, so the 256-bit shuffles below are native instructions.
     */
    static final boolean IN_REGISTERS = VectorMatmul.S.vectorBitSize() >= 256;

    private static final VectorSpecies<Float> S8 = FloatVector.SPECIES_256;
    // Two-source shuffles (an index of 8 or more picks from the second vector), the three steps
    // of the classic AVX transpose: interleave pairs of rows, then pairs of pairs, then halves.
    private static final VectorShuffle<Float> PAIRS_LO = VectorShuffle.fromValues(S8, 0, 8, 1, 9, 4, 12, 5, 13);
    private static final VectorShuffle<Float> PAIRS_HI = VectorShuffle.fromValues(S8, 2, 10, 3, 11, 6, 14, 7, 15);
    private static final VectorShuffle<Float> QUADS_LO = VectorShuffle.fromValues(S8, 0, 1, 8, 9, 4, 5, 12, 13);
    private static final VectorShuffle<Float> QUADS_HI = VectorShuffle.fromValues(S8, 2, 3, 10, 11, 6, 7, 14, 15);
    private static final VectorShuffle<Float> HALVES_LO = VectorShuffle.fromValues(S8, 0, 1, 2, 3, 8, 9, 10, 11);
    private static final VectorShuffle<Float> HALVES_HI = VectorShuffle.fromValues(S8, 4, 5, 6, 7, 12, 13, 14, 15);

    private Transpose() {}

    /**
     * The transposed copy, in 8 × 8 register blocks where {@link #IN_REGISTERS}, the edges (and
     * everything otherwise) by {@link #scalar}.
     */
    static void copy(float[] src, int sOff, int ss, int rows, int cols, float[] dst, int dOff, int ds) {
        int i = 0;
        if (IN_REGISTERS) {
            for (; i + 8 <= rows; i += 8) {
                int j = 0;
                for (; j + 8 <= cols; j += 8) {
                    block8(src, sOff + i * ss + j, ss, dst, dOff + j * ds + i, ds);
                }
                scalar(src, sOff + i * ss + j, ss, 8, cols - j, dst, dOff + j * ds + i, ds);
            }
        }
        scalar(src, sOff + i * ss, ss, rows - i, cols, dst, dOff + i, ds);
    }

    /**
     * The scalar twin: row by row of the source, so the loads are consecutive. About 1.3 ns per
     * element against 0.5 for the register blocks (a 96 × 64 block of a transposed 64 × 784
     * matrix, the MLP's weight gradient).
     */
    static void scalar(float[] src, int sOff, int ss, int rows, int cols, float[] dst, int dOff, int ds) {
        for (int i = 0; i < rows; i++) {
            int s = sOff + i * ss;
            for (int j = 0; j < cols; j++) {
                dst[dOff + j * ds + i] = src[s + j];
            }
        }
    }

    /*
     * One 8 × 8 block. Trick: eight row loads, 24 two-source shuffles in three rounds (each round
     * swaps blocks of 1, 2, then 4 elements across pairs of vectors), eight stores; no element
     * goes through a scalar register, and every load and store is a whole 32-byte row.
     */
    private static void block8(float[] src, int s, int ss, float[] dst, int d, int ds) {
        FloatVector r0 = FloatVector.fromArray(S8, src, s);
        FloatVector r1 = FloatVector.fromArray(S8, src, s + ss);
        FloatVector r2 = FloatVector.fromArray(S8, src, s + 2 * ss);
        FloatVector r3 = FloatVector.fromArray(S8, src, s + 3 * ss);
        FloatVector r4 = FloatVector.fromArray(S8, src, s + 4 * ss);
        FloatVector r5 = FloatVector.fromArray(S8, src, s + 5 * ss);
        FloatVector r6 = FloatVector.fromArray(S8, src, s + 6 * ss);
        FloatVector r7 = FloatVector.fromArray(S8, src, s + 7 * ss);
        FloatVector p0 = r0.rearrange(PAIRS_LO, r1);
        FloatVector p1 = r0.rearrange(PAIRS_HI, r1);
        FloatVector p2 = r2.rearrange(PAIRS_LO, r3);
        FloatVector p3 = r2.rearrange(PAIRS_HI, r3);
        FloatVector p4 = r4.rearrange(PAIRS_LO, r5);
        FloatVector p5 = r4.rearrange(PAIRS_HI, r5);
        FloatVector p6 = r6.rearrange(PAIRS_LO, r7);
        FloatVector p7 = r6.rearrange(PAIRS_HI, r7);
        FloatVector q0 = p0.rearrange(QUADS_LO, p2);
        FloatVector q1 = p0.rearrange(QUADS_HI, p2);
        FloatVector q2 = p1.rearrange(QUADS_LO, p3);
        FloatVector q3 = p1.rearrange(QUADS_HI, p3);
        FloatVector q4 = p4.rearrange(QUADS_LO, p6);
        FloatVector q5 = p4.rearrange(QUADS_HI, p6);
        FloatVector q6 = p5.rearrange(QUADS_LO, p7);
        FloatVector q7 = p5.rearrange(QUADS_HI, p7);
        q0.rearrange(HALVES_LO, q4).intoArray(dst, d);
        q1.rearrange(HALVES_LO, q5).intoArray(dst, d + ds);
        q2.rearrange(HALVES_LO, q6).intoArray(dst, d + 2 * ds);
        q3.rearrange(HALVES_LO, q7).intoArray(dst, d + 3 * ds);
        q0.rearrange(HALVES_HI, q4).intoArray(dst, d + 4 * ds);
        q1.rearrange(HALVES_HI, q5).intoArray(dst, d + 5 * ds);
        q2.rearrange(HALVES_HI, q6).intoArray(dst, d + 6 * ds);
        q3.rearrange(HALVES_HI, q7).intoArray(dst, d + 7 * ds);
    }
}
