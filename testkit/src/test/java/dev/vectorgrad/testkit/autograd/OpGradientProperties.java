package dev.vectorgrad.testkit.autograd;

import java.util.List;

import dev.vectorgrad.autograd.GradCheck;
import dev.vectorgrad.autograd.Losses;
import dev.vectorgrad.autograd.Var;
import dev.vectorgrad.core.Tensor;
import dev.vectorgrad.testkit.ShapeArbitraries;
import dev.vectorgrad.testkit.Tensors;
import dev.vectorgrad.testkit.Values;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.FloatRange;
import net.jqwik.api.constraints.IntRange;

/**
 * Property 2: for every autograd op, on the kit's generated shapes and tensors, the gradients
 * autograd computes agree with GradCheck's central finite differences in double precision. In
 * the kit's module because autograd's own tests cannot depend on the kit (the kit depends on
 * autograd); they run in both Surefire executions, SIMD and scalar.
 */
class OpGradientProperties {

    private static final GradCheck CHECK = GradCheck.defaults();
    private static final Values NORMAL = Values.standard();
    /** For divisors and kinks: further from 0 than any step GradCheck takes. */
    private static final Values AWAY = Values.awayFromZero(0.5, 3);

    private static Arbitrary<Tensor> normal(int... shape) {
        return Tensors.tensors(NORMAL, shape);
    }

    private static Arbitrary<List<Tensor>> pair(Arbitrary<Tensor> a, Arbitrary<Tensor> b) {
        return Combinators.combine(a, b).as(List::of);
    }

    @Provide
    Arbitrary<Tensor> anyShape() {
        return Tensors.tensors(NORMAL, ShapeArbitraries.shapes(0, 3));
    }

    @Provide
    Arbitrary<Tensor> nonScalar() {
        return Tensors.tensors(NORMAL, ShapeArbitraries.shapes(1, 3));
    }

    @Provide
    Arbitrary<Tensor> matrices() {
        return Tensors.tensors(NORMAL, ShapeArbitraries.shapes(2, 2));
    }

    // ------------------------------------------------------------------ elementwise, with broadcasting

    @Provide
    Arbitrary<List<Tensor>> broadcastPairs() {
        return ShapeArbitraries.shapes(1, 3).flatMap(full -> ShapeArbitraries.broadcastableTo(full)
                .flatMap(small -> pair(Tensors.tensors(AWAY, full), Tensors.tensors(AWAY, small))));
    }

    @Property(tries = 40)
    void broadcastingBinaryOps(@ForAll("broadcastPairs") List<Tensor> fullAndSmall,
                               @ForAll @IntRange(min = 0, max = 3) int which, @ForAll boolean swap) {
        Tensor a = swap ? fullAndSmall.get(1) : fullAndSmall.get(0);
        Tensor b = swap ? fullAndSmall.get(0) : fullAndSmall.get(1);
        switch (which) {
            case 0 -> CHECK.verify(x -> x[0].add(x[1]), a, b);
            case 1 -> CHECK.verify(x -> x[0].sub(x[1]), a, b);
            case 2 -> CHECK.verify(x -> x[0].mul(x[1]), a, b);
            default -> CHECK.verify(x -> x[0].div(x[1]), a, b);
        }
    }

    @Provide
    Arbitrary<Tensor> awayAnyShape() {
        return Tensors.tensors(AWAY, ShapeArbitraries.shapes(0, 3));
    }

    @Property(tries = 30)
    void scalarOperandOps(@ForAll("anyShape") Tensor x0, @ForAll("awayAnyShape") Tensor divisor,
                          @ForAll @FloatRange(min = 0.5f, max = 2.5f) float s) {
        CHECK.verify(x -> x[0].add(s).mul(s).sub(s).div(s).rsub(s).neg(), x0);
        CHECK.verify(x -> x[0].rdiv(s), divisor);
    }

    @Provide
    Arbitrary<Tensor> expInputs() {
        return Tensors.tensors(Values.between(-2, 2), ShapeArbitraries.shapes(0, 3));
    }

    @Provide
    Arbitrary<Tensor> logInputs() {
        return Tensors.tensors(Values.between(0.5, 3), ShapeArbitraries.shapes(0, 3));
    }

    @Provide
    Arbitrary<Tensor> kinkInputs() {
        return Tensors.tensors(Values.awayFromZero(0.3, 3), ShapeArbitraries.shapes(0, 3));
    }

    @Property(tries = 10)
    void exp(@ForAll("expInputs") Tensor x0) {
        CHECK.verify(x -> x[0].exp(), x0);
    }

    @Property(tries = 10)
    void log(@ForAll("logInputs") Tensor x0) {
        CHECK.verify(x -> x[0].log(), x0);
    }

