package dev.vectorgrad.nn.optim;

import dev.vectorgrad.autograd.Var;
import dev.vectorgrad.core.Tensor;
import java.util.Collection;
import java.util.List;

/**
 * Gradient clipping, as {@code torch.nn.utils.clip_grad_norm_} and {@code clip_grad_value_}:
 * rescales or clamps the gradients beside the parameters ({@link Tensor#grad()}) in place,
 * between {@code backward()} and {@code optimizer.step()}. Parameters without a gradient are
 * skipped.
 *
 * <pre>
 * clipGradNorm:  total = (sum over all gradient elements of |g|^p)^(1/p)   (max |g| for p = inf)
 *                coef  = maxNorm / (total + 1e-6)
 *                if coef &lt; 1: every g *= coef                                returns total
 * clipGradValue: every element g = clamp(g, -clipValue, clipValue)
 * </pre>
 *
 * <p>The total norm is summed in double (PyTorch sums each gradient's norm in float32, then
 * the norm of those norms), so it is at least as accurate; {@code coef} is rounded once to float
 * and applied with {@link Tensor#mulInPlace(float)}. As in PyTorch with
 * {@code error_if_nonfinite=False}, a non-finite total is returned and still applied (a NaN
 * total makes every gradient NaN; an infinite one gives coef 0); pass
 * {@code errorIfNonfinite=true} to get an exception instead, with the gradients untouched.
 * Gradients whose norm is 0 are left as they are (no 0/0).
 *
 * <p>The static methods are the one-off forms and allocate a scratch buffer per call. An
 * instance made by {@link #of(List)} keeps that buffer and clips every step without
 * allocating; {@code TrainStep.withGradClipping} holds one. (The norm is taken from a copy of
 * each gradient in that buffer, read by a plain loop: core has no sum-of-squares kernel that
 * returns a value without allocating.)
 */
public final class GradClipping {

    /** Added to the total norm before dividing, as PyTorch does. */
    public static final double EPS = 1e-6;

    private final List<Tensor> params;
    private final float[] scratch;
    private final Tensor[] views;

    private GradClipping(List<Tensor> params) {
        if (params == null) {
            throw new IllegalArgumentException("GradClipping: the parameter list is null");
        }
        int max = 1;
        for (int i = 0; i < params.size(); i++) {
            Tensor p = params.get(i);
            if (p == null) {
                throw new IllegalArgumentException("GradClipping: parameter " + i + " is null");
            }
            max = Math.max(max, p.numel());
        }
        this.params = List.copyOf(params);
        this.scratch = new float[max];
        Tensor flat = Tensor.wrap(scratch, max);
        this.views = new Tensor[params.size()];
        for (int i = 0; i < views.length; i++) {
            Tensor p = params.get(i);
            views[i] = p.dim() == 0 ? flat.slice(0, 0, 1).squeeze(0) : flat.slice(0, 0, p.numel()).view(p.shape());
        }
    }

    /**
     * A clipper for a fixed list of parameters that allocates nothing per call.
     *
     * @param params the parameters whose gradients to clip
     * @return the clipper
     */
    public static GradClipping of(List<Tensor> params) {
        return new GradClipping(params);
    }

    /**
     * {@link #of(List)} over autograd parameters, e.g. {@code GradClipping.of(model.parameters())}.
     *
     * @param params the parameters
     * @return the clipper
     */
    public static GradClipping of(Collection<Var> params) {
        return new GradClipping(Optimizer.values(params));
    }

    /**
     * {@code torch.nn.utils.clip_grad_norm_(params, max_norm)}: the 2-norm.
     *
     * @param params the parameters
     * @param maxNorm the largest total norm let through, finite and {@code >= 0}
     * @return the total norm of the gradients before clipping
     */
    public static double clipGradNorm(List<Tensor> params, float maxNorm) {
        return of(params).clipNorm(maxNorm, 2, false);
    }

    /**
     * {@code torch.nn.utils.clip_grad_norm_(params, max_norm, norm_type)}.
     *
     * @param params the parameters
     * @param maxNorm the largest total norm let through, finite and {@code >= 0}
     * @param normType p of the p-norm, {@code >= 1}, or {@link Double#POSITIVE_INFINITY} for the max norm
     * @return the total norm of the gradients before clipping
     */
    public static double clipGradNorm(List<Tensor> params, float maxNorm, double normType) {
        return of(params).clipNorm(maxNorm, normType, false);
    }

    /**
     * {@link #clipGradNorm(List, float, double)} over autograd parameters.
     *
     * @param params the parameters
     * @param maxNorm the largest total norm let through, finite and {@code >= 0}
     * @param normType p of the p-norm, {@code >= 1}, or {@link Double#POSITIVE_INFINITY}
     * @return the total norm of the gradients before clipping
     */
    public static double clipGradNorm(Collection<Var> params, float maxNorm, double normType) {
        return of(params).clipNorm(maxNorm, normType, false);
    }

