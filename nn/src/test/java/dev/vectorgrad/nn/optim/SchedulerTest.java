package dev.vectorgrad.nn.optim;

import static dev.vectorgrad.nn.optim.ParamGroupTest.assertRejected;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vectorgrad.core.Rng;
import dev.vectorgrad.core.Tensor;
import java.util.List;
import java.util.function.LongToDoubleFunction;
import org.junit.jupiter.api.Test;

/**
 * The schedulers against their closed forms over many steps, and against PyTorch's recursive
 * ("chainable") forms, written out here in double, which {@code step()} in PyTorch uses; the
 * optimiser's groups must hold what the scheduler reports.
 */
class SchedulerTest {

    private static Sgd twoGroups(float lr0, float lr1) {
        Tensor[] ps = ParamGroupTest.params(1, 3, 4);
        return Sgd.builder(List.of(ParamGroup.of(List.of(ps[0])).lr(lr0), ParamGroup.of(List.of(ps[1]))), lr1)
                .momentum(0.9f).build();
    }

    private static void assertNear(double expected, double actual, double rel, String what) {
        assertTrue(Math.abs(expected - actual) <= rel * Math.max(Math.abs(expected), 1e-30),
                what + ": expected " + expected + " but was " + actual);
    }

    /** Steps {@code s} {@code steps} times, checking each group against {@code expected[g]} at every count. */
    private static void follow(LRScheduler s, int steps, LongToDoubleFunction[] expected, double rel) {
        List<ParamGroup> groups = s.optimizer().paramGroups();
        for (int t = 0; t <= steps; t++) {
            if (t > 0) {
                s.step();
            }
            assertEquals(t, s.stepCount());
            for (int g = 0; g < groups.size(); g++) {
                double e = expected[g].applyAsDouble(t);
                assertNear(e, s.lastLr(g), rel, s.getClass().getSimpleName() + " step " + t + " group " + g);
                assertEquals(s.lastLr(g), groups.get(g).lr(), "the optimiser's group holds the scheduler's lr");
                assertEquals((float) s.lrAt(t, g), s.lastLr(g), "lrAt is the closed form that was applied");
            }
        }
    }

    @Test
    void stepLrIsBaseTimesGammaToTheFloorOfStepOverStepSize() {
        Sgd sgd = twoGroups(0.5f, 0.05f);
        StepLR s = new StepLR(sgd, 7, 0.5f);
        follow(s, 60, new LongToDoubleFunction[] {
            t -> 0.5f * Math.pow(0.5f, Math.floor(t / 7.0)), t -> 0.05f * Math.pow(0.5f, Math.floor(t / 7.0))}, 1e-6);
        // PyTorch's chainable form: multiply by gamma whenever the count is a multiple of step_size.
        Sgd other = twoGroups(0.5f, 0.05f);
        StepLR r = new StepLR(other, 3);
        double lr = 0.5f;
        for (int t = 1; t <= 40; t++) {
            r.step();
            if (t % 3 == 0) {
                lr *= 0.1f;
            }
            assertNear(lr, r.lastLr(0), 1e-5, "chainable StepLR step " + t);
        }
    }

    @Test
    void cosineAnnealingMatchesItsClosedFormAndPyTorchsRecursiveForm() {
        int tMax = 25;
        double etaMin = 1e-3f;
        Sgd sgd = twoGroups(0.1f, 0.02f);
        CosineAnnealingLR s = new CosineAnnealingLR(sgd, tMax, (float) etaMin);
        double[] base = {0.1f, 0.02f};
        LongToDoubleFunction[] closed = new LongToDoubleFunction[2];
        for (int g = 0; g < 2; g++) {
            double b = base[g];
            closed[g] = t -> etaMin + (b - etaMin) * (1 + Math.cos(Math.PI * t / tMax)) / 2;
        }
        follow(s, 3 * tMax, closed, 1e-6);
        assertEquals((float) etaMin, s.lrAt(tMax, 0), 1e-9, "eta_min at T_max");
        assertEquals((float) base[0], s.lrAt(2L * tMax, 0), 1e-7, "back to base at 2*T_max");

        // torch.optim.lr_scheduler.CosineAnnealingLR.get_lr, the recursive form step() uses.
        double lr = base[0];
        for (int t = 1; t <= 3 * tMax; t++) {
            if ((t - 1 - tMax) % (2 * tMax) == 0) {
                lr = lr + (base[0] - etaMin) * (1 - Math.cos(Math.PI / tMax)) / 2;
            } else {
                lr = (1 + Math.cos(Math.PI * t / tMax)) / (1 + Math.cos(Math.PI * (t - 1) / tMax)) * (lr - etaMin) + etaMin;
            }
            assertNear(lr, s.lrAt(t, 0), 1e-5, "recursive cosine step " + t);
        }
        CosineAnnealingLR zero = new CosineAnnealingLR(twoGroups(0.1f, 0.1f), 4);
        for (int t = 0; t < 4; t++) {
            zero.step();
        }
        assertEquals(0f, zero.lastLr(0), "the default eta_min is 0, which a group accepts");
    }

