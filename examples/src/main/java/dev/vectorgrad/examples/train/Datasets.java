package dev.vectorgrad.examples.train;

import dev.vectorgrad.examples.cli.UsageException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Turns a {@code --dataset} value into training and test images: {@code mnist},
 * {@code fashion-mnist}, {@code synthetic}, or a path (an IDX folder, or the lesson's
 * {@code mnist.pkl.gz}). The test split loads on a background thread while training starts.
 */
final class Datasets {

    /**
     * @param description where the data came from, for the log
     * @param train the training images (validation is split off by the caller)
     * @param test the test images, still loading
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

    static Loaded load(String command, String spec) throws UsageException, IOException {
        return switch (spec) {
            case "mnist" -> idxFolder(firstFolder("mnist", null), "MNIST");
            case "fashion-mnist" -> idxFolder(firstFolder("fashion-mnist", Path.of("/usr/share/datasets/fashion-mnist")),
                    "Fashion-MNIST");
            default -> {
                Path p = Path.of(spec);
                if (!Files.exists(p)) {
                    throw new UsageException(command + ": unknown dataset '" + spec
                            + "': expected mnist, fashion-mnist, synthetic, or the path of an IDX folder or mnist.pkl.gz");
                }
                yield idxFolder(p, "IDX files");
            }
        };
    }

    private static Path firstFolder(String name, Path debian) throws IOException {
        String env = System.getenv("VECTORGRAD_DATA");
        if (env != null && !env.isBlank() && Files.isDirectory(Path.of(env, name))) {
            return Path.of(env, name);
        }
        Path cache = Path.of(System.getProperty("user.home"), ".cache", "vectorgrad", name);
        if (Files.isDirectory(cache)) {
            return cache;
        }
        if (debian != null && Files.isDirectory(debian)) {
            return debian;
        }
        throw new IOException(name + " not found (looked in $VECTORGRAD_DATA/" + name + ", " + cache
                + (debian != null ? ", " + debian : "") + ")");
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

    private static Loaded idxFolder(Path folder, String what) throws IOException {
        Path trainX = find(folder, "train-images-idx3-ubyte");
        Path trainY = find(folder, "train-labels-idx1-ubyte");
        Path testX = find(folder, "t10k-images-idx3-ubyte");
        Path testY = find(folder, "t10k-labels-idx1-ubyte");
        CompletableFuture<ImageData> test = CompletableFuture.supplyAsync(() -> {
            try {
                return IdxBytes.readSplit(what + " test", testX, testY);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        ImageData train = IdxBytes.readSplit(what + " train", trainX, trainY);
        return new Loaded(what + " from " + folder, train, test);
    }
}
