package dev.vectorgrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import dev.vectorgrad.autograd.ConvolutionOps;
import dev.vectorgrad.autograd.Var;
import dev.vectorgrad.core.Conv2dSpec;
import dev.vectorgrad.core.Rng;
import dev.vectorgrad.core.Tensor;
import dev.vectorgrad.nn.optim.Optimizer;
import dev.vectorgrad.nn.optim.Sgd;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * {@link Conv2d} as {@code torch.nn.Conv2d}: its parameters' names, shapes and initial bounds,
 * its repr, its forward against the autograd op, its messages, and a small CNN trained by
 * {@link TrainStep} equal to the eager loop bit for bit.
 */
class Conv2dTest {

    /** [N, C, H, W] to [N, C*H*W], a stand-in for nn's Flatten (another helper's lane). */
    static final class FlattenForTest extends Layer {
        @Override
        public Var forward(Var input) {
            return input.reshape(input.size(0), -1);
        }
    }

    @Test
    void parametersHavePyTorchNamesShapesAndInitBounds() {
        Conv2d c = Conv2d.builder(6, 8, 3, 5).groups(2).build(new Rng(1));
        Map<String, Var> p = c.namedParameters();
        assertEquals(List.of("weight", "bias"), List.copyOf(p.keySet()));
        assertArrayEquals(new int[] {8, 3, 3, 5}, c.weight().shape());
        assertArrayEquals(new int[] {8}, c.bias().shape());
        double bound = 1 / Math.sqrt(3 * 3 * 5); // fan_in = in/groups * kH * kW
        float[] w = c.weight().value().toArray();
        double maxAbs = 0;
        for (float v : w) {
            assertTrue(Math.abs(v) <= bound, "weight " + v + " outside +-" + bound);
            maxAbs = Math.max(maxAbs, Math.abs(v));
        }
        assertTrue(maxAbs > 0.8 * bound, "the weights fill the range (max |w| " + maxAbs + ")");
        for (float v : c.bias().value().toArray()) {
            assertTrue(Math.abs(v) <= bound, "bias " + v + " outside +-" + bound);
        }
        // Seeded: the same seed gives the same layer.
        assertArrayEquals(w, Conv2d.builder(6, 8, 3, 5).groups(2).build(new Rng(1)).weight().value().toArray());
        Conv2d noBias = Conv2d.builder(1, 4, 3).bias(false).build(new Rng(2));
        assertNull(noBias.bias());
        assertEquals(List.of("weight"), List.copyOf(noBias.stateDict().keySet()));
        assertEquals(4 * 9, noBias.parameterCount());
    }

    @Test
    void reprIsPyTorchs() {
        Rng rng = new Rng(0);
        assertEquals("Conv2d(1, 16, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))",
                Conv2d.builder(1, 16, 3).padding(1).build(rng).toString());
        assertEquals("Conv2d(16, 32, kernel_size=(3, 3), stride=(1, 1))", new Conv2d(16, 32, 3, rng).toString());
        assertEquals("Conv2d(4, 8, kernel_size=(3, 5), stride=(2, 1), padding=(0, 2), dilation=(2, 2), groups=4,"
                        + " bias=False)",
                Conv2d.builder(4, 8, 3, 5).stride(2, 1).padding(0, 2).dilation(2).groups(4).bias(false).build(rng)
                        .toString());
    }

    @Property(tries = 20)
    void forwardIsTheConvolutionOp(@ForAll @IntRange(min = 1, max = 3) int n, @ForAll @IntRange(min = 1, max = 3) int k,
                                   @ForAll @IntRange(min = 1, max = 2) int stride, @ForAll @IntRange(max = 2) int pad,
                                   @ForAll boolean bias, @ForAll long seed) {
        Rng rng = new Rng(seed);
        Conv2d c = Conv2d.builder(2, 3, k).stride(stride).padding(pad).bias(bias).build(rng);
        Tensor x = Tensor.randn(rng, n, 2, 6, 5);
        Var y = c.call(x);
        Var expected = ConvolutionOps.conv2d(Var.constant(x), c.weight(), c.bias(), Conv2dSpec.of(stride, pad));
        assertArrayEquals(expected.value().toArray(), y.value().toArray());
        // Unbatched [C, H, W] in, [C_out, outH, outW] out, as PyTorch.
        Var one = c.call(x.select(0, 0));
        assertArrayEquals(new int[] {3, y.size(2), y.size(3)}, one.shape());
        assertArrayEquals(y.value().select(0, 0).contiguous().toArray(), one.value().toArray());
    }

