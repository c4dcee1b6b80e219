package dev.vectorgrad.nn.lesson;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vectorgrad.core.Rng;
import dev.vectorgrad.core.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class FoundationsTest {

    @Test
    void linIsMatmulPlusBroadcastBias() {
        Rng rng = new Rng(1);
        Tensor x = Tensor.randn(rng, 4, 3);
        Tensor w = Tensor.randn(rng, 3, 5);
        Tensor b = Tensor.randn(rng, 5);
        Tensor y = Foundations.lin(x, w, b);
        assertArrayEquals(new int[] {4, 5}, y.shape());
        Doubles.assertGradClose("lin", y, Doubles.lin(Doubles.of(x), Doubles.of(w), Doubles.of(b), 4, 3, 5), 4, 5);
    }

    @Test
    void linReadsTransposedViews() {
        Rng rng = new Rng(2);
        Tensor xt = Tensor.randn(rng, 3, 4).t();
        Tensor w = Tensor.randn(rng, 3, 2);
        Tensor b = Tensor.zeros(2);
        Doubles.assertGradClose("lin of a view", Foundations.lin(xt, w, b),
                Doubles.lin(Doubles.of(xt), Doubles.of(w), Doubles.of(b), 4, 3, 2), 4, 2);
    }

    @ParameterizedTest(name = "x {0}, w {1}, b {2}")
    @CsvSource(delimiter = '|', value = {"2,3|4,5|5", "2,4|4,5|4", "4|4,5|5", "2,4|4,5|1,5", "2,4|4|4"})
    void linNamesTheShapesItCannotUse(String xs, String ws, String bs) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Foundations.lin(Tensor.zeros(dims(xs)), Tensor.zeros(dims(ws)), Tensor.zeros(dims(bs))));
        assertTrue(e.getMessage().startsWith("lin: input [" + xs.replace(",", ", ") + "], weights ["
                + ws.replace(",", ", ") + "], bias [" + bs.replace(",", ", ") + "]"), e.getMessage());
        assertTrue(e.getMessage().contains("expected [n, in], [in, out] and [out]"), e.getMessage());
    }

    private static int[] dims(String s) {
        String[] p = s.split(",");
        int[] d = new int[p.length];
        for (int i = 0; i < p.length; i++) {
            d[i] = Integer.parseInt(p[i].trim());
        }
        return d;
    }

    @Test
    void reluClampsAtZero() {
        Tensor x = Tensor.of(new float[] {-2, -0f, 0, 0.5f, 3}, 5);
        assertArrayEquals(new float[] {0, 0, 0, 0.5f, 3}, Foundations.relu(x).toArray());
    }

    @Test
    void mseIsTheMeanSquaredDifferenceOfTheColumn() {
        Rng rng = new Rng(3);
        Tensor out = Tensor.randn(rng, 6, 1);
        Tensor targ = Tensor.randn(rng, 6);
        Tensor loss = Foundations.mse(out, targ);
        assertEquals(0, loss.dim());
        assertEquals(Doubles.mse(Doubles.of(out), Doubles.of(targ)), loss.item(), 1e-6);
    }

    @ParameterizedTest(name = "output {0}, target {1}")
    @CsvSource(delimiter = '|', value = {"6|6", "6,2|6", "6,1|5", "6,1|6,1", "1,6|6"})
    void mseRefusesShapesThatWouldBroadcast(String os, String ts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Foundations.mse(Tensor.zeros(dims(os)), Tensor.zeros(dims(ts))));
        assertEquals("mse: output [" + os.replace(",", ", ") + "], target [" + ts.replace(",", ", ")
                + "]: expected [n, 1] and [n]", e.getMessage());
    }

    @Test
    void mseOfAnEmptyBatchIsAnError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Foundations.mse(Tensor.zeros(0, 1), Tensor.zeros(0)));
        assertTrue(e.getMessage().contains("empty batch"), e.getMessage());
    }

    @Test
    void linGradMatchesFiniteDifferences() {
        int n = 3, in = 4, out = 5;
        Rng rng = new Rng(4);
        Tensor inp = Tensor.randn(rng, n, in);
        Tensor w = Tensor.randn(rng, in, out);
        Tensor b = Tensor.randn(rng, out);
        Tensor y = Foundations.lin(inp, w, b);
        Tensor upstream = Tensor.randn(rng, n, out);
        y.setGrad(upstream);
        Foundations.linGrad(inp, y, w, b);

        // L = sum(y * upstream) has d L / d y = upstream.
        double[] xd = Doubles.of(inp), wd = Doubles.of(w), bd = Doubles.of(b), gd = Doubles.of(upstream);
        java.util.function.DoubleSupplier loss = () -> Doubles.dot(Doubles.lin(xd, wd, bd, n, in, out), gd);
        Doubles.assertGradClose("inp", inp.grad(), Doubles.centralDiff(xd, loss), n, in);
        Doubles.assertGradClose("w", w.grad(), Doubles.centralDiff(wd, loss), in, out);
        Doubles.assertGradClose("b", b.grad(), Doubles.centralDiff(bd, loss), out);
    }

    @Test
    void linGradNeedsTheOutputGradient() {
        Tensor inp = Tensor.ones(2, 3);
        Tensor w = Tensor.ones(3, 1);
        Tensor b = Tensor.zeros(1);
        Tensor y = Foundations.lin(inp, w, b);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Foundations.linGrad(inp, y, w, b));
        assertTrue(e.getMessage().startsWith("linGrad: out [2, 1] has no gradient"), e.getMessage());
        assertNull(w.grad());
    }

    @ParameterizedTest(name = "n={0}, m={1}, nh={2}")
    @CsvSource({"3, 5, 4", "1, 1, 1", "7, 3, 9"})
    void forwardAndBackwardMatchesFiniteDifferences(int n, int m, int nh) {
        Rng rng = new Rng(5 + n);
        Tensor inp = Tensor.randn(rng, n, m);
        Tensor targ = Tensor.randn(rng, n).mul(3f);
        Tensor w1 = Tensor.randn(rng, m, nh);
        Tensor b1 = Tensor.randn(rng, nh);
        Tensor w2 = Tensor.randn(rng, nh, 1);
        Tensor b2 = Tensor.randn(rng, 1);
        Tensor loss = Foundations.forwardAndBackward(inp, targ, w1, b1, w2, b2);

        double[] x = Doubles.of(inp), t = Doubles.of(targ), dw1 = Doubles.of(w1), db1 = Doubles.of(b1),
                dw2 = Doubles.of(w2), db2 = Doubles.of(b2);
        java.util.function.DoubleSupplier f = () -> Doubles.mse(
                Doubles.lin(Doubles.relu(Doubles.lin(x, dw1, db1, n, m, nh)), dw2, db2, n, nh, 1), t);
        assertEquals(f.getAsDouble(), loss.item(), 1e-5 * (1 + f.getAsDouble()));
        Doubles.assertGradClose("inp", inp.grad(), Doubles.centralDiff(x, f), n, m);
        Doubles.assertGradClose("w1", w1.grad(), Doubles.centralDiff(dw1, f), m, nh);
        Doubles.assertGradClose("b1", b1.grad(), Doubles.centralDiff(db1, f), nh);
        Doubles.assertGradClose("w2", w2.grad(), Doubles.centralDiff(dw2, f), nh, 1);
        Doubles.assertGradClose("b2", b2.grad(), Doubles.centralDiff(db2, f), 1);
    }

    @Test
    void forwardAndBackwardChecksTheTargetShape() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Foundations.forwardAndBackward(
                Tensor.ones(3, 2), Tensor.ones(4), Tensor.ones(2, 5), Tensor.zeros(5), Tensor.ones(5, 1), Tensor.zeros(1)));
        assertEquals("forwardAndBackward: output [3, 1], target [4]: expected [n, 1] and [n]", e.getMessage());
    }
}
