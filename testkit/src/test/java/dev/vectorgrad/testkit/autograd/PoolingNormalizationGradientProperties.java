package dev.vectorgrad.testkit.autograd;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import dev.vectorgrad.autograd.GradCheck;
import dev.vectorgrad.autograd.NormalizationOps;
import dev.vectorgrad.autograd.PoolingOps;
import dev.vectorgrad.autograd.Var;
import dev.vectorgrad.core.Pool2dSpec;
import dev.vectorgrad.core.Pooling;
import dev.vectorgrad.core.Rng;
import dev.vectorgrad.core.Tensor;
import dev.vectorgrad.testkit.Tensors;
import dev.vectorgrad.testkit.Values;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The pooling and normalisation ops' backward rules against GradCheck's central differences in
 * double: max pooling on distinct values (no ties to cross), average and adaptive pooling, batch
 * norm in training (the gradient through the batch statistics) and evaluation, layer norm; with
 * and without the affine parameters. Normalised groups hold at least three values: with two, the
 * output is +-1 whatever the input and its derivative lives in eps, beyond a difference quotient.
 * Shapes, windows and values come from the kit; in the kit's module for the reason given in
 * {@link OpGradientProperties}.
 */
class PoolingNormalizationGradientProperties {

    /** Pooling is piecewise linear: a small step keeps max pooling's perturbed values in their order. */
    private static final GradCheck PIECEWISE = GradCheck.defaults().withEps(1e-3);
    /** Normalisation curves where a group's variance is small: a step of 2e-3 keeps the truncation error down. */
    private static final GradCheck SMOOTH = GradCheck.defaults().withEps(2e-3);

    private static Arbitrary<Integer> between(int lo, int hi) {
        return Arbitraries.integers().between(lo, hi);
    }

    /** Pooling windows that fit a plane of h x w, dilated only when {@code dilate}. */
    private static Arbitrary<Pool2dSpec> specs(int h, int w, boolean dilate) {
        Arbitrary<Integer> dilation = dilate ? between(1, 2) : Arbitraries.just(1);
        return Combinators.combine(between(1, 3), between(1, 3), dilation, dilation, between(1, 2), between(1, 2),
                Arbitraries.of(false, true)).flatAs((kh, kw, dh, dw, sh, sw, ceil) -> Combinators.combine(
                        between(0, (dilate ? (kh - 1) * dh + 1 : kh) / 2), between(0, (dilate ? (kw - 1) * dw + 1 : kw) / 2))
                .as((ph, pw) -> new Pool2dSpec(kh, kw, sh, sw, ph, pw, dh, dw, ceil)))
                .filter(s -> fits(new int[] {1, 1, h, w}, s, dilate));
    }

    private static boolean fits(int[] in, Pool2dSpec s, boolean max) {
        try {
            if (max) {
                Pooling.maxPool2dShape(in, s);
            } else {
                Pooling.avgPool2dShape(in, s);
            }
            return true;
        } catch (IllegalArgumentException tooBig) {
            return false;
        }
    }

    private static boolean hasInfinity(Tensor t) {
        for (float v : t.toArray()) {
            if (Float.isInfinite(v)) {
                return true;
            }
        }
        return false;
    }

    private record PoolCase(Tensor x, Pool2dSpec spec) {}

    /** Distinct values 0.05 apart, so that a step of 1e-3 * max(1, |x|) never reorders them. */
    @Provide
    Arbitrary<PoolCase> maxPoolCases() {
        return Combinators.combine(between(1, 2), between(1, 3), between(1, 7), between(1, 7)).flatAs((n, c, h, w) ->
                Combinators.combine(Tensors.distinct(0.05, n, c, h, w), specs(h, w, true)).as(PoolCase::new))
                // A dilated window that saw only padding gives -inf: no derivative to check.
                .filter(p -> !hasInfinity(Pooling.maxPool2d(p.x(), p.spec()).output()));
    }

    @Property(tries = 40)
    void maxPoolGradientsMatchFiniteDifferences(@ForAll("maxPoolCases") PoolCase p) {
        PIECEWISE.verify(v -> PoolingOps.maxPool2d(v[0], p.spec()), p.x());
    }

    @Provide
    Arbitrary<PoolCase> avgPoolCases() {
        return Combinators.combine(between(1, 2), between(1, 3), between(1, 7), between(1, 7)).flatAs((n, c, h, w) ->
                Combinators.combine(Tensors.tensors(Values.standard(), n, c, h, w), specs(h, w, false)).as(PoolCase::new));
    }

    @Property(tries = 40)
    void averagePoolGradientsMatchFiniteDifferences(@ForAll("avgPoolCases") PoolCase p, @ForAll boolean countIncludePad,
                                                    @ForAll @IntRange(min = 1, max = 4) int oh,
                                                    @ForAll @IntRange(min = 1, max = 4) int ow) {
        Tensor x = p.x();
        Pool2dSpec s = p.spec();
        PIECEWISE.verify(v -> PoolingOps.avgPool2d(v[0], s, countIncludePad), x);
        PIECEWISE.verify(v -> PoolingOps.adaptiveAvgPool2d(v[0], oh, ow), x);
        // A 3-d input takes the same path with one implicit batch.
        PIECEWISE.verify(v -> PoolingOps.avgPool2d(v[0], s, countIncludePad), x.select(0, 0));
    }

