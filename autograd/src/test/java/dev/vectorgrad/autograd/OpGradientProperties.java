package dev.vectorgrad.autograd;

import dev.vectorgrad.core.Rng;
import dev.vectorgrad.core.Tensor;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.constraints.IntRange;

/**
 * Property 2: for every autograd op, random shapes and seeded values, the gradients autograd
 * computes agree with GradCheck's central finite differences in double precision.
 */
class OpGradientProperties {

    private static final GradCheck CHECK = GradCheck.defaults();

    @Provide
    Arbitrary<int[]> shapes() {
        return Gen.shape(0, 3);
    }

    @Provide
    Arbitrary<int[]> matrices() {
        return Gen.shape(2, 2);
    }

    @Provide
    Arbitrary<int[]> nonScalar() {
        return Gen.shape(1, 3);
    }

    // ------------------------------------------------------------------ elementwise, with broadcasting

    @Property(tries = 40)
    void broadcastingBinaryOps(@ForAll("nonScalar") int[] shape, @ForAll long seed,
                               @ForAll @IntRange(min = 0, max = 3) int which, @ForAll boolean swap) {
        Rng rng = new Rng(seed);
        int[] small = Gen.broadcastable(rng, shape);
        int[] sa = swap ? small : shape;
        int[] sb = swap ? shape : small;
        Tensor a = Gen.awayFromZero(rng, 0.5f, sa);
        Tensor b = Gen.awayFromZero(rng, 0.5f, sb);
        switch (which) {
            case 0 -> CHECK.verify(x -> x[0].add(x[1]), a, b);
            case 1 -> CHECK.verify(x -> x[0].sub(x[1]), a, b);
            case 2 -> CHECK.verify(x -> x[0].mul(x[1]), a, b);
            default -> CHECK.verify(x -> x[0].div(x[1]), a, b);
        }
    }

    @Property(tries = 30)
    void scalarOperandOps(@ForAll("shapes") int[] shape, @ForAll long seed) {
        Rng rng = new Rng(seed);
        float s = 0.5f + rng.nextFloat() * 2f;
        CHECK.verify(x -> x[0].add(s).mul(s).sub(s).div(s).rsub(s).neg(), Gen.normal(rng, shape));
        CHECK.verify(x -> x[0].rdiv(s), Gen.awayFromZero(rng, 0.5f, shape));
    }

    @Property(tries = 30)
    void unaryOps(@ForAll("shapes") int[] shape, @ForAll long seed, @ForAll @IntRange(min = 0, max = 3) int which) {
        Rng rng = new Rng(seed);
        switch (which) {
            case 0 -> CHECK.verify(x -> x[0].exp(), Gen.uniform(rng, -2f, 2f, shape));
            case 1 -> CHECK.verify(x -> x[0].log(), Gen.uniform(rng, 0.5f, 3f, shape));
            case 2 -> CHECK.verify(x -> x[0].relu(), Gen.awayFromZero(rng, 0.3f, shape));
            default -> {
                float min = rng.nextFloat() - 0.5f;
                Tensor x0 = Gen.awayFromZero(rng, 0.3f, shape).add(min);
                CHECK.verify(x -> x[0].clampMin(min), x0);
            }
        }
    }

    @Property(tries = 30)
    void powWithSeveralExponents(@ForAll("shapes") int[] shape, @ForAll long seed,
                                 @ForAll @IntRange(min = 0, max = 5) int which) {
        float[] exponents = {2f, 3f, 0.5f, -1f, 1.5f, 1f};
        float p = exponents[which];
        Rng rng = new Rng(seed);
        Tensor x0 = p == 2f || p == 3f ? Gen.normal(rng, shape) : Gen.uniform(rng, 0.5f, 2f, shape);
        CHECK.verify(x -> x[0].pow(p), x0);
    }

    // ------------------------------------------------------------------ reductions