    @Test
    void linearLrWarmsUpLinearlyThenHolds() {
        Sgd sgd = twoGroups(0.3f, 0.03f);
        LinearLR s = new LinearLR(sgd, 0.1f, 1f, 20);
        double sf = 0.1f;
        follow(s, 50, new LongToDoubleFunction[] {
            t -> 0.3f * (sf + (1 - sf) * Math.min(t, 20) / 20.0), t -> 0.03f * (sf + (1 - sf) * Math.min(t, 20) / 20.0)},
                1e-6);
        // torch.optim.lr_scheduler.LinearLR.get_lr, the recursive form.
        LinearLR d = new LinearLR(twoGroups(0.3f, 0.03f));
        double lr = 0.3f * (1f / 3f);
        double start = 1f / 3f;
        for (int t = 1; t <= 12; t++) {
            if (t <= 5) {
                lr *= 1 + (1 - start) / (5 * start + (t - 1) * (1 - start));
            }
            d.step();
            assertNear(lr, d.lastLr(0), 1e-5, "recursive LinearLR step " + t);
        }
        assertEquals(0.3f, d.lastLr(0), 1e-7f);
    }

    @Test
    void sequentialLrHandsOverAtEachMilestoneWithTheCountRestarted() {
        Sgd sgd = twoGroups(0.2f, 0.04f);
        LinearLR warm = new LinearLR(sgd, 0.25f, 1f, 10);
        StepLR mid = new StepLR(sgd, 4, 0.5f);
        CosineAnnealingLR cos = new CosineAnnealingLR(sgd, 30, 0f);
        assertEquals(0.2f, cos.baseLr(0), "every schedule starts from initial_lr, not from what the previous one set");
        SequentialLR s = new SequentialLR(sgd, List.of(warm, mid, cos), 10, 22);
        double[] base = {0.2f, 0.04f};
        LongToDoubleFunction[] expected = new LongToDoubleFunction[2];
        for (int g = 0; g < 2; g++) {
            double b = base[g];
            expected[g] = t -> t < 10 ? b * (0.25f + (1 - 0.25f) * t / 10.0)
                    : t < 22 ? b * Math.pow(0.5f, Math.floor((t - 10) / 4.0))
                    : b * (1 + Math.cos(Math.PI * (t - 22) / 30)) / 2;
        }
        assertEquals(0.2f * 0.25f, sgd.lr(), 1e-8f, "construction applies the first schedule's step 0");
        follow(s, 70, expected, 1e-6);
        assertEquals(70 - 22, cos.stepCount(), "the active schedule counts from its milestone");
        assertEquals(11, mid.stepCount(), "the previous schedule stopped at its last step");
    }