    @Property(tries = 10)
    void reluAndClampMin(@ForAll("kinkInputs") Tensor x0, @ForAll @FloatRange(min = -0.5f, max = 0.5f) float min) {
        CHECK.verify(x -> x[0].relu(), x0);
        CHECK.verify(x -> x[0].clampMin(min), x0.add(min)); // |x - min| >= 0.3: away from the bound
    }

    @Property(tries = 15)
    void powWithIntegerExponents(@ForAll("anyShape") Tensor x0, @ForAll boolean cube) {
        float p = cube ? 3f : 2f;
        CHECK.verify(x -> x[0].pow(p), x0);
    }

    @Provide
    Arbitrary<Tensor> positive() {
        return Tensors.tensors(Values.between(0.5, 2), ShapeArbitraries.shapes(0, 3));
    }

    @Property(tries = 15)
    void powWithOtherExponents(@ForAll("positive") Tensor x0, @ForAll @IntRange(min = 0, max = 3) int which) {
        float p = new float[] {0.5f, -1f, 1.5f, 1f}[which];
        CHECK.verify(x -> x[0].pow(p), x0);
    }

    // ------------------------------------------------------------------ reductions

    @Property(tries = 40)
    void reductions(@ForAll("nonScalar") Tensor x0, @ForAll @IntRange(min = 0, max = 2) int d,
                    @ForAll boolean negativeDim, @ForAll boolean keepdim, @ForAll @IntRange(min = 0, max = 5) int which) {
        int r = x0.dim();
        int dim = d % r - (negativeDim ? r : 0);
        switch (which) {
            case 0 -> CHECK.verify(x -> x[0].sum(), x0);
            case 1 -> CHECK.verify(x -> x[0].mean(), x0);
            case 2 -> CHECK.verify(x -> x[0].sum(dim, keepdim), x0);
            case 3 -> CHECK.verify(x -> x[0].mean(dim, keepdim), x0);
            case 4 -> CHECK.verify(x -> x[0].logSumExp(dim, keepdim), x0.mul(2f));
            default -> CHECK.verify(x -> x[0].logSoftmax(dim), x0.mul(2f));
        }
    }

    @Property(tries = 15)
    void softmax(@ForAll("matrices") Tensor x0) {
        CHECK.verify(x -> x[0].softmax(1), x0);
    }

    // ------------------------------------------------------------------ shape ops

    @Property(tries = 40)
    void shapeOps(@ForAll("nonScalar") Tensor x0, @ForAll @IntRange(min = 0, max = 7) int which,
                  @ForAll @IntRange(min = 0, max = 99) int a, @ForAll @IntRange(min = 0, max = 99) int b,
                  @ForAll @IntRange(min = 0, max = 99) int c, @ForAll @FloatRange(min = -3, max = 3) float v) {
        int[] shape = x0.shape();
        int r = shape.length;
        int d0 = a % r;
        int d1 = b % r;
        switch (which) {
            case 0 -> CHECK.verify(x -> x[0].reshape(-1).mul(x[0].flatten()), x0);
            case 1 -> CHECK.verify(x -> x[0].transpose(d0, d1).exp(), x0);
            case 2 -> CHECK.verify(x -> x[0].squeeze().exp(), x0);
            case 3 -> CHECK.verify(x -> x[0].squeeze(d0).exp(), x0);
            case 4 -> CHECK.verify(x -> x[0].unsqueeze(c % (r + 1)).exp(), x0);
            case 5 -> {
                int start = b % shape[d0];
                int end = start + 1 + c % (shape[d0] - start);
                CHECK.verify(x -> x[0].slice(d0, start, end).exp(), x0);
            }
            case 6 -> {
                int index = b % shape[d0];
                CHECK.verify(x -> x[0].select(d0, index).exp(), x0);
            }
            default -> {
                int[] ones = new int[r];
                java.util.Arrays.fill(ones, 1);
                CHECK.verify(x -> x[0].expand(shape).mul(x[1]), Tensor.full(v, ones), x0);
            }
        }
    }

    @Provide
    Arbitrary<List<Tensor>> transposeOperands() {
        return ShapeArbitraries.shapes(2, 2).flatMap(s -> pair(normal(s), normal(s[0], 3)));
    }

    @Property(tries = 15)
    void transposeOfAMatrix(@ForAll("transposeOperands") List<Tensor> ab) {
        CHECK.verify(x -> x[0].t().matmul(x[1]), ab.get(0), ab.get(1));
    }

    private record Gather(Tensor x, int[] columns) {}

    @Provide
    Arbitrary<Gather> gathers() {
        return ShapeArbitraries.shapes(2, 2).flatMap(s -> Combinators.combine(normal(s),
                Arbitraries.integers().between(0, s[1] - 1).array(int[].class).ofSize(s[0])).as(Gather::new));
    }

