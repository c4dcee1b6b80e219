package dev.vectorgrad.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vectorgrad.core.Rng;
import dev.vectorgrad.core.Tensor;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticDigitsTest {

    @Test
    void sameSeedSameImagesOtherSeedOtherImages() {
        Split a = SyntheticDigits.generate("train", 50, 7);
        Split b = SyntheticDigits.generate("train", 50, 7);
        Split c = SyntheticDigits.generate("train", 50, 8);
        assertArrayEquals(a.images().toArray(), b.images().toArray());
        assertArrayEquals(a.labels().toArray(), b.labels().toArray());
        assertFalse(java.util.Arrays.equals(a.images().toArray(), c.images().toArray()));
        assertArrayEquals(new int[] {50, 784}, a.images().shape());
    }

    @Test
    void pixelsAreInUnitRangeWithInkAndBackground() {
        Split s = SyntheticDigits.generate("train", 200, 1);
        float[] v = s.images().toArray();
        for (float x : v) {
            assertTrue(x >= 0f && x <= 1f, "pixel " + x);
        }
        for (int i = 0; i < 200; i++) {
            int ink = 0;
            for (int p = 0; p < 784; p++) {
                if (v[i * 784 + p] > 0.5f) {
                    ink++;
                }
            }
            // A drawn digit covers some, but far from all, of the image.
            assertTrue(ink > 20 && ink < 400, "image " + i + " has " + ink + " inked pixels");
            float label = s.labels().get(i);
            assertTrue(label >= 0 && label <= 9 && label == Math.rint(label));
        }
    }

    @Test
    void writtenIdxFolderReadsBackAsTheSameSet(@TempDir Path dir) throws Exception {
        SyntheticDigits.writeIdx(dir, 30, 10, 3);
        Split[] s = MnistDatasets.readFolder(dir);
        Split train = SyntheticDigits.generate("train", 30, 3);
        assertArrayEquals(train.labels().toArray(), s[0].labels().toArray());
        assertEquals(10, s[1].size());
        // IDX stores bytes: each pixel comes back within half a grey level.
        assertTrue(dev.vectorgrad.core.Closeness.maxAbsDiff(train.images(), s[0].images()) <= 0.5f / 255f + 1e-6f);
    }

    /**
     * The synthetic set must be a real task: a one-hidden-layer MLP trained with hand-written
     * gradients (no autograd) reaches at least 95% accuracy on held-out samples.
     */
    @Test
    void smallMlpWithHandWrittenGradientsLearnsTheDigits() {
        Split train = SyntheticDigits.generate("train", 3000, 11);
        Split test = SyntheticDigits.generate("test", 600, 12);
        Rng rng = new Rng(42);
        int nh = 64;
        Tensor w1 = Tensor.randn(rng, 784, nh).mul((float) Math.sqrt(2.0 / 784));
        Tensor b1 = Tensor.zeros(nh);
        Tensor w2 = Tensor.randn(rng, nh, 10).mul((float) Math.sqrt(2.0 / nh));
        Tensor b2 = Tensor.zeros(10);
        DataLoader loader = DataLoader.builder(train.asDataset(), 64).shuffle(5).build();
        float lr = 0.2f;
        for (int epoch = 0; epoch < 5; epoch++) {
            for (Batch batch : loader) {
                Tensor x = batch.x();
                int n = batch.size();
                Tensor h = x.matmul(w1).add(b1);
                Tensor a = h.relu();
                Tensor logits = a.matmul(w2).add(b2);
                // d(mean cross-entropy)/d logits = (softmax - onehot) / n
                Tensor dLogits = softmax(logits).sub(oneHot(batch.y(), 10)).div(n);
                Tensor dW2 = a.t().matmul(dLogits);
                Tensor dB2 = dLogits.sum(0);
                Tensor dA = dLogits.matmul(w2.t());
                Tensor dH = dA.mul(h.gt(0f));
                Tensor dW1 = x.t().matmul(dH);
                Tensor dB1 = dH.sum(0);
                w1.addScaledInPlace(-lr, dW1);
                b1.addScaledInPlace(-lr, dB1);
                w2.addScaledInPlace(-lr, dW2);
                b2.addScaledInPlace(-lr, dB2);
            }
        }
        Tensor pred = test.images().matmul(w1).add(b1).relu().matmul(w2).add(b2).argmax(1, false);
        float accuracy = pred.eq(test.labels()).mean().item();
        assertTrue(accuracy >= 0.95f, SyntheticDigits.NAME + ": held-out accuracy " + accuracy + " < 0.95");
    }

    private static Tensor softmax(Tensor logits) {
        Tensor e = logits.sub(logits.max(1, true)).exp();
        return e.div(e.sum(1, true));
    }

    private static Tensor oneHot(Tensor labels, int classes) {
        int n = labels.size(0);
        float[] v = new float[n * classes];
        for (int i = 0; i < n; i++) {
            v[i * classes + (int) labels.get(i)] = 1f;
        }
        return Tensor.wrap(v, n, classes);
    }
}
