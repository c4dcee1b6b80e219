package dev.vectorgrad.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

/** The seeded generator: reproducible, in range, with the right moments. */
class RngTest {

    @Test
    void sameSeedSameSequenceDifferentSeedsDiffer() {
        Rng a = new Rng(42);
        Rng b = new Rng(42);
        Rng c = new Rng(43);
        int same = 0;
        for (int i = 0; i < 1000; i++) {
            long x = a.nextLong();
            assertEquals(x, b.nextLong());
            if (x == c.nextLong()) {
                same++;
            }
        }
        assertEquals(0, same, "neighbouring seeds give unrelated sequences");
        assertArrayEquals(Tensor.randn(new Rng(7), 50).toArray(), Tensor.randn(new Rng(7), 50).toArray());
        assertNotEquals(new Rng(0).nextLong(), new Rng(1).nextLong());
        Rng parent = new Rng(5);
        Rng child = parent.split();
        assertNotEquals(parent.nextLong(), child.nextLong(), "a split child does not replay its parent");
        Rng parent2 = new Rng(5);
        Rng child2 = parent2.split();
        Rng child3 = new Rng(5).split();
        assertEquals(child2.nextLong(), child3.nextLong(), "split is deterministic too");
    }

    @Test
    void uniformsStayInTheirRangeAndCoverIt() {
        Rng rng = new Rng(1);
        double sum = 0;
        float lo = 1;
        float hi = 0;
        int n = 100_000;
        for (int i = 0; i < n; i++) {
            float f = rng.nextFloat();
            assertTrue(f >= 0f && f < 1f, "nextFloat in [0, 1): " + f);
            double d = rng.nextDouble();
            assertTrue(d >= 0 && d < 1, "nextDouble in [0, 1): " + d);
            sum += f;
            lo = Math.min(lo, f);
            hi = Math.max(hi, f);
        }
        assertEquals(0.5, sum / n, 4 * Math.sqrt(1.0 / 12 / n), "uniform mean");
        assertTrue(lo < 1e-3 && hi > 1 - 1e-3);
        Tensor r = Tensor.rand(new Rng(2), 1000);
        assertTrue(r.min().item() >= 0f && r.max().item() < 1f);
    }

    @Test
    void nextIntIsWithinBoundsAndUnbiased() {
        Rng rng = new Rng(3);
        int[] counts = new int[7];
        int n = 70_000;
        for (int i = 0; i < n; i++) {
            counts[rng.nextInt(7)]++;
        }
        double chi2 = 0;
        for (int c : counts) {
            chi2 += (c - n / 7.0) * (c - n / 7.0) / (n / 7.0);
        }
        assertTrue(chi2 < 22.5, "chi-square with 6 degrees of freedom, p < 0.001: " + chi2 + " " + Arrays.toString(counts));
        for (int bound : new int[] {1, 2, 3, 1000, Integer.MAX_VALUE}) {
            for (int i = 0; i < 1000; i++) {
                int x = rng.nextInt(bound);
                assertTrue(x >= 0 && x < bound, bound + ": " + x);
            }
        }
        // A bound just above 2^31 / 2 is where a modulo would be most biased: half the values twice as likely.
        int bound = (1 << 30) + (1 << 29);
        int low = 0;
        for (int i = 0; i < 20_000; i++) {
            if (rng.nextInt(bound) < bound / 2) {
                low++;
            }
        }
        assertEquals(10_000, low, 4 * Math.sqrt(20_000 * 0.25), "no modulo bias");
    }

    @Test
    void gaussianMomentsWithinStatisticalTolerance() {
        Rng rng = new Rng(4);
        int n = 100_000;
        double sum = 0;
        double sumSq = 0;
        double sumFourth = 0;
        int within1 = 0;
        for (int i = 0; i < n; i++) {
            double g = rng.nextGaussian();
            assertTrue(Double.isFinite(g));
            sum += g;
            sumSq += g * g;
            sumFourth += g * g * g * g;
            if (Math.abs(g) < 1) {
                within1++;
            }
        }
        double mean = sum / n;
        double var = sumSq / n - mean * mean;
        // Standard errors: 1/sqrt(n) for the mean, sqrt(2/n) for the variance; allow 5 of them.
        assertEquals(0, mean, 5 / Math.sqrt(n));
        assertEquals(1, var, 5 * Math.sqrt(2.0 / n));
        assertEquals(3, sumFourth / n, 0.1, "kurtosis of a normal");
        assertEquals(0.6827, within1 / (double) n, 0.01, "68% within one standard deviation");
    }

    @Test
    void shuffleIsAPermutationAndMixes() {
        Rng rng = new Rng(5);
        int[] idx = new int[1000];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        rng.shuffle(idx);
        int fixed = 0;
        for (int i = 0; i < idx.length; i++) {
            if (idx[i] == i) {
                fixed++;
            }
        }
        int[] sorted = idx.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < sorted.length; i++) {
            assertEquals(i, sorted[i], "every index exactly once");
        }
        assertTrue(fixed < 10, "about one fixed point expected, got " + fixed);
        int[] again = new int[1000];
        for (int i = 0; i < again.length; i++) {
            again[i] = i;
        }
        new Rng(5).shuffle(again);
        assertArrayEquals(idx, again, "same seed, same shuffle");
        int[] firstPlace = new int[3];
        for (int t = 0; t < 3000; t++) {
            int[] three = {0, 1, 2};
            rng.shuffle(three);
            firstPlace[three[0]]++;
        }
        for (int c : firstPlace) {
            assertEquals(1000, c, 100, "each element first a third of the time: " + Arrays.toString(firstPlace));
        }
        rng.shuffle(new int[0]);
        rng.shuffle(new int[1]);
    }
}
