package dev.vectorgrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.vectorgrad.autograd.Var;
import dev.vectorgrad.core.Rng;
import dev.vectorgrad.core.Tensor;

class LayerTest {

    @Test
    void parametersComeInRegistrationOrderWithDottedNames() {
        Rng rng = new Rng(1);
        Linear a = new Linear(4, 3, rng);
        Linear b = new Linear(3, 2, rng);
        Sequential model = new Sequential(a, new ReLU(), new Sequential(b));
        List<Var> ps = model.parameters();
        assertEquals(4, ps.size());
        assertSame(a.weight(), ps.get(0));
        assertSame(a.bias(), ps.get(1));
        assertSame(b.weight(), ps.get(2));
        assertSame(b.bias(), ps.get(3));
        assertEquals(List.of("0.weight", "0.bias", "2.0.weight", "2.0.bias"),
                List.copyOf(model.namedParameters().keySet()));
        assertEquals(3, model.children().size());
    }

    @Test
    void aSharedLayerIsListedOnce() {
        Linear shared = new Linear(3, 3, new Rng(2));
        Sequential model = new Sequential(shared, new ReLU(), shared);
        assertEquals(2, model.parameters().size());
    }

    @Test
    void zeroGradZeroesEveryParameterGradient() {
        Rng rng = new Rng(3);
        Sequential model = new Sequential(new Linear(3, 4, rng), new ReLU(), new Linear(4, 1, rng));
        model.call(Tensor.randn(rng, 5, 3)).sum().backward();
        for (Var p : model.parameters()) {
            assertTrue(p.grad() != null);
        }
        model.zeroGrad();
        for (Var p : model.parameters()) {
            for (float g : p.grad().toArray()) {
                assertEquals(0f, g);
            }
        }
    }

    @Test
    void defaultLinearInitIsUniformWithinOneOverSqrtFanIn() {
        Linear l = new Linear(784, 50, new Rng(4));
        double bound = 1 / Math.sqrt(784);
        float[] w = l.weight().value().toArray();
        double sumSq = 0;
        for (float v : w) {
            assertTrue(Math.abs(v) <= bound, "weight " + v + " outside +-" + bound);
            sumSq += v * v;
        }
        // Variance of U(-b, b) is b^2 / 3; 39200 samples pin it within a few percent.
        assertEquals(bound * bound / 3, sumSq / w.length, 0.05 * bound * bound / 3);
        for (float v : l.bias().value().toArray()) {
            assertTrue(Math.abs(v) <= bound);
        }
        assertEquals(784, l.inFeatures());
        assertEquals(50, l.outFeatures());
        assertArrayEquals(new int[] {50, 784}, l.weight().shape());
        assertArrayEquals(new int[] {50}, l.bias().shape());
    }

    @Test
    void kaimingNormalHasStdSqrtTwoOverFanInAndZeroBias() {
        Linear l = Linear.kaimingNormal(784, 50, new Rng(5));
        float[] w = l.weight().value().toArray();
        double sumSq = 0;
        for (float v : w) {
            sumSq += v * v;
        }
        assertEquals(2.0 / 784, sumSq / w.length, 0.05 * 2.0 / 784);
        for (float v : l.bias().value().toArray()) {
            assertEquals(0f, v);
        }
    }

    @Test
    void sameSeedSameWeights() {
        float[] a = new Linear(7, 3, new Rng(9)).weight().value().toArray();
        float[] b = new Linear(7, 3, new Rng(9)).weight().value().toArray();
        assertArrayEquals(a, b);
    }

    @Test
    void linearComputesInputTimesWeightTransposedPlusBias() {
        Rng rng = new Rng(8);
        Tensor w = Tensor.randn(rng, 3, 5); // [out, in], as torch.nn.Linear
        Tensor b = Tensor.randn(rng, 3);
        Tensor x = Tensor.randn(rng, 4, 5);
        Linear l = new Linear(w, b);
        assertSame(w, l.weight().value(), "the given tensor is wrapped, not copied");
        Tensor y = l.call(x).value();
        assertArrayEquals(new int[] {4, 3}, y.shape());
        for (int r = 0; r < 4; r++) {
            for (int o = 0; o < 3; o++) {
                double s = b.get(o);
                for (int j = 0; j < 5; j++) {
                    s += (double) x.get(r, j) * w.get(o, j);
                }
                assertEquals(s, y.get(r, o), 1e-5);
            }
        }
        Linear k = Linear.kaimingNormal(6, 2, rng);
        assertArrayEquals(new int[] {2, 6}, k.weight().shape());
        assertEquals(6, k.inFeatures());
    }

    @Test
    void linearWithoutBias() {
        Linear l = new Linear(Tensor.ones(2, 3), null); // [out, in]: 3 inputs, 2 outputs
        assertNull(l.bias());
        assertEquals(1, l.parameters().size());
        assertEquals(3, l.inFeatures());
        assertEquals(2, l.outFeatures());
        Var y = l.call(Tensor.ones(1, 3));
        assertArrayEquals(new int[] {1, 2}, y.shape());
        assertEquals(3f, y.value().get(0, 1));
        Linear noBias = new Linear(4, 2, false, new Rng(3));
        assertNull(noBias.bias());
        assertEquals(List.of("weight"), List.copyOf(noBias.stateDict().keySet()));
    }

    @Test
    void badShapesAreRefusedClearly() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Linear(Tensor.ones(3, 4), Tensor.zeros(4)));
        assertTrue(e.getMessage().contains("bias must have shape [3]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Linear(Tensor.ones(3), null));
        Linear l = new Linear(5, 2, new Rng(1));
        e = assertThrows(IllegalArgumentException.class, () -> l.call(Tensor.ones(3, 4)));
        assertTrue(e.getMessage().contains("Linear(5, 2)") && e.getMessage().contains("[3, 4]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Linear(0, 2, new Rng(1)));
        assertTrue(e.getMessage().contains("Linear: inFeatures must be positive, got 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Linear.kaimingNormal(3, -1, new Rng(1)));
        assertTrue(e.getMessage().contains("Linear: outFeatures must be >= 0, got -1"), e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> new Sequential(l).get(1));
    }

    @Test
    void lossObjectsMatchTheFunctions() {
        Rng rng = new Rng(6);
        Var x = Var.param(Tensor.randn(rng, 4, 3));
        Tensor t = Tensor.randn(rng, 4, 3);
        assertEquals(dev.vectorgrad.autograd.Losses.mse(x, t).item(), new MSELoss().call(x, t).item());
        int[] c = {0, 2, 1, 1};
        assertEquals(dev.vectorgrad.autograd.Losses.crossEntropy(x, c).item(),
                new CrossEntropyLoss().call(x, Tensor.of(new float[] {0, 2, 1, 1}, 4)).item());
        assertThrows(IllegalArgumentException.class, () -> new MSELoss().call(Var.param(Tensor.ones(4, 1)), Tensor.ones(4)));
    }
}
