package dev.vectorgrad.testkit.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

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
 * Property 3: identities every correct reverse-mode AD satisfies, on the kit's shapes and random
 * values. In the kit's module for the reason given in {@link OpGradientProperties}.
 */
class GradientIdentityProperties {

    @Provide
    Arbitrary<int[]> shapes() {
        return ShapeArbitraries.shapes(0, 3);
    }

    @Provide
    Arbitrary<int[]> nonScalar() {
        return ShapeArbitraries.shapes(1, 3);
    }

    @Provide
    Arbitrary<Integer> size() {
        return ShapeArbitraries.dimensionSizes();
    }

    @Provide
    Arbitrary<Integer> small() {
        return ShapeArbitraries.smallSizes();
    }

    /** Elementwise closeness relative to the larger magnitude, with a small absolute floor. */
    private static void assertClose(Tensor expected, Tensor actual, double tol, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        float[] e = expected.toArray();
        float[] a = actual.toArray();
        for (int i = 0; i < e.length; i++) {
            double scale = Math.max(1.0, Math.max(Math.abs(e[i]), Math.abs(a[i])));
            assertTrue(Math.abs(e[i] - a[i]) <= tol * scale,
                    what + ": element " + i + " expected " + e[i] + " got " + a[i]);
        }
    }

    @Property(tries = 30)
    void gradientOfSumIsOnes(@ForAll("shapes") int[] shape, @ForAll long seed) {
        Var x = Var.param(Tensor.randn(new Rng(seed), shape));
        x.sum().backward();
        assertClose(Tensor.ones(shape), x.grad(), 0, "d sum(x) / dx");
    }

    @Property(tries = 30)
    void gradientOfASumIsTheSumOfGradients(@ForAll("nonScalar") int[] shape, @ForAll long seed) {
        Rng rng = new Rng(seed);
        Tensor x0 = Tensor.randn(rng, shape);
        Tensor y0 = Tensor.randn(rng, shape);

        Var x = Var.param(x0.copy());
        Var y = Var.param(y0.copy());
        x.mul(y).sum().add(x.exp().mul(y).mean()).backward();

        Var xf = Var.param(x0.copy());
        Var yf = Var.param(y0.copy());
        xf.mul(yf).sum().backward();
        Var xg = Var.param(x0.copy());
        Var yg = Var.param(y0.copy());
        xg.exp().mul(yg).mean().backward();

        assertClose(xf.grad().add(xg.grad()), x.grad(), 1e-5, "d(f+g)/dx");
        assertClose(yf.grad().add(yg.grad()), y.grad(), 1e-5, "d(f+g)/dy");

        // And accumulation: backward of f then of g into the same leaves gives the same sums.
        Var xa = Var.param(x0.copy());
        Var ya = Var.param(y0.copy());
        xa.mul(ya).sum().backward();
        xa.exp().mul(ya).mean().backward();
        assertClose(x.grad(), xa.grad(), 1e-5, "accumulated d(f+g)/dx");
        assertClose(y.grad(), ya.grad(), 1e-5, "accumulated d(f+g)/dy");
    }

    @Property(tries = 30)
    void scalingTheUpstreamGradientScalesEveryGradient(@ForAll("small") int m, @ForAll("size") int k,
                                                       @ForAll long seed) {
        Rng rng = new Rng(seed);
        // Scaled so that a @ b stays O(1): exp of a sum of 784 unit products would reach 1e5 and
        // the comparison would measure float cancellation rather than linearity.
        Tensor a0 = Tensor.randn(rng, m, k).div((float) Math.sqrt(k));
        Tensor b0 = Tensor.randn(rng, k, 3);
        Tensor g = Tensor.randn(rng, m, 3);
        float c = (float) (rng.nextGaussian() * 3);

        Var a = Var.param(a0.copy());
        Var b = Var.param(b0.copy());
        a.matmul(b).exp().div(4f).backward(g);
        Var a2 = Var.param(a0.copy());
        Var b2 = Var.param(b0.copy());
        a2.matmul(b2).exp().div(4f).backward(g.mul(c));

        assertClose(a.grad().mul(c), a2.grad(), 1e-4, "dA with c*g");
        assertClose(b.grad().mul(c), b2.grad(), 1e-4, "dB with c*g");
    }

    @Provide
    Arbitrary<List<Tensor>> broadcastOperands() {
        Values away = Values.awayFromZero(0.5, 3);
        return ShapeArbitraries.shapes(1, 3).flatMap(full -> ShapeArbitraries.broadcastableTo(full).flatMap(small ->
                Combinators.combine(Tensors.tensors(away, small), Tensors.tensors(away, full), Tensors.tensors(Values.standard(), full))
                        .as(List::of)));
    }

    @Property(tries = 40)
    void broadcastGradientIsTheExpandedGradientSummedBack(@ForAll("broadcastOperands") List<Tensor> operands,
                                                          @ForAll @IntRange(min = 0, max = 3) int which) {
        Tensor s0 = operands.get(0);
        Tensor f0 = operands.get(1);
        Tensor g = operands.get(2);
        int[] shape = f0.shape();
        int[] small = s0.shape();

        Var s = Var.param(s0.copy());
        Var f = Var.param(f0.copy());
        apply(which, s, f).backward(g);

        // The same op on an explicit, materialised copy of the broadcast operand.
        Var se = Var.param(s0.expand(shape).copy());
        Var fe = Var.param(f0.copy());
        apply(which, se, fe).backward(g);

        Tensor summed = se.grad();
        int lead = shape.length - small.length;
        for (int i = 0; i < lead; i++) {
            summed = summed.sum(0);
        }
        for (int d = 0; d < small.length; d++) {
            if (small[d] == 1) {
                summed = summed.sum(d, true);
            }
        }
        assertClose(summed, s.grad(), 1e-4, "broadcast operand's gradient");
        assertClose(fe.grad(), f.grad(), 1e-5, "full operand's gradient");
    }

