package dev.vectorgrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import dev.vectorgrad.autograd.NoGrad;
import dev.vectorgrad.autograd.Var;
import dev.vectorgrad.core.Pool2dSpec;
import dev.vectorgrad.core.Rng;
import dev.vectorgrad.core.Tensor;
import dev.vectorgrad.nn.io.SafeTensors;
import dev.vectorgrad.nn.io.SafeTensorsFile;
import org.junit.jupiter.api.Test;

/**
 * The pooling, normalisation and reshaping layers as PyTorch's modules: their printed form, their
 * state under torch's names and order, batch norm's training and evaluation behaviour with its
 * running statistics (against the update written out here), and the messages bad inputs get.
 */
class PoolingNormalizationLayersTest {

    @Test
    void layersPrintAsPyTorchPrintsThem() {
        assertEquals("BatchNorm2d(16, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)",
                new BatchNorm2d(16).toString());
        assertEquals("BatchNorm1d(50, eps=0.001, momentum=0.01, affine=False, track_running_stats=False)",
                new BatchNorm1d(50, 1e-3f, 0.01f, false, false).toString());
        assertEquals("MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)",
                new MaxPool2d(2).toString());
        assertEquals("MaxPool2d(kernel_size=(3, 2), stride=(1, 2), padding=(1, 0), dilation=2, ceil_mode=True)",
                new MaxPool2d(new Pool2dSpec(3, 2, 1, 2, 1, 0, 2, 2, true)).toString());
        assertEquals("AvgPool2d(kernel_size=3, stride=1, padding=1)", new AvgPool2d(3, 1, 1).toString());
        assertEquals("AdaptiveAvgPool2d(output_size=1)", new AdaptiveAvgPool2d(1).toString());
        assertEquals("AdaptiveAvgPool2d(output_size=(5, 7))", new AdaptiveAvgPool2d(5, 7).toString());
        assertEquals("LayerNorm((64,), eps=1e-05, elementwise_affine=True)", new LayerNorm(64).toString());
        assertEquals("LayerNorm((8, 8), eps=1e-06, elementwise_affine=False)",
                new LayerNorm(new int[] {8, 8}, 1e-6f, false, false).toString());
        assertEquals("Flatten(start_dim=1, end_dim=-1)", new Flatten().toString());
        assertEquals("Unflatten(dim=1, unflattened_size=(1, 28, 28))", new Unflatten(1, 1, 28, 28).toString());
        assertEquals("Sequential(\n  (0): Unflatten(dim=1, unflattened_size=(1, 28, 28))\n"
                + "  (1): BatchNorm2d(1, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)\n"
                + "  (2): MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)\n"
                + "  (3): Flatten(start_dim=1, end_dim=-1)\n)",
                new Sequential(new Unflatten(1, 1, 28, 28), new BatchNorm2d(1), new MaxPool2d(2), new Flatten()).toString());
    }

    @Test
    void pythonFloatsAreWrittenAsPythonWritesThem() {
        assertEquals("1e-05", PythonLiterals.number(1e-5f));
        assertEquals("0.1", PythonLiterals.number(0.1f));
        assertEquals("0.001", PythonLiterals.number(0.001f));
        assertEquals("0.0001", PythonLiterals.number(1e-4f));
        assertEquals("1.0", PythonLiterals.number(1f));
        assertEquals("0.0", PythonLiterals.number(0f));
        assertEquals("2.5e-07", PythonLiterals.number(2.5e-7f));
        assertEquals("1e+20", PythonLiterals.number(1e20f));
        assertEquals("123.5", PythonLiterals.number(123.5f));
        assertEquals("(64,)", PythonLiterals.tuple(new int[] {64}));
    }

