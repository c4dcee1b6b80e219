package dev.vectorgrad.autograd;

import java.util.Arrays;
import java.util.function.Function;

import dev.vectorgrad.core.Rng;
import dev.vectorgrad.core.Tensor;

/**
 * Checks the gradients autograd computes for a function against central finite differences,
 * as {@code torch.autograd.gradcheck}: use it to test a new op or a composite function.
 *
 * <pre>{@code
 * GradCheck.Report r = GradCheck.defaults().verify(xs -> xs[0].matmul(xs[1]).relu(), a, b);
 * }</pre>
 *
 * <p><b>What is compared.</b> The function may return any shape; it is reduced to the scalar
 * {@code L = sum(u * f(x))} with a fixed random {@code u} (1 for a one-element output), so one
 * backward pass with upstream {@code u} gives the analytic {@code dL/dx}. For each checked
 * element {@code x_j} the numeric derivative is {@code (L(x_j + h) - L(x_j - h)) / (2h)}.
 * Inputs up to {@link #withMaxElements maxElements} elements are checked element by element;
 * bigger ones on a seeded random subset of that size. One more check perturbs every element of
 * every input at once along a random direction {@code d} (element {@code j} moves by
 * {@code d_j * eps * max(1, |x_j|)}) and compares the directional derivative
 * {@code sum(dL/dx * d)}, Richardson-extrapolated from steps {@code h} and {@code h/2}
 * because moving many inputs at once brings third-order cross terms that a central difference
 * does not cancel. An error spread over unsampled elements still shows there (its
 * tolerance is relative to the root of the sum of the squared terms, so it cannot single out
 * one slightly wrong element among thousands: that is what the element checks are for).
 *
 * <p><b>Why these defaults.</b> The forward pass runs in float32, whose rounding error is about
 * {@code 6e-8} relative per operation; a difference quotient divides that noise by {@code 2h}.
 * With PyTorch's float64 default {@code h = 1e-6} the quotient would be pure noise, so the step
 * here is relative and large: {@code h = eps * max(1, |x_j|)} with {@code eps = 1e-2}. Its
 * truncation error, {@code h^2 f'''/6}, stays near {@code 1e-5} relative for smooth functions.
 * Sums of {@code u * f} and the quotient are formed in double, and the step actually taken is
 * the float difference {@code (float)(x+h) - (float)(x-h)}, not the nominal {@code 2h}. The
 * tolerance for each element is {@code atol + rtol * max(|analytic|, |numeric|) + noise},
 * where {@code noise = noiseUlps * 2^-24 * sum|u * f(x)| / (2h)} estimates the float32
 * rounding of {@code L} amplified by the quotient; defaults {@code rtol = 1e-2},
 * {@code atol = 1e-3}, {@code noiseUlps = 32}.
 *
 * <p><b>Kinks.</b> Finite differences across a kink (relu at 0, clampMin at its bound) are
 * meaningless: keep such inputs more than {@code h} away from the kink.
 *
 * <p>Instances are immutable; the {@code with...} methods return modified copies.
 */
public final class GradCheck {

    private final double eps;
    private final double rtol;
    private final double atol;
    private final double noiseUlps;
    private final int maxElements;
    private final long seed;

    private GradCheck(double eps, double rtol, double atol, double noiseUlps, int maxElements, long seed) {
        if (!(eps > 0) || !(rtol >= 0) || !(atol >= 0) || !(noiseUlps >= 0) || maxElements < 1) {
            throw new IllegalArgumentException("GradCheck: need eps > 0, rtol >= 0, atol >= 0, noiseUlps >= 0 and"
                    + " maxElements >= 1, got eps=" + eps + ", rtol=" + rtol + ", atol=" + atol
                    + ", noiseUlps=" + noiseUlps + ", maxElements=" + maxElements);
        }
        this.eps = eps;
        this.rtol = rtol;
        this.atol = atol;
        this.noiseUlps = noiseUlps;
        this.maxElements = maxElements;
        this.seed = seed;
    }

    /** @return the defaults: eps 1e-2, rtol 1e-2, atol 1e-3, noiseUlps 32, 64 elements per input, seed 0 */
    public static GradCheck defaults() {
        return new GradCheck(1e-2, 1e-2, 1e-3, 32, 64, 0L);
    }

