package dev.vectorgrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.vectorgrad.autograd.Var;
import dev.vectorgrad.core.Rng;
import dev.vectorgrad.core.Tensor;

/** {@code stateDict} / {@code loadStateDict}, buffers, train / eval, printing: PyTorch's nn.Module semantics. */
class StateDictTest {

    /** A user-defined layer with a parameter, a persistent and a non-persistent buffer, and a child. */
    static final class Scaled extends Layer {
        final int n;
        final Var scale;
        final Tensor runningMean;
        final Tensor cache;
        final Linear inner;

        Scaled(int n, Rng rng) {
            this.n = n;
            scale = registerParameter("scale", Tensor.randn(rng, n));
            runningMean = registerBuffer("running_mean", Tensor.randn(rng, n));
            cache = registerBuffer("cache", Tensor.zeros(n), false);
            inner = registerChild("inner", new Linear(n, n, rng));
        }

        @Override
        protected String extraRepr() {
            return "n=" + n;
        }

        @Override
        public Var forward(Var input) {
            return inner.forward(input.mul(scale));
        }
    }

    private static Sequential model(long seed) {
        Rng rng = new Rng(seed);
        return new Sequential(new Linear(4, 3, rng), new ReLU(), new Sequential(new Linear(3, 2, rng), new Scaled(2, rng)));
    }

