package dev.vectorgrad.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import dev.vectorgrad.core.Tensor;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The tensor arbitraries make what they claim: the shape asked for, elements from the Values
 * (special values when asked and never when not), and views that really are views.
 */
class TensorsProperties {

    private static final Values PLAIN = Values.between(-2, 5);

    @Provide
    Arbitrary<Tensor> plain() {
        return Tensors.tensors(PLAIN, ShapeArbitraries.shapes(0, 3, 0, 6));
    }

    @Property(tries = 150)
    void elementsStayInTheRangeAndAreNeverSpecial(@ForAll("plain") Tensor t) {
        assertTrue(t.isContiguous());
        for (float v : t.toArray()) {
            assertTrue(v >= -2f && v <= 5f, () -> v + " in " + t);
            assertTrue(Float.isFinite(v));
        }
    }

    @Provide
    Arbitrary<Tensor> awayFromZero() {
        return Tensors.tensors(Values.awayFromZero(0.25, 2), 4, 7);
    }

    @Property(tries = 100)
    void awayFromZeroKeepsTheMarginAndBothSigns(@ForAll("awayFromZero") Tensor t) {
        assertArrayEquals(new int[] {4, 7}, t.shape());
        for (float v : t.toArray()) {
            assertTrue(Math.abs(v) >= 0.25f && Math.abs(v) <= 2f, () -> v + " in " + t);
        }
    }

    @Example
    void awayFromZeroGivesBothSigns() {
        List<Tensor> ts = Tensors.tensors(Values.awayFromZero(0.25, 2), 50).sampleStream().limit(20).toList();
        assertTrue(ts.stream().anyMatch(t -> t.min().item() < 0) && ts.stream().anyMatch(t -> t.max().item() > 0));
    }

    @Example
    void everyRequestedSpecialKindAppearsAndNoOther() {
        // A range without zero, so that ZERO can come only as a special value, and it was not asked for.
        Values v = Values.between(0.5, 1).withSpecials(Special.NEGATIVE_ZERO, Special.SUBNORMAL, Special.NAN);
        Set<Special> seen = EnumSet.noneOf(Special.class);
        Tensors.tensors(v, 64).sampleStream().limit(40).forEach(t -> {
            for (float x : t.toArray()) {
                Special k = Special.of(x);
                if (k != null) {
                    seen.add(k);
                }
                assertTrue(v.admits(x), () -> x + " from " + v);
            }
        });
        assertEquals(EnumSet.of(Special.NEGATIVE_ZERO, Special.SUBNORMAL, Special.NAN), seen);
    }

    @Example
    void allSpecialKindsAppearWhenAllAreAskedFor() {
        Values v = Values.standard().withSpecials(Special.values());
        Set<Special> seen = EnumSet.noneOf(Special.class);
        Tensors.tensors(v, 64).sampleStream().limit(40).forEach(t -> {
            for (float x : t.toArray()) {
                if (Special.of(x) != null) {
                    seen.add(Special.of(x));
                }
            }
        });
        assertEquals(EnumSet.allOf(Special.class), seen);
    }

    @Example
    void tiesMakeRepeatedSmallIntegers() {
        long withTies = Tensors.tensors(Values.standard().withTies(), 40).sampleStream().limit(20)
                .filter(t -> Arrays.stream(box(t.toArray())).filter(x -> x == Math.rint(x)).count() >= 2).count();
        assertTrue(withTies >= 15, withTies + " of 20 tensors had two integer elements");
    }

    private static Float[] box(float[] a) {
        Float[] b = new Float[a.length];
        for (int i = 0; i < a.length; i++) {
            b[i] = a[i];
        }
        return b;
    }

    @Provide
    Arbitrary<Tensor> distinctValues() {
        return Tensors.distinct(0.05, 3, 7);
    }

    @Property(tries = 50)
    void distinctTensorsHoldEveryValueOnceSpacingApart(@ForAll("distinctValues") Tensor t) {
        assertArrayEquals(new int[] {3, 7}, t.shape());
        float[] v = t.toArray();
        Arrays.sort(v);
        for (int i = 1; i < v.length; i++) {
            assertEquals(0.05, v[i] - v[i - 1], 1e-6, Arrays.toString(v));
        }
        assertEquals(-10.5 * 0.05, v[0], 1e-6, "centred on 0: from -n/2 * spacing");
    }