    @Test
    void batchNormStateHasTorchsNamesOrderAndInitialValues() throws Exception {
        Sequential model = new Sequential(new Unflatten(1, 3, 2, 2), new BatchNorm2d(3), new Flatten(),
                new BatchNorm1d(12, 1e-5f, 0.1f, false, true), new LayerNorm(12));
        Map<String, Tensor> state = model.stateDict();
        assertEquals(List.of("1.weight", "1.bias", "1.running_mean", "1.running_var", "1.num_batches_tracked",
                "3.running_mean", "3.running_var", "3.num_batches_tracked", "4.weight", "4.bias"),
                List.copyOf(state.keySet()));
        assertArrayEquals(new float[] {1, 1, 1}, state.get("1.weight").toArray());
        assertArrayEquals(new float[] {0, 0, 0}, state.get("1.bias").toArray());
        assertArrayEquals(new float[] {0, 0, 0}, state.get("1.running_mean").toArray());
        assertArrayEquals(new float[] {1, 1, 1}, state.get("1.running_var").toArray());
        assertArrayEquals(new int[0], state.get("1.num_batches_tracked").shape(), "a 0-d counter, as torch's");
        assertEquals(2 * 3 + 2 * 12, model.parameterCount());
        assertEquals(0, new BatchNorm2d(4, 1e-5f, 0.1f, true, false).buffers().size());

        // Saved and loaded through safetensors with the counter and the running statistics.
        model.call(Tensor.randn(new Rng(1), 5, 12));
        java.nio.file.Path file = java.nio.file.Files.createTempFile("bn", ".safetensors");
        try {
            SafeTensors.save(file, model.stateDict());
            Sequential copy = new Sequential(new Unflatten(1, 3, 2, 2), new BatchNorm2d(3), new Flatten(),
                    new BatchNorm1d(12, 1e-5f, 0.1f, false, true), new LayerNorm(12));
            SafeTensorsFile f = SafeTensors.load(file);
            assertTrue(copy.loadStateDict(f.tensors()).isEmpty());
            assertEquals(1f, ((BatchNorm) copy.get(1)).numBatchesTracked().item());
            assertArrayEquals(((BatchNorm) model.get(3)).runningVar().toArray(),
                    ((BatchNorm) copy.get(3)).runningVar().toArray());
        } finally {
            java.nio.file.Files.deleteIfExists(file);
        }
    }

    /** Per-channel mean and biased variance of [N, C, L] values, in double. */
    private static double[][] stats(float[] x, int n, int c, int l) {
        double[] mean = new double[c];
        double[] var = new double[c];
        for (int i = 0; i < x.length; i++) {
            mean[(i / l) % c] += x[i] / (double) (n * l);
        }
        for (int i = 0; i < x.length; i++) {
            double d = x[i] - mean[(i / l) % c];
            var[(i / l) % c] += d * d / (n * l);
        }
        return new double[][] {mean, var};
    }

