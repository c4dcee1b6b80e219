package dev.vectorgrad.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import dev.vectorgrad.core.Tensor;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The shape arbitraries make what they claim: rank and size bounds, shapes that really broadcast. */
class ShapeArbitrariesProperties {

    @Provide
    Arbitrary<int[]> bounded() {
        return ShapeArbitraries.shapes(1, 4, 0, 6);
    }

    @Property(tries = 200)
    void shapesKeepTheirRankAndSizeBounds(@ForAll("bounded") int[] shape) {
        assertTrue(shape.length >= 1 && shape.length <= 4, Arrays.toString(shape));
        for (int s : shape) {
            assertTrue(s >= 0 && s <= 6, Arrays.toString(shape));
        }
    }

    @Provide
    Arbitrary<int[]> small() {
        return ShapeArbitraries.shapes(0, 3);
    }

    @Property(tries = 100)
    void shapesFromSmallSizesAreAmongThem(@ForAll("small") int[] shape) {
        assertTrue(shape.length <= 3);
        for (int s : shape) {
            assertTrue(Arrays.asList(1, 2, 3, 5, 7).contains(s), Arrays.toString(shape));
        }
    }

    @Provide
    Arbitrary<int[][]> targetAndBroadcastable() {
        return ShapeArbitraries.shapes(0, 4, 0, 5).flatMap(t -> ShapeArbitraries.broadcastableTo(t).map(s -> new int[][] {t, s}));
    }

    @Property(tries = 200)
    void broadcastableShapesBroadcastToTheTargetUnchanged(@ForAll("targetAndBroadcastable") int[][] ts) {
        int[] target = ts[0];
        int[] s = ts[1];
        assertTrue(s.length <= target.length);
        assertArrayEquals(target, BroadcastShapes.broadcast(target, s), Arrays.toString(s) + " vs " + Arrays.toString(target));
        // And the tensors agree: core's broadcasting accepts the pair and gives the target's shape.
        assertArrayEquals(target, Tensor.zeros(target).add(Tensor.ones(s)).shape());
    }

    @Provide
    Arbitrary<BroadcastShapes> triples() {
        return ShapeArbitraries.mutuallyBroadcastable(3, 0, 4, 1, 4);
    }

    @Property(tries = 200)
    void mutuallyBroadcastableShapesBroadcastToTheirResult(@ForAll("triples") BroadcastShapes b) {
        assertEquals(3, b.inputs().size());
        Tensor sum = Tensor.zeros(b.input(0)).add(Tensor.zeros(b.input(1))).add(Tensor.zeros(b.input(2)));
        assertArrayEquals(b.result(), sum.shape(), b.toString());
        for (int[] s : b.inputs()) {
            assertArrayEquals(b.result(), Tensor.zeros(s).expand(b.result()).shape(), b.toString());
        }
    }

    @Example
    void broadcastOfClashingShapesNamesBothAndTheDim() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BroadcastShapes.broadcast(new int[] {3, 4}, new int[] {5}));
        assertTrue(e.getMessage().contains("[3, 4], [5]") && e.getMessage().contains("sizes 4 and 5 at dim -1"), e.getMessage());
    }

    @Example
    void badBoundsAreRefusedNamingWhatCame() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ShapeArbitraries.shapes(3, 2));
        assertTrue(e.getMessage().contains("minRank <= maxRank") && e.getMessage().contains("minRank=3, maxRank=2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ShapeArbitraries.shapes(0, 2, -1, 3));
        assertTrue(e.getMessage().contains("minSize=-1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ShapeArbitraries.mutuallyBroadcastable(0, 0, 2, 1, 3));
        assertTrue(e.getMessage().contains("count >= 1, got 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ShapeArbitraries.broadcastableTo(2, -3));
        assertTrue(e.getMessage().contains("[2, -3]"), e.getMessage());
    }

    @Example
    void aFailingShapeShrinksToTheSmallestCounterexample() {
        // "No shape has more than 5 elements" fails; shrinking ends at exactly 6 elements ([6], [2, 3]
        // or [3, 2]: no single shrink step of those stays a counterexample), from up to 9^4 drawn.
        for (long seed = 0; seed < 5; seed++) {
            int[] minimal = Shrinking.minimalCounterexample(ShapeArbitraries.shapes(0, 4, 0, 9),
                    s -> Arrays.stream(s).asLongStream().reduce(1, (a, b) -> a * b) <= 5, seed);
            assertEquals(6, Arrays.stream(minimal).reduce(1, (a, b) -> a * b), Arrays.toString(minimal));
            assertTrue(minimal.length <= 2, Arrays.toString(minimal));
        }
    }
}
