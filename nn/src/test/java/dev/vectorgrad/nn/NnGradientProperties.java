package dev.vectorgrad.nn;

import dev.vectorgrad.autograd.GradCheck;
import dev.vectorgrad.autograd.Var;
import dev.vectorgrad.core.Rng;
import dev.vectorgrad.core.Tensor;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The layers' gradients agree with finite differences, for random sizes and seeds. */
class NnGradientProperties {

    @Provide
    Arbitrary<Integer> small() {
        return Arbitraries.of(1, 2, 3, 5, 7);
    }

    @Provide
    Arbitrary<Integer> features() {
        return Arbitraries.frequency(net.jqwik.api.Tuple.of(6, 1), net.jqwik.api.Tuple.of(6, 3),
                net.jqwik.api.Tuple.of(6, 13), net.jqwik.api.Tuple.of(1, 784));
    }

    /** GradCheck over the layer's parameters: each is swapped for the checker's copy. */
    @Property(tries = 20)
    void linearGradientsMatchFiniteDifferences(@ForAll("small") int n, @ForAll("features") int nIn,
                                               @ForAll("small") int nOut, @ForAll long seed) {
        Rng rng = new Rng(seed);
        Tensor x = Tensor.randn(rng, n, nIn);
        Linear init = new Linear(nIn, nOut, rng);
        GradCheck.defaults().verify(v -> new Linear(v[1].value(), v[2].value()).forward(v[0]),
                x, init.weight().value(), init.bias().value());
    }

    /** Layers built over the checker's Vars would lose their graph; so the MLP is checked through its parameters. */
    @Property(tries = 10)
    void mlpWithCrossEntropyMatchesFiniteDifferences(@ForAll("small") int n, @ForAll("features") int nIn,
                                                     @ForAll long seed) {
        Rng rng = new Rng(seed);
        int nh = 4;
        int classes = 3;
        Tensor x = Tensor.randn(rng, n, nIn);
        int[] targets = new int[n];
        for (int i = 0; i < n; i++) {
            targets[i] = rng.nextInt(classes);
        }
        // Hidden biases of +-4 and small first weights keep every relu clearly on or off.
        float[] b1 = new float[nh];
        for (int j = 0; j < nh; j++) {
            b1[j] = j % 2 == 0 ? 4f : -4f;
        }
        Tensor w1 = Tensor.randn(rng, nIn, nh).mul(0.3f / (float) Math.sqrt(nIn));
        Tensor w2 = Tensor.randn(rng, nh, classes);
        Tensor b2 = Tensor.randn(rng, classes);
        CrossEntropyLoss ce = new CrossEntropyLoss();
        GradCheck.defaults().verify(v -> {
            Sequential model = new Sequential(new LinearOver(v[0], v[1]), new ReLU(), new LinearOver(v[2], v[3]));
            return ce.call(model.call(x), targets);
        }, w1, Tensor.of(b1, nh), w2, b2);
    }

    /** A Linear over existing Vars, so that GradCheck's leaves are the very parameters used. */
    private static final class LinearOver extends Layer {
        private final Var w;
        private final Var b;

        LinearOver(Var w, Var b) {
            this.w = w;
            this.b = b;
        }

        @Override
        public Var forward(Var input) {
            return input.matmul(w).add(b);
        }
    }
}