    private static int[] bits(Tensor t) {
        float[] v = t.toArray();
        int[] b = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = Float.floatToRawIntBits(v[i]);
        }
        return b;
    }

    /** Copies of every value, for "nothing changed" checks. */
    private static Map<String, int[]> snapshot(Layer l) {
        Map<String, int[]> out = new LinkedHashMap<>();
        l.stateDict().forEach((k, v) -> out.put(k, bits(v)));
        return out;
    }

    private static void assertSameValues(Map<String, int[]> expected, Layer l) {
        Map<String, int[]> now = snapshot(l);
        assertEquals(expected.keySet(), now.keySet());
        for (String k : expected.keySet()) {
            assertArrayEquals(expected.get(k), now.get(k), k);
        }
    }

    @Test
    void keysFollowPyTorchsOrderParametersThenPersistentBuffersThenChildren() {
        Sequential m = model(1);
        assertEquals(List.of("0.weight", "0.bias", "2.0.weight", "2.0.bias", "2.1.scale", "2.1.running_mean",
                "2.1.inner.weight", "2.1.inner.bias"), List.copyOf(m.stateDict().keySet()));
        assertEquals(List.of("2.1.running_mean", "2.1.cache"), List.copyOf(m.namedBuffers().keySet()));
        assertEquals(2, m.buffers().size());
        assertEquals(List.of("", "0", "1", "2", "2.0", "2.1", "2.1.inner"), List.copyOf(m.namedModules().keySet()));
        assertEquals(List.of("0", "1", "2"), List.copyOf(m.namedChildren().keySet()));
    }

    @Test
    void theStateDictHoldsTheModelsOwnTensorsInANewMap() {
        Sequential m = model(2);
        Linear l0 = (Linear) m.get(0);
        Scaled s = (Scaled) ((Sequential) m.get(2)).get(1);
        Map<String, Tensor> sd = m.stateDict();
        assertSame(l0.weight().value(), sd.get("0.weight"));
        assertSame(s.runningMean, sd.get("2.1.running_mean"));
        assertArrayEquals(new int[] {3, 4}, sd.get("0.weight").shape());
        sd.remove("0.weight");
        assertTrue(m.stateDict().containsKey("0.weight"), "the map is a fresh copy each call");
    }

    @Test
    void aSharedLayerAppearsUnderEachPathInTheStateDictButCountsOnce() {
        Linear shared = new Linear(3, 3, new Rng(3));
        Sequential m = new Sequential(shared, new ReLU(), shared);
        Map<String, Tensor> sd = m.stateDict();
        assertEquals(List.of("0.weight", "0.bias", "2.weight", "2.bias"), List.copyOf(sd.keySet()));
        assertSame(sd.get("0.weight"), sd.get("2.weight"));
        assertEquals(List.of("0.weight", "0.bias"), List.copyOf(m.namedParameters().keySet()));
        assertEquals(12, m.parameterCount());
        assertEquals(List.of("", "0", "1"), List.copyOf(m.namedModules().keySet()));
    }

    @Test
    void parameterCountSumsScalars() {
        Rng rng = new Rng(4);
        Sequential m = new Sequential(new Linear(784, 50, rng), new ReLU(), new Linear(50, 10, rng));
        assertEquals(784L * 50 + 50 + 50 * 10 + 10, m.parameterCount());
        assertEquals(0, new ReLU().parameterCount());
        // Buffers are not parameters.
        assertEquals(2 + 2 * 2 + 2, new Scaled(2, rng).parameterCount());
    }

    @Test
    void loadingCopiesInPlaceAndKeepsEveryTensorsIdentity() {
        Sequential src = model(5);
        Sequential dst = model(6);
        Map<String, Tensor> before = dst.stateDict();
        List<Var> params = dst.parameters();
        Scaled s = (Scaled) ((Sequential) dst.get(2)).get(1);
        Tensor cacheBefore = s.cache.copy();
        assertFalse(java.util.Arrays.equals(bits(src.stateDict().get("0.weight")), bits(before.get("0.weight"))));

        Layer.IncompatibleKeys r = dst.loadStateDict(src.stateDict(), true);

        assertTrue(r.isEmpty(), r.toString());
        Map<String, Tensor> after = dst.stateDict();
        for (String k : before.keySet()) {
            assertSame(before.get(k), after.get(k), k);
            assertNotSame(src.stateDict().get(k), after.get(k), k);
            assertArrayEquals(bits(src.stateDict().get(k)), bits(after.get(k)), k);
        }
        assertEquals(params, dst.parameters());
        assertSame(s.runningMean, after.get("2.1.running_mean"));
        assertArrayEquals(bits(cacheBefore), bits(s.cache), "a non-persistent buffer is not loaded");
        // Copies, not aliases: changing the source later leaves the destination alone.
        int[] w = bits(after.get("0.weight"));
        src.stateDict().get("0.weight").fillInPlace(7f);
        assertArrayEquals(w, bits(dst.stateDict().get("0.weight")));
    }

    @Test
    void loadingAcceptsAnyLayoutAndItsOwnState() {
        Sequential m = model(7);
        Map<String, int[]> snap = snapshot(m);
        m.loadStateDict(m.stateDict());
        assertSameValues(snap, m);

        Map<String, Tensor> state = new LinkedHashMap<>();
        model(8).stateDict().forEach((k, v) -> state.put(k, v.copy()));
        Tensor w = state.get("0.weight");
        Tensor transposedView = w.t().copy().t(); // same values, column-major strides
        assertFalse(transposedView.isContiguous());
        state.put("0.weight", transposedView);
        m.loadStateDict(state);
        assertArrayEquals(bits(w), bits(m.stateDict().get("0.weight")));
    }

    @Test
    void strictRefusesMissingKeysBeforeCopyingAnything() {
        Sequential dst = model(9);
        Map<String, int[]> snap = snapshot(dst);
        Map<String, Tensor> state = model(10).stateDict();
        state.remove("2.0.bias");
        state.remove("2.1.inner.weight");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> dst.loadStateDict(state, true));
        assertTrue(e.getMessage().contains("Missing key(s) in state_dict: \"2.0.bias\", \"2.1.inner.weight\""),
                e.getMessage());
        assertTrue(e.getMessage().contains("Sequential"), e.getMessage());
        assertSameValues(snap, dst);
        // The one-argument form is strict, as PyTorch's default.
        assertThrows(IllegalArgumentException.class, () -> dst.loadStateDict(state));
        assertSameValues(snap, dst);
    }

    @Test
    void strictRefusesUnexpectedKeysBeforeCopyingAnything() {
        Sequential dst = model(11);
        Map<String, int[]> snap = snapshot(dst);
        Map<String, Tensor> state = model(12).stateDict();
        state.put("3.weight", Tensor.zeros(2, 2));
        state.put("2.1.cache", Tensor.zeros(2)); // non-persistent: not part of the state
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> dst.loadStateDict(state, true));
        assertTrue(e.getMessage().contains("Unexpected key(s) in state_dict: \"3.weight\", \"2.1.cache\""),
                e.getMessage());
        assertSameValues(snap, dst);
    }

    @Test
    void nonStrictLoadsWhatMatchesAndReturnsTheRest() {
        Sequential src = model(13);
        Sequential dst = model(14);
        Map<String, int[]> snap = snapshot(dst);
        Map<String, Tensor> state = new LinkedHashMap<>();
        state.put("zzz", Tensor.zeros(1));
        state.putAll(src.stateDict());
        state.remove("0.bias");
        state.remove("2.1.running_mean");
        state.put("aaa.weight", Tensor.zeros(1));

        Layer.IncompatibleKeys r = dst.loadStateDict(state, false);

        assertEquals(List.of("0.bias", "2.1.running_mean"), r.missingKeys());
        assertEquals(List.of("zzz", "aaa.weight"), r.unexpectedKeys());
        assertFalse(r.isEmpty());
        Map<String, Tensor> after = dst.stateDict();
        for (String k : after.keySet()) {
            int[] expected = state.containsKey(k) ? bits(state.get(k)) : snap.get(k);
            assertArrayEquals(expected, bits(after.get(k)), k);
        }
        assertThrows(UnsupportedOperationException.class, () -> r.missingKeys().add("x"));
    }

    @Test
    void aShapeMismatchNamesTheKeyAndBothShapesAndCopiesNothingInEitherMode() {
        Sequential dst = model(15);
        Map<String, int[]> snap = snapshot(dst);
        for (boolean strict : new boolean[] {true, false}) {
            Map<String, Tensor> state = model(16).stateDict();
            state.put("2.0.weight", Tensor.zeros(3, 2)); // the transpose of [2, 3]: the classic mistake
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> dst.loadStateDict(state, strict));
            assertTrue(e.getMessage().contains("size mismatch for 2.0.weight") && e.getMessage().contains("[3, 2]")
                    && e.getMessage().contains("[2, 3]"), e.getMessage());
            assertTrue(e.getMessage().contains("nothing was copied"), e.getMessage());
            assertSameValues(snap, dst);
        }
        // No broadcasting either: a [1, 4] row does not fill a [3, 4] weight.
        Map<String, Tensor> state = model(16).stateDict();
        state.put("0.weight", Tensor.zeros(1, 4));
        assertThrows(IllegalArgumentException.class, () -> dst.loadStateDict(state, false));
        assertSameValues(snap, dst);
    }

    @Test
    void nullStateAndNullValuesAreRefused() {
        Sequential dst = model(17);
        Map<String, int[]> snap = snapshot(dst);
        assertThrows(IllegalArgumentException.class, () -> dst.loadStateDict(null, true));
        Map<String, Tensor> state = new HashMap<>(model(18).stateDict());
        state.put("0.bias", null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> dst.loadStateDict(state, false));
        assertTrue(e.getMessage().contains("0.bias"), e.getMessage());
        assertSameValues(snap, dst);
    }

    @Test
    void loadedBuffersAreWrittenIntoTheTensorsTheLayerHolds() {
        Rng rng = new Rng(19);
        Scaled a = new Scaled(3, rng);
        Scaled b = new Scaled(3, rng);
        Tensor held = b.runningMean;
        b.loadStateDict(a.stateDict());
        assertSame(held, b.runningMean);
        assertArrayEquals(bits(a.runningMean), bits(b.runningMean));
        Tensor x = Tensor.randn(rng, 5, 3);
        assertArrayEquals(bits(a.call(x).value()), bits(b.call(x).value()));
    }

    @Test
    void namesMustBeUniqueAcrossParametersBuffersAndChildren() {
        class Clash extends Layer {
            Clash(String second) {
                registerParameter("w", Tensor.zeros(1));
                switch (second) {
                    case "buffer" -> registerBuffer("w", Tensor.zeros(1));
                    case "child" -> registerChild("w", new ReLU());
                    default -> registerBuffer("a.b", Tensor.zeros(1));
                }
            }

            @Override
            public Var forward(Var input) {
                return input;
            }
        }
        for (String s : new String[] {"buffer", "child", "dotted"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Clash(s));
            assertTrue(e.getMessage().contains("Clash"), e.getMessage());
        }
    }

    @Test
    void trainAndEvalReachEveryDescendant() {
        Sequential m = model(20);
        for (Layer l : m.namedModules().values()) {
            assertTrue(l.isTraining(), "a new layer trains, as in PyTorch");
        }
        assertSame(m, m.eval());
        for (Map.Entry<String, Layer> e : m.namedModules().entrySet()) {
            assertFalse(e.getValue().isTraining(), e.getKey());
        }
        assertSame(m, m.train());
        for (Layer l : m.namedModules().values()) {
            assertTrue(l.isTraining());
        }
        Layer inner = m.get(2);
        inner.train(false);
        assertTrue(m.isTraining());
        assertTrue(m.get(0).isTraining());
        assertFalse(((Sequential) inner).get(1).isTraining());
        assertFalse(((Scaled) ((Sequential) inner).get(1)).inner.isTraining());
    }

    @Test
    void anOverriddenTrainSeesEveryModeChange() {
        List<Boolean> seen = new ArrayList<>();
        Layer spy = new Layer() {
            @Override
            public Layer train(boolean mode) {
                seen.add(mode);
                return super.train(mode);
            }

            @Override
            public Var forward(Var input) {
                return input;
            }
        };
        Sequential m = new Sequential(new ReLU(), new Sequential(spy));
        m.eval();
        m.train();
        assertEquals(List.of(false, true), seen);
        assertTrue(spy.isTraining());
    }

    @Test
    void toStringPrintsTheModuleTreeAsPyTorch() {
        Rng rng = new Rng(21);
        Sequential m = new Sequential(new Linear(784, 50, rng), new ReLU(), new Linear(50, 10, rng));
        assertEquals("""
                Sequential(
                  (0): Linear(in_features=784, out_features=50, bias=True)
                  (1): ReLU()
                  (2): Linear(in_features=50, out_features=10, bias=True)
                )""", m.toString());

        Sequential nested = new Sequential(new Linear(4, 3, false, rng), new Sequential(new ReLU(), new Scaled(3, rng)));
        assertEquals("""
                Sequential(
                  (0): Linear(in_features=4, out_features=3, bias=False)
                  (1): Sequential(
                    (0): ReLU()
                    (1): Scaled(
                      n=3
                      (inner): Linear(in_features=3, out_features=3, bias=True)
                    )
                  )
                )""", nested.toString());
        assertEquals("Sequential()", new Sequential().toString());
    }

    @Test
    void aMultiLineExtraReprOpensTheParentheses() {
        Layer l = new Layer() {
            @Override
            protected String typeName() {
                return "Two";
            }

            @Override
            protected String extraRepr() {
                return "a=1\nb=2";
            }

            @Override
            public Var forward(Var input) {
                return input;
            }
        };
        assertEquals("Two(\n  a=1\n  b=2\n)", l.toString());
    }

    @Test
    void summaryListsEveryParameterWithItsShapeAndTheTotal() {
        Rng rng = new Rng(22);
        Sequential m = new Sequential(new Linear(784, 50, rng), new ReLU(), new Linear(50, 10, rng));
        String s = m.summary();
        assertTrue(s.startsWith(m.toString() + "\n"), s);
        List<String> lines = s.lines().toList();
        List<String> table = lines.subList(m.toString().lines().toList().size(), lines.size());
        assertEquals(6, table.size(), s);
        assertEquals(List.of("parameter", "shape", "count"), List.of(table.get(0).split("\\s+")));
        assertEquals(List.of("0.weight", "[50,", "784]", "39,200"), List.of(table.get(1).split("\\s+")));
        assertEquals(List.of("0.bias", "[50]", "50"), List.of(table.get(2).split("\\s+")));
        assertEquals(List.of("2.weight", "[10,", "50]", "500"), List.of(table.get(3).split("\\s+")));
        assertEquals(List.of("2.bias", "[10]", "10"), List.of(table.get(4).split("\\s+")));
        assertEquals("total parameters: 39,760", table.get(5));
        // Columns line up: every shape starts where the header's does.
        int col = table.get(0).indexOf("shape");
        for (int i = 1; i < 5; i++) {
            assertEquals('[', table.get(i).charAt(col), table.get(i));
        }

        String withBuffers = new Scaled(2, rng).summary();
        assertTrue(withBuffers.contains("running_mean") && withBuffers.contains("cache"), withBuffers);
        assertTrue(withBuffers.endsWith("total parameters: 8"), withBuffers);
    }
}