    private static Var apply(int which, Var a, Var b) {
        return switch (which) {
            case 0 -> a.add(b);
            case 1 -> a.sub(b);
            case 2 -> a.mul(b);
            default -> a.div(b);
        };
    }

    @Property(tries = 30)
    void reluGradientIsTheMaskAndZeroAtZero(@ForAll("nonScalar") int[] shape, @ForAll long seed) {
        Rng rng = new Rng(seed);
        float[] v = Tensor.randn(rng, shape).toArray();
        for (int i = 0; i < v.length; i += 3) {
            v[i] = 0f; // exact zeros, where PyTorch's relu has gradient 0
        }
        Tensor x0 = Tensor.of(v, shape); // shape has at least one dim here
        Tensor g = Tensor.randn(rng, shape);
        Var x = Var.param(x0);
        x.relu().backward(g);
        float[] got = x.grad().toArray();
        float[] up = g.toArray();
        for (int i = 0; i < v.length; i++) {
            float want = v[i] > 0 ? up[i] : 0f;
            assertEquals(want, got[i], 0f, "relu gradient at x = " + v[i]);
        }
    }

    @Property(tries = 20)
    void clampMinGradientIsOneFromTheBoundUpAsInPyTorch(@ForAll("nonScalar") int[] shape, @ForAll long seed) {
        Rng rng = new Rng(seed);
        float min = (float) rng.nextGaussian();
        float[] v = Tensor.randn(rng, shape).toArray();
        for (int i = 0; i < v.length; i += 3) {
            v[i] = min; // exactly at the bound: clamp_min passes the gradient there, relu does not
        }
        Var x = Var.param(Tensor.of(v, shape));
        x.clampMin(min).sum().backward();
        float[] got = x.grad().toArray();
        for (int i = 0; i < v.length; i++) {
            assertEquals(v[i] >= min ? 1f : 0f, got[i], 0f, "clampMin gradient at x = " + v[i] + ", min = " + min);
        }
    }

    @Property(tries = 30)
    void mseGradientIsTwiceTheErrorOverN(@ForAll("size") int n, @ForAll long seed, @ForAll boolean column) {
        Rng rng = new Rng(seed);
        int[] shape = column ? new int[] {n, 1} : new int[] {n};
        Tensor out0 = Tensor.randn(rng, shape).mul(10f);
        Tensor t = Tensor.randn(rng, shape).mul(10f);
        Var out = Var.param(out0);
        Losses.mse(out, t).backward();
        float[] o = out0.toArray();
        float[] tv = t.toArray();
        float[] got = out.grad().toArray();
        for (int i = 0; i < n; i++) {
            double want = 2.0 * (o[i] - tv[i]) / n;
            assertEquals(want, got[i], 1e-5 * Math.max(1, Math.abs(want)), "dMSE/dout at " + i);
        }
    }

    @Property(tries = 30)
    void matmulGradientsAreGTimesBTransposedAndATransposedTimesG(@ForAll("small") int m, @ForAll("size") int k,
                                                                 @ForAll("small") int n, @ForAll long seed) {
        Rng rng = new Rng(seed);
        Tensor a0 = Tensor.randn(rng, m, k);
        Tensor b0 = Tensor.randn(rng, k, n);
        Tensor g = Tensor.randn(rng, m, n);
        Var a = Var.param(a0);
        Var b = Var.param(b0);
        a.matmul(b).backward(g);
        // The oracle: the two products written out in double, independent of the kernels.
        float[] av = a0.toArray();
        float[] bv = b0.toArray();
        float[] gv = g.toArray();
        float[] ga = a.grad().toArray();
        float[] gb = b.grad().toArray();
        for (int i = 0; i < m; i++) {
            for (int p = 0; p < k; p++) {
                double s = 0;
                double mag = 0;
                for (int j = 0; j < n; j++) {
                    s += (double) gv[i * n + j] * bv[p * n + j];
                    mag += Math.abs((double) gv[i * n + j] * bv[p * n + j]);
                }
                assertEquals(s, ga[i * k + p], 1e-5 * (1 + mag), "(g @ B^T)[" + i + ", " + p + "]");
            }
        }
        for (int p = 0; p < k; p++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                double mag = 0;
                for (int i = 0; i < m; i++) {
                    s += (double) av[i * k + p] * gv[i * n + j];
                    mag += Math.abs((double) av[i * k + p] * gv[i * n + j]);
                }
                assertEquals(s, gb[p * n + j], 1e-5 * (1 + mag), "(A^T @ g)[" + p + ", " + j + "]");
            }
        }
    }

    @Property(tries = 20)
    void matmulGradientsAccumulateInPlaceIntoExistingGradients(@ForAll("small") int m, @ForAll("size") int k,
                                                              @ForAll long seed) {
        Rng rng = new Rng(seed);
        Tensor a0 = Tensor.randn(rng, m, k);
        Tensor b0 = Tensor.randn(rng, k, 2);
        Var a = Var.param(a0);
        Var b = Var.param(b0);
        a.matmul(b).sum().backward();
        Tensor first = b.grad();
        Tensor once = first.copy();
        a.matmul(b).sum().backward();
        assertTrue(first == b.grad(), "the existing gradient tensor is reused");
        assertClose(once.mul(2f), b.grad(), 1e-5, "two backward passes give twice the gradient");
    }
}