    /**
     * @param eps the relative step: {@code h = eps * max(1, |x|)}
     * @return a copy with that step
     */
    public GradCheck withEps(double eps) {
        return new GradCheck(eps, rtol, atol, noiseUlps, maxElements, seed);
    }

    /**
     * @param rtol relative tolerance
     * @param atol absolute tolerance (the float32 noise estimate is added to it)
     * @return a copy with those tolerances
     */
    public GradCheck withTolerances(double rtol, double atol) {
        return new GradCheck(eps, rtol, atol, noiseUlps, maxElements, seed);
    }

    /**
     * @param noiseUlps how many float32 roundings of {@code L} the noise term allows for
     * @return a copy with that noise allowance
     */
    public GradCheck withNoiseUlps(double noiseUlps) {
        return new GradCheck(eps, rtol, atol, noiseUlps, maxElements, seed);
    }

    /**
     * @param maxElements how many elements per input to check one by one at most
     * @return a copy with that limit
     */
    public GradCheck withMaxElements(int maxElements) {
        return new GradCheck(eps, rtol, atol, noiseUlps, maxElements, seed);
    }

    /**
     * @param seed seeds the upstream {@code u}, the element subset and the direction
     * @return a copy with that seed
     */
    public GradCheck withSeed(long seed) {
        return new GradCheck(eps, rtol, atol, noiseUlps, maxElements, seed);
    }

    /**
     * One compared element.
     *
     * @param input which input (0-based)
     * @param index its multi-dim index in that input
     * @param analytic the autograd derivative
     * @param numeric the finite-difference derivative
     * @param tolerance the allowed absolute difference
     */
    public record Element(int input, int[] index, double analytic, double numeric, double tolerance) {
        /** @return {@code |analytic - numeric|} */
        public double absError() {
            return Math.abs(analytic - numeric);
        }

        /** @return {@code |analytic - numeric| / max(|analytic|, |numeric|)}, 0 when both are 0 */
        public double relError() {
            double scale = Math.max(Math.abs(analytic), Math.abs(numeric));
            return scale == 0 ? 0 : absError() / scale;
        }

        /** @return whether the difference is within the tolerance (false for NaN) */
        public boolean ok() {
            return absError() <= tolerance;
        }

        @Override
        public String toString() {
            return "input " + input + " at " + Arrays.toString(index) + ": analytic " + analytic + " vs numeric "
                    + numeric + " (|diff| " + absError() + ", tolerance " + tolerance + ")";
        }
    }

    /**
     * The outcome of a check.
     *
     * @param passed whether every element and the directional derivative agreed
     * @param checkedElements how many single elements were compared
     * @param maxAbsError the largest {@code |analytic - numeric|} over single elements
     * @param maxRelError the largest relative error over single elements
     * @param worst the single element closest to (or furthest past) its tolerance, or null if none was checked
     * @param directional the random-direction check, reported as an element with input -1
     */
    public record Report(boolean passed, int checkedElements, double maxAbsError, double maxRelError,
                         Element worst, Element directional) {
        @Override
        public String toString() {
            return (passed ? "GradCheck passed" : "GradCheck FAILED") + ": " + checkedElements
                    + " elements, max abs error " + maxAbsError + ", max rel error " + maxRelError
                    + "; worst " + worst + "; directional derivative: analytic " + directional.analytic()
                    + " vs numeric " + directional.numeric() + " (tolerance " + directional.tolerance() + ")";
        }
    }

    /**
     * Like {@link #check} but throws when the gradients disagree.
     *
     * @param f the function, of Vars wrapping the inputs
     * @param inputs the point at which to differentiate (not modified)
     * @return the report of a passed check
     * @throws AssertionError naming the worst element, both derivatives and the tolerance
     */
    public Report verify(Function<Var[], Var> f, Tensor... inputs) {
        Report r = check(f, inputs);
        if (!r.passed()) {
            Element bad = r.worst() != null && !r.worst().ok() ? r.worst() : r.directional();
            String where = bad.input() < 0 ? "the directional derivative along a random direction"
                    : "input " + bad.input() + " of shape " + Shapes.str(inputs[bad.input()].shape())
                    + " at index " + Arrays.toString(bad.index());
            throw new AssertionError("GradCheck: autograd and finite differences disagree for " + where
                    + ": analytic " + bad.analytic() + " vs numeric " + bad.numeric() + ", |diff| "
                    + bad.absError() + " > tolerance " + bad.tolerance() + ". " + r);
        }
        return r;
    }