    @Test
    void oneCycleFollowsPyTorchsCurveWithFastAiDefaults() {
        int total = 200;
        double max = 0.1f;
        Sgd sgd = twoGroups(0.5f, 0.5f);
        OneCycleLR s = new OneCycleLR(sgd, (float) max, total);
        double initial = max / 25;
        double min = initial / 1e5;
        double e1 = 0.25 * total - 1;
        double e2 = total - 1;
        LongToDoubleFunction lr = t -> t <= e1 ? cos(initial, max, t / e1) : cos(max, min, (t - e1) / (e2 - e1));
        LongToDoubleFunction mom = t -> t <= e1 ? cos(0.95, 0.85, t / e1) : cos(0.85, 0.95, (t - e1) / (e2 - e1));
        ParamGroup g0 = sgd.paramGroups().get(0);
        assertEquals((float) initial, g0.lr(), "start = max_lr/div_factor");
        assertEquals(0.95f, g0.momentum(), "start momentum = max_momentum");
        assertEquals((float) initial, s.baseLr(0));
        assertEquals((float) initial, g0.initialLr());
        double prev = 0;
        for (int t = 0; t <= total; t++) {
            if (t > 0) {
                s.step();
            }
            assertNear(lr.applyAsDouble(t), s.lastLr(1), 1e-6, "lr step " + t);
            assertNear(mom.applyAsDouble(t), sgd.paramGroups().get(1).momentum(), 1e-6, "momentum step " + t);
            double now = s.lastLr(0);
            if (t > 0 && t <= e1) {
                assertTrue(now > prev, "rising before the peak, step " + t);
            } else if (t > e1 + 1 && t <= e2) {
                assertTrue(now < prev, "falling after the peak, step " + t);
            }
            prev = now;
            if (t == (int) e1) {
                assertEquals((float) max, s.lastLr(0), "peak = max_lr at pct_start*total-1");
                assertEquals(0.85f, g0.momentum(), "base_momentum at the peak");
            }
            if (t == total - 1) {
                assertEquals((float) (max / (25 * 1e5)), s.lastLr(0), 1e-15, "end = max_lr/(div*final_div)");
                assertEquals(0.95f, g0.momentum(), 1e-7f);
            }
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, s::step);
        assertTrue(e.getMessage().contains("OneCycleLR: tried to step 201 times; the specified number of total steps"
                + " is 200"), e.getMessage());
        assertEquals(total, s.stepCount(), "a refused step leaves the count alone");
    }

    private static double cos(double start, double end, double pct) {
        return end + (start - end) / 2 * (Math.cos(Math.PI * pct) + 1);
    }

    @Test
    void oneCycleCyclesAdamsBeta1AndTheOptimiserStepsWithIt() {
        Tensor p = Tensor.randn(new Rng(2), 6);
        Tensor q = p.copy();
        Adam adam = Adam.builder(List.of(p), 1e-3f).betas(0.9f, 0.99f).build();
        OneCycleLR s = OneCycleLR.builder(adam, 0.01f, 40).pctStart(0.3).anneal(OneCycleLR.Anneal.LINEAR).build();
        ParamGroupTest.AdamRef ref = new ParamGroupTest.AdamRef(0, 0, 0.99f, 0);
        double[] r = ParamGroupTest.toDouble(new Tensor[] {q})[0];
        Rng rng = new Rng(3);
        for (int t = 0; t < 40; t++) {
            ParamGroup g = adam.paramGroups().get(0);
            assertEquals(0.99f, g.beta2(), "beta2 is kept");
            assertEquals((float) s.momentumAt(t), g.beta1());
            ref.lr = g.lr();
            ref.b1 = g.beta1();
            float[] grad = ParamGroupTest.randomGrads(new Tensor[] {p}, rng)[0];
            adam.step();
            ref.step(r, grad);
            s.step();
        }
        ParamGroupTest.assertClose(r, p, 2e-5, "Adam under OneCycleLR");
        assertEquals(0f, s.lastLr(0), "step T of a linear cycle is clamped at 0, not negative");
        double e1 = 0.3 * 40 - 1;
        assertNear(0.01 / 25 + (0.01 - 0.01 / 25) * 5 / e1, s.lrAt(5, 0), 1e-6, "linear anneal");
    }

    @Test
    void oneCycleThreePhaseAndPerGroupMaxLr() {
        Sgd sgd = twoGroups(0.1f, 0.1f);
        OneCycleLR s = OneCycleLR.builder(sgd, new float[] {0.1f, 0.01f}, 100).threePhase(true).pctStart(0.3)
                .divFactor(10).finalDivFactor(100).build();
        assertNear(0.1f / 10.0, s.lastLr(0), 1e-6, "initial of group 0");
        assertNear(0.01f / 10.0, s.lastLr(1), 1e-6, "initial of group 1");
        assertNear(0.1f, s.lrAt(29, 0), 1e-9, "peak at pct*T-1");
        assertNear(0.01f, s.lrAt(58, 0), 1e-6, "back to initial at 2*pct*T-2");
        assertNear(1e-4f, s.lrAt(99, 0), 1e-6, "min at T-1");
        assertNear(1e-5f, s.lrAt(99, 1), 1e-6, "min of group 1 at T-1");
        assertEquals(0.95, s.momentumAt(80), 1e-12, "momentum held at max in the third phase");
    }

