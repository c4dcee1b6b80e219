package consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vectorgrad.autograd.Var;
import dev.vectorgrad.core.Tensor;
import dev.vectorgrad.testkit.CustomOpChecks;
import dev.vectorgrad.testkit.FiniteDifferences;
import dev.vectorgrad.testkit.ShapeArbitraries;
import dev.vectorgrad.testkit.Special;
import dev.vectorgrad.testkit.TensorAssertions;
import dev.vectorgrad.testkit.Tensors;
import dev.vectorgrad.testkit.Values;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** A user's own op, softsign(x) = x / (1 + |x|), tested with vectorgrad-testkit. */
class SoftsignPropertyTest {

    /** The op under test, with a hand-written backward: d/dx = 1 / (1 + |x|)^2. */
    static Var softsign(Var x) {
        Tensor v = x.value();
        Tensor denom = v.abs().add(1f);
        return Var.custom("softsign", v.div(denom), new Var[] {x}, new Tensor[] {v},
                (g, sink) -> sink.add(0, g.div(denom.mul(denom)), true));
    }

    /** Any shape up to rank 3, laid out contiguous, transposed, sliced with steps, offset or expanded. */
    @Provide
    Arbitrary<Tensor> inputs() {
        return Tensors.views(Values.standard(), ShapeArbitraries.shapes(0, 3));
    }

    @Property(tries = 50)
    void gradientsMatchFiniteDifferences(@ForAll("inputs") Tensor x) {
        FiniteDifferences.assertGradients(v -> softsign(v[0]), x);
    }

    @Property(tries = 50)
    void backwardIsLinearInTheUpstreamGradient(@ForAll("inputs") Tensor x) {
        CustomOpChecks.assertLinearInUpstream(v -> softsign(v[0]), x);
    }

    @Provide
    Arbitrary<Tensor> withSpecials() {
        return Tensors.views(Values.standard().withSpecials(Special.ZERO, Special.NEGATIVE_ZERO, Special.SUBNORMAL,
                Special.LARGE), ShapeArbitraries.shapes(1, 3));
    }

    @Property(tries = 100)
    void valuesMatchTheDefinitionInDouble(@ForAll("withSpecials") Tensor x) {
        float[] v = x.toArray();
        float[] want = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            want[i] = (float) (v[i] / (1.0 + Math.abs((double) v[i])));
        }
        Tensor y = softsign(Var.constant(x)).value();
        TensorAssertions.assertAllClose(y, Tensor.of(want, x.shape()), 1e-6, 1e-7, false);
        for (float e : y.toArray()) {
            assertTrue(Math.abs(e) <= 1f, "softsign stays in [-1, 1]");
        }
        assertEquals(x.numel(), y.numel());
    }
}