    @Test
    void batchNormTrainsOnBatchStatisticsAndEvaluatesOnTheRunningOnes() {
        Rng rng = new Rng(2);
        BatchNorm2d bn = new BatchNorm2d(3, 1e-5f, 0.2f, true, true);
        bn.weight().value().copyFrom(Tensor.of(new float[] {1f, 2f, 0.5f}, 3));
        bn.bias().value().copyFrom(Tensor.of(new float[] {0f, -1f, 3f}, 3));
        double[] rm = {0, 0, 0};
        double[] rv = {1, 1, 1};
        int n = 4;
        int l = 5 * 6;
        for (int step = 1; step <= 3; step++) {
            Tensor x = Tensor.randn(rng, n, 3, 5, 6).mul(step).add(step - 2f);
            Var y = bn.call(Var.param(x)); // training mode: batch statistics, gradient through them
            double[][] s = stats(x.toArray(), n, 3, l);
            float[] out = y.value().toArray();
            float[] xs = x.toArray();
            for (int i = 0; i < xs.length; i++) {
                int ch = (i / l) % 3;
                double e = (xs[i] - s[0][ch]) / Math.sqrt(s[1][ch] + 1e-5) * bn.weight().value().get(ch)
                        + bn.bias().value().get(ch);
                assertEquals(e, out[i], 1e-4 * (1 + Math.abs(e)), "training output " + i);
            }
            for (int ch = 0; ch < 3; ch++) {
                rm[ch] = 0.8 * rm[ch] + 0.2 * s[0][ch];
                rv[ch] = 0.8 * rv[ch] + 0.2 * s[1][ch] * (n * l) / (n * l - 1.0); // unbiased, as torch
                assertEquals(rm[ch], bn.runningMean().get(ch), 1e-5, "running_mean after step " + step);
                assertEquals(rv[ch], bn.runningVar().get(ch), 1e-4 * rv[ch], "running_var after step " + step);
            }
            assertEquals(step, bn.numBatchesTracked().item());
        }
        bn.eval();
        Tensor x = Tensor.randn(rng, 2, 3, 5, 6);
        float[] before = bn.runningMean().toArray();
        float[] out;
        try (NoGrad ignored = NoGrad.enter()) {
            out = bn.call(x).value().toArray();
        }
        float[] xs = x.toArray();
        for (int i = 0; i < xs.length; i++) {
            int ch = (i / l) % 3;
            double e = (xs[i] - bn.runningMean().get(ch)) / Math.sqrt(bn.runningVar().get(ch) + 1e-5)
                    * bn.weight().value().get(ch) + bn.bias().value().get(ch);
            assertEquals(e, out[i], 1e-4 * (1 + Math.abs(e)), "evaluation output " + i);
        }
        assertArrayEquals(before, bn.runningMean().toArray(), "evaluation leaves the running statistics alone");
        assertEquals(3f, bn.numBatchesTracked().item());

        // Without running statistics, evaluation normalises with the batch's own.
        BatchNorm1d plain = new BatchNorm1d(2, 1e-5f, 0.1f, false, false);
        plain.eval();
        Tensor z = Tensor.of(new float[] {1, 10, 3, 20, 5, 30}, 3, 2);
        float[] zn = plain.call(z).value().toArray();
        assertEquals(-Math.sqrt(1.5), zn[0], 1e-4);
        assertEquals(0, zn[2], 1e-5);
        assertNull(plain.weight());
        bn.resetRunningStats();
        assertEquals(0f, bn.numBatchesTracked().item());
        assertArrayEquals(new float[] {1, 1, 1}, bn.runningVar().toArray());
    }

    @Test
    void batchNorm1dTakesTwoAndThreeDimensionalInputs() {
        Rng rng = new Rng(3);
        BatchNorm1d bn = new BatchNorm1d(4);
        Var y2 = bn.call(Tensor.randn(rng, 6, 4));
        Var y3 = bn.call(Tensor.randn(rng, 3, 4, 5));
        assertArrayEquals(new int[] {6, 4}, y2.shape());
        assertArrayEquals(new int[] {3, 4, 5}, y3.shape());
        assertEquals(2f, bn.numBatchesTracked().item());
    }

    @Test
    void poolingAndReshapingLayersCompose() {
        Rng rng = new Rng(4);
        Sequential model = new Sequential(new Unflatten(1, 2, -1, 6), new MaxPool2d(2), new AvgPool2d(3, 1, 1),
                new AdaptiveAvgPool2d(1), new Flatten());
        Var out = model.call(Tensor.randn(rng, 5, 72));
        assertArrayEquals(new int[] {5, 2}, out.shape());
        assertArrayEquals(new int[] {5, 24}, new Flatten(1, 2).call(Tensor.zeros(5, 2, 12)).shape());
        assertArrayEquals(new int[] {120}, new Flatten(0, -1).call(Tensor.zeros(5, 2, 12)).shape());
        assertArrayEquals(new int[] {5, 2, 3, 4}, new Unflatten(-1, 3, 4).call(Tensor.zeros(5, 2, 12)).shape());
        Tensor x = Tensor.randn(rng, 2, 3, 4);
        assertSame(x.toArray().length, new Flatten().call(x).value().toArray().length);
        assertTrue(new Flatten().call(x).value().sharesStorageWith(x), "a view, as torch's flatten of a contiguous input");
    }

