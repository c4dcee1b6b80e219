package dev.vectorgrad.examples.train;

import dev.vectorgrad.core.Tensor;

/**
 * The training hot path of an {@link Mlp} with softmax cross-entropy: forward, loss, and the
 * hand-derived backward pass into the gradients stored beside the parameters
 * ({@link Tensor#grad()}), all in preallocated buffers.
 *
 * <p>Backward, for a layer {@code y = x @ W^T + b} (W is {@code [out, in]}) with upstream
 * gradient {@code dy}: {@code dW = dy^T @ x}, {@code db = sum_rows(dy)}, {@code dx = dy @ W}, then the ReLU mask
 * {@code dx *= (x > 0)} (x is the ReLU's output, positive exactly where its input was). The
 * loss gradient is fused: {@code d logits = (softmax - onehot) / rows}.
 *
 * <p>Gradients are overwritten, not accumulated, so a step needs no {@code zeroGrad()}.
 */
public final class MlpTrainer {

    private final Mlp mlp;
    private final int[] sizes;
    /** {@code W^T} of each layer as a view, the right operand of the forward product. */
    private final Tensor[] weightTransposed;

    /**
     * @param mlp the network whose gradients this trainer writes
     */
    public MlpTrainer(Mlp mlp) {
        this.mlp = mlp;
        this.sizes = mlp.sizes();
        this.weightTransposed = new Tensor[mlp.layers()];
        for (int l = 0; l < mlp.layers(); l++) {
            weightTransposed[l] = mlp.weight(l).t();
        }
    }

    /**
     * Buffers for batches of {@code rows} samples.
     *
     * @param rows the batch size
     * @return a fresh workspace
     */
    MlpWorkspace workspace(int rows) {
        return new MlpWorkspace(sizes, rows);
    }

    /** Computes logits into {@code ws.act[last]} from the input already in {@code ws.act[0]}. */
    void forward(MlpWorkspace ws) {
        int layers = mlp.layers();
        for (int l = 0; l < layers; l++) {
            ws.actT[l + 1].matmulInPlace(ws.actT[l], weightTransposed[l], false);
            addBias(ws.act[l + 1], mlp.b[l], ws.rows, sizes[l + 1], l < layers - 1);
        }
    }

    private static void addBias(float[] y, float[] bias, int rows, int n, boolean relu) {
        for (int i = 0; i < rows; i++) {
            int row = i * n;
            if (relu) {
                for (int j = 0; j < n; j++) {
                    float v = y[row + j] + bias[j];
                    y[row + j] = v > 0f ? v : 0f;
                }
            } else {
                for (int j = 0; j < n; j++) {
                    y[row + j] += bias[j];
                }
            }
        }
    }

    /**
     * Mean cross-entropy of the logits against {@code ws.labels}, and (when {@code withGrad})
     * its gradient with respect to the logits into {@code ws.grad[last]}.
     *
     * @return the mean loss over the rows (computed in double)
     */
    double crossEntropy(MlpWorkspace ws, boolean withGrad) {
        int last = sizes.length - 1;
        int c = sizes[last];
        float[] z = ws.act[last];
        float[] g = ws.grad[last];
        float invRows = 1f / ws.rows;
        double total = 0;
        for (int i = 0; i < ws.rows; i++) {
            int row = i * c;
            double lse = logSumExp(z, row, c);
            int y = ws.labels[i];
            total += lse - z[row + y];
            if (withGrad) {
                for (int j = 0; j < c; j++) {
                    float p = (float) Math.exp(z[row + j] - lse);
                    g[row + j] = (p - (j == y ? 1f : 0f)) * invRows;
                }
            }
        }
        return total / ws.rows;
    }

    /** @return the cross-entropy of row {@code i} of the logits in {@code ws} against its label */
    double rowCrossEntropy(MlpWorkspace ws, int i) {
        int last = sizes.length - 1;
        int c = sizes[last];
        float[] z = ws.act[last];
        int row = i * c;
        return logSumExp(z, row, c) - z[row + ws.labels[i]];
    }

    /** {@code log(sum(exp(z[row .. row+c))))} in double, the max subtracted first so exp() stays finite. */
    private static double logSumExp(float[] z, int row, int c) {
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < c; j++) {
            max = Math.max(max, z[row + j]);
        }
        double sum = 0;
        for (int j = 0; j < c; j++) {
            sum += Math.exp(z[row + j] - max);
        }
        return max + Math.log(sum);
    }

    /** Writes every parameter's gradient from {@code ws.grad[last]} (set by {@link #crossEntropy}). */
    void backward(MlpWorkspace ws) {
        for (int l = mlp.layers() - 1; l >= 0; l--) {
            int out = sizes[l + 1];
            Tensor dy = ws.gradT[l + 1];
            mlp.weight(l).grad().matmulInPlace(ws.gradTransposed[l + 1], ws.actT[l], false);
            sumRows(ws.grad[l + 1], ws.rows, out, mlp.bGrad[l]);
            if (l > 0) {
                ws.gradT[l].matmulInPlace(dy, mlp.weight(l), false);
                reluMask(ws.grad[l], ws.act[l]);
            }
        }
    }

    private static void sumRows(float[] dy, int rows, int n, float[] into) {
        java.util.Arrays.fill(into, 0f);
        for (int i = 0; i < rows; i++) {
            int row = i * n;
            for (int j = 0; j < n; j++) {
                into[j] += dy[row + j];
            }
        }
    }

    private static void reluMask(float[] dx, float[] x) {
        for (int i = 0; i < dx.length; i++) {
            if (!(x[i] > 0f)) {
                dx[i] = 0f;
            }
        }
    }

    /**
     * One forward and backward pass over the batch in {@code ws} (input rows and labels filled in).
     *
     * @return the batch's mean loss
     */
    double lossAndGradients(MlpWorkspace ws) {
        forward(ws);
        double loss = crossEntropy(ws, true);
        backward(ws);
        return loss;
    }

    /**
     * Runs a few steps of a small network on zeros, so that the kernels' classes load and the JIT
     * starts compiling the hot loops while the caller is still reading the data.
     */
    static void warmUp() {
        Mlp m = Mlp.zeros(new int[] {784, 50, 10});
        MlpTrainer t = new MlpTrainer(m);
        MlpWorkspace ws = t.workspace(8);
        t.lossAndGradients(ws);
    }

    /** @return the index of the largest logit of row {@code i} */
    int predicted(MlpWorkspace ws, int i) {
        int last = sizes.length - 1;
        int c = sizes[last];
        float[] z = ws.act[last];
        int best = 0;
        for (int j = 1; j < c; j++) {
            if (z[i * c + j] > z[i * c + best]) {
                best = j;
            }
        }
        return best;
    }
}
