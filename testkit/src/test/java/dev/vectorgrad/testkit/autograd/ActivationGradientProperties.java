package dev.vectorgrad.testkit.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Function;

import dev.vectorgrad.autograd.GradCheck;
import dev.vectorgrad.autograd.Losses;
import dev.vectorgrad.autograd.Var;
import dev.vectorgrad.core.Rng;
import dev.vectorgrad.core.Tensor;
import dev.vectorgrad.testkit.ShapeArbitraries;
import dev.vectorgrad.testkit.Tensors;
import dev.vectorgrad.testkit.Values;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * The smooth activations and the new losses against GradCheck's central differences in double,
 * on random shapes and values that include large magnitudes (saturated sigmoid and tanh,
 * softplus beyond its threshold, BCE logits of +-60), where a naive formula overflows. In the
 * kit's module for the reason given in {@link OpGradientProperties}.
 */
class ActivationGradientProperties {

    private static final GradCheck CHECK = GradCheck.defaults();

    /** Kept 0.75 away from 0 (leaky relu's kink), with a spread like 1.5 * randn, or 30 times it (saturation). */
    private static final Values MODERATE = Values.awayFromZero(0.75, 5);
    private static final Values LARGE = Values.awayFromZero(15, 100);

    @Provide
    Arbitrary<Tensor> moderate() {
        return Tensors.tensors(MODERATE, ShapeArbitraries.shapes(0, 3));
    }

    @Provide
    Arbitrary<Tensor> large() {
        return Tensors.tensors(LARGE, ShapeArbitraries.shapes(0, 3));
    }

    private static Function<Var[], Var> activation(int which) {
        return switch (which) {
            case 0 -> v -> v[0].tanh();
            case 1 -> v -> v[0].sigmoid();
            case 2 -> v -> v[0].gelu();
            case 3 -> v -> v[0].gelu("tanh");
            case 4 -> v -> v[0].leakyRelu(0.01f);
            case 5 -> v -> v[0].leakyRelu(1.7f);
            case 6 -> v -> v[0].softplus();
            case 7 -> v -> v[0].softplus(2f, 10f);
            default -> v -> v[0].expm1();
        };
    }

    @Property(tries = 20)
    void activationsAgreeWithFiniteDifferences(@ForAll("moderate") Tensor x, @ForAll @IntRange(min = 0, max = 8) int which) {
        CHECK.verify(activation(which), x);
    }

    @Property(tries = 20)
    void saturatedActivationsAgreeWithFiniteDifferences(@ForAll("large") Tensor x,
                                                        @ForAll @IntRange(min = 0, max = 8) int which) {
        CHECK.verify(activation(which), which == 8 ? x.div(10f) : x); // expm1 of 90 overflows a float
    }

    @Provide
    Arbitrary<Tensor> log1pInputs() {
        return Tensors.tensors(Values.between(0.1, 3.1), ShapeArbitraries.shapes(0, 3)); // x > -1, kept away from it
    }

    @Property(tries = 20)
    void log1pAgreesWithFiniteDifferences(@ForAll("log1pInputs") Tensor x) {
        CHECK.verify(v -> v[0].log1p(), x);
    }

    /**
     * Magnitudes up to 2.5: the second composition takes {@code expm1} of a product of two inputs,
     * and at 5 x 5 its curvature puts the central difference's truncation error past 1%.
     */
    @Provide
    Arbitrary<List<Tensor>> composed() {
        Values v = Values.awayFromZero(0.75, 2.5);
        return Combinators.combine(Tensors.tensors(v, 3, 4), Tensors.tensors(v, 4)).as(List::of);
    }

    @Property(tries = 20)
    void activationsComposeWithBroadcastingOps(@ForAll("composed") List<Tensor> ab) {
        Tensor a = ab.get(0);
        Tensor b = ab.get(1);
        CHECK.verify(v -> v[0].mul(v[1]).gelu().add(v[0].sigmoid()).tanh().sum(0).softplus(), a, b);
        CHECK.verify(v -> v[0].t().leakyRelu(0.2f).mul(v[1].unsqueeze(1)).expm1().mean(), a, b);
    }

