package dev.vectorgrad.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;

import dev.vectorgrad.core.UnsignedBytes;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The byte kernels against their scalar twin, bit for bit (both round the product, then the
 * sum), over sizes around the vector length with offsets and sentinels; bytes cover 0-255, so
 * a kernel that reads them signed fails.
 */
class ByteKernelsProperties {

    private static final int LANES = VectorMatmul.S.length();
    private static final float SENTINEL = -12345.5f;

    @Provide
    Arbitrary<Integer> sizes() {
        int l = LANES;
        return Arbitraries.of(0, 1, l - 1, l, l + 1, 2 * l + 3, 13, 97, 784, 1021);
    }

    @Property(tries = 200)
    void vectorKernelMatchesTheScalarTwin(@ForAll("sizes") int n, @ForAll @IntRange(min = 0, max = 7) int sOff,
                                          @ForAll @IntRange(min = 0, max = 7) int dOff, @ForAll long seed) {
        Assumptions.assumeTrue(LANES >= 8, "byte vectors need at least 8 float lanes");
        SplittableRandom r = new SplittableRandom(seed);
        byte[] src = new byte[sOff + n + 2];
        for (int i = 0; i < src.length; i++) {
            src[i] = (byte) r.nextInt(256);
        }
        float scale = (float) (r.nextDouble() * 0.05 + 1e-4);
        float shift = (float) (r.nextDouble() * 4 - 2);
        float[] expected = new float[dOff + n + 3];
        Arrays.fill(expected, SENTINEL);
        float[] actual = expected.clone();
        ScalarByteKernels.INSTANCE.unsignedToFloats(src, sOff, expected, dOff, n, scale, shift);
        new VectorByteKernels().unsignedToFloats(src, sOff, actual, dOff, n, scale, shift);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(Float.floatToIntBits(expected[i]), Float.floatToIntBits(actual[i]),
                    "n " + n + ", element " + i + ": " + actual[i] + " against the twin's " + expected[i]);
        }
        for (int i = 0; i < n; i++) {
            float want = (float) ((src[sOff + i] & 0xff) * (double) scale + shift);
            assertTrue(Math.abs(expected[dOff + i] - want) <= 1e-6f * (1 + Math.abs(want)), "the twin's value at " + i);
        }
    }

    @Test
    void theFacadeNamesBothRangesWhenOneDoesNotFit() {
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
                () -> UnsignedBytes.toFloats(new byte[10], 4, new float[20], 0, 7, 1f, 0f));
        assertTrue(e.getMessage().contains("10 bytes") && e.getMessage().contains("20 floats"), e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> UnsignedBytes.toFloats(new byte[10], 0, new float[5], 0, 6, 1f, 0f));
        assertThrows(IndexOutOfBoundsException.class, () -> UnsignedBytes.toFloats(new byte[10], 0, new float[5], 0, -1, 1f, 0f));
        float[] out = new float[3];
        UnsignedBytes.toFloats(new byte[] {0, (byte) 255, (byte) 128}, 0, out, 0, 3, 2f, 1f);
        assertEquals(1f, out[0]);
        assertEquals(511f, out[1]);
        assertEquals(257f, out[2]);
    }
}
