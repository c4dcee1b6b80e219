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
     * The kernels' own species. One species in the whole JVM matters: the Vector API's shared
     * methods keep one type profile, and once a second vector class flows through them C2 may
     * stop intrinsifying the matmul's loops, which then box every vector on the heap.
     */
    private static final VectorSpecies<Float> S = VectorMatmul.S;
    private static final int LANES = S.length();

    /**
     * Whether square blocks of {@link #LANES} go through registers: for 8 lanes (256 bits) and 16
     * (512 bits), where the two-source shuffles below are single instructions.
     */
    static final boolean IN_REGISTERS = LANES == 8 || LANES == 16;

    // 8 lanes: the three steps of the classic AVX transpose (an index of 8 or more picks from the
    // second vector): interleave pairs of rows, then pairs of pairs, then halves.
    private static final VectorShuffle<Float> PAIRS_LO = LANES == 8 ? VectorShuffle.fromValues(S, 0, 8, 1, 9, 4, 12, 5, 13) : null;
    private static final VectorShuffle<Float> PAIRS_HI = LANES == 8 ? VectorShuffle.fromValues(S, 2, 10, 3, 11, 6, 14, 7, 15) : null;
    private static final VectorShuffle<Float> QUADS_LO = LANES == 8 ? VectorShuffle.fromValues(S, 0, 1, 8, 9, 4, 5, 12, 13) : null;
    private static final VectorShuffle<Float> QUADS_HI = LANES == 8 ? VectorShuffle.fromValues(S, 2, 3, 10, 11, 6, 7, 14, 15) : null;
    private static final VectorShuffle<Float> HALVES_LO = LANES == 8 ? VectorShuffle.fromValues(S, 0, 1, 2, 3, 8, 9, 10, 11) : null;
    private static final VectorShuffle<Float> HALVES_HI = LANES == 8 ? VectorShuffle.fromValues(S, 4, 5, 6, 7, 12, 13, 14, 15) : null;

    // 16 lanes: butterfly rounds on blocks of 1, 2, 4 and 8 lanes (see block16).
    private static final VectorShuffle<Float> B1_LO = butterfly(1, false);
    private static final VectorShuffle<Float> B1_HI = butterfly(1, true);
    private static final VectorShuffle<Float> B2_LO = butterfly(2, false);
    private static final VectorShuffle<Float> B2_HI = butterfly(2, true);
    private static final VectorShuffle<Float> B4_LO = butterfly(4, false);
    private static final VectorShuffle<Float> B4_HI = butterfly(4, true);
    private static final VectorShuffle<Float> B8_LO = butterfly(8, false);
    private static final VectorShuffle<Float> B8_HI = butterfly(8, true);

    /**
     * For 16 lanes, the shuffle that interleaves blocks of {@code b} lanes of two vectors x and y:
     * the low one takes the even blocks of each ({@code x[0..b), y[0..b), x[2b..3b), ...}), the
     * high one the odd blocks ({@code x[b..2b), y[b..2b), ...}); an index of 16 or more picks from y.
     */
    private static VectorShuffle<Float> butterfly(int b, boolean high) {
        if (LANES != 16) {
            return null;
        }
        int[] idx = new int[LANES];
        for (int k = 0; k < LANES; k++) {
            int base = k / (2 * b) * 2 * b + (high ? b : 0);
            int within = k % (2 * b);
            idx[k] = within < b ? base + within : LANES + base + within - b;
        }
        return VectorShuffle.fromArray(S, idx, 0);
    }

    private Transpose() {}

    /**
     * The transposed copy, in {@link #LANES} × {@link #LANES} register blocks where
     * {@link #IN_REGISTERS}, the edges (and everything otherwise) by {@link #scalar}.
     */
    static void copy(float[] src, int sOff, int ss, int rows, int cols, float[] dst, int dOff, int ds) {
        int i = 0;
        if (IN_REGISTERS) {
            int l = LANES;
            for (; i + l <= rows; i += l) {
                int j = 0;
                for (; j + l <= cols; j += l) {
                    if (l == 8) {
                        block8(src, sOff + i * ss + j, ss, dst, dOff + j * ds + i, ds);
                    } else {
                        block16(src, sOff + i * ss + j, ss, dst, dOff + j * ds + i, ds);
                    }
                }
                scalar(src, sOff + i * ss + j, ss, l, cols - j, dst, dOff + j * ds + i, ds);
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
        FloatVector r0 = FloatVector.fromArray(S, src, s);
        FloatVector r1 = FloatVector.fromArray(S, src, s + ss);
        FloatVector r2 = FloatVector.fromArray(S, src, s + 2 * ss);
        FloatVector r3 = FloatVector.fromArray(S, src, s + 3 * ss);
        FloatVector r4 = FloatVector.fromArray(S, src, s + 4 * ss);
        FloatVector r5 = FloatVector.fromArray(S, src, s + 5 * ss);
        FloatVector r6 = FloatVector.fromArray(S, src, s + 6 * ss);
        FloatVector r7 = FloatVector.fromArray(S, src, s + 7 * ss);
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

    /*
     * One 16 × 16 block. Trick: sixteen row loads, then four butterfly rounds of sixteen
     * two-source shuffles (one vpermt2ps each), pairing rows 1, 2, 4 and 8 apart and exchanging
     * blocks of that many lanes, so after the last round vector i holds column i; sixteen stores.
     */
    private static void block16(float[] src, int s, int ss, float[] dst, int d, int ds) {
        FloatVector v0 = FloatVector.fromArray(S, src, s);
        FloatVector v1 = FloatVector.fromArray(S, src, s + 1 * ss);
        FloatVector v2 = FloatVector.fromArray(S, src, s + 2 * ss);
        FloatVector v3 = FloatVector.fromArray(S, src, s + 3 * ss);
        FloatVector v4 = FloatVector.fromArray(S, src, s + 4 * ss);
        FloatVector v5 = FloatVector.fromArray(S, src, s + 5 * ss);
        FloatVector v6 = FloatVector.fromArray(S, src, s + 6 * ss);
        FloatVector v7 = FloatVector.fromArray(S, src, s + 7 * ss);
        FloatVector v8 = FloatVector.fromArray(S, src, s + 8 * ss);
        FloatVector v9 = FloatVector.fromArray(S, src, s + 9 * ss);
        FloatVector v10 = FloatVector.fromArray(S, src, s + 10 * ss);
        FloatVector v11 = FloatVector.fromArray(S, src, s + 11 * ss);
        FloatVector v12 = FloatVector.fromArray(S, src, s + 12 * ss);
        FloatVector v13 = FloatVector.fromArray(S, src, s + 13 * ss);
        FloatVector v14 = FloatVector.fromArray(S, src, s + 14 * ss);
        FloatVector v15 = FloatVector.fromArray(S, src, s + 15 * ss);
        FloatVector a0 = v0.rearrange(B1_LO, v1);
        FloatVector a1 = v0.rearrange(B1_HI, v1);
        FloatVector a2 = v2.rearrange(B1_LO, v3);
        FloatVector a3 = v2.rearrange(B1_HI, v3);
        FloatVector a4 = v4.rearrange(B1_LO, v5);
        FloatVector a5 = v4.rearrange(B1_HI, v5);
        FloatVector a6 = v6.rearrange(B1_LO, v7);
        FloatVector a7 = v6.rearrange(B1_HI, v7);
        FloatVector a8 = v8.rearrange(B1_LO, v9);
        FloatVector a9 = v8.rearrange(B1_HI, v9);
        FloatVector a10 = v10.rearrange(B1_LO, v11);
        FloatVector a11 = v10.rearrange(B1_HI, v11);
        FloatVector a12 = v12.rearrange(B1_LO, v13);
        FloatVector a13 = v12.rearrange(B1_HI, v13);
        FloatVector a14 = v14.rearrange(B1_LO, v15);
        FloatVector a15 = v14.rearrange(B1_HI, v15);
        FloatVector b0 = a0.rearrange(B2_LO, a2);
        FloatVector b2 = a0.rearrange(B2_HI, a2);
        FloatVector b1 = a1.rearrange(B2_LO, a3);
        FloatVector b3 = a1.rearrange(B2_HI, a3);
        FloatVector b4 = a4.rearrange(B2_LO, a6);
        FloatVector b6 = a4.rearrange(B2_HI, a6);
        FloatVector b5 = a5.rearrange(B2_LO, a7);
        FloatVector b7 = a5.rearrange(B2_HI, a7);
        FloatVector b8 = a8.rearrange(B2_LO, a10);
        FloatVector b10 = a8.rearrange(B2_HI, a10);
        FloatVector b9 = a9.rearrange(B2_LO, a11);
        FloatVector b11 = a9.rearrange(B2_HI, a11);
        FloatVector b12 = a12.rearrange(B2_LO, a14);
        FloatVector b14 = a12.rearrange(B2_HI, a14);
        FloatVector b13 = a13.rearrange(B2_LO, a15);
        FloatVector b15 = a13.rearrange(B2_HI, a15);
        FloatVector c0 = b0.rearrange(B4_LO, b4);
        FloatVector c4 = b0.rearrange(B4_HI, b4);
        FloatVector c1 = b1.rearrange(B4_LO, b5);
        FloatVector c5 = b1.rearrange(B4_HI, b5);
        FloatVector c2 = b2.rearrange(B4_LO, b6);
        FloatVector c6 = b2.rearrange(B4_HI, b6);
        FloatVector c3 = b3.rearrange(B4_LO, b7);
        FloatVector c7 = b3.rearrange(B4_HI, b7);
        FloatVector c8 = b8.rearrange(B4_LO, b12);
        FloatVector c12 = b8.rearrange(B4_HI, b12);
        FloatVector c9 = b9.rearrange(B4_LO, b13);
        FloatVector c13 = b9.rearrange(B4_HI, b13);
        FloatVector c10 = b10.rearrange(B4_LO, b14);
        FloatVector c14 = b10.rearrange(B4_HI, b14);
        FloatVector c11 = b11.rearrange(B4_LO, b15);
        FloatVector c15 = b11.rearrange(B4_HI, b15);
        FloatVector d0 = c0.rearrange(B8_LO, c8);
        FloatVector d8 = c0.rearrange(B8_HI, c8);
        FloatVector d1 = c1.rearrange(B8_LO, c9);
        FloatVector d9 = c1.rearrange(B8_HI, c9);
        FloatVector d2 = c2.rearrange(B8_LO, c10);
        FloatVector d10 = c2.rearrange(B8_HI, c10);
        FloatVector d3 = c3.rearrange(B8_LO, c11);
        FloatVector d11 = c3.rearrange(B8_HI, c11);
        FloatVector d4 = c4.rearrange(B8_LO, c12);
        FloatVector d12 = c4.rearrange(B8_HI, c12);
        FloatVector d5 = c5.rearrange(B8_LO, c13);
        FloatVector d13 = c5.rearrange(B8_HI, c13);
        FloatVector d6 = c6.rearrange(B8_LO, c14);
        FloatVector d14 = c6.rearrange(B8_HI, c14);
        FloatVector d7 = c7.rearrange(B8_LO, c15);
        FloatVector d15 = c7.rearrange(B8_HI, c15);
        d0.intoArray(dst, d);
        d1.intoArray(dst, d + 1 * ds);
        d2.intoArray(dst, d + 2 * ds);
        d3.intoArray(dst, d + 3 * ds);
        d4.intoArray(dst, d + 4 * ds);
        d5.intoArray(dst, d + 5 * ds);
        d6.intoArray(dst, d + 6 * ds);
        d7.intoArray(dst, d + 7 * ds);
        d8.intoArray(dst, d + 8 * ds);
        d9.intoArray(dst, d + 9 * ds);
        d10.intoArray(dst, d + 10 * ds);
        d11.intoArray(dst, d + 11 * ds);
        d12.intoArray(dst, d + 12 * ds);
        d13.intoArray(dst, d + 13 * ds);
        d14.intoArray(dst, d + 14 * ds);
        d15.intoArray(dst, d + 15 * ds);
    }
}