    @Property(tries = 20)
    void gatherColumns(@ForAll("gathers") Gather g, @ForAll boolean asTensor) {
        float[] f = new float[g.columns().length];
        for (int i = 0; i < f.length; i++) {
            f[i] = g.columns()[i];
        }
        Tensor t = Tensor.of(f, f.length);
        CHECK.verify(x -> asTensor ? x[0].gatherColumns(t) : x[0].gatherColumns(g.columns()), g.x());
    }

    // ------------------------------------------------------------------ matmul

    @Provide
    Arbitrary<List<Tensor>> matmulOperands() {
        return Combinators.combine(ShapeArbitraries.smallSizes(), ShapeArbitraries.dimensionSizes(),
                ShapeArbitraries.dimensionSizes().filter(s -> s < 784)).flatAs((m, k, n) -> pair(normal(m, k), normal(k, n)));
    }

    @Property(tries = 30)
    void matmul2d(@ForAll("matmulOperands") List<Tensor> ab) {
        CHECK.verify(x -> x[0].matmul(x[1]), ab.get(0), ab.get(1));
    }

    @Provide
    Arbitrary<List<Tensor>> vectorAndBatchOperands() {
        Arbitrary<Integer> s = ShapeArbitraries.smallSizes();
        return Combinators.combine(s, s, s, s, Arbitraries.integers().between(0, 5)).flatAs((m, k, n, batch, form) ->
                switch (form) {
                    case 0 -> pair(normal(k), normal(k, n));
                    case 1 -> pair(normal(m, k), normal(k));
                    case 2 -> pair(normal(k), normal(k));
                    case 3 -> pair(normal(batch, m, k), normal(batch, k, n));
                    case 4 -> pair(normal(batch, m, k), normal(k, n));
                    default -> pair(normal(m, k), normal(batch, k, n));
                });
    }

    @Property(tries = 20)
    void matmulVectorsAndBatches(@ForAll("vectorAndBatchOperands") List<Tensor> ab) {
        CHECK.verify(x -> x[0].matmul(x[1]), ab.get(0), ab.get(1));
    }

    // ------------------------------------------------------------------ losses

    private record LossCase(Tensor logits, Tensor target, int[] classes) {}

    @Provide
    Arbitrary<LossCase> lossCases() {
        return ShapeArbitraries.shapes(2, 2).flatMap(s -> Combinators.combine(normal(s), normal(s),
                Arbitraries.integers().between(0, s[1] - 1).array(int[].class).ofSize(s[0])).as(LossCase::new));
    }

    @Property(tries = 30)
    void losses(@ForAll("lossCases") LossCase c, @ForAll @IntRange(min = 0, max = 2) int which) {
        switch (which) {
            case 0 -> CHECK.verify(x -> Losses.mse(x[0], x[1]), c.logits(), c.target());
            case 1 -> CHECK.verify(x -> Losses.nll(x[0].logSoftmax(1), c.classes()), c.logits());
            default -> CHECK.verify(x -> Losses.crossEntropy(x[0], c.classes()), c.logits().mul(4f));
        }
    }

    /**
     * A small MLP as the lesson builds it. Finite differences across relu's kink are
     * meaningless, so the hidden biases are +-4 and the first layer's weights at most
     * {@code 0.3 / m}: with inputs in [-3, 3] a pre-activation moves by at most 2.7 from its
     * bias, so every hidden unit is clearly alive or clearly dead (both kinds occur).
     */
    @Provide
    Arbitrary<List<Tensor>> mlps() {
        int nh = 5;
        return Combinators.combine(ShapeArbitraries.smallSizes(), ShapeArbitraries.dimensionSizes()).flatAs((n, m) ->
                Combinators.combine(normal(n, m), Tensors.tensors(Values.between(-1, 1), m, nh),
                        Tensors.tensors(Values.between(-0.3, 0.3), nh), normal(nh, 1), normal(1), normal(n, 1))
                        .as((x, w1, noise, w2, b2, y) -> {
                            float[] b1 = noise.toArray();
                            for (int j = 0; j < nh; j++) {
                                b1[j] += j % 2 == 0 ? 4f : -4f;
                            }
                            return List.of(x, w1.mul(0.3f / m), Tensor.of(b1, nh), w2, b2, y);
                        }));
    }

    @Property(tries = 10)
    void lessonShapedMlp(@ForAll("mlps") List<Tensor> p) {
        CHECK.verify(x -> {
            Var h = x[0].matmul(x[1]).add(x[2]).relu();
            return Losses.mse(h.matmul(x[3]).add(x[4]), x[5]);
        }, p.toArray(Tensor[]::new));
    }
}