    @Test
    void badInputsAreRefusedNamingTheLayerTheShapeAndTheRule() {
        BatchNorm2d bn = new BatchNorm2d(3);
        IllegalArgumentException channels = assertThrows(IllegalArgumentException.class,
                () -> bn.call(Tensor.zeros(8, 4, 28, 28)));
        assertEquals("BatchNorm2d(3, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True): input"
                + " [8, 4, 28, 28] has 4 channels, expected 3", channels.getMessage());
        IllegalArgumentException rank = assertThrows(IllegalArgumentException.class, () -> bn.call(Tensor.zeros(8, 3, 28)));
        assertTrue(rank.getMessage().endsWith("expected 4D input, got 3D input of shape [8, 3, 28]"), rank.getMessage());
        IllegalArgumentException rank1d = assertThrows(IllegalArgumentException.class,
                () -> new BatchNorm1d(3).call(Tensor.zeros(8, 3, 2, 2)));
        assertTrue(rank1d.getMessage().contains("expected 2D or 3D input, got 4D input"), rank1d.getMessage());
        IllegalArgumentException one = assertThrows(IllegalArgumentException.class,
                () -> new BatchNorm1d(3).call(Tensor.zeros(1, 3)));
        assertTrue(one.getMessage().contains("expected more than 1 value per channel when training"), one.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new BatchNorm2d(0));
        assertThrows(IllegalArgumentException.class, () -> new BatchNorm2d(3, 1e-5f, 1.5f, true, true));

        IllegalArgumentException big = assertThrows(IllegalArgumentException.class,
                () -> new MaxPool2d(5).call(Tensor.zeros(2, 3, 3, 3)));
        assertTrue(big.getMessage().startsWith("MaxPool2d(kernel_size=5, stride=5, padding=0, dilation=1, ceil_mode=False):"
                + " maxPool2d: kernel 5x5 (dilation 1) is larger than the padded input 3x3"), big.getMessage());
        IllegalArgumentException pad = assertThrows(IllegalArgumentException.class,
                () -> new AvgPool2d(2, 2, 2).call(Tensor.zeros(2, 3, 8, 8)));
        assertTrue(pad.getMessage().contains("padding (2, 2) must be at most half of the kernel size (2, 2)"),
                pad.getMessage());
        IllegalArgumentException poolRank = assertThrows(IllegalArgumentException.class,
                () -> new AdaptiveAvgPool2d(2).call(Tensor.zeros(6, 7)));
        assertTrue(poolRank.getMessage().contains("[6, 7] must be 3-d [C, H, W] or 4-d [N, C, H, W]"), poolRank.getMessage());
        IllegalArgumentException ln = assertThrows(IllegalArgumentException.class,
                () -> new LayerNorm(10).call(Tensor.zeros(4, 12)));
        assertTrue(ln.getMessage().startsWith("LayerNorm((10,), eps=1e-05, elementwise_affine=True): layerNorm: input"
                + " [4, 12] does not end in normalized_shape [10]"), ln.getMessage());
        IllegalArgumentException unflat = assertThrows(IllegalArgumentException.class,
                () -> new Unflatten(1, 2, 5).call(Tensor.zeros(8, 12)));
        assertEquals("Unflatten(dim=1, unflattened_size=(2, 5)): input [8, 12] has size 12 in dim 1, but"
                + " unflattened_size (2, 5) holds 10", unflat.getMessage());
        IllegalArgumentException flat = assertThrows(IllegalArgumentException.class,
                () -> new Flatten().call(Tensor.zeros(7)));
        assertTrue(flat.getMessage().contains("input [7] has 1 dims"), flat.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Unflatten(1, -1, -1));
    }
}
