package dev.vectorgrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vectorgrad.core.Rng;
import dev.vectorgrad.core.Tensor;
import org.junit.jupiter.api.Test;

/**
 * torch.nn.init's initialisations: the moments of a large tensor within a few standard errors of
 * what the formula gives, the bounds of the uniform ones, PyTorch's gain table and fans.
 */
class InitTest {

    /** Mean, variance and the share of |x| <= sd, in double. */
    private static double[] moments(Tensor t) {
        float[] v = t.toArray();
        double sum = 0;
        for (float x : v) {
            sum += x;
        }
        double mean = sum / v.length;
        double sq = 0;
        for (float x : v) {
            sq += (x - mean) * (x - mean);
        }
        double var = sq / v.length;
        double sd = Math.sqrt(var);
        int within = 0;
        for (float x : v) {
            within += Math.abs(x) <= sd ? 1 : 0;
        }
        return new double[] {mean, var, (double) within / v.length};
    }

    private static void assertUniform(Tensor t, double bound, String what) {
        int n = t.numel();
        double[] m = moments(t);
        double var = bound * bound / 3;
        assertEquals(0, m[0], 5 * Math.sqrt(var / n), what + ": mean");
        // The variance of a sample variance of U(-b, b) is (b^4/5 - var^2)/n.
        assertEquals(var, m[1], 5 * Math.sqrt((Math.pow(bound, 4) / 5 - var * var) / n), what + ": variance");
        float lo = Float.MAX_VALUE;
        float hi = -Float.MAX_VALUE;
        for (float x : t.toArray()) {
            lo = Math.min(lo, x);
            hi = Math.max(hi, x);
        }
        assertTrue(lo >= -bound && hi <= bound, what + ": within [-" + bound + ", " + bound + "], got [" + lo + ", " + hi + "]");
        assertTrue(hi > bound * 0.999 && lo < -bound * 0.999, what + ": fills the interval");
        assertEquals(1 / Math.sqrt(3), m[2], 0.005, what + ": uniform share within one sd");
    }

    private static void assertNormal(Tensor t, double std, String what) {
        int n = t.numel();
        double[] m = moments(t);
        assertEquals(0, m[0], 5 * std / Math.sqrt(n), what + ": mean");
        assertEquals(std * std, m[1], 5 * std * std * Math.sqrt(2.0 / n), what + ": variance");
        assertEquals(0.6827, m[2], 0.005, what + ": normal share within one sd");
    }

