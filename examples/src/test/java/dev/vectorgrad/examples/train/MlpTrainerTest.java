package dev.vectorgrad.examples.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vectorgrad.core.Rng;
import org.junit.jupiter.api.Test;

class MlpTrainerTest {

    /** The same network's loss in double precision, straight from the definitions. */
    private static double referenceLoss(Mlp mlp, double[][] w, double[][] b, float[] x, int[] y, int rows) {
        int[] sizes = mlp.sizes();
        double[] act = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            act[i] = x[i];
        }
        for (int l = 0; l < sizes.length - 1; l++) {
            int in = sizes[l];
            int out = sizes[l + 1];
            double[] next = new double[rows * out];
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < out; j++) {
                    double s = b[l][j];
                    for (int p = 0; p < in; p++) {
                        s += act[r * in + p] * w[l][j * in + p];
                    }
                    next[r * out + j] = l < sizes.length - 2 ? Math.max(s, 0) : s;
                }
            }
            act = next;
        }
        int c = sizes[sizes.length - 1];
        double total = 0;
        for (int r = 0; r < rows; r++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < c; j++) {
                max = Math.max(max, act[r * c + j]);
            }
            double sum = 0;
            for (int j = 0; j < c; j++) {
                sum += Math.exp(act[r * c + j] - max);
            }
            total += max + Math.log(sum) - act[r * c + y[r]];
        }
        return total / rows;
    }

    @Test
    void handWrittenGradientsMatchCentralDifferencesInDouble() {
        int[] sizes = {7, 6, 5, 4};
        int rows = 5;
        Rng rng = new Rng(7);
        Mlp mlp = Mlp.kaiming(sizes, rng);
        for (int l = 0; l < mlp.layers(); l++) {
            for (int j = 0; j < mlp.b[l].length; j++) {
                mlp.b[l][j] = (float) rng.nextGaussian() * 0.1f;
            }
        }
        MlpTrainer trainer = new MlpTrainer(mlp);
        MlpWorkspace ws = trainer.workspace(rows);
        for (int i = 0; i < ws.act[0].length; i++) {
            ws.act[0][i] = (float) rng.nextGaussian();
        }
        for (int r = 0; r < rows; r++) {
            ws.labels[r] = rng.nextInt(sizes[3]);
        }
        float[] x = ws.act[0].clone();
        int[] y = ws.labels.clone();
        double loss = trainer.lossAndGradients(ws);

        double[][] w = new double[mlp.layers()][];
        double[][] b = new double[mlp.layers()][];
        for (int l = 0; l < mlp.layers(); l++) {
            w[l] = new double[mlp.w[l].length];
            b[l] = new double[mlp.b[l].length];
            for (int i = 0; i < w[l].length; i++) {
                w[l][i] = mlp.w[l][i];
            }
            for (int i = 0; i < b[l].length; i++) {
                b[l][i] = mlp.b[l][i];
            }
        }
        assertEquals(referenceLoss(mlp, w, b, x, y, rows), loss, 1e-5);
        double h = 1e-6;
        for (int l = 0; l < mlp.layers(); l++) {
            for (double[][] param : new double[][][] {w, b}) {
                float[] analytic = param == w ? mlp.wGrad[l] : mlp.bGrad[l];
                for (int i = 0; i < param[l].length; i++) {
                    double keep = param[l][i];
                    param[l][i] = keep + h;
                    double up = referenceLoss(mlp, w, b, x, y, rows);
                    param[l][i] = keep - h;
                    double down = referenceLoss(mlp, w, b, x, y, rows);
                    param[l][i] = keep;
                    double numeric = (up - down) / (2 * h);
                    assertEquals(numeric, analytic[i], 1e-4 + 1e-3 * Math.abs(numeric),
                            "layer " + l + (param == w ? " weight " : " bias ") + i);
                }
            }
        }
    }

    @Test
    void gradientsAreOverwrittenNotAccumulated() {
        Mlp mlp = Mlp.kaiming(new int[] {4, 3, 2}, new Rng(1));
        MlpTrainer trainer = new MlpTrainer(mlp);
        MlpWorkspace ws = trainer.workspace(3);
        Rng rng = new Rng(2);
        for (int i = 0; i < ws.act[0].length; i++) {
            ws.act[0][i] = (float) rng.nextGaussian();
        }
        ws.labels[1] = 1;
        trainer.lossAndGradients(ws);
        float[] first = mlp.wGrad[0].clone();
        trainer.lossAndGradients(ws);
        assertTrue(java.util.Arrays.equals(first, mlp.wGrad[0]));
    }

    @Test
    void predictedIsTheArgmaxOfTheLogits() {
        Mlp mlp = Mlp.zeros(new int[] {2, 3});
        mlp.b[0][2] = 1f;
        MlpTrainer trainer = new MlpTrainer(mlp);
        MlpWorkspace ws = trainer.workspace(1);
        trainer.forward(ws);
        assertEquals(2, trainer.predicted(ws, 0));
    }
}
