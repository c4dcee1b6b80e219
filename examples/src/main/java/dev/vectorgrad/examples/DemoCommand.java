package dev.vectorgrad.examples;

import dev.vectorgrad.data.DatasetUnavailableException;
import dev.vectorgrad.data.Kind;
import dev.vectorgrad.data.MnistDatasets;
import dev.vectorgrad.examples.cli.ArgParser;
import dev.vectorgrad.examples.cli.HelpRequested;
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
 * MLP on MNIST (or, when no MNIST can be found or downloaded, on Fashion-MNIST, then on
 * synthetic digits, saying which).
 */
final class DemoCommand {

    private DemoCommand() {}

    static ArgParser parser() {
        return new ArgParser("demo", """
                The main job: runs ./vectorgrad lesson, then ./vectorgrad train with its defaults on MNIST
                (falling back to Fashion-MNIST, then to synthetic digits, when MNIST is not available).
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
        String dataset = firstAvailable(err);
        out.println();
        out.println("# ./vectorgrad train --dataset " + dataset + " --epochs " + p.get("epochs") + " --out " + p.get("out"));
        int train = TrainCommand.run(new String[] {"--dataset", dataset, "--epochs", p.get("epochs"), "--out", p.get("out")},
                out, err);
        return lesson != 0 ? lesson : train;
    }

    /** MNIST if the data module finds (or downloads) it, else Fashion-MNIST, else synthetic digits. */
    private static String firstAvailable(PrintStream err) throws IOException {
        for (Kind k : new Kind[] {Kind.MNIST, Kind.FASHION_MNIST}) {
            try {
                MnistDatasets.resolve(k, MnistDatasets.Options.defaults().withProgress(err));
                return k == Kind.MNIST ? "mnist" : "fashion-mnist";
            } catch (DatasetUnavailableException e) {
                err.println("demo: " + k.displayName() + " is not available here; trying the next dataset");
            }
        }
        return "synthetic";
    }
}