    @Test
    void calculateGainIsPyTorchsTable() {
        for (String linear : new String[] {"linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
            "conv_transpose3d", "sigmoid"}) {
            assertEquals(1.0, Init.calculateGain(linear), linear);
        }
        assertEquals(5.0 / 3, Init.calculateGain("tanh"));
        assertEquals(Math.sqrt(2), Init.calculateGain("relu"));
        assertEquals(Math.sqrt(2 / (1 + 0.01 * 0.01)), Init.calculateGain("leaky_relu"), "param=None: slope 0.01");
        assertEquals(Math.sqrt(2 / 1.04), Init.calculateGain("leaky_relu", 0.2), 1e-15);
        assertEquals(Math.sqrt(2), Init.calculateGain("leaky_relu", 0), "slope 0 is relu");
        assertEquals(0.75, Init.calculateGain("selu"));
        assertEquals(5.0 / 3, Init.calculateGain("tanh", 7), "param only matters for leaky_relu");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Init.calculateGain("gelu"));
        assertTrue(e.getMessage().startsWith("calculateGain: unsupported nonlinearity 'gelu'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Init.calculateGain("leaky_relu", Double.NaN));
        assertEquals("calculateGain: negative_slope NaN not a valid number", e.getMessage());
    }

    @Test
    void fansAreThoseOfLinearAndConvWeights() {
        assertEquals(784, Init.fanIn(50, 784));
        assertEquals(50, Init.fanOut(50, 784));
        assertEquals(3 * 5 * 5, Init.fanIn(16, 3, 5, 5), "conv [out, in, kh, kw]: in*kh*kw");
        assertEquals(16 * 5 * 5, Init.fanOut(16, 3, 5, 5));
        assertEquals(4 * 3, Init.fanIn(2, 4, 3), "conv1d");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Init.fanIn(5));
        assertTrue(e.getMessage().startsWith("fanIn: fan in and fan out can not be computed for shape [5] with fewer"
                + " than 2 dims"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Init.xavierUniform(new Rng(1), 1, 7));
        assertTrue(e.getMessage().startsWith("xavierUniform: fan in and fan out"), e.getMessage());
    }

    @Test
    void kaimingUniformHasBoundGainTimesSqrtThreeOverFan() {
        Tensor w = Init.kaimingUniform(new Rng(1), 0, Init.FAN_IN, "leaky_relu", 1000, 250, 2, 2);
        assertArrayEquals(new int[] {1000, 250, 2, 2}, w.shape());
        assertUniform(w, Math.sqrt(2) * Math.sqrt(3.0 / 1000), "kaiming_uniform_ defaults, fan_in 1000");
        Tensor out = Init.kaimingUniform(new Rng(2), 0.2, Init.FAN_OUT, "leaky_relu", 100, 2000, 3);
        assertUniform(out, Math.sqrt(2 / 1.04) * Math.sqrt(3.0 / 300), "fan_out 300, slope 0.2");
        Tensor linear = Init.kaimingUniform(new Rng(3), Math.sqrt(5), Init.FAN_IN, "leaky_relu", 1000, 784);
        assertUniform(linear, 1 / Math.sqrt(784), "nn.Linear's default: a = sqrt(5) gives 1/sqrt(fan_in)");
    }

    @Test
    void kaimingNormalHasStdGainOverSqrtFan() {
        Tensor w = Init.kaimingNormal(new Rng(4), 0, Init.FAN_OUT, "relu", 64, 1000, 3, 3);
        assertNormal(w, Math.sqrt(2) / Math.sqrt(64 * 9), "fan_out of a conv weight");
        Tensor t = Init.kaimingNormal(new Rng(5), 0, Init.FAN_IN, "tanh", 500, 2000);
        assertNormal(t, 5.0 / 3 / Math.sqrt(2000), "tanh gain");
        Tensor older = Init.kaimingNormal(new Rng(6), 300, 40, 300);
        Tensor named = Init.kaimingNormal(new Rng(6), 0, Init.FAN_IN, "relu", 40, 300);
        assertTrue(older.allClose(named, 1e-6, 0), "the older kaimingNormal(rng, fanIn, shape) is the relu/fan_in case");
    }

    @Test
    void xavierUsesBothFans() {
        Tensor u = Init.xavierUniform(new Rng(7), 1, 800, 1200);
        assertUniform(u, Math.sqrt(6.0 / 2000), "xavier_uniform_");
        Tensor g = Init.xavierUniform(new Rng(8), Init.calculateGain("tanh"), 32, 16, 40, 40);
        assertUniform(g, 5.0 / 3 * Math.sqrt(6.0 / (16 * 1600 + 32 * 1600)), "xavier_uniform_ of a conv weight, tanh gain");
        Tensor n = Init.xavierNormal(new Rng(9), 2, 1000, 600);
        assertNormal(n, 2 * Math.sqrt(2.0 / 1600), "xavier_normal_, gain 2");
    }

    @Test
    void theSameSeedGivesTheSameWeightsAndEmptyShapesGiveEmptyTensors() {
        assertArrayEquals(Init.xavierNormal(new Rng(10), 1, 5, 7).toArray(), Init.xavierNormal(new Rng(10), 1, 5, 7).toArray());
        assertEquals(0, Init.kaimingUniform(new Rng(1), 0, Init.FAN_IN, "relu", 0, 5).numel(), "PyTorch: a no-op");
        assertEquals(0, Init.xavierUniform(new Rng(1), 1, 3, 0).numel());
    }

    @Test
    void badArgumentsAreRejectedByName() {
        Rng rng = new Rng(1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Init.kaimingNormal(rng, 0, "fan_avg", "relu", 3, 4));
        assertEquals("kaimingNormal: mode fan_avg not supported, please use one of fan_in, fan_out", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Init.kaimingUniform(rng, 0, Init.FAN_IN, "swish", 3, 4));
        assertTrue(e.getMessage().startsWith("kaimingUniform: unsupported nonlinearity 'swish'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Init.xavierNormal(rng, -1, 3, 4));
        assertEquals("xavierNormal: gain must be finite and >= 0, got -1.0", e.getMessage());
    }
}
