package dev.vectorgrad.nn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.vectorgrad.core.Rng;
import dev.vectorgrad.core.Tensor;
import dev.vectorgrad.nn.Layer;
import dev.vectorgrad.nn.Linear;
import dev.vectorgrad.nn.ReLU;
import dev.vectorgrad.nn.Sequential;

/**
 * A {@link Sequential}'s state dict through safetensors: bit-exact round trips, and a file laid
 * out as {@code torch.nn.Sequential(Linear, ReLU, Linear).load_state_dict} expects.
 */
class StateDictFileTest {

    /** Linear, ReLU, Linear, ... with the given sizes, PyTorch's default init. */
    static Sequential mlp(int[] sizes, Rng rng) {
        List<Layer> layers = new ArrayList<>();
        for (int i = 0; i + 1 < sizes.length; i++) {
            if (i > 0) {
                layers.add(new ReLU());
            }
            layers.add(new Linear(sizes[i], sizes[i + 1], rng));
        }
        return new Sequential(layers.toArray(Layer[]::new));
    }

    private static int[] bits(Tensor t) {
        float[] v = t.toArray();
        int[] b = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = Float.floatToRawIntBits(v[i]);
        }
        return b;
    }

    @Provide
    Arbitrary<int[]> sizes() {
        return Arbitraries.integers().between(1, 40).array(int[].class).ofMinSize(2).ofMaxSize(5);
    }

    @Property(tries = 30)
    void aRandomMlpSurvivesSaveLoadAndLoadStateDictBitForBit(@ForAll("sizes") int[] sizes, @ForAll long seed)
            throws IOException {
        Rng rng = new Rng(seed);
        Sequential saved = mlp(sizes, rng);
        Sequential fresh = mlp(sizes, new Rng(seed ^ 0x5DEECE66DL));
        Path file = Files.createTempFile("statedict", ".safetensors");
        try {
            SafeTensors.save(file, saved.stateDict());
            SafeTensorsFile read = SafeTensors.load(file);
            assertEquals(List.copyOf(saved.stateDict().keySet()), List.copyOf(read.tensors().keySet()));
            Layer.IncompatibleKeys r = fresh.loadStateDict(read.tensors(), true);
            assertTrue(r.isEmpty(), r.toString());
        } finally {
            Files.deleteIfExists(file);
        }
        Map<String, Tensor> a = saved.stateDict();
        Map<String, Tensor> b = fresh.stateDict();
        assertEquals(a.keySet(), b.keySet());
        for (String k : a.keySet()) {
            assertArrayEquals(a.get(k).shape(), b.get(k).shape(), k);
            assertArrayEquals(bits(a.get(k)), bits(b.get(k)), k);
        }
        Tensor x = Tensor.randn(rng, 3, sizes[0]);
        assertArrayEquals(bits(saved.call(x).value()), bits(fresh.call(x).value()));
    }

    @Test
    void theFileHoldsWhatTorchLoadStateDictReadsUnderItsNamesShapesAndOrder(@TempDir Path dir) throws IOException {
        Rng rng = new Rng(42);
        int[] sizes = {5, 4, 3};
        Sequential model = mlp(sizes, rng);
        Path file = dir.resolve("mlp.safetensors");
        SafeTensors.save(file, model.stateDict());

        byte[] raw = Files.readAllBytes(file);
        ByteBuffer buf = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        long headerLen = buf.getLong(0);
        assertTrue(headerLen > 0 && 8 + headerLen <= raw.length, "header length " + headerLen);
        String header = new String(raw, 8, (int) headerLen, StandardCharsets.UTF_8);
        @SuppressWarnings("unchecked")
        Map<String, Object> json = (Map<String, Object>) Json.parse(header);
        assertFalse(json.containsKey("__metadata__"));

        // torch.nn.Sequential(Linear(5, 4), ReLU(), Linear(4, 3)).state_dict(), in its order.
        List<String> torchKeys = List.of("0.weight", "0.bias", "2.weight", "2.bias");
        int[][] torchShapes = {{4, 5}, {4}, {3, 4}, {3}};
        assertEquals(torchKeys, List.copyOf(json.keySet()));

        long dataStart = 8 + headerLen;
        long expectedBegin = 0;
        Map<String, Tensor> state = model.stateDict();
        for (int i = 0; i < torchKeys.size(); i++) {
            String key = torchKeys.get(i);
            @SuppressWarnings("unchecked")
            Map<String, Object> entry = (Map<String, Object>) json.get(key);
            assertEquals("F32", entry.get("dtype"), key);
            List<Long> shape = new ArrayList<>();
            for (int s : torchShapes[i]) {
                shape.add((long) s);
            }
            assertEquals(shape, entry.get("shape"), key);
            List<?> offsets = (List<?>) entry.get("data_offsets");
            long begin = (Long) offsets.get(0);
            long end = (Long) offsets.get(1);
            int numel = 1;
            for (int s : torchShapes[i]) {
                numel *= s;
            }
            assertEquals(expectedBegin, begin, key + " starts where the previous tensor ended");
            assertEquals(4L * numel, end - begin, key);
            // Row-major little-endian float32, [out, in]: element (o, j) of the weight is at o * in + j.
            Tensor t = state.get(key);
            for (int e = 0; e < numel; e++) {
                float fromFile = buf.getFloat((int) (dataStart + begin + 4L * e));
                float inModel = t.dim() == 2 ? t.get(e / t.size(1), e % t.size(1)) : t.get(e);
                assertEquals(Float.floatToRawIntBits(inModel), Float.floatToRawIntBits(fromFile), key + "[" + e + "]");
            }
            expectedBegin = end;
        }
        assertEquals(raw.length, dataStart + expectedBegin, "the data ends with the last tensor");

        // And the layer computes x @ weight^T + bias with that weight, as torch.nn.Linear does.
        Tensor x = Tensor.randn(rng, 2, 5);
        Tensor w = state.get("0.weight");
        Tensor b = state.get("0.bias");
        Tensor y = ((Linear) model.get(0)).call(x).value();
        for (int r = 0; r < 2; r++) {
            for (int o = 0; o < 4; o++) {
                double s = b.get(o);
                for (int j = 0; j < 5; j++) {
                    s += (double) x.get(r, j) * w.get(o, j);
                }
                assertEquals(s, y.get(r, o), 1e-5, "y[" + r + ", " + o + "]");
            }
        }
    }
}
