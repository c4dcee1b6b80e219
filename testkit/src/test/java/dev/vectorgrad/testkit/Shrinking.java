package dev.vectorgrad.testkit;

import java.util.Optional;
import java.util.Random;
import java.util.function.Predicate;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.Shrinkable;

/**
 * Drives jqwik's own shrinking outside a property run: draws values until one fails
 * {@code holds}, then greedily takes shrink candidates that still fail, as jqwik does after a
 * falsified try. The kit's tests use it to show that its arbitraries shrink.
 */
final class Shrinking {

    private Shrinking() {}

    static <T> T minimalCounterexample(Arbitrary<T> arbitrary, Predicate<T> holds, long seed) {
        Random random = new Random(seed);
        var generator = arbitrary.generator(1000);
        Shrinkable<T> current = null;
        for (int i = 0; i < 10_000 && current == null; i++) {
            Shrinkable<T> s = generator.next(random);
            if (!holds.test(s.value())) {
                current = s;
            }
        }
        if (current == null) {
            throw new AssertionError("no counterexample in 10,000 draws");
        }
        for (int step = 0; step < 10_000; step++) {
            Optional<Shrinkable<T>> smaller = current.shrink().limit(2000).filter(s -> !holds.test(s.value())).findFirst();
            if (smaller.isEmpty()) {
                break;
            }
            current = smaller.get();
        }
        return current.value();
    }
}
