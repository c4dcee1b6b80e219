package dev.vectorgrad.autograd;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import dev.vectorgrad.core.Pool2dSpec;
import dev.vectorgrad.core.Pooling;
import dev.vectorgrad.core.Rng;
import dev.vectorgrad.core.Tensor;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The pooling and normalisation ops' backward rules against GradCheck's central differences in
 * double: max pooling on distinct values (no ties to cross), average and adaptive pooling, batch
 * norm in training (the gradient through the batch statistics) and evaluation, layer norm; with
 * and without the affine parameters. Normalised groups hold at least three values: with two, the
 * output is +-1 whatever the input and its derivative lives in eps, beyond a difference quotient.
 */
class PoolingNormalizationGradientProperties {

    /** Pooling is piecewise linear: a small step keeps max pooling's perturbed values in their order. */
    private static final GradCheck PIECEWISE = GradCheck.defaults().withEps(1e-3);
    /** Normalisation curves where a group's variance is small: a step of 2e-3 keeps the truncation error down. */
    private static final GradCheck SMOOTH = GradCheck.defaults().withEps(2e-3);

    /** A valid random pooling window for a plane of h x w, dilated only when {@code dilate}. */
    private static Pool2dSpec spec(SplittableRandom r, int h, int w, boolean dilate) {
        while (true) {
            int kh = 1 + r.nextInt(3);
            int kw = 1 + r.nextInt(3);
            int dh = dilate ? 1 + r.nextInt(2) : 1;
            int dw = dilate ? 1 + r.nextInt(2) : 1;
            int ph = r.nextInt(((kh - 1) * dh + 1) / 2 + 1);
            int pw = r.nextInt(((kw - 1) * dw + 1) / 2 + 1);
            if (!dilate) {
                ph = Math.min(ph, kh / 2);
                pw = Math.min(pw, kw / 2);
            }
            Pool2dSpec s = new Pool2dSpec(kh, kw, 1 + r.nextInt(2), 1 + r.nextInt(2), ph, pw, dh, dw, r.nextBoolean());
            try {
                int[] in = {1, 1, h, w};
                if (dilate) {
                    Pooling.maxPool2dShape(in, s);
                } else {
                    Pooling.avgPool2dShape(in, s);
                }
                return s;
            } catch (IllegalArgumentException tooBig) {
                // the window does not fit this plane: draw another
            }
        }
    }

    /** Distinct values 0.05 apart in a random order: a step of 1e-3 * max(1, |x|) never reorders them. */
    private static Tensor distinct(SplittableRandom r, int... shape) {
        int n = 1;
        for (int s : shape) {
            n *= s;
        }
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (perm[i] - n / 2f) * 0.05f;
        }
        return Tensor.of(v, shape);
    }

    @Property(tries = 40)
    void maxPoolGradientsMatchFiniteDifferences(@ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int h = 1 + r.nextInt(7);
        int w = 1 + r.nextInt(7);
        int[] shape = {1 + r.nextInt(2), 1 + r.nextInt(3), h, w};
        Tensor x = distinct(r, shape);
        Pool2dSpec s = spec(r, h, w, true);
        while (hasInfinity(dev.vectorgrad.core.Pooling.maxPool2d(x, s).output())) {
            s = spec(r, h, w, true); // a dilated window that saw only padding: -inf, no derivative to check
        }
        Pool2dSpec window = s;
        PIECEWISE.verify(v -> PoolingOps.maxPool2d(v[0], window), x);
    }

    private static boolean hasInfinity(Tensor t) {
        for (float v : t.toArray()) {
            if (Float.isInfinite(v)) {
                return true;
            }
        }
        return false;
    }

    @Property(tries = 40)
    void averagePoolGradientsMatchFiniteDifferences(@ForAll long seed, @ForAll boolean countIncludePad,
                                                    @ForAll @IntRange(min = 1, max = 4) int oh) {
        SplittableRandom r = new SplittableRandom(seed);
        int h = 1 + r.nextInt(7);
        int w = 1 + r.nextInt(7);
        Rng rng = new Rng(seed);
        Tensor x = Tensor.randn(rng, 1 + r.nextInt(2), 1 + r.nextInt(3), h, w);
        Pool2dSpec s = spec(r, h, w, false);
        PIECEWISE.verify(v -> PoolingOps.avgPool2d(v[0], s, countIncludePad), x);
        int ow = 1 + r.nextInt(4);
        PIECEWISE.verify(v -> PoolingOps.adaptiveAvgPool2d(v[0], oh, ow), x);
        // A 3-d input takes the same path with one implicit batch.
        PIECEWISE.verify(v -> PoolingOps.avgPool2d(v[0], s, countIncludePad), x.select(0, 0));
    }

    @Property(tries = 40)
    void batchNormGradientsMatchFiniteDifferencesInTrainingAndEvaluation(
            @ForAll @IntRange(min = 2, max = 4) int rank, @ForAll long seed, @ForAll boolean training,
            @ForAll boolean affine) {
        SplittableRandom r = new SplittableRandom(seed);
        int c = 1 + r.nextInt(3);
        int[] shape = switch (rank) {
            case 2 -> new int[] {4 + r.nextInt(5), c};
            case 3 -> new int[] {1 + r.nextInt(3), c, 3 + r.nextInt(4)};
            default -> new int[] {1 + r.nextInt(3), c, 1 + r.nextInt(3), 3 + r.nextInt(3)};
        };
        Rng rng = new Rng(seed);
        // Distinct values a unit apart (plus noise): every channel's spread is well above the step.
        Tensor x = distinct(r, shape).mul(20f).add(Tensor.randn(rng, shape).mul(0.3f));
        Tensor w = Tensor.randn(rng, c);
        Tensor b = Tensor.randn(rng, c);
        Tensor rm = Tensor.randn(rng, c);
        Tensor rv = Tensor.rand(rng, c).add(0.5f);
        if (affine) {
            SMOOTH.verify(v -> NormalizationOps.batchNorm(v[0], training ? null : rm, training ? null : rv, v[1], v[2],
                    training, 0.1f, 1e-5f), x, w, b);
        } else {
            SMOOTH.verify(v -> NormalizationOps.batchNorm(v[0], rm.copy(), rv.copy(), null, null, training, 0.1f, 1e-5f), x);
        }
    }

    @Property(tries = 40)
    void layerNormGradientsMatchFiniteDifferences(@ForAll long seed, @ForAll @IntRange(min = 1, max = 2) int k,
                                                  @ForAll boolean affine) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] shape = {1 + r.nextInt(3), 2 + r.nextInt(3), 3 + r.nextInt(5)};
        int[] norm = java.util.Arrays.copyOfRange(shape, 3 - k, 3);
        Rng rng = new Rng(seed);
        Tensor x = distinct(r, shape).mul(20f).add(Tensor.randn(rng, shape).mul(0.3f));
        if (affine) {
            SMOOTH.verify(v -> NormalizationOps.layerNorm(v[0], norm, v[1], v[2], 1e-5f), x,
                    Tensor.randn(rng, norm), Tensor.randn(rng, norm));
        } else {
            SMOOTH.verify(v -> NormalizationOps.layerNorm(v[0], norm, null, null, 1e-5f), x);
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
