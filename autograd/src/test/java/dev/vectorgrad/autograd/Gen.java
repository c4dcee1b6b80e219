package dev.vectorgrad.autograd;

import dev.vectorgrad.core.Rng;
import dev.vectorgrad.core.Tensor;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/** Shapes and seeded values for the properties: sizes 1 and odd sizes, the lesson's 784 and 50 now and then. */
final class Gen {

    private Gen() {}

    /** A dimension size: mostly small and odd, sometimes 1, rarely the lesson's 50 or 784. */
    static Arbitrary<Integer> size() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, Arbitraries.just(1)),
                net.jqwik.api.Tuple.of(12, Arbitraries.of(2, 3, 5, 7, 13)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(50, 784)));
    }

    /** A small size only, for dims that multiply with others. */
    static Arbitrary<Integer> smallSize() {
        return Arbitraries.of(1, 2, 3, 5, 7);
    }

    static Arbitrary<int[]> shape(int minRank, int maxRank) {
        return Arbitraries.integers().between(minRank, maxRank).flatMap(r ->
                smallSize().array(int[].class).ofSize(r));
    }

    static Tensor normal(Rng rng, int... shape) {
        return Tensor.randn(rng, shape);
    }

    /** Values in [lo, hi). */
    static Tensor uniform(Rng rng, float lo, float hi, int... shape) {
        return Tensor.rand(rng, shape).mul(hi - lo).add(lo);
    }

    /** Values of either sign at least {@code margin} away from 0: for kinks and divisors. */
    static Tensor awayFromZero(Rng rng, float margin, int... shape) {
        Tensor n = Tensor.randn(rng, shape);
        float[] v = n.toArray();
        for (int i = 0; i < v.length; i++) {
            v[i] = Math.copySign(margin + Math.abs(v[i]), v[i] == 0f ? 1f : v[i]);
        }
        return shape.length == 0 ? Tensor.scalar(v[0]) : Tensor.of(v, shape);
    }

    /** A shape that broadcasts to {@code full}: some leading dims dropped, some dims set to 1. */
    static int[] broadcastable(Rng rng, int[] full) {
        int drop = rng.nextInt(full.length + 1);
        int[] s = new int[full.length - drop];
        for (int i = 0; i < s.length; i++) {
            s[i] = rng.nextInt(3) == 0 ? 1 : full[i + drop];
        }
        return s;
    }
}
