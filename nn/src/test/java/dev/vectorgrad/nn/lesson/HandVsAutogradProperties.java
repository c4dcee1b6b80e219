package dev.vectorgrad.nn.lesson;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.vectorgrad.autograd.Losses;
import dev.vectorgrad.autograd.Var;
import dev.vectorgrad.core.Tensor;
import dev.vectorgrad.testkit.ShapeArbitraries;
import dev.vectorgrad.testkit.TensorAssertions;
import dev.vectorgrad.testkit.Tensors;
import dev.vectorgrad.testkit.Values;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The lesson's cells 26-30 and 46-49 as a property: the hand-written {@code Lin -> Relu -> Lin ->
 * Mse} model and autograd, run on copies of the same data, give the same gradients for the
 * weights, the biases and the input.
 */
class HandVsAutogradProperties {

    /** Data and parameters of the 784-50-1 style model (the output has one column). */
    record Case(Tensor x, Tensor targ, Tensor w1, Tensor b1, Tensor w2, Tensor b2) {
        @Override
        public String toString() {
            return "n=" + x.size(0) + ", m=" + x.size(1) + ", nh=" + w1.size(1);
        }
    }

    /** n small; m and nh from the kit's dimension sizes, which include the lesson's 784 and 50. */
    @Provide
    Arbitrary<Case> cases() {
        Values v = Values.standard();
        return Combinators.combine(ShapeArbitraries.smallSizes(), ShapeArbitraries.dimensionSizes(),
                ShapeArbitraries.dimensionSizes().filter(s -> s < 784)).flatAs((n, m, nh) ->
                Combinators.combine(Tensors.tensors(v, n, m), Tensors.tensors(v, n), Tensors.tensors(v, m, nh),
                        Tensors.tensors(v, nh), Tensors.tensors(v, nh, 1), Tensors.tensors(v, 1))
                        .as((x, t, w1, b1, w2, b2) -> new Case(x, t.mul(5f), w1, b1, w2, b2)));
    }

    @Property(tries = 60)
    void handWrittenGradientsEqualAutograds(@ForAll("cases") Case c) {
        // Copies: the hand-written model stores gradients beside the tensors it is given.
        Tensor x = c.x().copy();
        Tensor targ = c.targ();
        Tensor w1 = c.w1().copy();
        Tensor b1 = c.b1().copy();
        Tensor w2 = c.w2().copy();
        Tensor b2 = c.b2().copy();
        List<Tensor> hand = List.of(w1, b1, w2, b2, x);
        List<Tensor> auto = hand.stream().map(Tensor::copy).toList();

        Model model = new Model(w1, b1, w2, b2);
        Tensor handLoss = model.call(x, targ);
        model.backward();

        Var xv = Var.param(auto.get(4));
        Var l1 = xv.matmul(Var.param(auto.get(0))).add(Var.param(auto.get(1)));
        Var out = l1.relu().matmul(Var.param(auto.get(2))).add(Var.param(auto.get(3)));
        Var loss = Losses.mse(out, targ.unsqueeze(1));
        loss.backward();

        assertClose("loss", handLoss, loss.value());
        String[] names = {"w1", "b1", "w2", "b2", "x"};
        for (int i = 0; i < hand.size(); i++) {
            assertNotNull(auto.get(i).grad(), names[i] + ": autograd set no gradient");
            assertClose(names[i] + " for " + c, hand.get(i).grad(), auto.get(i).grad());
        }
    }

    /**
     * Within 1e-4 of the larger of the two tensors' largest magnitudes. Both sides are float32
     * (unit roundoff 6e-8) and may sum in different orders: a dot product of length K (K <= 784
     * here) can then differ by about K * 6e-8 ~ 5e-5 of the magnitude of its terms, which for
     * these random layers is at most the size of the largest gradient element. An element-wise
     * relative tolerance would not work: single elements can cancel to near 0.
     */
    private static void assertClose(String what, Tensor hand, Tensor auto) {
        double scale = 0;
        for (float v : hand.toArray()) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (float v : auto.toArray()) {
            scale = Math.max(scale, Math.abs(v));
        }
        // test_close's strict |a - b| < eps: a bound of exactly 0 (all-zero gradients) needs a floor.
        TensorAssertions.assertClose(what + " (hand-written vs autograd)", hand, auto, Math.max(1e-4 * scale, 1e-30));
    }
}