    @Test
    void badInputNamesTheLayer() {
        Conv2d c = new Conv2d(3, 16, 3, new Rng(0));
        String m = assertThrows(IllegalArgumentException.class, () -> c.call(Tensor.zeros(8, 4, 28, 28))).getMessage();
        assertEquals("Conv2d(3, 16, kernel_size=(3, 3)): input [8, 4, 28, 28] has 4 channels, expected 3", m);
        m = assertThrows(IllegalArgumentException.class, () -> c.call(Tensor.zeros(8, 3))).getMessage();
        assertTrue(m.startsWith("Conv2d(3, 16, kernel_size=(3, 3)): expected a 4-d input") && m.contains("[8, 3]"), m);
        m = assertThrows(IllegalArgumentException.class, () -> c.call(Tensor.zeros(1, 3, 2, 2))).getMessage();
        assertTrue(m.startsWith("Conv2d(3, 16, kernel_size=(3, 3)): conv2d: kernel 3x3") && m.contains("2x2"), m);
        m = assertThrows(IllegalArgumentException.class, () -> Conv2d.builder(3, 16, 3).groups(2).build(new Rng(0)))
                .getMessage();
        assertTrue(m.contains("in_channels 3") && m.contains("groups 2"), m);
        m = assertThrows(IllegalArgumentException.class, () -> Conv2d.builder(4, 6, 3).groups(4).build(new Rng(0)))
                .getMessage();
        assertTrue(m.contains("out_channels 6") && m.contains("groups 4"), m);
        m = assertThrows(IllegalArgumentException.class, () -> Conv2d.builder(4, 6, 3).stride(0).build(new Rng(0)))
                .getMessage();
        assertTrue(m.contains("stride"), m);
        m = assertThrows(IllegalArgumentException.class, () -> new Conv2d(0, 6, 3, new Rng(0))).getMessage();
        assertTrue(m.contains("in_channels"), m);
        m = assertThrows(IllegalArgumentException.class, () -> new Conv2d(2, 6, 0, new Rng(0))).getMessage();
        assertTrue(m.contains("kernel_size"), m);
    }

    // ------------------------------------------------------------------ training

    private static Sequential cnn(long seed) {
        Rng rng = new Rng(seed);
        return new Sequential(
                Conv2d.builder(1, 4, 3).padding(1).build(rng), new ReLU(),
                Conv2d.builder(4, 6, 3).stride(2).padding(1).build(rng), new ReLU(),
                new FlattenForTest(), new Linear(6 * 4 * 4, 5, rng));
    }

    private static Optimizer sgd(Layer model) {
        return Sgd.builder(model.parameters(), 0.05f).momentum(0.9f).build();
    }

    @Property(tries = 4)
    void aCapturedCnnTrainsAsTheEagerLoopDoes(@ForAll @IntRange(min = 3, max = 9) int batch, @ForAll long seed) {
        Rng data = new Rng(seed + 1);
        int samples = 20;
        Tensor x = Tensor.randn(data, samples, 1, 8, 8);
        float[] labels = new float[samples];
        for (int i = 0; i < samples; i++) {
            labels[i] = data.nextInt(5);
        }
        Tensor y = Tensor.of(labels, samples);
        Sequential captured = cnn(seed);
        Sequential eager = cnn(seed);
        CrossEntropyLoss loss = new CrossEntropyLoss();
        TrainStep step = new TrainStep(captured, loss, sgd(captured));
        Optimizer eagerOpt = sgd(eager);
        for (int epoch = 0; epoch < 2; epoch++) {
            for (int s = 0; s < samples; s += batch) {
                int e = Math.min(samples, s + batch);
                Tensor bx = x.slice(0, s, e);
                Tensor by = y.slice(0, s, e);
                float l1 = step.step(bx, by);
                eager.zeroGrad();
                Var l = loss.call(eager.call(Var.constant(bx)), by);
                l.backward();
                eagerOpt.step();
                assertEquals(Float.floatToIntBits(l.item()), Float.floatToIntBits(l1), "loss at epoch " + epoch + ", " + s);
                Map<String, Tensor> ep = eager.stateDict();
                Map<String, Tensor> cp = captured.stateDict();
                for (String key : ep.keySet()) {
                    assertArrayEquals(ep.get(key).toArray(), cp.get(key).toArray(), key + " at epoch " + epoch + ", " + s);
                }
            }
        }
        assertTrue(step.lastReplayed(), "the steps replay a captured graph");
        assertTrue(step.lastOps().contains("conv2d"), () -> "ops " + step.lastOps());
    }
}