    /**
     * {@code GradCheck.defaults().verify(f, inputs)}.
     *
     * @param f the function, of Vars wrapping the inputs
     * @param inputs the point at which to differentiate (not modified)
     * @return the report of a passed check
     * @throws AssertionError when the gradients disagree
     */
    public static Report assertGradients(Function<Var[], Var> f, Tensor... inputs) {
        return defaults().verify(f, inputs);
    }

    /**
     * Compares autograd's gradients of {@code f} at {@code inputs} with finite differences.
     *
     * @param f the function, of Vars wrapping the inputs; it must not modify them
     * @param inputs the point at which to differentiate (copied; never modified)
     * @return the report
     */
    public Report check(Function<Var[], Var> f, Tensor... inputs) {
        if (inputs.length == 0) {
            throw new IllegalArgumentException("GradCheck: no inputs to differentiate with respect to");
        }
        Rng rng = new Rng(seed);
        Tensor[] base = new Tensor[inputs.length];
        for (int k = 0; k < inputs.length; k++) {
            base[k] = inputs[k].copy();
        }
        // Analytic: one backward pass with upstream u.
        Var[] vars = new Var[base.length];
        Tensor[] xs = new Tensor[base.length];
        for (int k = 0; k < base.length; k++) {
            xs[k] = base[k].copy();
            vars[k] = Var.param(xs[k]);
        }
        Var out = f.apply(vars);
        Tensor u = out.numel() == 1 ? Tensor.onesLike(out.value()) : Tensor.randn(rng, out.shape());
        double[] uf = toDouble(u);
        if (out.requiresGrad()) {
            out.backward(u);
        }
        double[][] analytic = new double[base.length][];
        for (int k = 0; k < base.length; k++) {
            Tensor g = xs[k].grad();
            analytic[k] = g == null ? new double[base[k].numel()] : toDouble(g);
        }
        double[] fx = toDouble(out.value());
        double absSum = 0;
        for (int i = 0; i < fx.length; i++) {
            absSum += Math.abs(uf[i] * fx[i]);
        }
        double noisePerStep = noiseUlps * 0x1p-24 * absSum;

        // Numeric, one element at a time.
        float[][] values = new float[base.length][];
        for (int k = 0; k < base.length; k++) {
            values[k] = base[k].toArray();
        }
        Element worst = null;
        double worstRatio = -1;
        double maxAbs = 0;
        double maxRel = 0;
        int checked = 0;
        boolean passed = true;
        for (int k = 0; k < base.length; k++) {
            int n = values[k].length;
            for (int j : pickElements(n, rng)) {
                float x = values[k][j];
                double h = eps * Math.max(1.0, Math.abs(x));
                float xp = (float) (x + h);
                float xm = (float) (x - h);
                values[k][j] = xp;
                double lp = loss(f, values, base, uf);
                values[k][j] = xm;
                double lm = loss(f, values, base, uf);
                values[k][j] = x;
                double step = (double) xp - xm;
                double numeric = (lp - lm) / step;
                double a = analytic[k][j];
                double tol = atol + rtol * Math.max(Math.abs(a), Math.abs(numeric)) + noisePerStep / step;
                Element e = new Element(k, unflatten(j, base[k].shape()), a, numeric, tol);
                checked++;
                double err = e.absError();
                maxAbs = Double.isNaN(err) ? Double.NaN : Math.max(maxAbs, err);
                maxRel = Double.isNaN(err) ? Double.NaN : Math.max(maxRel, e.relError());
                double ratio = Double.isNaN(err) ? Double.POSITIVE_INFINITY : err / tol;
                if (ratio > worstRatio) {
                    worstRatio = ratio;
                    worst = e;
                }
                passed &= e.ok();
            }
        }

        // Numeric along one random direction through all inputs at once: element j moves by
        // d_j * eps * max(1, |x_j|), the same relative step as above, with d_j standard normal
        // (clipped to +-3 so that no element takes an outsized step). Moving many inputs at once
        // brings third-order cross terms (x * w1 * w2 in an MLP) that do not cancel in a central
        // difference, so the quotient is taken at steps s and s/2 and Richardson-extrapolated.
        double[][] dir = new double[base.length][];
        for (int k = 0; k < base.length; k++) {
            dir[k] = new double[values[k].length];
            for (int j = 0; j < dir[k].length; j++) {
                dir[k][j] = Math.max(-3, Math.min(3, rng.nextGaussian()));
            }
        }
        double[] full = directional(f, values, dir, 1.0, analytic, base, uf);
        double[] half = directional(f, values, dir, 0.5, analytic, base, uf);
        double dirNumeric = (4 * half[0] - full[0]) / 3;
        double dirAnalytic = (4 * half[1] - full[1]) / 3;
        // The terms' errors have random signs, like the terms themselves, so the relative
        // tolerance scales with the root of the sum of squared terms (sum|terms| would let an
        // error in half of a big tensor through). Richardson triples the float32 noise.
        double dirScale = Math.max(Math.max(Math.abs(dirAnalytic), Math.abs(dirNumeric)), full[2]);
        double dirTol = atol + rtol * dirScale + 3 * noisePerStep / (2 * eps);
        Element directional = new Element(-1, new int[0], dirAnalytic, dirNumeric, dirTol);
        passed &= directional.ok();
        return new Report(passed, checked, maxAbs, maxRel, worst, directional);
    }

