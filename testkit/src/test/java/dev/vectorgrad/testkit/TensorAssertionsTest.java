package dev.vectorgrad.testkit;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vectorgrad.core.Closeness;
import dev.vectorgrad.core.Tensor;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The assertions pass and fail as test_close and allclose do, and their messages say where and by how much. */
class TensorAssertionsTest {

    @Example
    void aFailureNamesTheShapeTheWorstIndexAndBothValues() {
        Tensor expected = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor actual = Tensor.of(new float[] {1, 2, 3.005f, 4, 5.5f, 6}, 2, 3);
        AssertionError e = assertThrows(AssertionError.class, () -> TensorAssertions.assertClose("dL/dw", actual, expected, 0.01));
        String m = e.getMessage();
        assertTrue(m.startsWith("dL/dw: assertClose: 1 of 6 elements of shape [2, 3] are not close"), m);
        assertTrue(m.contains("worst at index [1, 1]") && m.contains("actual 5.5") && m.contains("expected 5.0"), m);
        assertTrue(m.contains("|diff| 0.5") && m.contains("eps 0.01"), m);
    }

    @Example
    void theWorstOfSeveralIsTheOneFurthestPastItsBound() {
        Tensor expected = Tensor.zeros(3, 2);
        Tensor actual = Tensor.of(new float[] {0.2f, 0, 0, -0.9f, 0.5f, 0}, 3, 2);
        AssertionError e = assertThrows(AssertionError.class, () -> TensorAssertions.assertAllClose(actual, expected, 0, 0.1, false));
        assertTrue(e.getMessage().contains("3 of 6 elements") && e.getMessage().contains("worst at index [1, 1]")
                && e.getMessage().contains("actual -0.9"), e.getMessage());
    }

    @Example
    void differentShapesFailNamingBoth() {
        AssertionError e = assertThrows(AssertionError.class,
                () -> TensorAssertions.assertClose(Tensor.zeros(3, 4), Tensor.zeros(4, 3), 1));
        assertTrue(e.getMessage().contains("shapes differ: actual [3, 4], expected [4, 3]"), e.getMessage());
        // A broadcastable pair is still a mismatch: a wrong shape cannot pass by accident.
        assertThrows(AssertionError.class, () -> TensorAssertions.assertClose(Tensor.zeros(3, 4), Tensor.zeros(4), 1));
    }

    @Example
    void nanIsNeverCloseUnlessAskedAndEqualInfinitiesAre() {
        Tensor nan = Tensor.of(new float[] {Float.NaN, Float.POSITIVE_INFINITY});
        AssertionError e = assertThrows(AssertionError.class, () -> TensorAssertions.assertClose(nan, nan, 1));
        assertTrue(e.getMessage().contains("index [0]") && e.getMessage().contains("actual NaN"), e.getMessage());
        assertThrows(AssertionError.class, () -> TensorAssertions.assertAllClose(nan, nan, 0, 0, false));
        assertDoesNotThrow(() -> TensorAssertions.assertAllClose(nan, nan, 0, 0, true));
        Tensor inf = Tensor.of(new float[] {Float.POSITIVE_INFINITY});
        assertThrows(AssertionError.class, () -> TensorAssertions.assertAllClose(inf, inf.neg(), 1, 1, true));
    }

    @Example
    void viewsAreComparedByTheirElementsNotTheirStorage() {
        Tensor base = Tensor.arange(6).reshape(2, 3);
        TensorAssertions.assertClose(base.t(), Tensor.of(new float[] {0, 3, 1, 4, 2, 5}, 3, 2), 1e-6);
        TensorAssertions.assertSameBits(base.slice(1, 1, 3), Tensor.of(new float[] {1, 2, 4, 5}, 2, 2));
    }

    @Example
    void sameBitsTellsZeroFromNegativeZero() {
        AssertionError e = assertThrows(AssertionError.class, () -> TensorAssertions.assertSameBits(
                Tensor.of(new float[] {1, -0f}), Tensor.of(new float[] {1, 0f})));
        assertTrue(e.getMessage().contains("index [1]") && e.getMessage().contains("actual -0.0")
                && e.getMessage().contains("bits 0x80000000"), e.getMessage());
    }

    @Example
    void withinUlpsCountsUnitsOfTheExpectedValue() {
        Tensor e = Tensor.of(new float[] {1f, 100f, Float.NaN});
        Tensor twoUlps = Tensor.of(new float[] {1f, Math.nextUp(Math.nextUp(100f)), Float.NaN});
        TensorAssertions.assertWithinUlps(twoUlps, e, 2);
        AssertionError err = assertThrows(AssertionError.class, () -> TensorAssertions.assertWithinUlps(twoUlps, e, 1));
        assertTrue(err.getMessage().contains("beyond 1 ulps at index [1]") && err.getMessage().contains("(2.0 ulps)"),
                err.getMessage());
        assertThrows(AssertionError.class, () -> TensorAssertions.assertWithinUlps(Tensor.of(new float[] {1f}),
                Tensor.of(new float[] {Float.NaN}), 1000));
    }

    @Example
    void badToleranceOrNullIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TensorAssertions.assertClose(Tensor.zeros(1), Tensor.zeros(1), 0));
        assertTrue(e.getMessage().contains("eps > 0, got 0.0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> TensorAssertions.assertAllClose(Tensor.zeros(1), Tensor.zeros(1), -1, 0, false));
        assertTrue(e.getMessage().contains("rtol=-1.0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TensorAssertions.assertClose(null, Tensor.zeros(1), 1));
        assertTrue(e.getMessage().contains("actual=null"), e.getMessage());
    }

    @Provide
    Arbitrary<Tensor[]> pairs() {
        Values v = Values.between(-1, 1).withSpecials(Special.NAN, Special.INFINITY);
        return ShapeArbitraries.shapes(0, 2, 0, 4).flatMap(s -> Tensors.tensors(v, s).list().ofSize(2)
                .map(l -> new Tensor[] {l.get(0), l.get(1)}));
    }

    @Property(tries = 200)
    void assertCloseFailsExactlyWhenCoresTestCloseFails(@ForAll("pairs") Tensor[] ab) {
        boolean kit = passes(() -> TensorAssertions.assertClose(ab[0], ab[1], 0.5));
        boolean core = passes(() -> Closeness.testClose(ab[0], ab[1], 0.5));
        assertEquals(core, kit, () -> ab[0] + " vs " + ab[1]);
    }

    @Property(tries = 200)
    void assertAllCloseFailsExactlyWhenCoresAllCloseIsFalse(@ForAll("pairs") Tensor[] ab) {
        boolean kit = passes(() -> TensorAssertions.assertAllClose(ab[0], ab[1], 0.1, 0.2, false));
        assertEquals(Closeness.allClose(ab[0], ab[1], 0.1, 0.2), kit, () -> ab[0] + " vs " + ab[1]);
    }

    private static boolean passes(Runnable r) {
        try {
            r.run();
            return true;
        } catch (AssertionError e) {
            return false;
        }
    }
}
