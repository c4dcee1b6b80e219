package dev.vectorgrad.nn;

import java.util.List;

import dev.vectorgrad.core.Rng;
import dev.vectorgrad.core.Tensor;
import dev.vectorgrad.testkit.FiniteDifferences;
import dev.vectorgrad.testkit.ShapeArbitraries;
import dev.vectorgrad.testkit.Tensors;
import dev.vectorgrad.testkit.Values;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The layers' gradients, with respect to the input and to every parameter, agree with finite
 * differences, on the kit's sizes and tensors; checked as a user would, with
 * {@link FiniteDifferences#assertLayerGradients} on the layer itself.
 */
class NnGradientProperties {

    /** An input batch of n rows of nIn features, and the number of output features. */
    record Batch(Tensor x, int nOut) {}

    @Provide
    Arbitrary<Batch> batches() {
        return Combinators.combine(ShapeArbitraries.smallSizes(), ShapeArbitraries.dimensionSizes(), ShapeArbitraries.smallSizes())
                .flatAs((n, nIn, nOut) -> Tensors.tensors(Values.standard(), n, nIn).map(x -> new Batch(x, nOut)));
    }

    @Property(tries = 20)
    void linearGradientsMatchFiniteDifferences(@ForAll("batches") Batch b, @ForAll long seed) {
        Linear layer = new Linear(b.x().size(1), b.nOut(), new Rng(seed));
        FiniteDifferences.assertLayerGradients(layer::forward, layer.parameters(), b.x());
    }

    /** Inputs, weights in [-1, 1] (scaled below), and class targets. */
    record MlpCase(Tensor x, Tensor w1, Tensor w2, Tensor b2, int[] targets) {}

    @Provide
    Arbitrary<MlpCase> mlps() {
        int nh = 4;
        int classes = 3;
        return Combinators.combine(ShapeArbitraries.smallSizes(), ShapeArbitraries.dimensionSizes()).flatAs((n, nIn) ->
                Combinators.combine(Tensors.tensors(Values.standard(), n, nIn), Tensors.tensors(Values.between(-1, 1), nh, nIn),
                        Tensors.tensors(Values.standard(), classes, nh), Tensors.tensors(Values.standard(), classes),
                        Arbitraries.integers().between(0, classes - 1).array(int[].class).ofSize(n)).as(MlpCase::new));
    }

    /**
     * Linear, ReLU, Linear and cross-entropy, checked as one layer. Hidden biases of +-4 and
     * first weights of at most {@code 0.3 / nIn} keep every pre-activation within 2.7 of its
     * bias for inputs in [-3, 3]: each relu is clearly on or off under any step GradCheck takes.
     */
    @Property(tries = 10)
    void mlpWithCrossEntropyMatchesFiniteDifferences(@ForAll("mlps") MlpCase c) {
        int nIn = c.x().size(1);
        float[] b1 = {4f, -4f, 4f, -4f};
        Sequential model = new Sequential(new Linear(c.w1().mul(0.3f / nIn), Tensor.of(b1, 4)), new ReLU(),
                new Linear(c.w2(), c.b2()));
        CrossEntropyLoss ce = new CrossEntropyLoss();
        FiniteDifferences.assertLayerGradients(x -> ce.call(model.call(x), c.targets()), model.parameters(), c.x());
    }

    @Property(tries = 5)
    void parametersAreLeftAsTheyWere(@ForAll("batches") Batch b) {
        Linear layer = new Linear(b.x().size(1), b.nOut(), new Rng(1));
        List<float[]> before = layer.parameters().stream().map(p -> p.value().toArray()).toList();
        FiniteDifferences.assertLayerGradients(layer::forward, layer.parameters(), b.x());
        for (int k = 0; k < before.size(); k++) {
            org.junit.jupiter.api.Assertions.assertArrayEquals(before.get(k), layer.parameters().get(k).value().toArray());
            org.junit.jupiter.api.Assertions.assertNull(layer.parameters().get(k).grad());
        }
    }
}