    @Property(tries = 40)
    void reductions(@ForAll("nonScalar") int[] shape, @ForAll long seed, @ForAll boolean keepdim,
                    @ForAll @IntRange(min = 0, max = 5) int which) {
        Rng rng = new Rng(seed);
        int dim = rng.nextInt(shape.length) - (rng.nextInt(2) == 0 ? shape.length : 0);
        Tensor x0 = Gen.normal(rng, shape);
        switch (which) {
            case 0 -> CHECK.verify(x -> x[0].sum(), x0);
            case 1 -> CHECK.verify(x -> x[0].mean(), x0);
            case 2 -> CHECK.verify(x -> x[0].sum(dim, keepdim), x0);
            case 3 -> CHECK.verify(x -> x[0].mean(dim, keepdim), x0);
            case 4 -> CHECK.verify(x -> x[0].logSumExp(dim, keepdim), x0.mul(3f));
            default -> CHECK.verify(x -> x[0].logSoftmax(dim), x0.mul(3f));
        }
    }

    @Property(tries = 15)
    void softmax(@ForAll("matrices") int[] shape, @ForAll long seed) {
        Rng rng = new Rng(seed);
        CHECK.verify(x -> x[0].softmax(1), Gen.normal(rng, shape));
    }

    // ------------------------------------------------------------------ shape ops

    @Property(tries = 40)
    void shapeOps(@ForAll("nonScalar") int[] shape, @ForAll long seed, @ForAll @IntRange(min = 0, max = 7) int which) {
        Rng rng = new Rng(seed);
        Tensor x0 = Gen.normal(rng, shape);
        int r = shape.length;
        int d0 = rng.nextInt(r);
        int d1 = rng.nextInt(r);
        switch (which) {
            case 0 -> CHECK.verify(x -> x[0].reshape(-1).mul(x[0].flatten()), x0);
            case 1 -> CHECK.verify(x -> x[0].transpose(d0, d1).exp(), x0);
            case 2 -> CHECK.verify(x -> x[0].squeeze().exp(), x0);
            case 3 -> CHECK.verify(x -> x[0].squeeze(d0).exp(), x0);
            case 4 -> CHECK.verify(x -> x[0].unsqueeze(rng.nextInt(r + 1)).exp(), x0);
            case 5 -> {
                int start = rng.nextInt(shape[d0]);
                int end = start + 1 + rng.nextInt(shape[d0] - start);
                CHECK.verify(x -> x[0].slice(d0, start, end).exp(), x0);
            }
            case 6 -> {
                int index = rng.nextInt(shape[d0]);
                CHECK.verify(x -> x[0].select(d0, index).exp(), x0);
            }
            default -> {
                int[] big = shape.clone();
                for (int i = 0; i < big.length; i++) {
                    big[i] = 1;
                }
                Tensor small = Gen.normal(rng, big);
                CHECK.verify(x -> x[0].expand(shape).mul(x[1]), small, x0);
            }
        }
    }

    @Property(tries = 15)
    void transposeOfAMatrix(@ForAll("matrices") int[] shape, @ForAll long seed) {
        Rng rng = new Rng(seed);
        Tensor b = Gen.normal(rng, shape[0], 3);
        CHECK.verify(x -> x[0].t().matmul(x[1]), Gen.normal(rng, shape), b);
    }