    /**
     * {@code torch.nn.utils.clip_grad_value_(params, clip_value)}.
     *
     * @param params the parameters
     * @param clipValue the bound, finite and {@code >= 0}
     */
    public static void clipGradValue(List<Tensor> params, float clipValue) {
        of(params).clipValue(clipValue);
    }

    /**
     * {@link #clipGradValue(List, float)} over autograd parameters.
     *
     * @param params the parameters
     * @param clipValue the bound, finite and {@code >= 0}
     */
    public static void clipGradValue(Collection<Var> params, float clipValue) {
        of(params).clipValue(clipValue);
    }

    /**
     * The total norm of the gradients, without changing them.
     *
     * @param normType p of the p-norm, {@code >= 1}, or {@link Double#POSITIVE_INFINITY}
     * @return the norm, 0 when no parameter has a gradient
     */
    public double totalNorm(double normType) {
        checkNormType(normType);
        boolean inf = normType == Double.POSITIVE_INFINITY;
        double acc = 0;
        for (int i = 0; i < views.length; i++) {
            Tensor g = params.get(i).grad();
            if (g == null) {
                continue;
            }
            views[i].copyFrom(g);
            int n = g.numel();
            if (inf) {
                for (int j = 0; j < n; j++) {
                    double a = Math.abs(scratch[j]);
                    // NaN must win, as torch's max does; Math.max propagates it.
                    acc = Math.max(acc, a);
                }
            } else if (normType == 2) {
                for (int j = 0; j < n; j++) {
                    double v = scratch[j];
                    acc += v * v;
                }
            } else if (normType == 1) {
                for (int j = 0; j < n; j++) {
                    acc += Math.abs(scratch[j]);
                }
            } else {
                for (int j = 0; j < n; j++) {
                    acc += Math.pow(Math.abs(scratch[j]), normType);
                }
            }
        }
        return inf || normType == 1 ? acc : normType == 2 ? Math.sqrt(acc) : Math.pow(acc, 1 / normType);
    }

    /**
     * Rescales the gradients so their total 2-norm is at most {@code maxNorm}.
     *
     * @param maxNorm finite and {@code >= 0}
     * @return the total norm before clipping
     */
    public double clipNorm(float maxNorm) {
        return clipNorm(maxNorm, 2, false);
    }

    /**
     * Rescales the gradients so their total norm is at most {@code maxNorm} (see the class comment).
     *
     * @param maxNorm finite and {@code >= 0}
     * @param normType p of the p-norm, {@code >= 1}, or {@link Double#POSITIVE_INFINITY}
     * @param errorIfNonfinite throw, leaving the gradients alone, if the total norm is NaN or infinite
     * @return the total norm before clipping
     * @throws IllegalStateException if {@code errorIfNonfinite} and the total norm is not finite
     */
    public double clipNorm(float maxNorm, double normType, boolean errorIfNonfinite) {
        if (!(maxNorm >= 0f) || !Float.isFinite(maxNorm)) {
            throw new IllegalArgumentException("clipGradNorm: max_norm must be finite and >= 0, got " + maxNorm);
        }
        double total = totalNorm(normType);
        if (!Double.isFinite(total) && errorIfNonfinite) {
            throw new IllegalStateException("clipGradNorm: the total norm of order " + normType + " of the gradients of "
                    + params.size() + " parameters is " + total + "; with errorIfNonfinite the gradients are left alone");
        }
        double coef = maxNorm / (total + EPS);
        if (!(coef >= 1)) { // NaN included, as torch multiplies by the NaN it clamps
            float c = (float) coef;
            for (int i = 0; i < params.size(); i++) {
                Tensor g = params.get(i).grad();
                if (g != null) {
                    g.mulInPlace(c);
                }
            }
        }
        return total;
    }

    /**
     * Clamps every gradient element to {@code [-clipValue, clipValue]} in place.
     *
     * @param clipValue finite and {@code >= 0}
     */
    public void clipValue(float clipValue) {
        if (!(clipValue >= 0f) || !Float.isFinite(clipValue)) {
            throw new IllegalArgumentException("clipGradValue: clip_value must be finite and >= 0, got " + clipValue);
        }
        for (int i = 0; i < views.length; i++) {
            Tensor g = params.get(i).grad();
            if (g == null) {
                continue;
            }
            views[i].copyFrom(g);
            int n = g.numel();
            for (int j = 0; j < n; j++) {
                float v = scratch[j];
                // Written so that NaN stays NaN, as torch.clamp leaves it.
                scratch[j] = v > clipValue ? clipValue : v < -clipValue ? -clipValue : v;
            }
            g.copyFrom(views[i]);
        }
    }

    /** @return the parameters whose gradients this clips */
    public List<Tensor> parameters() {
        return params;
    }

    private static void checkNormType(double normType) {
        if (!(normType >= 1)) {
            throw new IllegalArgumentException("clipGradNorm: norm_type must be >= 1 (a p-norm) or infinity, got "
                    + normType);
        }
    }
}
