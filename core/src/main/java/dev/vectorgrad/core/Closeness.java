package dev.vectorgrad.core;

/**
 * Element-by-element comparisons of two tensors: PyTorch's {@code allclose} and fastcore's
 * {@code test_close}, which the lesson uses to check gradients.
 */
public final class Closeness {

    private Closeness() {}

    /**
     * Whether {@code a == b} or {@code |a - b| <= atol + rtol * |b|} for every broadcast pair;
     * NaNs are never close, equal infinities are.
     *
     * @param a first tensor
     * @param b second tensor, broadcast against the first
     * @param rtol relative tolerance, not negative
     * @param atol absolute tolerance, not negative
     * @return true when all pairs are close
     */
    public static boolean allClose(Tensor a, Tensor b, double rtol, double atol) {
        if (rtol < 0 || atol < 0 || Double.isNaN(rtol) || Double.isNaN(atol)) {
            throw new IllegalArgumentException("allClose: tolerances must not be negative, got rtol="
                    + rtol + ", atol=" + atol);
        }
        Shapes.broadcast("allClose", a.shapeRef(), b.shapeRef());
        Tensor diff = a.sub(b).abs();
        Tensor bound = b.abs().mul((float) rtol).add((float) atol).expand(diff.shapeRef());
        float[] d = diff.toArray();
        float[] t = bound.contiguous().toArray();
        // As torch.isclose: equal values (infinities too) are close; otherwise the difference
        // must be finite, or an infinite bound (b = inf) would accept -inf against +inf.
        float[] equal = a.eq(b).toArray();
        for (int i = 0; i < d.length; i++) {
            if (equal[i] == 0f && !(Float.isFinite(d[i]) && d[i] <= t[i])) {
                return false;
            }
        }
        return true;
    }

    /**
     * The largest {@code |a - b|} over broadcast pairs; NaN when any difference is NaN.
     *
     * @param a first tensor
     * @param b second tensor
     * @return the largest absolute difference, 0 for empty tensors
     */
    public static float maxAbsDiff(Tensor a, Tensor b) {
        Shapes.broadcast("maxAbsDiff", a.shapeRef(), b.shapeRef());
        Tensor diff = a.sub(b).abs();
        return diff.numel() == 0 ? 0f : diff.max().item();
    }

    /**
     * The lesson's {@code test_close(a, b, eps)}: every {@code |a - b| < eps}, else an
     * {@link AssertionError} naming the worst element, both values and the largest difference.
     * Shapes must match exactly (no broadcasting, so a wrong shape cannot pass by accident).
     *
     * @param a actual values
     * @param b expected values
     * @param eps the absolute tolerance
     */
    public static void testClose(Tensor a, Tensor b, double eps) {
        if (!java.util.Arrays.equals(a.shapeRef(), b.shapeRef())) {
            throw new AssertionError("testClose: shapes differ: " + Shapes.str(a.shapeRef())
                    + " vs " + Shapes.str(b.shapeRef()));
        }
        float[] x = a.toArray();
        float[] y = b.toArray();
        int worst = -1;
        double worstDiff = -1;
        for (int i = 0; i < x.length; i++) {
            double d = Math.abs((double) x[i] - y[i]);
            // The first NaN counts as the worst; a later NaN must not move the reported index.
            if (Double.isNaN(d) ? worstDiff != Double.POSITIVE_INFINITY : d > worstDiff) {
                worstDiff = Double.isNaN(d) ? Double.POSITIVE_INFINITY : d;
                worst = i;
            }
        }
        if (worst >= 0 && !(worstDiff < eps)) {
            throw new AssertionError("testClose: |a - b| = " + worstDiff + " >= eps " + eps
                    + " at flat index " + worst + " of shape " + Shapes.str(a.shapeRef())
                    + " (a = " + x[worst] + ", b = " + y[worst] + ")");
        }
    }
}