    @Test
    void badSchedulesAreRejectedByName() {
        Sgd sgd = twoGroups(0.1f, 0.1f);
        assertRejected(() -> new StepLR(sgd, 0), "StepLR: step_size must be >= 1", "got 0");
        assertRejected(() -> new StepLR(sgd, 3, -1f), "StepLR: gamma must be finite and >= 0, got -1.0");
        assertRejected(() -> new CosineAnnealingLR(sgd, 0), "CosineAnnealingLR: T_max must be >= 1");
        assertRejected(() -> new LinearLR(sgd, 0f, 1f, 5), "LinearLR: start_factor must be in (0, 1]");
        assertRejected(() -> new LinearLR(sgd, 0.5f, 1.5f, 5), "LinearLR: end_factor must be in [0, 1]");
        assertRejected(() -> new LinearLR(sgd, 0.5f, 1f, 0), "LinearLR: total_iters must be >= 1");
        assertRejected(() -> new StepLR(null, 3), "StepLR: the optimizer must not be null");
        for (double pct : new double[] {0, 1, 1.5, -0.1, Double.NaN}) {
            assertRejected(() -> OneCycleLR.builder(sgd, 0.1f, 100).pctStart(pct).build(),
                    "OneCycleLR: pct_start must be in (0, 1), got " + pct);
        }
        assertRejected(() -> OneCycleLR.builder(sgd, 0.1f, 4).build(), "OneCycleLR: pct_start 0.25 of 4 total steps",
                "which must be > 0");
        assertRejected(() -> new OneCycleLR(sgd, -0.1f, 100), "OneCycleLR: max_lr must be finite and > 0, got -0.1");
        assertRejected(() -> new OneCycleLR(sgd, 0.1f, 0), "OneCycleLR: expected a positive total_steps, got 0");
        assertRejected(() -> OneCycleLR.builder(sgd, new float[] {0.1f}, 100).build(),
                "OneCycleLR: expected 2 max_lr values (one per param group), got 1");
        assertRejected(() -> OneCycleLR.builder(sgd, 0.1f, 100).divFactor(0).build(), "div_factor must be finite and > 0");
        Optimizer plain = new Optimizer("Plain", List.of(Tensor.zeros(2)), 0.1f) {
            @Override
            public void step() {}
        };
        assertRejected(() -> new OneCycleLR(plain, 0.1f, 100), "OneCycleLR: cycle_momentum needs an optimizer with"
                + " momentum or beta1", "cycleMomentum(false)");
        OneCycleLR ok = OneCycleLR.builder(plain, 0.1f, 100).cycleMomentum(false).build();
        assertEquals(0.004f, ok.lastLr(0), 1e-9f);
        Sgd other = twoGroups(0.1f, 0.1f);
        StepLR a = new StepLR(sgd, 3);
        StepLR b = new StepLR(other, 3);
        assertRejected(() -> new SequentialLR(sgd, List.of(a, b), 5),
                "SequentialLR: expects all schedulers to belong to the same optimizer, but scheduler 1");
        assertRejected(() -> new SequentialLR(sgd, List.of(a, new StepLR(sgd, 2)), 5, 6),
                "SequentialLR: expects one milestone fewer than schedulers, got 2 schedulers and 2 milestones");
        assertRejected(() -> new SequentialLR(sgd, List.of(a, new StepLR(sgd, 2), new StepLR(sgd, 2)), 5, 5),
                "SequentialLR: milestones must be >= 1 and strictly increasing, got [5, 5]");
        assertRejected(() -> a.lrAt(-1, 0), "StepLR.lrAt: step must be >= 0, got -1");
        assertThrows(IndexOutOfBoundsException.class, () -> a.lastLr(2));
    }
}
