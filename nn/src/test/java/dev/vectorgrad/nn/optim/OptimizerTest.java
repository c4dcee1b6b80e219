package dev.vectorgrad.nn.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vectorgrad.autograd.Var;
import dev.vectorgrad.core.Rng;
import dev.vectorgrad.core.Tensor;
import dev.vectorgrad.nn.Linear;
import java.lang.management.ManagementFactory;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The optimisers against PyTorch's documented algorithms ({@code torch.optim.SGD}, {@code Adam},
 * {@code AdamW}) written out here in double precision, over several steps of random gradients
 * on parameters whose sizes are not multiples of any vector width.
 */
class OptimizerTest {

    private static final int[][] SHAPES = {{13}, {7, 5}, {1}};

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

    private static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }

    private static void assertClose(double[] expected, Tensor actual, double tol, String what) {
        float[] a = actual.toArray();
        for (int j = 0; j < expected.length; j++) {
            double e = expected[j];
            if (!(Math.abs(e - a[j]) <= tol * Math.max(1, Math.abs(e)))) {
                throw new AssertionError(what + " element " + j + ": expected " + e + " but was " + a[j]);
            }
        }
    }

    private static void assertRejected(Executable call, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "message '" + e.getMessage() + "' should contain '" + f + "'");
        }
    }

    /** torch.optim.SGD's update in double, plus decoupled decay before the step. */
    private static final class SgdRef {
        final double mu;
        final double damp;
        final boolean nesterov;
        final double wd;
        final double dwd;
        double[] buf;

        SgdRef(double mu, double damp, boolean nesterov, double wd, double dwd) {
            this.mu = mu;
            this.damp = damp;
            this.nesterov = nesterov;
            this.wd = wd;
            this.dwd = dwd;
        }

        void step(double[] p, float[] grad, double lr) {
            double[] g = new double[p.length];
            for (int j = 0; j < p.length; j++) {
                g[j] = grad[j] + wd * p[j];
                p[j] *= 1 - lr * dwd;
            }
            if (mu != 0) {
                if (buf == null) {
                    buf = g.clone();
                } else {
                    for (int j = 0; j < p.length; j++) {
                        buf[j] = mu * buf[j] + (1 - damp) * g[j];
                    }
                }
                for (int j = 0; j < p.length; j++) {
                    g[j] = nesterov ? g[j] + mu * buf[j] : buf[j];
                }
            }
            for (int j = 0; j < p.length; j++) {
                p[j] -= lr * g[j];
            }
        }
    }

    /** torch.optim.Adam (L2 weight_decay) and AdamW (decoupled) in double, step count per parameter. */
    private static final class AdamRef {
        final double b1;
        final double b2;
        final double eps;
        final double wd;
        final double dwd;
        double[] m;
        double[] v;
        int t;

        AdamRef(double b1, double b2, double eps, double wd, double dwd) {
            this.b1 = b1;
            this.b2 = b2;
            this.eps = eps;
            this.wd = wd;
            this.dwd = dwd;
        }

        void step(double[] p, float[] grad, double lr) {
            if (m == null) {
                m = new double[p.length];
                v = new double[p.length];
            }
            t++;
            for (int j = 0; j < p.length; j++) {
                double g = grad[j] + wd * p[j];
                p[j] *= 1 - lr * dwd;
                m[j] = b1 * m[j] + (1 - b1) * g;
                v[j] = b2 * v[j] + (1 - b2) * g * g;
                double mhat = m[j] / (1 - Math.pow(b1, t));
                double vhat = v[j] / (1 - Math.pow(b2, t));
                p[j] -= lr * mhat / (Math.sqrt(vhat) + eps);
            }
        }
    }

    private interface RefStep {
        void step(int param, double[] p, float[] grad, double lr);
    }

    /**
     * Runs {@code opt} on fresh parameters of {@link #SHAPES} for {@code steps} steps of random
     * gradients and the reference beside it, comparing after every step; the learning rate is
     * halved half way, as a schedule would. With {@code skipEvery} > 0, parameter 1 has no
     * gradient on every step divisible by it.
     */
    private static void compare(java.util.function.Function<List<Tensor>, Optimizer> make, RefStep ref,
                                int steps, int skipEvery, double tol, String what) {
        int count = SHAPES.length;
        Tensor[] ps = new Tensor[count];
        Tensor[] gs = new Tensor[count];
        double[][] refs = new double[count][];
        for (int i = 0; i < count; i++) {
            ps[i] = Tensor.randn(new Rng(10 + i), SHAPES[i]);
            gs[i] = Tensor.zeros(SHAPES[i]);
            refs[i] = toDouble(ps[i].toArray());
        }
        Optimizer opt = make.apply(List.of(ps));
        Rng rng = new Rng(99);
        for (int s = 1; s <= steps; s++) {
            if (s == steps / 2) {
                opt.setLr(opt.lr() * 0.5f);
            }
            for (int i = 0; i < count; i++) {
                boolean skip = i == 1 && skipEvery > 0 && s % skipEvery == 0;
                ps[i].setGrad(skip ? null : gs[i]);
                if (!skip) {
                    float[] g = Tensor.randn(rng, SHAPES[i]).toArray();
                    gs[i].copyFrom(Tensor.of(g, SHAPES[i]));
                    ref.step(i, refs[i], g, opt.lr());
                }
            }
            opt.step();
            for (int i = 0; i < count; i++) {
                assertClose(refs[i], ps[i], tol, what + " step " + s + " param " + i);
            }
        }
    }

    private static SgdRef[] sgdRefs(double mu, double damp, boolean nesterov, double wd, double dwd) {
        SgdRef[] r = new SgdRef[SHAPES.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = new SgdRef(mu, damp, nesterov, wd, dwd);
        }
        return r;
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
    void sgdFollowsTorchInEveryConfiguration() {
        record Case(String name, float mu, float damp, boolean nesterov, float wd, float dwd) {}
        List<Case> cases = List.of(
                new Case("plain", 0f, 0f, false, 0f, 0f),
                new Case("plain + L2", 0f, 0f, false, 0.1f, 0f),
                new Case("momentum", 0.9f, 0f, false, 0f, 0f),
                new Case("momentum + dampening", 0.9f, 0.3f, false, 0f, 0f),
                new Case("nesterov", 0.8f, 0f, true, 0f, 0f),
                new Case("momentum + L2", 0.9f, 0f, false, 0.05f, 0f),
                new Case("momentum + decoupled", 0.9f, 0f, false, 0f, 0.2f),
                new Case("nesterov + both decays", 0.7f, 0f, true, 0.05f, 0.2f),
                new Case("dampening + both decays", 0.5f, 0.5f, false, 0.02f, 0.1f));
        for (Case c : cases) {
            float lr = 0.05f;
            compareSgdCase(c.name(), lr, c.mu(), c.damp(), c.nesterov(), c.wd(), c.dwd());
        }
    }

    private static void compareSgdCase(String name, float lr, float mu, float damp, boolean nesterov, float wd,
                                       float dwd) {
        SgdRef[] refs = sgdRefs(mu, damp, nesterov, wd, dwd);
        Sgd[] made = new Sgd[1];
        compare(params -> made[0] = Sgd.builder(params, lr).momentum(mu).dampening(damp).nesterov(nesterov)
                        .weightDecay(wd).decoupledWeightDecay(dwd).build(),
                (i, p, g, rate) -> refs[i].step(p, g, rate), 8, 3, 2e-5, "Sgd " + name);
        assertEquals(mu, made[0].momentum());
        assertEquals(damp, made[0].dampening());
        assertEquals(nesterov, made[0].nesterov());
        assertEquals(wd, made[0].weightDecay());
        assertEquals(dwd, made[0].decoupledWeightDecay());
    }

    @Test
    void fourArgumentSgdMeansWhatTorchMeans() {
        // torch.optim.SGD(params, lr, momentum, weight_decay): the decay is L2 and enters the buffer.
        SgdRef[] refs = sgdRefs(0.9, 0, false, 0.1, 0);
        compare(params -> new Sgd(params, 0.05f, 0.9f, 0.1f), (i, p, g, rate) -> refs[i].step(p, g, rate), 6, 0, 2e-5,
                "Sgd(params, lr, momentum, weightDecay)");
    }

    @Test
    void adamAndAdamWFollowTorch() {
        record Case(String name, float lr, float b1, float b2, float eps, float wd, float dwd) {}
        List<Case> cases = List.of(
                new Case("Adam", 0.01f, 0.9f, 0.999f, 1e-8f, 0f, 0f),
                new Case("Adam + L2", 0.01f, 0.9f, 0.999f, 1e-8f, 0.1f, 0f),
                new Case("AdamW", 0.01f, 0.9f, 0.999f, 1e-8f, 0f, 0.1f),
                new Case("both decays, other betas", 0.003f, 0.5f, 0.9f, 1e-6f, 0.05f, 0.2f));
        for (Case c : cases) {
            AdamRef[] refs = new AdamRef[SHAPES.length];
            for (int i = 0; i < refs.length; i++) {
                refs[i] = new AdamRef(c.b1(), c.b2(), c.eps(), c.wd(), c.dwd());
            }
            Adam[] made = new Adam[1];
            compare(params -> made[0] = Adam.builder(params, c.lr()).betas(c.b1(), c.b2()).eps(c.eps())
                            .weightDecay(c.wd()).decoupledWeightDecay(c.dwd()).build(),
                    (i, p, g, rate) -> refs[i].step(p, g, rate), 10, 4, 2e-5, c.name());
            assertEquals(c.wd(), made[0].weightDecay());
            assertEquals(c.dwd(), made[0].decoupledWeightDecay());
            assertEquals(10, made[0].steps());
            assertEquals(10, made[0].steps(0));
            assertEquals(10 - 10 / 4, made[0].steps(1), "parameter 1 skipped every fourth step");
        }
    }

    @Test
    void sixArgumentAdamIsTorchAdamWithL2() {
        AdamRef[] refs = new AdamRef[SHAPES.length];
        for (int i = 0; i < refs.length; i++) {
            refs[i] = new AdamRef(0.9, 0.999, 1e-8, 0.1, 0);
        }
        compare(params -> new Adam(params, 0.01f, 0.9f, 0.999f, 1e-8f, 0.1f), (i, p, g, rate) -> refs[i].step(p, g, rate),
                6, 0, 2e-5, "Adam(params, lr, b1, b2, eps, weightDecay)");
    }

    @Test
    void adamWHasTorchDefaults() {
        Tensor p = Tensor.zeros(3);
        Adam w = Adam.adamW(List.of(p), 1e-3f);
        assertEquals(0.01f, w.decoupledWeightDecay());
        assertEquals(0f, w.weightDecay());
        assertEquals(0.9f, w.beta1());
        assertEquals(0.999f, w.beta2());
        assertEquals(1e-8f, w.eps());
        Adam w2 = Adam.adamW(List.of(p), 1e-3f, 0.1f);
        assertEquals(0.1f, w2.decoupledWeightDecay());
        var e = assertThrows(IllegalArgumentException.class, () -> Adam.adamW(List.of(p), 1e-3f, -1f));
        assertTrue(e.getMessage().startsWith("AdamW: decoupled weight decay"), e.getMessage());
    }

    @Test
    void aParameterWhoseFirstGradientComesLateGetsAFirstStepBiasCorrection() {
        // Step 1 of Adam moves each element by lr * sign(g) (up to eps). With one global step
        // count, parameter b's first update at step 4 was scaled by sqrt(1-0.999^4)/(1-0.9^4) ~ 0.58.
        Tensor a = Tensor.zeros(3);
        Tensor b = Tensor.zeros(3);
        a.setGrad(Tensor.ones(3));
        Adam adam = new Adam(List.of(a, b), 0.1f);
        for (int s = 0; s < 3; s++) {
            adam.step();
        }
        assertEquals(0, adam.steps(1));
        assertEquals(0f, b.get(0), "a parameter without a gradient is not touched");
        b.setGrad(Tensor.of(new float[] {2f, -0.5f, 1e-3f}, 3));
        adam.step();
        assertEquals(-0.1f, b.get(0), 1e-6);
        assertEquals(0.1f, b.get(1), 1e-6);
        assertEquals(-0.1f, b.get(2), 1e-5);
        assertEquals(4, adam.steps());
        assertEquals(4, adam.steps(0));
        assertEquals(1, adam.steps(1));
        assertThrows(IndexOutOfBoundsException.class, () -> adam.steps(2));
    }

    @Test
    void aLateParameterStartsItsMomentumBufferFromItsFirstGradient() {
        // PyTorch clones the first gradient into the buffer; with dampening 0.5 a buffer that
        // started at zero would hold only half of it.
        Tensor a = Tensor.zeros(2);
        Tensor b = Tensor.zeros(2);
        a.setGrad(Tensor.ones(2));
        Sgd sgd = Sgd.builder(List.of(a, b), 1f).momentum(0.9f).dampening(0.5f).build();
        sgd.step();
        sgd.step();
        assertEquals(-1f - (0.9f + 0.5f), a.get(0), 1e-6, "a: buf = 1, then 0.9*1 + 0.5*1");
        b.setGrad(Tensor.full(4f, 2));
        sgd.step();
        assertEquals(-4f, b.get(0), 1e-6);
        sgd.step();
        assertEquals(-4f - (0.9f * 4 + 0.5f * 4), b.get(1), 1e-5);
    }

    @Test
    void adamsFirstStepMovesEachElementByLr() {
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
        assertTrue(minimise(Sgd.builder(List.of(x3), 0.05f).momentum(0.9f).nesterov(true).build(), x3, a, c, 500) < 1e-3);
        Tensor x4 = Tensor.zeros(5);
        assertTrue(minimise(new Adam(List.of(x4), 0.05f), x4, a, c, 2000) < 1e-2);
    }

    @Test
    void l2AndDecoupledDecayDifferOnceMomentumCarriesTheL2Term() {
        // Zero loss gradient, momentum 0.9, lr 0.1, decay 0.5, p = 2. L2: the decay term enters
        // the buffer, so the second step subtracts lr*(0.9*buf + g). Decoupled: p *= 0.95 per step.
        Tensor l2 = Tensor.full(2f, 1);
        l2.setGrad(Tensor.zeros(1));
        Sgd a = new Sgd(List.of(l2), 0.1f, 0.9f, 0.5f);
        Tensor dec = Tensor.full(2f, 1);
        dec.setGrad(Tensor.zeros(1));
        Sgd b = Sgd.builder(List.of(dec), 0.1f).momentum(0.9f).decoupledWeightDecay(0.5f).build();
        a.step();
        b.step();
        assertEquals(2 - 0.1 * 1, l2.get(0), 1e-6, "L2 step 1: buf = 0.5*2");
        assertEquals(2 * 0.95, dec.get(0), 1e-6, "decoupled step 1");
        a.step();
        b.step();
        double buf = 0.9 * 1 + 0.5 * 1.9;
        assertEquals(1.9 - 0.1 * buf, l2.get(0), 1e-6, "L2 step 2");
        assertEquals(2 * 0.95 * 0.95, dec.get(0), 1e-6, "decoupled step 2");
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
        assertSame(g, p.grad());
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
        Tensor q = Tensor.arange(6).reshape(2, 3).copy();
        q.setGrad(Tensor.ones(3, 2).t());
        Sgd.builder(List.of(q), 0.5f).momentum(0.9f).build().step();
        assertEquals(-0.5f, q.get(0, 0), 1e-6);
    }

    @Test
    void autogradParametersAreAcceptedAsVars() {
        Linear layer = new Linear(4, 3, new Rng(5));
        List<Var> vars = layer.parameters();
        Sgd sgd = new Sgd(vars, 0.1f);
        assertEquals(vars.size(), sgd.parameters().size());
        for (int i = 0; i < vars.size(); i++) {
            assertSame(vars.get(i).value(), sgd.parameters().get(i));
        }
        Tensor w = vars.get(0).value();
        float before = w.get(0, 0);
        w.setGrad(Tensor.ones(w.shape()));
        sgd.step();
        assertEquals(before - 0.1f, w.get(0, 0), 1e-6);
        assertEquals(vars.size(), new Adam(vars, 1e-3f).parameters().size());
        assertEquals(0.01f, Adam.adamW(vars, 1e-3f).decoupledWeightDecay());
        assertEquals(0.9f, Sgd.builder(vars, 0.1f).momentum(0.9f).build().momentum());
        assertEquals(0.5f, Adam.builder(vars, 0.1f).betas(0.5f, 0.9f).build().beta1());
        assertSame(w, Optimizer.values(vars).get(0));
    }

    @Test
    void stepAllocatesNothingAfterWarmUp() {
        var bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Rng rng = new Rng(8);
        List<Tensor> ps = List.of(Tensor.randn(rng, 50, 784), Tensor.randn(rng, 50), Tensor.randn(rng, 10, 50),
                Tensor.randn(rng, 10));
        List<Tensor> qs = List.of(Tensor.randn(rng, 50, 784), Tensor.randn(rng, 50), Tensor.randn(rng, 10, 50),
                Tensor.randn(rng, 10));
        List<Tensor> rs = List.of(Tensor.randn(rng, 31), Tensor.randn(rng, 7, 9));
        for (List<Tensor> l : List.of(ps, qs, rs)) {
            for (Tensor p : l) {
                p.setGrad(Tensor.randn(rng, p.shape()).mul(1e-3f));
            }
        }
        Optimizer sgd = Sgd.builder(ps, 1e-4f).momentum(0.9f).nesterov(true).weightDecay(1e-4f)
                .decoupledWeightDecay(1e-3f).build();
        Optimizer adam = Adam.builder(qs, 1e-4f).weightDecay(1e-4f).decoupledWeightDecay(1e-2f).build();
        Optimizer plain = new Sgd(rs, 1e-4f);
        Optimizer[] all = {sgd, adam, plain};
        // Until C2 compiles a Vector API loop, every vector is an object on the heap; on a busy
        // machine that may take a while for a small parameter's kernel call, so warm up in rounds.
        long allocated = Long.MAX_VALUE;
        int round = 0;
        for (; round < 100 && allocated >= 1024; round++) {
            long before = bean.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 1000; i++) {
                for (Optimizer o : all) {
                    o.step();
                    o.zeroGrad();
                }
            }
            allocated = bean.getCurrentThreadAllocatedBytes() - before;
        }
        assertTrue(allocated < 1024, "1,000 steps and zeroGrads of three optimisers still allocated " + allocated
                + " bytes after " + (round - 1) + " such rounds of warm-up");
    }

    @Test
    void badHyperParametersAreRejectedByName() {
        Tensor p = Tensor.zeros(2);
        List<Tensor> ps = List.of(p);
        assertRejected(() -> new Sgd(ps, -1f), "Sgd: learning rate must be finite and >= 0, got -1.0");
        assertRejected(() -> new Sgd(ps, 0.1f, 1.5f, 0f), "Sgd: momentum must be in [0.0, 1.0), got 1.5");
        assertRejected(() -> new Sgd(ps, 0.1f, 0.9f, -0.1f), "Sgd: weight decay must be finite and >= 0");
        assertRejected(() -> Sgd.builder(ps, 0.1f).nesterov(true).build(),
                "Sgd: Nesterov momentum requires a momentum > 0 and zero dampening", "momentum 0.0");
        assertRejected(() -> Sgd.builder(ps, 0.1f).nesterov(true).momentum(0.9f).dampening(0.1f).build(),
                "Nesterov", "dampening 0.1");
        assertRejected(() -> Sgd.builder(ps, 0.1f).momentum(0.9f).dampening(2f).build(),
                "Sgd: dampening must be in [0, 1], got 2.0");
        assertRejected(() -> Sgd.builder(ps, 0.1f).decoupledWeightDecay(Float.NaN).build(),
                "Sgd: decoupled weight decay must be finite and >= 0, got NaN");
        assertRejected(() -> new Adam(ps, 0.1f, 1f, 0.9f, 1e-8f, 0f), "Adam: beta1 must be in [0.0, 1.0), got 1.0");
        assertRejected(() -> Adam.builder(ps, 0.1f).betas(0.9f, 1f).build(), "Adam: beta2");
        assertRejected(() -> Adam.builder(ps, 0.1f).eps(0f).build(), "Adam: eps must be finite and > 0, got 0.0");
        assertRejected(() -> Adam.builder(ps, 0.1f).weightDecay(Float.POSITIVE_INFINITY).build(),
                "Adam: weight decay must be finite");
        assertRejected(() -> new Adam(List.<Tensor>of(), 0.1f), "at least one parameter");
        assertRejected(() -> new Adam(ps, Float.NaN), "learning rate");
        assertRejected(() -> new Sgd(List.of(p, p), 0.1f), "parameters 0 and 1 are the same tensor");
        assertRejected(() -> new Sgd(List.of(Tensor.zeros(1, 3).expand(2, 3)), 0.1f),
                "parameter 0 is an expanded view", "dim 0");
        Sgd sgd = new Sgd(ps, 0.1f);
        assertRejected(() -> sgd.setLr(-0.5f), "Sgd: learning rate must be finite and >= 0, got -0.5");
        assertEquals(0.1f, sgd.lr());
        assertFalse(sgd.nesterov());
    }
}