    @Property(tries = 20)
    void gatherColumns(@ForAll("matrices") int[] shape, @ForAll long seed, @ForAll boolean asTensor) {
        Rng rng = new Rng(seed);
        int[] idx = new int[shape[0]];
        float[] fidx = new float[shape[0]];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = rng.nextInt(shape[1]);
            fidx[i] = idx[i];
        }
        Tensor t = Tensor.of(fidx, idx.length);
        CHECK.verify(x -> asTensor ? x[0].gatherColumns(t) : x[0].gatherColumns(idx), Gen.normal(rng, shape));
    }

    // ------------------------------------------------------------------ matmul

    @Property(tries = 30)
    void matmul2d(@ForAll("mSize") int m, @ForAll("kSize") int k, @ForAll("nSize") int n, @ForAll long seed) {
        Rng rng = new Rng(seed);
        CHECK.verify(x -> x[0].matmul(x[1]), Gen.normal(rng, m, k), Gen.normal(rng, k, n));
    }

    @Provide
    Arbitrary<Integer> mSize() {
        return Gen.smallSize();
    }

    @Provide
    Arbitrary<Integer> kSize() {
        return Gen.size();
    }

    @Provide
    Arbitrary<Integer> nSize() {
        return Gen.size().filter(s -> s < 784);
    }

    @Property(tries = 20)
    void matmulVectorsAndBatches(@ForAll("mSize") int m, @ForAll("mSize") int k, @ForAll("mSize") int n,
                                 @ForAll("mSize") int batch, @ForAll long seed,
                                 @ForAll @IntRange(min = 0, max = 5) int form) {
        Rng rng = new Rng(seed);
        switch (form) {
            case 0 -> CHECK.verify(x -> x[0].matmul(x[1]), Gen.normal(rng, k), Gen.normal(rng, k, n));
            case 1 -> CHECK.verify(x -> x[0].matmul(x[1]), Gen.normal(rng, m, k), Gen.normal(rng, k));
            case 2 -> CHECK.verify(x -> x[0].matmul(x[1]), Gen.normal(rng, k), Gen.normal(rng, k));
            case 3 -> CHECK.verify(x -> x[0].matmul(x[1]), Gen.normal(rng, batch, m, k), Gen.normal(rng, batch, k, n));
            case 4 -> CHECK.verify(x -> x[0].matmul(x[1]), Gen.normal(rng, batch, m, k), Gen.normal(rng, k, n));
            default -> CHECK.verify(x -> x[0].matmul(x[1]), Gen.normal(rng, m, k), Gen.normal(rng, batch, k, n));
        }
    }

    // ------------------------------------------------------------------ losses

    @Property(tries = 30)
    void losses(@ForAll("matrices") int[] shape, @ForAll long seed, @ForAll @IntRange(min = 0, max = 2) int which) {
        Rng rng = new Rng(seed);
        int[] targets = new int[shape[0]];
        for (int i = 0; i < targets.length; i++) {
            targets[i] = rng.nextInt(shape[1]);
        }
        Tensor x0 = Gen.normal(rng, shape);
        switch (which) {
            case 0 -> CHECK.verify(x -> Losses.mse(x[0], x[1]), x0, Gen.normal(rng, shape));
            case 1 -> CHECK.verify(x -> Losses.nll(x[0].logSoftmax(1), targets), x0);
            default -> CHECK.verify(x -> Losses.crossEntropy(x[0], targets), x0.mul(4f));
        }
    }

    /**
     * A small MLP as the lesson builds it. Finite differences across relu's kink are
     * meaningless, so the hidden biases are +-4 and the first weights small: every hidden unit
     * is clearly alive or clearly dead (both kinds occur) under any perturbation GradCheck makes.
     */
    @Property(tries = 10)
    void lessonShapedMlp(@ForAll("mSize") int n, @ForAll("kSize") int m, @ForAll long seed) {
        Rng rng = new Rng(seed);
        int nh = 5;
        float[] b1 = new float[nh];
        for (int j = 0; j < nh; j++) {
            b1[j] = (j % 2 == 0 ? 4f : -4f) + 0.1f * (float) rng.nextGaussian();
        }
        CHECK.verify(x -> {
                    Var h = x[0].matmul(x[1]).add(x[2]).relu();
                    return Losses.mse(h.matmul(x[3]).add(x[4]), x[5]);
                }, Gen.normal(rng, n, m), Gen.normal(rng, m, nh).mul(0.3f / (float) Math.sqrt(m)), Tensor.of(b1, nh),
                Gen.normal(rng, nh, 1), Gen.normal(rng, 1), Gen.normal(rng, n, 1));
    }
}
