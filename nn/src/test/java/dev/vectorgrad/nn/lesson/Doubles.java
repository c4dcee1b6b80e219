package dev.vectorgrad.nn.lesson;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vectorgrad.core.Rng;
import dev.vectorgrad.core.Tensor;
import java.util.function.DoubleSupplier;

/**
 * The test oracle: the lesson's model re-done in double precision on plain arrays (row-major),
 * and central finite differences of it. Independent of {@code Tensor} arithmetic on purpose.
 */
public final class Doubles {

    private Doubles() {}

    public static double[] of(Tensor t) {
        float[] f = t.toArray();
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    /** x [n, in] @ w [in, out] + b [out]. */
    public static double[] lin(double[] x, double[] w, double[] b, int n, int in, int out) {
        double[] y = new double[n * out];
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < out; c++) {
                double s = b[c];
                for (int k = 0; k < in; k++) {
                    s += x[r * in + k] * w[k * out + c];
                }
                y[r * out + c] = s;
            }
        }
        return y;
    }

    public static double[] relu(double[] x) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = Math.max(x[i], 0);
        }
        return y;
    }

    /** Mean of (out[i] - targ[i])^2, out being the [n, 1] column. */
    public static double mse(double[] out, double[] targ) {
        double s = 0;
        for (int i = 0; i < targ.length; i++) {
            s += (out[i] - targ[i]) * (out[i] - targ[i]);
        }
        return s / targ.length;
    }

    public static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /**
     * d loss / d param by central differences, perturbing {@code param} in place (and restoring
     * it). A step of 1e-6 keeps truncation (~h^2) and rounding (~1e-16/h) both near 1e-10.
     */
    public static double[] centralDiff(double[] param, DoubleSupplier loss) {
        double h = 1e-6;
        double[] g = new double[param.length];
        for (int i = 0; i < param.length; i++) {
            double v = param[i];
            param[i] = v + h;
            double up = loss.getAsDouble();
            param[i] = v - h;
            double down = loss.getAsDouble();
            param[i] = v;
            g[i] = (up - down) / (2 * h);
        }
        return g;
    }

    /**
     * Asserts a float32 gradient against a double reference: every element within 1e-4 of the
     * reference's largest magnitude (float32 sums of a few products err by ~1e-7 relative).
     */
    public static void assertGradClose(String what, Tensor got, double[] expected, int... shape) {
        assertNotNull(got, what + ": no gradient was set");
        assertArrayEquals(shape, got.shape(), what + ": gradient shape");
        float[] g = got.toArray();
        double scale = 1e-6;
        for (double e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        double tol = 1e-4 * scale;
        for (int i = 0; i < g.length; i++) {
            int at = i;
            assertTrue(Math.abs(g[i] - expected[i]) <= tol, () -> what + "[" + at + "]: got " + g[at]
                    + ", finite difference " + expected[at] + " (tolerance " + tol + ")");
        }
    }

    /** Standard normal values, nudged at least 0.05 away from 0 so no ReLU kink lies within a step. */
    public static Tensor randnAwayFromZero(Rng rng, int... shape) {
        Tensor t = Tensor.randn(rng, shape);
        float[] v = t.toArray();
        for (int i = 0; i < v.length; i++) {
            v[i] = Math.abs(v[i]) < 0.05f ? v[i] + (v[i] < 0 ? -0.05f : 0.05f) : v[i];
        }
        return Tensor.of(v, shape);
    }
}
