package dev.vectorgrad.examples.train;

import dev.vectorgrad.core.Tensor;

/**
 * Every buffer one forward/backward pass of an {@link Mlp} needs for a batch of a fixed number of
 * rows, allocated once so that a training step allocates nothing.
 *
 * <p>Matmuls go through {@link Tensor#matmulInPlace}; the transposed operands of the backward pass
 * are views made here once. The elementwise parts (bias, ReLU, softmax) are plain loops over the
 * arrays behind the tensors, which the JIT vectorises well enough at these sizes.
 */
final class MlpWorkspace {

    final int rows;
    /** act[0] is the input batch; act[l+1] is layer l's output (after ReLU for hidden layers, logits last). */
    final float[][] act;
    final Tensor[] actT;
    /** grad[l] is the loss gradient with respect to act[l], for l >= 1. */
    final float[][] grad;
    final Tensor[] gradT;
    /** Transposed views of gradT, the left operand of the weight gradient {@code dy^T @ x}. */
    final Tensor[] gradTransposed;
    final int[] labels;

    MlpWorkspace(int[] sizes, int rows) {
        this.rows = rows;
        int n = sizes.length;
        act = new float[n][];
        actT = new Tensor[n];
        grad = new float[n][];
        gradT = new Tensor[n];
        gradTransposed = new Tensor[n];
        for (int l = 0; l < n; l++) {
            act[l] = new float[rows * sizes[l]];
            actT[l] = Tensor.wrap(act[l], rows, sizes[l]);
            if (l >= 1) {
                grad[l] = new float[rows * sizes[l]];
                gradT[l] = Tensor.wrap(grad[l], rows, sizes[l]);
                gradTransposed[l] = gradT[l].t();
            }
        }
        labels = new int[rows];
    }
}