    private static Tensor labels(Rng rng, int n, int c) {
        float[] t = new float[n];
        for (int i = 0; i < n; i++) {
            t[i] = rng.nextInt(c);
        }
        return Tensor.of(t, n);
    }

    @Property(tries = 30)
    void lossesAgreeWithFiniteDifferences(@ForAll @IntRange(min = 1, max = 9) int n,
                                          @ForAll @IntRange(min = 1, max = 12) int c, @ForAll long seed,
                                          @ForAll boolean large) {
        Rng rng = new Rng(seed);
        Tensor logits = Tensor.randn(rng, n, c).mul(large ? 20f : 2f);
        Tensor targets = labels(rng, n, c);
        float eps = rng.nextFloat();
        CHECK.verify(v -> Losses.crossEntropy(v[0], targets, eps), logits);
        CHECK.verify(v -> Losses.nll(v[0].logSoftmax(1), targets), logits);
        Tensor probs = Tensor.rand(rng, n, c);
        Tensor pw = Tensor.rand(rng, c).mul(3f).add(0.1f);
        Tensor bceLogits = Tensor.randn(rng, n, c).mul(large ? 60f : 2f);
        CHECK.verify(v -> Losses.binaryCrossEntropyWithLogits(v[0], probs), bceLogits);
        CHECK.verify(v -> Losses.binaryCrossEntropyWithLogits(v[0], probs, pw), bceLogits);
    }

    @Property(tries = 30)
    void bceMatchesItsDefinitionInDouble(@ForAll @IntRange(min = 1, max = 30) int n, @ForAll long seed) {
        Rng rng = new Rng(seed);
        Tensor x = Tensor.randn(rng, n).mul(40f);
        Tensor y = Tensor.rand(rng, n);
        double loss = Losses.binaryCrossEntropyWithLogits(Var.param(x), y).item();
        double ref = 0;
        for (int i = 0; i < n; i++) {
            double xi = x.get(i);
            double yi = y.get(i);
            // -[y log s + (1 - y) log(1 - s)] with log s = -log(1 + e^-x), log(1 - s) = -x - log(1 + e^-x)
            double log1pExpNeg = xi > 0 ? Math.log1p(Math.exp(-xi)) : -xi + Math.log1p(Math.exp(xi));
            ref += (yi * log1pExpNeg + (1 - yi) * (xi + log1pExpNeg)) / n;
        }
        assertTrue(Double.isFinite(loss));
        assertEquals(ref, loss, 1e-6 * Math.max(1, Math.abs(ref)));
    }

    @Provide
    Arbitrary<Tensor> normal() {
        return Tensors.tensors(Values.standard(), ShapeArbitraries.shapes(0, 3));
    }

    @Property(tries = 20)
    void dropoutAgreesWithFiniteDifferences(@ForAll("normal") Tensor x, @ForAll long seed,
                                            @ForAll @IntRange(min = 0, max = 9) int tenths) {
        // A generator of the same seed per call: every evaluation draws the same mask.
        CHECK.verify(v -> v[0].dropout(tenths / 10f, new Rng(seed)).mul(v[0]), x);
    }

    @Property(tries = 20)
    void embeddingAgreesWithFiniteDifferences(@ForAll @IntRange(min = 1, max = 6) int num,
                                              @ForAll @IntRange(min = 1, max = 5) int dim, @ForAll long seed) {
        Rng rng = new Rng(seed);
        Tensor w = Tensor.randn(rng, num, dim);
        float[] idx = new float[6];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = rng.nextInt(num); // repeats likely: the scatter must add both
        }
        Tensor indices = Tensor.of(idx, 2, 3);
        CHECK.verify(v -> Var.embedding(v[0], indices).tanh(), w);
    }
}
