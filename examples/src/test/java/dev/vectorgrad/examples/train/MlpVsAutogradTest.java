package dev.vectorgrad.examples.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vectorgrad.autograd.Losses;
import dev.vectorgrad.autograd.Var;
import dev.vectorgrad.core.Closeness;
import dev.vectorgrad.core.Rng;
import dev.vectorgrad.core.Tensor;
import dev.vectorgrad.nn.Linear;
import dev.vectorgrad.nn.ReLU;
import dev.vectorgrad.nn.Sequential;
import org.junit.jupiter.api.Test;

/** The dedicated trainer's hand-written backward pass against autograd, same weights and batch. */
class MlpVsAutogradTest {

    @Test
    void gradientsAgreeWithAutogradOnTheSameBatch() {
        int[] sizes = {784, 50, 20, 10};
        int rows = 64;
        Rng rng = new Rng(42);
        Mlp mlp = Mlp.kaiming(sizes, rng);
        MlpTrainer trainer = new MlpTrainer(mlp);
        MlpWorkspace ws = trainer.workspace(rows);
        for (int i = 0; i < ws.act[0].length; i++) {
            ws.act[0][i] = rng.nextFloat();
        }
        for (int r = 0; r < rows; r++) {
            ws.labels[r] = rng.nextInt(10);
        }
        Tensor x = Tensor.of(ws.act[0].clone(), rows, 784);
        int[] y = ws.labels.clone();
        double loss = trainer.lossAndGradients(ws);

        Linear[] lins = new Linear[3];
        for (int l = 0; l < 3; l++) {
            lins[l] = new Linear(mlp.weight(l).copy(), mlp.bias(l).copy()); // both [out, in], as PyTorch
        }
        Sequential net = new Sequential(lins[0], new ReLU(), lins[1], new ReLU(), lins[2]);
        Var out = Losses.crossEntropy(net.call(x), y);
        out.backward();
        assertEquals(out.item(), loss, 1e-4);
        for (int l = 0; l < 3; l++) {
            Tensor wg = lins[l].weight().grad();
            Tensor bg = lins[l].bias().grad();
            float dw = Closeness.maxAbsDiff(mlp.weight(l).grad(), wg);
            float db = Closeness.maxAbsDiff(mlp.bias(l).grad(), bg);
            float scale = Math.max(wg.abs().max().item(), 1e-3f);
            assertTrue(dw <= 1e-4f * scale + 1e-6f, "layer " + l + " weight grad differs by " + dw);
            assertTrue(db <= 1e-4f * Math.max(bg.abs().max().item(), 1e-3f) + 1e-6f, "layer " + l + " bias grad differs by " + db);
        }
    }
}
