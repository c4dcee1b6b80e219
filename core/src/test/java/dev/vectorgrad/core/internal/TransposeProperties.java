package dev.vectorgrad.core.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Random;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * {@link Transpose#copy} against its scalar twin: sizes around the 8 × 8 and 16 × 16 register
 * blocks (0, 1, 7, 8, 9, 15, 16, 17, 32, 33), primes and the MLP's 64 and 50, with padded rows on both sides and offsets,
 * so that both the blocks and the scalar edges are reached; a copy is exact, so bit for bit, and
 * nothing outside the transposed block may change.
 */
class TransposeProperties {

    @Provide
    Arbitrary<Integer> sizes() {
        return Arbitraries.of(0, 1, 7, 8, 9, 15, 16, 17, 31, 32, 33, 50, 64, 97);
    }

    @Property(tries = 300)
    void registerBlocksAgreeWithTheScalarTwin(@ForAll("sizes") int rows, @ForAll("sizes") int cols,
                                              @ForAll @IntRange(min = 0, max = 9) int srcPad,
                                              @ForAll @IntRange(min = 0, max = 9) int dstPad,
                                              @ForAll @IntRange(min = 0, max = 5) int offset,
                                              @ForAll long seed) {
        Random random = new Random(seed);
        int ss = cols + srcPad;
        int ds = rows + dstPad;
        float[] src = new float[offset + rows * ss + 3];
        for (int i = 0; i < src.length; i++) {
            src[i] = (float) random.nextGaussian();
        }
        float[] expected = new float[2 * offset + cols * ds + 3];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = -1f - i; // sentinels, which must survive outside the block
        }
        float[] actual = expected.clone();
        Transpose.scalar(src, offset, ss, rows, cols, expected, 2 * offset, ds);
        Transpose.copy(src, offset, ss, rows, cols, actual, 2 * offset, ds);
        assertArrayEquals(expected, actual, rows + " x " + cols + ", strides " + ss + "/" + ds + ", offset " + offset);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                if (expected[2 * offset + j * ds + i] != src[offset + i * ss + j]) {
                    throw new AssertionError("the scalar twin misplaced (" + i + ", " + j + ")");
                }
            }
        }
    }
}
