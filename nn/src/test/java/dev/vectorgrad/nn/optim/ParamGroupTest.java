package dev.vectorgrad.nn.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vectorgrad.core.Rng;
import dev.vectorgrad.core.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Param groups against a reference written out in double: each group's own learning rate,
 * decays, momentum or betas reach exactly its parameters, state stays per parameter, and the
 * live groups change the following steps.
 */
class ParamGroupTest {

    static void assertRejected(Executable call, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "message '" + e.getMessage() + "' should contain '" + f + "'");
        }
    }

    /** torch.optim.SGD on one parameter in double; the hyper-parameters may change between steps. */
    static final class SgdRef {
        double lr;
        double mu;
        double wd;
        double[] buf;

        SgdRef(double lr, double mu, double wd) {
            this.lr = lr;
            this.mu = mu;
            this.wd = wd;
        }

        void step(double[] p, float[] grad) {
            double[] g = new double[p.length];
            for (int j = 0; j < p.length; j++) {
                g[j] = grad[j] + wd * p[j];
            }
            if (mu != 0) {
                if (buf == null) {
                    buf = g.clone();
                } else {
                    for (int j = 0; j < p.length; j++) {
                        buf[j] = mu * buf[j] + g[j];
                    }
                }
                g = buf.clone();
            }
            for (int j = 0; j < p.length; j++) {
                p[j] -= lr * g[j];
            }
        }
    }

    /** torch.optim.Adam on one parameter in double; the hyper-parameters may change between steps. */
    static final class AdamRef {
        double lr;
        double b1;
        double b2;
        double dwd;
        double[] m;
        double[] v;
        int t;

        AdamRef(double lr, double b1, double b2, double dwd) {
            this.lr = lr;
            this.b1 = b1;
            this.b2 = b2;
            this.dwd = dwd;
        }

        void step(double[] p, float[] grad) {
            if (m == null) {
                m = new double[p.length];
                v = new double[p.length];
            }
            t++;
            for (int j = 0; j < p.length; j++) {
                double g = grad[j];
                p[j] *= 1 - lr * dwd;
                m[j] = b1 * m[j] + (1 - b1) * g;
                v[j] = b2 * v[j] + (1 - b2) * g * g;
                p[j] -= lr * (m[j] / (1 - Math.pow(b1, t))) / (Math.sqrt(v[j] / (1 - Math.pow(b2, t))) + 1e-8);
            }
        }
    }

    static Tensor[] params(long seed, int... sizes) {
        Rng rng = new Rng(seed);
        Tensor[] ps = new Tensor[sizes.length];
        for (int i = 0; i < sizes.length; i++) {
            ps[i] = Tensor.randn(rng, sizes[i]);
        }
        return ps;
    }

    static double[][] toDouble(Tensor[] ps) {
        double[][] out = new double[ps.length][];
        for (int i = 0; i < ps.length; i++) {
            float[] a = ps[i].toArray();
            out[i] = new double[a.length];
            for (int j = 0; j < a.length; j++) {
                out[i][j] = a[j];
            }
        }
        return out;
    }

    /** Gives every parameter a fresh random gradient and returns them. */
    static float[][] randomGrads(Tensor[] ps, Rng rng) {
        float[][] gs = new float[ps.length][];
        for (int i = 0; i < ps.length; i++) {
            Tensor g = Tensor.randn(rng, ps[i].shape());
            ps[i].setGrad(g);
            gs[i] = g.toArray();
        }
        return gs;
    }

    static void assertClose(double[] expected, Tensor actual, double tol, String what) {
        float[] a = actual.toArray();
        for (int j = 0; j < expected.length; j++) {
            if (!(Math.abs(expected[j] - a[j]) <= tol * Math.max(1, Math.abs(expected[j])))) {
                throw new AssertionError(what + " element " + j + ": expected " + expected[j] + " but was " + a[j]);
            }
        }
    }

    @Test
    void sgdGroupsUpdateEachParameterWithItsGroupsOptions() {
        Tensor[] ps = params(1, 13, 7, 1, 33);
        Sgd sgd = Sgd.builder(List.of(
                        ParamGroup.of(List.of(ps[0], ps[1])).lr(0.1f),
                        ParamGroup.of(List.of(ps[2], ps[3])).weightDecay(0f).momentum(0f)), 0.01f)
                .momentum(0.9f).weightDecay(0.05f).build();
        assertEquals(2, sgd.paramGroups().size());
        ParamGroup g0 = sgd.paramGroups().get(0);
        ParamGroup g1 = sgd.paramGroups().get(1);
        assertEquals(0.1f, g0.lr());
        assertEquals(0.9f, g0.momentum());
        assertEquals(0.05f, g0.weightDecay());
        assertEquals(0.01f, g1.lr());
        assertEquals(0f, g1.momentum());
        assertEquals(0f, g1.weightDecay());
        assertEquals(List.of(ps[0], ps[1], ps[2], ps[3]), sgd.parameters());

        double[][] ref = toDouble(ps);
        SgdRef[] refs = {new SgdRef(0.1, 0.9, 0.05), new SgdRef(0.1, 0.9, 0.05), new SgdRef(0.01, 0, 0),
            new SgdRef(0.01, 0, 0)};
        Rng rng = new Rng(2);
        for (int step = 0; step < 8; step++) {
            if (step == 4) {
                g1.lr(0.03f); // a live group changes the following steps, as group['lr'] = 0.03
                refs[2].lr = refs[3].lr = 0.03f;
            }
            float[][] gs = randomGrads(ps, rng);
            sgd.step();
            for (int i = 0; i < ps.length; i++) {
                refs[i].step(ref[i], gs[i]);
                assertClose(ref[i], ps[i], 1e-5, "step " + step + " parameter " + i);
            }
        }
    }

    @Test
    void adamGroupsHaveTheirOwnBetasLrAndDecoupledDecay() {
        Tensor[] ps = params(3, 5, 17, 8);
        Adam adam = Adam.builder(List.of(
                        ParamGroup.of(List.of(ps[0])).lr(1e-2f).betas(0.8f, 0.99f),
                        ParamGroup.of(List.of(ps[1], ps[2])).decoupledWeightDecay(0.1f)), 1e-3f)
                .build();
        double[][] ref = toDouble(ps);
        AdamRef[] refs = {new AdamRef(1e-2, 0.8f, 0.99f, 0), new AdamRef(1e-3f, 0.9f, 0.999f, 0.1f),
            new AdamRef(1e-3f, 0.9f, 0.999f, 0.1f)};
        assertEquals(0.8f, adam.paramGroups().get(0).beta1());
        assertEquals(0.999f, adam.paramGroups().get(1).beta2());
        assertEquals(1e-8f, adam.paramGroups().get(1).eps());
        Rng rng = new Rng(4);
        for (int step = 0; step < 10; step++) {
            if (step == 5) {
                adam.paramGroups().get(0).betas(0.7f, 0.99f);
                refs[0].b1 = 0.7f;
            }
            float[][] gs = randomGrads(ps, rng);
            if (step % 3 == 1) {
                ps[2].setGrad(null); // skipped: its own step count does not advance
            }
            adam.step();
            for (int i = 0; i < ps.length; i++) {
                if (i == 2 && step % 3 == 1) {
                    continue;
                }
                refs[i].step(ref[i], gs[i]);
            }
            for (int i = 0; i < ps.length; i++) {
                assertClose(ref[i], ps[i], 2e-5, "step " + step + " parameter " + i);
            }
        }
        assertEquals(10, adam.steps(1));
        assertEquals(7, adam.steps(2));
    }

    @Test
    void oneGroupGivenAsAGroupStepsBitForBitAsPlainParameters() {
        Tensor[] a = params(5, 9, 31);
        Tensor[] b = params(5, 9, 31);
        Optimizer plain = Sgd.builder(List.of(a), 0.05f).momentum(0.9f).nesterov(true).weightDecay(1e-3f).build();
        Optimizer grouped = Sgd.builder(List.of(ParamGroup.of(List.of(b))), 0.05f).momentum(0.9f).nesterov(true)
                .weightDecay(1e-3f).build();
        Optimizer adamPlain = Adam.adamW(List.of(params(6, 4)), 1e-3f);
        assertEquals(1, adamPlain.paramGroups().size());
        Rng ra = new Rng(7);
        Rng rb = new Rng(7);
        for (int step = 0; step < 5; step++) {
            randomGrads(a, ra);
            randomGrads(b, rb);
            plain.step();
            grouped.step();
        }
        for (int i = 0; i < a.length; i++) {
            assertArrayEquals(a[i].toArray(), b[i].toArray());
        }
    }

    @Test
    void setLrSetsEveryGroupAndLrReadsTheFirst() {
        Tensor[] ps = params(8, 3, 3, 3);
        Sgd sgd = new Sgd(List.of(ParamGroup.of(List.of(ps[0])).lr(0.5f), ParamGroup.of(List.of(ps[1], ps[2]))), 0.1f);
        assertEquals(0.5f, sgd.lr());
        sgd.setLr(0.2f);
        for (ParamGroup g : sgd.paramGroups()) {
            assertEquals(0.2f, g.lr());
        }
        sgd.paramGroups().get(1).lr(0f); // PyTorch accepts a zero learning rate: the group is frozen
        float[] before = ps[1].toArray();
        randomGrads(ps, new Rng(9));
        sgd.step();
        assertArrayEquals(before, ps[1].toArray());
        assertThrows(UnsupportedOperationException.class, () -> sgd.paramGroups().add(ParamGroup.of(List.<Tensor>of())));
        assertTrue(sgd.toString().contains("Sgd param group 1(params=2 tensors, lr=0.0"), sgd.toString());
    }

    @Test
    void momentumTurnedOnLaterStartsEachBufferFromTheGradient() {
        Tensor[] ps = params(10, 6);
        Sgd sgd = new Sgd(List.of(ps[0]), 0.1f); // no momentum: no buffer
        double[][] ref = toDouble(ps);
        SgdRef r = new SgdRef(0.1f, 0, 0);
        Rng rng = new Rng(11);
        for (int step = 0; step < 6; step++) {
            if (step == 2) {
                sgd.paramGroups().get(0).momentum(0.9f);
                r.mu = 0.9f;
            }
            float[][] gs = randomGrads(ps, rng);
            sgd.step();
            r.step(ref[0], gs[0]);
            assertClose(ref[0], ps[0], 1e-5, "step " + step);
        }
    }

    @Test
    void specsAreCopiedSoOneSpecCanSeedTwoOptimisers() {
        Tensor[] ps = params(12, 4);
        ParamGroup spec = ParamGroup.of(List.of(ps[0])).lr(0.3f);
        Sgd a = new Sgd(List.of(spec), 0.1f);
        Sgd b = new Sgd(List.of(spec), 0.1f);
        a.paramGroups().get(0).lr(0.7f);
        assertEquals(0.3f, b.lr());
        assertEquals(0.3f, spec.lr());
        assertTrue(Float.isNaN(spec.momentum()), "an unset option of a spec reads NaN");
        assertTrue(a.paramGroups().get(0).hasMomentum());
        assertFalse(a.paramGroups().get(0).hasBetas());
    }

    @Test
    void badGroupsAreRejectedByName() {
        Tensor[] ps = params(13, 2, 2);
        Tensor p = ps[0];
        assertRejected(() -> new Sgd(List.of(ParamGroup.of(List.of(p)), ParamGroup.of(List.of(ps[1], p))), 0.1f),
                "Sgd: parameters 0 and 2 are the same tensor", "param groups 0 and 1");
        assertRejected(() -> new Sgd(List.<ParamGroup>of(), 0.1f), "Sgd: expected at least one parameter group");
        assertRejected(() -> new Sgd(List.of(ParamGroup.of(List.of(p)).betas(0.9f, 0.99f)), 0.1f),
                "Sgd param group 0 sets betas, which Sgd does not have");
        assertRejected(() -> new Adam(List.of(ParamGroup.of(List.of(p)), ParamGroup.of(List.of(ps[1])).momentum(0.9f)),
                0.1f), "Adam param group 1 sets momentum, which Adam does not have");
        assertRejected(() -> Sgd.builder(List.of(ParamGroup.of(List.of(p)), ParamGroup.of(List.of(ps[1])).momentum(0f)),
                        0.1f).momentum(0.9f).nesterov(true).build(),
                "Sgd param group 1: Nesterov momentum requires a momentum > 0", "momentum 0.0");
        assertRejected(() -> ParamGroup.of(List.of(p)).lr(-0.1f), "ParamGroup: learning rate must be finite and >= 0, got -0.1");
        assertRejected(() -> ParamGroup.of(List.of(p)).momentum(1f), "ParamGroup: momentum must be in [0.0, 1.0), got 1.0");
        assertRejected(() -> ParamGroup.of(List.of(p)).eps(0f), "ParamGroup: eps must be finite and > 0");
        Sgd sgd = Sgd.builder(List.of(p), 0.1f).momentum(0.9f).nesterov(true).build();
        ParamGroup live = sgd.paramGroups().get(0);
        assertRejected(() -> live.momentum(0f), "Sgd: Nesterov momentum requires a momentum > 0");
        assertRejected(() -> live.betas(0.9f, 0.9f), "Sgd: has no betas");
        assertRejected(() -> live.lr(Float.NaN), "Sgd: learning rate must be finite and >= 0, got NaN");
        assertEquals(0.9f, live.momentum(), "a rejected change leaves the group as it was");
        assertRejected(() -> ParamGroup.of((List<Tensor>) null), "ParamGroup.of: the parameter list is null");
    }
}