    /**
     * The directional difference quotient at step {@code scale * eps}: {numeric, analytic, root
     * of the sum of squared analytic terms}, all divided by {@code 2 * scale * eps} so that they
     * read like derivatives along {@code dir}.
     */
    private double[] directional(Function<Var[], Var> f, float[][] values, double[][] dir, double scale,
                                 double[][] analytic, Tensor[] base, double[] uf) {
        float[][] plus = new float[values.length][];
        float[][] minus = new float[values.length][];
        double a = 0;
        double sq = 0;
        for (int k = 0; k < values.length; k++) {
            int n = values[k].length;
            plus[k] = new float[n];
            minus[k] = new float[n];
            for (int j = 0; j < n; j++) {
                float x = values[k][j];
                double h = scale * eps * Math.max(1.0, Math.abs(x)) * dir[k][j];
                plus[k][j] = (float) (x + h);
                minus[k][j] = (float) (x - h);
                double term = analytic[k][j] * ((double) plus[k][j] - minus[k][j]); // the step actually taken
                a += term;
                sq += term * term;
            }
        }
        double n = loss(f, plus, base, uf) - loss(f, minus, base, uf);
        double denom = 2 * scale * eps;
        return new double[] {n / denom, a / denom, Math.sqrt(sq) / denom};
    }

    /** All indices when few, else a seeded random subset of {@code maxElements} distinct ones. */
    private int[] pickElements(int n, Rng rng) {
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i;
        }
        if (n <= maxElements) {
            return all;
        }
        for (int i = 0; i < maxElements; i++) { // partial Fisher-Yates
            int j = i + rng.nextInt(n - i);
            int tmp = all[i];
            all[i] = all[j];
            all[j] = tmp;
        }
        return Arrays.copyOf(all, maxElements);
    }

    /** {@code sum(u * f(values))} in double, recording nothing. */
    private static double loss(Function<Var[], Var> f, float[][] values, Tensor[] shapes, double[] u) {
        Var[] vs = new Var[values.length];
        for (int k = 0; k < values.length; k++) {
            vs[k] = Var.constant(tensorOf(values[k], shapes[k].shape()));
        }
        Tensor out;
        try (NoGrad _ = NoGrad.enter()) {
            out = f.apply(vs).value();
        }
        float[] o = out.toArray();
        if (o.length != u.length) {
            throw new IllegalStateException("GradCheck: the function returned " + o.length
                    + " elements for perturbed inputs but " + u.length + " at the base point");
        }
        double s = 0;
        for (int i = 0; i < o.length; i++) {
            s += u[i] * o[i];
        }
        return s;
    }

    /** {@code Tensor.of} reads an empty shape as "1-d of all values"; a 0-d input must stay 0-d. */
    private static Tensor tensorOf(float[] values, int[] shape) {
        return shape.length == 0 ? Tensor.scalar(values[0]) : Tensor.of(values, shape);
    }

    private static double[] toDouble(Tensor t) {
        float[] a = t.toArray();
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }

    private static int[] unflatten(int flat, int[] shape) {
        int[] idx = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            idx[d] = shape[d] == 0 ? 0 : flat % shape[d];
            flat = shape[d] == 0 ? 0 : flat / shape[d];
        }
        return idx;
    }
}
