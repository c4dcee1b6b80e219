package dev.vectorgrad.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * Max pooling of inputs large enough to be split over the thread pool's planes (32K cells and
 * more) gives what one plane at a time gives: the fast 2x2 forward against the general loop (the
 * same values through a sliced view, which that path does not take) and the backward against a
 * serial scatter written here.
 */
class PoolingParallelTest {

    @Test
    void planeSplitMaxPoolingMatchesTheSerialLoops() {
        int n = 5;
        int c = 13;
        int h = 28;
        int w = 26; // 47,320 cells: above the split threshold, planes not a multiple of the task count
        Tensor x = Tensor.randn(new Rng(21), n, c, h, w).relu(); // ReLU's zeros make ties
        Tensor sliced = Tensor.zeros(n, c, h, w + 3).slice(3, 1, w + 1);
        sliced.copyFrom(x);
        Pool2dSpec spec = Pool2dSpec.of(2);
        Pooling.MaxPool2dResult fast = Pooling.maxPool2d(x, spec);
        Pooling.MaxPool2dResult general = Pooling.maxPool2d(sliced, spec);
        float[] fo = fast.output().toArray();
        float[] go = general.output().toArray();
        for (int i = 0; i < fo.length; i++) {
            assertEquals(Float.floatToRawIntBits(go[i]), Float.floatToRawIntBits(fo[i]), "output " + i);
            assertEquals(general.indices()[i], fast.indices()[i], "index " + i);
        }

        Tensor g = Tensor.randn(new Rng(22), fast.output().shape());
        float[] gv = g.toArray();
        float[] expected = new float[x.numel()];
        int perPlane = (h / 2) * (w / 2);
        for (int i = 0; i < gv.length; i++) {
            expected[(i / perPlane) * h * w + fast.indices()[i]] += gv[i];
        }
        Tensor gradIn = Tensor.full(Float.NaN, x.shape()); // overwritten, whatever it held
        Pooling.maxPool2dBackward(g, fast.indices(), gradIn);
        float[] actual = gradIn.toArray();
        for (int i = 0; i < expected.length; i++) {
            assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]), "gradient " + i);
        }
    }
}
