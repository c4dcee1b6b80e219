package dev.vectorgrad.examples.train;

import dev.vectorgrad.core.Rng;
import dev.vectorgrad.examples.cli.UsageException;
import dev.vectorgrad.nn.Sequential;
import dev.vectorgrad.nn.models.SmallCnn;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code train --model} builds and {@code evaluate} rebuilds from a file's metadata: an MLP
 * of given layer sizes ({@link Mlps}) or the library's {@link SmallCnn} of given channels. Both
 * are an {@code nn.Sequential}, trained and scored alike.
 */
sealed interface Architecture permits Architecture.Mlp, Architecture.Cnn {

    /** Activations of one evaluation batch, in floats, beyond which the batch shrinks below {@link Evaluation#BATCH}. */
    long MAX_BATCH_FLOATS = 1L << 22;

    /**
     * @param rng the generator of the initial weights, or null for a network whose state is loaded next
     * @return the network
     */
    Sequential build(Rng rng);

    /** @return e.g. {@code MLP 784-50-10} or {@code CNN 16,32 on 28x28 images, 10 classes} */
    String describe();

    /** @return pixels per image the network takes */
    int features();

    /** @return the network's outputs */
    int classes();

    /** @return floats a step holds per image (activations and their gradients), to size batches by */
    long floatsPerImage();

    /** @return the {@code architecture} and shape entries a saved model's metadata carries */
    Map<String, String> metadata();

    /**
     * Refuses a network that cannot fit the JVM's heap while training, before any of it is
     * allocated.
     *
     * @param what where the figures came from, for the message
     * @param batch samples per step
     * @param maxHeap the heap's limit in bytes
     * @throws UsageException naming {@code what}, the estimate and the heap
     */
    void checkFits(String what, int batch, long maxHeap) throws UsageException;

    /** @return images per evaluation batch: {@link Evaluation#BATCH}, fewer when one image's activations are large */
    default int evaluationBatch() {
        return (int) Math.max(1, Math.min(Evaluation.BATCH, MAX_BATCH_FLOATS / Math.max(1, floatsPerImage())));
    }

    /** An MLP, {@code Linear -> ReLU -> ... -> Linear}, of layer sizes {@code features, hidden..., classes}. */
    record Mlp(int[] sizes) implements Architecture {
        @Override
        public Sequential build(Rng rng) {
            return Mlps.build(sizes, rng);
        }

        @Override
        public String describe() {
            return "MLP " + Mlps.describe(sizes);
        }

        @Override
        public int features() {
            return sizes[0];
        }

        @Override
        public int classes() {
            return sizes[sizes.length - 1];
        }

        @Override
        public long floatsPerImage() {
            int widest = 1;
            for (int s : sizes) {
                widest = Math.max(widest, s);
            }
            return widest;
        }

        @Override
        public Map<String, String> metadata() {
            return Map.of("architecture", "mlp", "sizes", Mlps.describe(sizes));
        }

        @Override
        public void checkFits(String what, int batch, long maxHeap) throws UsageException {
            Mlps.checkFits(what, sizes, batch, maxHeap);
        }
    }

    /**
     * The library's {@link SmallCnn}: images of {@code side x side} pixels, two convolution blocks
     * of {@code c1} and {@code c2} channels, {@code classes} outputs.
     */
    record Cnn(int side, int c1, int c2, int classes) implements Architecture {

        /** Channels of the two blocks when {@code --channels} is absent. */
        static final int[] DEFAULT_CHANNELS = {16, 32};

        /**
         * @param what the command and flag, for the message: {@code "train: --channels 16,32"}
         * @param features pixels per image, a square number of at least 16
         * @param channels the two blocks' channels
         * @param classes outputs
         * @return the network's description
         * @throws UsageException for images that are not square, or channels not two sizes in range
         */
        static Cnn of(String what, int features, int[] channels, int classes) throws UsageException {
            checkChannels(what, channels);
            int side = (int) Math.round(Math.sqrt(features));
            if (side * side != features || side < 4) {
                throw new UsageException(what + ": the CNN takes square images of at least 4x4 pixels; these have "
                        + features + " pixels");
            }
            return new Cnn(side, channels[0], channels[1], classes);
        }

        /**
         * @param what the command and flag, for the message
         * @param channels the two blocks' channels
         * @throws UsageException unless they are two counts in {@code 1..}{@link SmallCnn#MAX_CHANNELS}
         */
        static void checkChannels(String what, int[] channels) throws UsageException {
            if (channels.length != 2) {
                throw new UsageException(what + ": a CNN has two convolution blocks, so two channel counts"
                        + " like 16,32; got " + channels.length);
            }
            for (int c : channels) {
                if (c < 1 || c > SmallCnn.MAX_CHANNELS) {
                    throw new UsageException(what + ": " + c + " channels is outside 1.." + SmallCnn.MAX_CHANNELS);
                }
            }
        }
        @Override
        public Sequential build(Rng rng) {
            // Without a generator (a model about to be loaded) any weights do.
            return SmallCnn.build(side, c1, c2, classes, rng != null ? rng : new Rng(0));
        }

        @Override
        public String describe() {
            return String.format(Locale.ROOT, "CNN %d,%d on %dx%d images, %d classes", c1, c2, side, side, classes);
        }

        @Override
        public int features() {
            return side * side;
        }

        @Override
        public long floatsPerImage() {
            return SmallCnn.floatsPerImage(side, c1, c2);
        }

        @Override
        public Map<String, String> metadata() {
            return Map.of("architecture", "cnn", "channels", c1 + "," + c2, "image_side", Integer.toString(side));
        }

        @Override
        public void checkFits(String what, int batch, long maxHeap) throws UsageException {
            long params = 9L * (c1 + (long) c1 * c2) + (long) SmallCnn.linearFeatures(side, c2) * classes;
            long bytes = 4 * (8 * params + floatsPerImage() * batch);
            if (bytes > maxHeap) {
                throw new UsageException(String.format(Locale.ROOT,
                        "%s: a %s needs about %,d MB in batches of %d, more than the JVM's heap of %,d MB"
                                + " (raise -Xmx, or lower --batch-size or --channels)",
                        what, describe(), bytes >> 20, batch, maxHeap >> 20));
            }
        }
    }
}
