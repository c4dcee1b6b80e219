package dev.vectorgrad.nn.lesson;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vectorgrad.autograd.Losses;
import dev.vectorgrad.autograd.Var;
import dev.vectorgrad.core.Rng;
import dev.vectorgrad.core.Tensor;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * The lesson's cells 26-30 and 46-49 as a property: the hand-written {@code Lin -> Relu -> Lin ->
 * Mse} model and autograd, run on copies of the same data, give the same gradients for the
 * weights, the biases and the input.
 */
class HandVsAutogradProperties {

    /** n, m, nh of the 784-50-1 style model (the output has one column). */
    record Shape(int n, int m, int nh) {}

    @Provide
    Arbitrary<Shape> shapes() {
        Arbitrary<Shape> small = Combinators.combine(Arbitraries.integers().between(1, 9),
                Arbitraries.integers().between(1, 17), Arbitraries.integers().between(1, 13)).as(Shape::new);
        Arbitrary<Shape> lesson = Arbitraries.integers().between(1, 3).map(n -> new Shape(n, 784, 50));
        return Arbitraries.frequencyOf(Tuple.of(8, small), Tuple.of(1, lesson));
    }

    @Property(tries = 60)
    void handWrittenGradientsEqualAutograds(@ForAll("shapes") Shape s, @ForAll long seed) {
        Rng rng = new Rng(seed);
        Tensor x = Tensor.randn(rng, s.n(), s.m());
        Tensor targ = Tensor.randn(rng, s.n()).mul(5f);
        // The lesson's init: randn weights, zero biases; random biases exercise more of b's gradient.
        Tensor w1 = Tensor.randn(rng, s.m(), s.nh());
        Tensor b1 = Tensor.randn(rng, s.nh());
        Tensor w2 = Tensor.randn(rng, s.nh(), 1);
        Tensor b2 = Tensor.randn(rng, 1);
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
            assertClose(names[i] + " for " + s, hand.get(i).grad(), auto.get(i).grad());
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
        assertArrayEquals(hand.shape(), auto.shape(), what);
        float[] a = hand.toArray();
        float[] b = auto.toArray();
        double scale = 0;
        for (int i = 0; i < a.length; i++) {
            scale = Math.max(scale, Math.max(Math.abs(a[i]), Math.abs(b[i])));
        }
        double tol = 1e-4 * scale;
        for (int i = 0; i < a.length; i++) {
            int at = i;
            assertTrue(Math.abs(a[i] - b[i]) <= tol, () -> what + "[" + at + "]: hand-written " + a[at]
                    + ", autograd " + b[at] + " (tolerance " + tol + ")");
        }
    }
}
