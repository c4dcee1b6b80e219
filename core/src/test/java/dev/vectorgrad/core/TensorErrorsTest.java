package dev.vectorgrad.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Every misuse fails with a message naming the operation, the shapes and the rule broken. */
class TensorErrorsTest {

    private static String message(Class<? extends RuntimeException> type, Executable call) {
        return assertThrows(type, call).getMessage();
    }

    private static String iae(Executable call) {
        return message(IllegalArgumentException.class, call);
    }

    private static String ioobe(Executable call) {
        return message(IndexOutOfBoundsException.class, call);
    }

    @Test
    void matmulShapes() {
        // Expanded scalars: the shapes of the lesson's mistake without allocating them.
        Tensor x = Tensor.scalar(0f).expand(10000, 783);
        Tensor w = Tensor.scalar(0f).expand(784, 50);
        assertEquals("matmul: [10000, 783] @ [784, 50]: inner sizes 783 != 784", iae(() -> x.matmul(w)));
        assertEquals("matmul: [3] @ [4, 5]: inner sizes 3 != 4", iae(() -> Tensor.zeros(3).matmul(Tensor.zeros(4, 5))));
        assertEquals("matmul: [4, 5] @ [3]: inner sizes 5 != 3", iae(() -> Tensor.zeros(4, 5).matmul(Tensor.zeros(3))));
        assertEquals("matmul: [3] @ [4]: inner sizes 3 != 4", iae(() -> Tensor.zeros(3).matmul(Tensor.zeros(4))));
        assertEquals("matmul: [2, 3, 4] @ [3, 4, 5]: batch sizes 2 and 3 must be equal or one of them 1",
                iae(() -> Tensor.zeros(2, 3, 4).matmul(Tensor.zeros(3, 4, 5))));
        assertEquals("matmul: [] @ [3]: expected operands of 1 to 3 dims",
                iae(() -> Tensor.scalar(1f).matmul(Tensor.zeros(3))));
        Tensor out = Tensor.zeros(2, 5);
        assertEquals("matmulInPlace: [2, 3] @ [4, 5]: inner sizes 3 != 4",
                iae(() -> out.matmulInPlace(Tensor.zeros(2, 3), Tensor.zeros(4, 5), false)));
        assertEquals("matmulInPlace: [2, 3] @ [3, 4] is [2, 4], but the output has shape [2, 5]",
                iae(() -> out.matmulInPlace(Tensor.zeros(2, 3), Tensor.zeros(3, 4), false)));
        String alias = iae(() -> out.matmulInPlace(out.slice(1, 0, 2), Tensor.zeros(2, 5), false));
        assertTrue(alias.startsWith("matmulInPlace: the output shares storage with an operand"), alias);
        String expanded = iae(() -> Tensor.zeros(5).expand(2, 5).matmulInPlace(Tensor.zeros(2, 3), Tensor.zeros(3, 5), false));
        assertTrue(expanded.startsWith("matmulInPlace: cannot write into an expanded view of shape [2, 5]"), expanded);
    }

    @Test
    void broadcasting() {
        assertEquals("add: shapes [2, 3] and [4] cannot broadcast: sizes 3 and 4 at dim -1 must be equal or one of them 1",
                iae(() -> Tensor.zeros(2, 3).add(Tensor.zeros(4))));
        assertEquals("mul: shapes [5, 2, 3] and [4, 3] cannot broadcast: sizes 2 and 4 at dim -2 must be equal or one of them 1",
                iae(() -> Tensor.zeros(5, 2, 3).mul(Tensor.zeros(4, 3))));
        assertTrue(iae(() -> Tensor.zeros(2).gt(Tensor.zeros(3))).startsWith("gt: shapes [2] and [3] cannot broadcast"));
        assertTrue(iae(() -> Tensor.zeros(2).maximum(Tensor.zeros(3))).startsWith("maximum: "));
        assertEquals("expand: shape [2, 3] cannot expand to [4, 3]: size 2 at dim 0 must be 1 or 4",
                iae(() -> Tensor.zeros(2, 3).expand(4, 3)));
        assertEquals("expand: cannot expand shape [2, 3] to fewer dims [3]", iae(() -> Tensor.zeros(2, 3).expand(3)));
        assertEquals("expand: shape [1] cannot expand to [-2]: size -2 at dim 0 is negative",
                iae(() -> Tensor.zeros(1).expand(-2)));
    }

