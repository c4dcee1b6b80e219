package dev.vectorgrad.nn.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vectorgrad.core.Rng;
import dev.vectorgrad.core.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class OptimizerTest {

    /** A fixed sequence of gradients, so the recurrences can be replayed in double. */
    private static float[][] gradients(int steps, int n, long seed) {
        Rng rng = new Rng(seed);
        float[][] gs = new float[steps][n];
        for (float[] g : gs) {
            for (int j = 0; j < n; j++) {
                g[j] = (float) rng.nextGaussian();
            }
        }
        return gs;
    }

    private static float[] initial(int n, long seed) {
        return Tensor.randn(new Rng(seed), n).toArray();
    }

    @Test
    void plainSgdSubtractsLrTimesGradient() {
        float[] p0 = initial(7, 1);
        Tensor p = Tensor.of(p0, 7);
        float[] g = gradients(1, 7, 2)[0];
        p.setGrad(Tensor.of(g, 7));
        new Sgd(List.of(p), 0.1f).step();
        for (int j = 0; j < 7; j++) {
            assertEquals(p0[j] - 0.1 * g[j], p.get(j), 1e-6);
        }
    }

    @Test
    void momentumFollowsTheRecurrence() {
        int n = 13;
        int steps = 6;
        float lr = 0.05f;
        float mu = 0.9f;
        float wd = 0.01f;
        float[] p0 = initial(n, 3);
        float[][] gs = gradients(steps, n, 4);
        Tensor p = Tensor.of(p0, n);
        Tensor grad = Tensor.zeros(n);
        p.setGrad(grad);
        Sgd sgd = new Sgd(List.of(p), lr, mu, wd);
        double[] ref = new double[n];
        double[] buf = new double[n];
        for (int j = 0; j < n; j++) {
            ref[j] = p0[j];
        }
        for (int s = 0; s < steps; s++) {
            grad.copyFrom(Tensor.of(gs[s], n));
            sgd.step();
            for (int j = 0; j < n; j++) {
                ref[j] *= 1 - (double) lr * wd;
                buf[j] = s == 0 ? gs[s][j] : mu * buf[j] + gs[s][j];
                ref[j] -= lr * buf[j];
            }
        }
        for (int j = 0; j < n; j++) {
            assertEquals(ref[j], p.get(j), 1e-5, "element " + j);
        }
    }

    @Test
    void adamFirstStepsMatchAHandComputationInDouble() {
        int n = 11;
        int steps = 5;
        double lr = 0.01;
        double b1 = 0.9;
        double b2 = 0.999;
        double eps = 1e-8;
        double wd = 0.1;
        float[] p0 = initial(n, 5);
        float[][] gs = gradients(steps, n, 6);
        gs[0][3] = 0f; // a zero gradient must not divide by zero
        Tensor p = Tensor.of(p0, n);
        Tensor grad = Tensor.zeros(n);
        p.setGrad(grad);
        Adam adam = new Adam(List.of(p), (float) lr, (float) b1, (float) b2, (float) eps, (float) wd);
        double[] ref = new double[n];
        double[] m = new double[n];
        double[] v = new double[n];
        for (int j = 0; j < n; j++) {
            ref[j] = p0[j];
        }
        for (int s = 1; s <= steps; s++) {
            grad.copyFrom(Tensor.of(gs[s - 1], n));
            adam.step();
            for (int j = 0; j < n; j++) {
                double g = gs[s - 1][j];
                ref[j] *= 1 - lr * wd;
                m[j] = b1 * m[j] + (1 - b1) * g;
                v[j] = b2 * v[j] + (1 - b2) * g * g;
                double mhat = m[j] / (1 - Math.pow(b1, s));
                double vhat = v[j] / (1 - Math.pow(b2, s));
                ref[j] -= lr * mhat / (Math.sqrt(vhat) + eps);
            }
            for (int j = 0; j < n; j++) {
                assertEquals(ref[j], p.get(j), 1e-5, "step " + s + " element " + j);
            }
        }
        assertEquals(steps, adam.steps());
    }

    @Test
    void adamsFirstStepMovesEachElementByLr() {
        // With bias correction, step 1 is lr * g/|g| (up to eps): a known property of Adam.
        Tensor p = Tensor.zeros(4);
        p.setGrad(Tensor.of(new float[] {3f, -0.5f, 1e-3f, -20f}, 4));
        new Adam(List.of(p), 0.1f).step();
        float[] expected = {-0.1f, 0.1f, -0.1f, 0.1f};
        for (int j = 0; j < 4; j++) {
            assertEquals(expected[j], p.get(j), 1e-5);
        }
    }

    /** Minimises sum(a_j * (x_j - c_j)^2) with the gradient written by hand. */
    private static double minimise(Optimizer opt, Tensor x, float[] a, float[] c, int steps) {
        float[] grad = new float[a.length];
        Tensor g = Tensor.wrap(grad, a.length);
        x.setGrad(g);
        for (int s = 0; s < steps; s++) {
            opt.zeroGrad();
            float[] xv = x.toArray();
            for (int j = 0; j < a.length; j++) {
                grad[j] = 2 * a[j] * (xv[j] - c[j]);
            }
            opt.step();
        }
        double maxErr = 0;
        for (int j = 0; j < a.length; j++) {
            maxErr = Math.max(maxErr, Math.abs(x.get(j) - c[j]));
        }
        return maxErr;
    }

    @Test
    void everyOptimiserConvergesOnAQuadratic() {
        float[] a = {1f, 0.5f, 2f, 0.25f, 1.5f};
        float[] c = {3f, -1f, 0.5f, 2f, -4f};
        Tensor x1 = Tensor.zeros(5);
        assertTrue(minimise(new Sgd(List.of(x1), 0.1f), x1, a, c, 500) < 1e-3);
        Tensor x2 = Tensor.zeros(5);
        assertTrue(minimise(new Sgd(List.of(x2), 0.05f, 0.9f, 0f), x2, a, c, 500) < 1e-3);
        Tensor x3 = Tensor.zeros(5);
        assertTrue(minimise(new Adam(List.of(x3), 0.05f), x3, a, c, 2000) < 1e-2);
    }

    @Test
    void weightDecayAloneShrinksTowardsZero() {
        Tensor p = Tensor.full(2f, 3);
        p.setGrad(Tensor.zeros(3));
        Sgd sgd = new Sgd(List.of(p), 0.1f, 0f, 0.5f);
        sgd.step();
        assertEquals(2f * (1 - 0.05f), p.get(0), 1e-6);
    }

    @Test
    void zeroGradKeepsTheGradientTensorAndStepSkipsMissingGradients() {
        Tensor p = Tensor.ones(2, 3);
        Tensor q = Tensor.ones(4);
        Tensor g = Tensor.full(5f, 2, 3);
        p.setGrad(g);
        Sgd sgd = new Sgd(List.of(p, q), 1f);
        sgd.step();
        assertEquals(-4f, p.get(1, 2));
        assertEquals(1f, q.get(3));
        assertNull(q.grad());
        sgd.zeroGrad();
        assertTrue(p.grad() == g);
        assertEquals(0f, g.sum().item());
    }

    @Test
    void stepsUpdateTransposedParametersAndGradients() {
        Tensor base = Tensor.arange(6).reshape(2, 3).copy();
        Tensor p = base.t();
        p.setGrad(Tensor.ones(3, 2));
        new Adam(List.of(p), 0.5f).step();
        assertEquals(-0.5f, base.get(0, 0), 1e-5);
        assertEquals(4.5f, base.get(1, 2), 1e-5);
    }

    @Test
    void badHyperParametersAreRejectedByName() {
        Tensor p = Tensor.zeros(2);
        var e = assertThrows(IllegalArgumentException.class, () -> new Sgd(List.of(p), -1f));
        assertTrue(e.getMessage().contains("learning rate"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Sgd(List.of(p), 0.1f, 1.5f, 0f));
        assertTrue(e.getMessage().contains("momentum"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Adam(List.of(p), 0.1f, 1f, 0.9f, 1e-8f, 0f));
        assertTrue(e.getMessage().contains("beta1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Adam(List.of(), 0.1f));
        assertTrue(e.getMessage().contains("at least one parameter"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Adam(List.of(p), Float.NaN));
        assertTrue(e.getMessage().contains("learning rate"), e.getMessage());
    }
}
