package dev.vectorgrad.testkit;

import java.util.List;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** Three tensors as one list, for inputs whose shapes depend on one generated shape. */
final class Combinators3 {

    private Combinators3() {}

    static <T> Arbitrary<List<T>> of(Arbitrary<T> a, Arbitrary<T> b, Arbitrary<T> c) {
        return Combinators.combine(a, b, c).as(List::of);
    }
}