    @Test
    void dims() {
        Tensor x = Tensor.zeros(2, 3);
        assertEquals("sum: dim 2 is out of range for shape [2, 3] (expected a dim in [-2, 1])", ioobe(() -> x.sum(2)));
        assertEquals("sum: dim -3 is out of range for shape [2, 3] (expected a dim in [-2, 1])", ioobe(() -> x.sum(-3)));
        assertEquals("transpose: dim 5 is out of range for shape [2, 3] (expected a dim in [-2, 1])",
                ioobe(() -> x.transpose(0, 5)));
        assertEquals("unsqueeze: dim 3 is out of range for shape [2, 3] (expected a dim in [-3, 2])",
                ioobe(() -> x.unsqueeze(3)));
        assertTrue(ioobe(() -> x.argmax(-3, false)).startsWith("argmax: dim -3 is out of range"));
        assertTrue(ioobe(() -> x.max(2, true)).startsWith("max: dim 2"));
        assertTrue(ioobe(() -> x.mean(7)).startsWith("mean: dim 7"));
        assertTrue(ioobe(() -> x.size(2)).startsWith("size: dim 2"));
        assertEquals("sum: dim 1 is out of range for shape [] (expected a dim in [-1, 0])",
                ioobe(() -> Tensor.scalar(1f).sum(1)));
        assertEquals("size: dim 0 is out of range for a 0-d tensor, which has no dims",
                ioobe(() -> Tensor.scalar(1f).size(0)));
        assertEquals("permute: [0, 0] is not a permutation: dim 0 appears twice", iae(() -> x.permute(0, 0)));
        assertEquals("permute: [0] has 1 dims for a tensor of shape [2, 3]", iae(() -> x.permute(0)));
        assertTrue(iae(() -> Tensor.zeros(2, 3, 4).t()).startsWith("t: expected a 2-d tensor, got shape [2, 3, 4]"));
    }

    @Test
    void indices() {
        Tensor x = Tensor.zeros(2, 3);
        assertEquals("get: index 3 is out of range for dim 1 of size 3 in shape [2, 3]", ioobe(() -> x.get(0, 3)));
        assertEquals("get: index -3 is out of range for dim 0 of size 2 in shape [2, 3]", ioobe(() -> x.get(-3, 0)));
        assertEquals("set: 1 indices for a 2-d tensor of shape [2, 3]", iae(() -> x.set(1f, 0)));
        assertEquals("select: index 2 is out of range for dim 0 of size 2 in shape [2, 3]", ioobe(() -> x.select(0, 2)));
        assertEquals("select: index -4 is out of range for dim 1 of size 3 in shape [2, 3]", ioobe(() -> x.select(1, -4)));
        assertEquals("slice: [1, 5) is out of range for dim 1 of size 3 in shape [2, 3]", ioobe(() -> x.slice(1, 1, 5)));
        assertEquals("slice: step must be positive, got 0", iae(() -> x.slice(1, 0, 3, 0)));
        assertEquals(0f, x.get(-1, -1), "negative indices count from the end");
    }

    @Test
    void valuesAndCounts() {
        assertEquals("item: expected a tensor with one element, got shape [2, 3] with 6 elements",
                iae(() -> Tensor.zeros(2, 3).item()));
        assertEquals(5f, Tensor.full(5f, 1, 1).item());
        assertEquals("wrap: shape [2, 3] holds 6 elements but 5 values were given",
                iae(() -> Tensor.wrap(new float[5], 2, 3)));
        assertEquals("of: shape [4] holds 4 elements but 3 values were given",
                iae(() -> Tensor.of(new float[3], 4)));
        assertEquals("zeros: shape [2, -1] has a negative size", iae(() -> Tensor.zeros(2, -1)));
        assertEquals("full: shape [-3] has a negative size", iae(() -> Tensor.full(1f, -3)));
        assertEquals("zeros: shape [0, -1] has a negative size", iae(() -> Tensor.zeros(0, -1)));
        assertEquals(0, Tensor.zeros(100_000, 100_000, 0).numel(), "a zero size makes any shape empty");
        assertTrue(iae(() -> Tensor.randn(new Rng(1), 100000, 100000)).startsWith("randn: shape [100000, 100000] holds more than"));
        assertEquals("arange: expected finite start/end and a non-zero step, got start=0.0, end=5.0, step=0.0",
                iae(() -> Tensor.arange(0, 5, 0)));
        assertEquals("arange: a step of 1.0 never goes from start=0.0 to end=-3.0; the step's sign must match end - start",
                iae(() -> Tensor.arange(-3)));
        assertTrue(iae(() -> Tensor.arange(5, 0, 0.5f)).startsWith("arange: a step of 0.5 never goes from start=5.0"));
        assertArrayEquals(new float[] {5, 4, 3, 2, 1}, Tensor.arange(5, 0, -1).toArray());
        assertArrayEquals(new float[] {0, 0.25f, 0.5f, 0.75f}, Tensor.arange(0, 1, 0.25f).toArray());
        assertEquals(0, Tensor.arange(0).numel());
        assertEquals("of: row 1 has 2 values, expected 3 like row 0",
                iae(() -> Tensor.of(new float[][] {{1, 2, 3}, {4, 5}})));
        assertEquals("setGrad: gradient of shape [3] for a tensor of shape [2, 3]: shapes must be equal",
                iae(() -> Tensor.zeros(2, 3).setGrad(Tensor.zeros(3))));
    }

