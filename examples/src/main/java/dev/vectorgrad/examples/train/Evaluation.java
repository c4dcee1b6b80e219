package dev.vectorgrad.examples.train;

/**
 * Loss, accuracy and confusion matrix of an {@link Mlp} over a set of images, computed in
 * batches through one reusable workspace.
 *
 * @param loss mean cross-entropy
 * @param accuracy fraction classified right
 * @param confusion {@code confusion[truth][predicted]} counts
 */
public record Evaluation(double loss, double accuracy, long[][] confusion) {

    static final int BATCH = 1000;

    static Evaluation run(MlpTrainer trainer, MlpWorkspace ws, ImageData data, int[] indices, int from, int to,
                          float mean, float invStd, int classes) {
        long[][] confusion = new long[classes][classes];
        double lossSum = 0;
        long right = 0;
        int features = data.features();
        int rows = ws.rows;
        for (int start = from; start < to; start += rows) {
            int n = Math.min(rows, to - start);
            for (int r = 0; r < n; r++) {
                int i = indices[start + r];
                data.copyNormalised(i, ws.act[0], r * features, mean, invStd);
                ws.labels[r] = data.label(i);
            }
            // A short last batch: repeat its first row to fill the workspace, and count only n rows.
            for (int r = n; r < rows; r++) {
                System.arraycopy(ws.act[0], 0, ws.act[0], r * features, features);
                ws.labels[r] = ws.labels[0];
            }
            trainer.forward(ws);
            double batchLoss = trainer.crossEntropy(ws, false);
            double firstRowLoss = n < rows ? rowLoss(trainer, ws) : 0;
            lossSum += batchLoss * rows - firstRowLoss * (rows - n);
            for (int r = 0; r < n; r++) {
                int p = trainer.predicted(ws, r);
                int y = ws.labels[r];
                if (p == y) {
                    right++;
                }
                confusion[y][p]++;
            }
        }
        int count = to - from;
        return new Evaluation(count == 0 ? Double.NaN : lossSum / count, count == 0 ? Double.NaN : (double) right / count,
                confusion);
    }

    /** Cross-entropy of row 0 alone (the row a short batch was padded with). */
    private static double rowLoss(MlpTrainer trainer, MlpWorkspace ws) {
        return trainer.rowCrossEntropy(ws, 0);
    }
}
