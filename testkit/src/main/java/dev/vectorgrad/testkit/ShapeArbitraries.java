package dev.vectorgrad.testkit;

import java.util.ArrayList;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * jqwik arbitraries for tensor shapes, in the spirit of Hypothesis' {@code array_shapes},
 * {@code broadcastable_shapes} and {@code mutually_broadcastable_shapes}. Every arbitrary is
 * built from jqwik's combinators, so a failing shape shrinks towards fewer dims and size 1 (or
 * the lower size bound).
 */
public final class ShapeArbitraries {

    private ShapeArbitraries() {}

    /**
     * Shapes of rank {@code minRank..maxRank} with every size in {@code minSize..maxSize}.
     *
     * @param minRank the fewest dims, at least 0
     * @param maxRank the most dims, at least {@code minRank}
     * @param minSize the smallest size of a dim, at least 0 (0 gives empty tensors)
     * @param maxSize the largest size of a dim, at least {@code minSize}
     * @return the shapes
     * @throws IllegalArgumentException naming the bounds when they are negative or out of order
     */
    public static Arbitrary<int[]> shapes(int minRank, int maxRank, int minSize, int maxSize) {
        checkRanks("shapes", minRank, maxRank);
        checkSizes("shapes", minSize, maxSize);
        return Arbitraries.integers().between(minSize, maxSize).shrinkTowards(Math.max(minSize, Math.min(1, maxSize)))
                .array(int[].class).ofMinSize(minRank).ofMaxSize(maxRank);
    }

    /**
     * Shapes of rank {@code minRank..maxRank} with sizes from {@link #dimensionSizes()}.
     *
     * @param minRank the fewest dims, at least 0
     * @param maxRank the most dims, at least {@code minRank}
     * @return the shapes
     * @throws IllegalArgumentException naming the ranks when they are negative or out of order
     */
    public static Arbitrary<int[]> shapes(int minRank, int maxRank) {
        checkRanks("shapes", minRank, maxRank);
        return smallSizes().array(int[].class).ofMinSize(minRank).ofMaxSize(maxRank);
    }

    /**
     * Sizes of one dim that kernels get wrong: mostly small and odd, often 1 (a broadcast or
     * squeezed dim), now and then the lesson's 50 and 784 (longer than any vector register).
     *
     * @return sizes 1, 2, 3, 5, 7, 13, 50 and 784, shrinking towards 1
     */
    public static Arbitrary<Integer> dimensionSizes() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.just(1)),
                Tuple.of(12, Arbitraries.of(2, 3, 5, 7, 13)),
                Tuple.of(1, Arbitraries.of(50, 784)));
    }

    /**
     * Sizes for dims that multiply with others, so that a tensor of a few dims stays small.
     *
     * @return sizes 1, 2, 3, 5 and 7, shrinking towards 1
     */
    public static Arbitrary<Integer> smallSizes() {
        return Arbitraries.of(1, 2, 3, 5, 7);
    }

    /**
     * Shapes that broadcast to {@code target} without changing it, as Hypothesis'
     * {@code broadcastable_shapes(shape)}: some leading dims dropped, some of the rest set to 1.
     * They shrink towards {@code target} itself.
     *
     * @param target the shape to broadcast to
     * @return the shapes
     * @throws IllegalArgumentException when {@code target} is null or has a negative size
     */
    public static Arbitrary<int[]> broadcastableTo(int... target) {
        if (target == null) {
            throw new IllegalArgumentException("broadcastableTo: expected a shape, got null");
        }
        for (int s : target) {
            if (s < 0) {
                throw new IllegalArgumentException("broadcastableTo: expected sizes >= 0, got " + java.util.Arrays.toString(target));
            }
        }
        int[] t = target.clone();
        Arbitrary<Integer> drop = Arbitraries.integers().between(0, t.length).shrinkTowards(0);
        Arbitrary<List<Boolean>> ones = Arbitraries.of(false, true).list().ofSize(t.length);
        return Combinators.combine(drop, ones).as((d, mask) -> {
            int[] s = new int[t.length - d];
            for (int i = 0; i < s.length; i++) {
                s[i] = mask.get(i + d) ? 1 : t[i + d];
            }
            return s;
        });
    }

    /**
     * Tuples of {@code count} shapes that broadcast together, as Hypothesis'
     * {@code mutually_broadcastable_shapes}: a full shape of rank {@code minRank..maxRank} with
     * sizes {@code minSize..maxSize}, and each operand derived from it by {@link #broadcastableTo}.
     * The result is the operands' true broadcast (a dim every operand set to 1 stays 1).
     *
     * @param count how many shapes, at least 1
     * @param minRank the fewest dims of the full shape, at least 0
     * @param maxRank the most dims of the full shape, at least {@code minRank}
     * @param minSize the smallest size of a dim of the full shape, at least 0
     * @param maxSize the largest size, at least {@code minSize}
     * @return the shape tuples
     * @throws IllegalArgumentException naming the argument that is out of range
     */
    public static Arbitrary<BroadcastShapes> mutuallyBroadcastable(int count, int minRank, int maxRank, int minSize,
                                                                   int maxSize) {
        if (count < 1) {
            throw new IllegalArgumentException("mutuallyBroadcastable: expected count >= 1, got " + count);
        }
        return shapes(minRank, maxRank, minSize, maxSize).flatMap(full -> broadcastableTo(full).list().ofSize(count)
                .map(list -> new BroadcastShapes(new ArrayList<>(list), BroadcastShapes.broadcast(list.toArray(int[][]::new)))));
    }

    private static void checkRanks(String what, int minRank, int maxRank) {
        if (minRank < 0 || maxRank < minRank) {
            throw new IllegalArgumentException(what + ": expected 0 <= minRank <= maxRank, got minRank=" + minRank
                    + ", maxRank=" + maxRank);
        }
    }

    private static void checkSizes(String what, int minSize, int maxSize) {
        if (minSize < 0 || maxSize < minSize) {
            throw new IllegalArgumentException(what + ": expected 0 <= minSize <= maxSize, got minSize=" + minSize
                    + ", maxSize=" + maxSize);
        }
    }
}