    @Example
    void distinctRefusesABadSpacing() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tensors.distinct(0, 2));
        assertTrue(e.getMessage().contains("positive finite spacing, got 0.0"), e.getMessage());
    }

    // ------------------------------------------------------------------ views

    @Provide
    Arbitrary<View> views() {
        return Tensors.laidOut(PLAIN, ShapeArbitraries.shapes(0, 4, 0, 5));
    }

    @Property(tries = 300)
    void viewsHaveTheirLayout(@ForAll("views") View v) {
        Tensor t = v.tensor();
        for (float x : t.toArray()) {
            assertTrue(PLAIN.admits(x), () -> x + " in " + v);
        }
        switch (v.layout()) {
            case CONTIGUOUS -> {
                assertTrue(t.isContiguous(), v.toString());
                assertEquals(0, t.storageOffset(), v.toString());
            }
            case OFFSET -> assertTrue(t.storageOffset() > 0, v.toString());
            case TRANSPOSED, STEPPED -> assertFalse(t.isContiguous(), v.toString());
            case MIXED -> assertTrue(!t.isContiguous() || t.storageOffset() > 0, v.toString());
            case EXPANDED -> {
                int[] shape = t.shape();
                int[] strides = t.strides();
                boolean zeroStride = false;
                for (int d = 0; d < shape.length; d++) {
                    zeroStride |= shape[d] >= 2 && strides[d] == 0;
                }
                assertTrue(zeroStride, v.toString());
            }
        }
        // The view reads the same values as its contiguous copy, in the same order.
        assertArrayEquals(t.contiguous().toArray(), t.toArray());
    }

    @Example
    void everyLayoutIsGeneratedForAShapeThatAllowsIt() {
        Set<Layout> seen = EnumSet.noneOf(Layout.class);
        Tensors.laidOut(PLAIN, new int[] {3, 4}).sampleStream().limit(200).forEach(v -> {
            seen.add(v.layout());
            assertArrayEquals(new int[] {3, 4}, v.tensor().shape());
        });
        assertEquals(EnumSet.allOf(Layout.class), seen);
    }

    @Provide
    Arbitrary<View> transposedOnly() {
        return Tensors.laidOut(PLAIN, ShapeArbitraries.shapes(1, 3, 1, 4), Layout.TRANSPOSED);
    }

    @Property(tries = 100)
    void askingForOneLayoutGivesOnlyIt(@ForAll("transposedOnly") View v) {
        assertEquals(Layout.TRANSPOSED, v.layout());
        assertFalse(v.tensor().isContiguous());
    }

    @Example
    void indicesWalkTheShapeInRowMajorOrder() {
        List<int[]> idx = Indices.of(2, 3);
        assertEquals(6, idx.size());
        assertArrayEquals(new int[] {0, 2}, idx.get(2));
        assertArrayEquals(new int[] {1, 0}, idx.get(3));
        assertEquals(1, Indices.of().size());
        assertEquals(0, Indices.of(3, 0).size());
        assertThrows(IllegalArgumentException.class, () -> Indices.of(2, -1));
    }

    @Example
    void aLayoutThatCannotApplyIsRefusedNamingTheShape() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tensors.laidOut(PLAIN, new int[] {1, 5}, Layout.TRANSPOSED));
        assertTrue(e.getMessage().contains("[1, 5]") && e.getMessage().contains("TRANSPOSED"), e.getMessage());
    }

    @Example
    void badValuesAndShapesAreRefusedNamingWhatCame() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Values.between(2, 1));
        assertTrue(e.getMessage().contains("lo <= hi") && e.getMessage().contains("lo=2.0, hi=1.0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Values.between(0, Double.POSITIVE_INFINITY));
        assertTrue(e.getMessage().contains("hi=Infinity"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Values.awayFromZero(0, 1));
        assertTrue(e.getMessage().contains("margin=0.0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Values.between(0.1, 0.9).withTies());
        assertTrue(e.getMessage().contains("-2..2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Values.standard().withSpecials());
        assertTrue(e.getMessage().contains("at least one Special"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Tensors.tensors(PLAIN, 2, -1));
        assertTrue(e.getMessage().contains("[2, -1]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Tensors.tensors(null, 2));
        assertTrue(e.getMessage().contains("expected Values, got null"), e.getMessage());
    }

    // ------------------------------------------------------------------ shrinking

    @Example
    void aFailingTensorShrinksToOneSmallElement() {
        // "Every element is below 1" fails; the smallest counterexample has one element, 1.0 itself.
        Tensor t = Shrinking.minimalCounterexample(Tensors.tensors(PLAIN, ShapeArbitraries.shapes(1, 3, 1, 6)),
                x -> x.max().item() < 1f, 7);
        assertArrayEquals(new int[] {1}, t.shape(), t.toString());
        assertEquals(1f, t.item(), 1e-5f, t.toString());
    }

    @Example
    void aFailingViewShrinksTowardsAPlainerLayoutAndFewerElements() {
        // Fails for any view with more than 2 elements: the minimum keeps 3 elements, contiguous.
        View v = Shrinking.minimalCounterexample(Tensors.laidOut(PLAIN, ShapeArbitraries.shapes(1, 3, 1, 5)),
                x -> x.tensor().numel() <= 2, 3);
        assertEquals(3, v.tensor().numel(), v.toString());
        assertEquals(Layout.CONTIGUOUS, v.layout(), v.toString());
    }
}
