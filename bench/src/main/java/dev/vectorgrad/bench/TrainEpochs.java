package dev.vectorgrad.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.vectorgrad.data.ImageDataset;
import dev.vectorgrad.data.Kind;
import dev.vectorgrad.data.MnistDatasets;
import dev.vectorgrad.data.idx.Idx;
import dev.vectorgrad.data.idx.IdxArray;

/**
 * Epochs of training (the MLP, or the command line's CNN) on the 60,000 Fashion-MNIST training images, the contenders taking turns
 * in one JVM (one epoch each per round), so that the ratio of each round compares epochs that saw
 * nearly the same machine (see {@link Interleaved} for why). Also reports the bytes allocated per
 * step once warm: by the training thread, and by every thread of the JVM.
 *
 * <p>Usage: {@code TrainEpochs <model> <batch> <rounds> <contender,...>}, the model an MLP's
 * hidden units ({@code 50}) or {@code cnn:16,32}, with contenders
 * {@code trainstep} (vectorgrad-nn's captured step) and {@code eager} (vectorgrad-nn's eager
 * autograd loop); the first is the reference of every ratio. (The examples' hand-written trainer
 * was a third until it was deleted: see bench/README.md.) The data come from the data module's
 * search order (the Debian package {@code dataset-fashion-mnist}, the cache, a download).
 */
public final class TrainEpochs {

    private TrainEpochs() {}

    /** One contender's measured epochs. */
    private record Series(String name, double[] seconds, double[] bytesPerStep, double[] allThreadsBytesPerStep,
                          double[] loss) {}

    /**
     * @param args {@code <model> <batch> <rounds> <contender,...>}
     * @throws IOException if the data cannot be read
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 4) {
            System.err.println("usage: TrainEpochs <hidden|cnn:C1,C2> <batch> <rounds> <trainstep|eager,...>");
            System.exit(2);
        }
        TrainedModel model = TrainedModel.parse(args[0]);
        int batch = Integer.parseInt(args[1]);
        int rounds = Integer.parseInt(args[2]);
        String[] names = args[3].split(",");

        Path folder = MnistDatasets.resolve(Kind.FASHION_MNIST, MnistDatasets.Options.defaults()).folder();
        IdxArray x = Idx.readImageBytes(find(folder, "train-images-idx3-ubyte"));
        IdxArray y = Idx.readLabelBytes(find(folder, "train-labels-idx1-ubyte"));
        int n = x.header().size(0);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = y.data()[i] & 0xff;
        }
        ImageDataset dataset = ImageDataset.ofBytes("Fashion-MNIST train", new int[] {x.data().length / n}, x.data(), labels);
        ImageDataset.MeanStd norm = dataset.meanAndStd();
        float mean = norm.mean();
        float std = norm.std();

        List<EpochTrainer> trainers = new ArrayList<>();
        for (String c : names) {
            trainers.add(switch (c) {
                case "trainstep" -> new PublicApiTrainer(true, dataset, model, batch, rounds + 1, mean, std, 42);
                case "eager" -> new PublicApiTrainer(false, dataset, model, batch, rounds + 1, mean, std, 42);
                default -> throw new IllegalArgumentException("TrainEpochs: unknown contender '" + c
                        + "': expected trainstep or eager");
            });
        }
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        double[][] secs = new double[trainers.size()][rounds];
        double[][] bytes = new double[trainers.size()][rounds];
        double[][] allBytes = new double[trainers.size()][rounds];
        double[][] loss = new double[trainers.size()][rounds];
        System.err.printf(Locale.ROOT, "%s, batch %d, %d images, %d rounds after one warm-up round%n",
                model.describe(), batch, n, rounds);
        for (int round = -1; round < rounds; round++) {
            for (int i = 0; i < trainers.size(); i++) {
                EpochTrainer t = trainers.get(i);
                long[] ids = threads.getAllThreadIds();
                long allBefore = sum(threads.getThreadAllocatedBytes(ids));
                long before = threads.getCurrentThreadAllocatedBytes();
                long start = System.nanoTime();
                int steps = t.epoch();
                long nanos = System.nanoTime() - start;
                long after = threads.getCurrentThreadAllocatedBytes();
                long allAfter = sum(threads.getThreadAllocatedBytes(ids));
                if (round >= 0) {
                    secs[i][round] = nanos / 1e9;
                    bytes[i][round] = (double) (after - before) / steps;
                    allBytes[i][round] = (double) (allAfter - allBefore) / steps;
                    loss[i][round] = t.lastLoss();
                }
                System.err.printf(Locale.ROOT, "round %d %s: %.3f s, loss %.4f%n", round + 1, t.name(), nanos / 1e9,
                        t.lastLoss());
            }
        }
        List<Series> series = new ArrayList<>();
        for (int i = 0; i < trainers.size(); i++) {
            series.add(new Series(trainers.get(i).name(), secs[i], bytes[i], allBytes[i], loss[i]));
        }
        System.out.print(table(model, batch, series));
    }

    private static long sum(long[] values) {
        long s = 0;
        for (long v : values) {
            s += Math.max(v, 0);
        }
        return s;
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

    private static String table(TrainedModel model, int batch, List<Series> series) {
        Series ref = series.get(0);
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "%s, batch %d, one epoch of 60,000 Fashion-MNIST images, %d rounds;"
                + " ratios to %s round by round (median, quartiles)%n%n", model.describe(), batch, ref.seconds().length,
                ref.name()));
        md.append("| contender | epoch s median | epoch s q1-q3 | time / reference | q1-q3 | bytes/step (training thread)"
                + " | bytes/step (all threads) | last train loss |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Series s : series) {
            double[] r = new double[s.seconds().length];
            for (int i = 0; i < r.length; i++) {
                r[i] = s.seconds()[i] / ref.seconds()[i];
            }
            md.append(String.format(Locale.ROOT, "| %s | %.3f | %.3f-%.3f | %.2f× | %.2f-%.2f× | %.0f | %.0f | %.4f |%n",
                    s.name(), Interleaved.quantile(s.seconds(), 0.5), Interleaved.quantile(s.seconds(), 0.25),
                    Interleaved.quantile(s.seconds(), 0.75), Interleaved.quantile(r, 0.5), Interleaved.quantile(r, 0.25),
                    Interleaved.quantile(r, 0.75), Interleaved.quantile(s.bytesPerStep(), 0.5),
                    Interleaved.quantile(s.allThreadsBytesPerStep(), 0.5), s.loss()[s.loss().length - 1]));
        }
        return md.toString();
    }
}
