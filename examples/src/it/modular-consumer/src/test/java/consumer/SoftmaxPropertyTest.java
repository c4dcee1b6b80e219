package consumer;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vectorgrad.core.Tensor;
import dev.vectorgrad.testkit.ShapeArbitraries;
import dev.vectorgrad.testkit.TensorAssertions;
import dev.vectorgrad.testkit.Tensors;
import dev.vectorgrad.testkit.Values;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** vectorgrad-testkit from a modular project's tests: a user's function over every layout. */
class SoftmaxPropertyTest {

    @Provide
    Arbitrary<Tensor> matrices() {
        return Tensors.views(Values.between(-30, 30), ShapeArbitraries.shapes(2, 2, 1, 40));
    }

    @Property(tries = 100)
    void rowsSumToOneOnEveryLayout(@ForAll("matrices") Tensor x) {
        Tensor p = Softmax.rows(x);
        TensorAssertions.assertClose(p.sum(1), Tensor.ones(x.size(0)), 1e-5);
        for (float v : p.toArray()) {
            assertTrue(v >= 0f && v <= 1f, "a probability");
        }
    }

    @Property(tries = 100)
    void shiftingARowChangesNothing(@ForAll("matrices") Tensor x) {
        TensorAssertions.assertAllClose(Softmax.rows(x.add(7f)), Softmax.rows(x), 1e-5, 1e-6, false);
    }
}