    /**
     * Distinct values a unit apart plus noise of at most 0.3: every normalised group's spread is
     * well above the step.
     */
    private static Arbitrary<Tensor> spread(int... shape) {
        return Combinators.combine(Tensors.distinct(1.0, shape), Tensors.tensors(Values.between(-0.3, 0.3), shape))
                .as(Tensor::add);
    }

    private record NormCase(Tensor x, Tensor weight, Tensor bias, Tensor runningMean, Tensor runningVar) {}

    @Provide
    Arbitrary<NormCase> batchNormCases() {
        Arbitrary<int[]> shapes = Combinators.combine(between(2, 4), between(1, 3), between(1, 3), between(0, 4),
                between(0, 2)).as((rank, c, a, b, d) -> switch (rank) {
                    case 2 -> new int[] {4 + b, c};
                    case 3 -> new int[] {a, c, 3 + b % 4};
                    default -> new int[] {a, c, 1 + d, 3 + b % 3};
                });
        return shapes.flatMap(shape -> {
            int c = shape[1];
            return Combinators.combine(spread(shape), Tensors.tensors(Values.standard(), c),
                    Tensors.tensors(Values.standard(), c), Tensors.tensors(Values.standard(), c),
                    Tensors.tensors(Values.between(0.5, 1.5), c)).as(NormCase::new);
        });
    }

    @Property(tries = 40)
    void batchNormGradientsMatchFiniteDifferencesInTrainingAndEvaluation(@ForAll("batchNormCases") NormCase n,
                                                                         @ForAll boolean training, @ForAll boolean affine) {
        Tensor rm = n.runningMean();
        Tensor rv = n.runningVar();
        if (affine) {
            SMOOTH.verify(v -> NormalizationOps.batchNorm(v[0], training ? null : rm, training ? null : rv, v[1], v[2],
                    training, 0.1f, 1e-5f), n.x(), n.weight(), n.bias());
        } else {
            SMOOTH.verify(v -> NormalizationOps.batchNorm(v[0], rm.copy(), rv.copy(), null, null, training, 0.1f, 1e-5f),
                    n.x());
        }
    }

    private record LayerNormCase(Tensor x, int[] normalized, Tensor weight, Tensor bias) {}

    @Provide
    Arbitrary<LayerNormCase> layerNormCases() {
        return Combinators.combine(between(1, 3), between(2, 4), between(3, 7), between(1, 2)).flatAs((a, b, c, k) -> {
            int[] shape = {a, b, c};
            int[] norm = Arrays.copyOfRange(shape, 3 - k, 3);
            return Combinators.combine(spread(shape), Tensors.tensors(Values.standard(), norm),
                    Tensors.tensors(Values.standard(), norm)).as((x, w, bias) -> new LayerNormCase(x, norm, w, bias));
        });
    }

    @Property(tries = 40)
    void layerNormGradientsMatchFiniteDifferences(@ForAll("layerNormCases") LayerNormCase l, @ForAll boolean affine) {
        int[] norm = l.normalized();
        if (affine) {
            SMOOTH.verify(v -> NormalizationOps.layerNorm(v[0], norm, v[1], v[2], 1e-5f), l.x(), l.weight(), l.bias());
        } else {
            SMOOTH.verify(v -> NormalizationOps.layerNorm(v[0], norm, null, null, 1e-5f), l.x());
        }
    }

    @Test
    void aWeightWithoutABiasAndABiasWithoutAWeightGetTheirGradientsInTheRightSlots() {
        Rng rng = new Rng(5);
        Tensor x = Tensor.randn(rng, 4, 3, 5);
        SMOOTH.verify(v -> NormalizationOps.batchNorm(v[0], null, null, v[1], null, true, 0.1f, 1e-5f), x,
                Tensor.randn(rng, 3));
        SMOOTH.verify(v -> NormalizationOps.batchNorm(v[0], null, null, null, v[1], true, 0.1f, 1e-5f), x,
                Tensor.randn(rng, 3));
        SMOOTH.verify(v -> NormalizationOps.layerNorm(v[0], new int[] {5}, null, v[1], 1e-5f), x, Tensor.randn(rng, 5));
    }

    @Test
    void opsRefuseBadInputsByName() {
        IllegalArgumentException eval = assertThrows(IllegalArgumentException.class,
                () -> NormalizationOps.batchNorm(Var.constant(Tensor.zeros(4, 3)), null, null, null, null, false, 0.1f, 1e-5f));
        assertTrue(eval.getMessage().startsWith("batchNorm: evaluation mode"), eval.getMessage());
        IllegalArgumentException rank = assertThrows(IllegalArgumentException.class,
                () -> NormalizationOps.batchNorm(Var.constant(Tensor.zeros(4)), null, null, null, null, true, 0.1f, 1e-5f));
        assertTrue(rank.getMessage().contains("[4] must have at least 2 dims"), rank.getMessage());
        IllegalArgumentException pool = assertThrows(IllegalArgumentException.class,
                () -> PoolingOps.maxPool2d(Var.constant(Tensor.zeros(2, 3, 4)), Pool2dSpec.of(5)));
        assertTrue(pool.getMessage().contains("kernel 5x5 (dilation 1) is larger than the padded input 3x4"),
                pool.getMessage());
    }
}