    @Test
    void inPlaceRules() {
        Tensor expanded = Tensor.zeros(3).expand(2, 3);
        assertEquals("addInPlace: cannot write into an expanded view of shape [2, 3] (dim 0 repeats one element);"
                + " call contiguous() first", iae(() -> expanded.addInPlace(Tensor.ones(2, 3))));
        assertTrue(iae(() -> expanded.fillInPlace(1f)).startsWith("fillInPlace: cannot write into an expanded view"));
        assertTrue(iae(() -> expanded.mulInPlace(2f)).startsWith("mulInPlace: cannot write into an expanded view"));
        assertTrue(iae(() -> expanded.copyFrom(Tensor.ones(3))).startsWith("copyFrom: cannot write into an expanded view"));
        assertTrue(iae(() -> expanded.set(1f, 0, 0)).startsWith("set: cannot write into an expanded view"));
        assertEquals(0f, expanded.get(1, 0), "the refused write left the shared element alone");
        Tensor single = Tensor.zeros(1, 3).expand(1, 3); // size-1 dims repeat nothing: writable
        single.set(2f, 0, 1);
        assertEquals(2f, single.get(0, 1));
        assertEquals("addInPlace: shape [2, 3] does not broadcast to this tensor's shape [3]"
                        + " (an in-place result keeps the shape of the tensor written to)",
                iae(() -> Tensor.zeros(3).addInPlace(Tensor.zeros(2, 3))));
        assertTrue(iae(() -> Tensor.zeros(3).subInPlace(Tensor.zeros(4))).startsWith("subInPlace: shapes [4] and [3] cannot broadcast"));
        assertTrue(iae(() -> Tensor.zeros(2, 1).mulInPlace(Tensor.zeros(3))).startsWith("mulInPlace: shape [3] does not broadcast"));
        assertTrue(iae(() -> Tensor.zeros(2).copyFrom(Tensor.zeros(2, 2))).startsWith("copyFrom: shape [2, 2]"));
        Tensor ok = Tensor.zeros(2, 3);
        ok.expand(4, 2, 3); // reading an expanded view is fine
        assertEquals(1, ok.addInPlace(Tensor.ones(1)).version());
    }

    @Test
    void reductionsOfNothing() {
        Tensor e = Tensor.zeros(0, 3);
        assertEquals("max: a tensor of shape [0, 3] has no elements; the max of nothing is undefined", iae(e::max));
        assertEquals("min: a tensor of shape [0, 3] has no elements; the min of nothing is undefined", iae(e::min));
        assertEquals("argmax: a tensor of shape [0, 3] has no elements", iae(e::argmax));
        assertEquals("argmin: a tensor of shape [0, 3] has no elements", iae(e::argmin));
        assertEquals("max: dim 0 of shape [0, 3] is empty; the max of nothing is undefined", iae(() -> e.max(0, false)));
        assertEquals("argmax: dim 0 of shape [0, 3] is empty", iae(() -> e.argmax(0, true)));
        assertEquals("argmin: dim 0 of shape [0, 3] is empty", iae(() -> e.argmin(-2, true)));
    }

    @Test
    void closenessArguments() {
        assertEquals("allClose: tolerances must not be negative, got rtol=-1.0, atol=0.0",
                iae(() -> Tensor.zeros(2).allClose(Tensor.zeros(2), -1, 0)));
        assertEquals("nextInt: bound must be positive, got 0", iae(() -> new Rng(1).nextInt(0)));
        assertTrue(iae(() -> new PrintOptions(-1, 1000, 3, 80, null)).contains("got precision=-1"));
    }
}
