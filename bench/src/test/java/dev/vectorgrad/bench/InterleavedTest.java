package dev.vectorgrad.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class InterleavedTest {

    @Test
    void quantilesInterpolateBetweenOrderStatistics() {
        double[] v = {7, 1, 3, 5};
        assertEquals(1, Interleaved.quantile(v, 0), 0);
        assertEquals(7, Interleaved.quantile(v, 1), 0);
        assertEquals(4, Interleaved.quantile(v, 0.5), 1e-12);   // between 3 and 5
        assertEquals(2.5, Interleaved.quantile(v, 0.25), 1e-12); // rank 0.75: three quarters of the way from 1 to 3
        assertArrayEquals(new double[] {7, 1, 3, 5}, v, "the input is not sorted in place");
        assertThrows(IllegalArgumentException.class, () -> Interleaved.quantile(new double[0], 0.5));
        assertThrows(IllegalArgumentException.class, () -> Interleaved.quantile(v, Double.NaN));
    }

    @Test
    void ratiosAreTakenRoundByRound() {
        // A drift that doubles both contenders' speed halfway leaves the per-round ratio at 2.
        var slow = new Interleaved.Series("a", new double[] {10, 10, 20, 20});
        var fast = new Interleaved.Series("b", new double[] {20, 20, 40, 40});
        assertArrayEquals(new double[] {2, 2, 2, 2}, Interleaved.ratios(fast, slow), 0);
        assertThrows(IllegalArgumentException.class,
                () -> Interleaved.ratios(fast, new Interleaved.Series("c", new double[] {1})));
    }

    @Test
    void runsEveryContenderEveryRound() {
        MatmulShape shape = MatmulShape.parse("16x8x24");
        List<Interleaved.Series> series = Interleaved.run(shape, 3, List.of("vectorgrad-1t", "scalar"), 0.0);
        assertEquals(List.of("vectorgrad-1t", "scalar"), series.stream().map(Interleaved.Series::name).toList());
        for (Interleaved.Series s : series) {
            assertEquals(3, s.gflops().length, s.name());
            for (double g : s.gflops()) {
                assertTrue(g > 0 && Double.isFinite(g), s.name() + ": " + g);
            }
        }
        String table = Interleaved.table(shape, series);
        assertTrue(table.contains("| scalar |") && table.contains("| vectorgrad-1t | "), table);
        assertTrue(table.contains("| 1.00× | 1.00-1.00× |"), "the reference's ratio to itself: " + table);
    }
}
