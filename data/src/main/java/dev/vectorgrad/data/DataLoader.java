package dev.vectorgrad.data;

import dev.vectorgrad.core.Rng;
import dev.vectorgrad.core.Tensor;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Batches of a {@link Dataset}, for {@code for (Batch b : loader)}. Each iteration is one
 * epoch: with shuffling on, epoch {@code e} visits the samples in an order drawn from
 * {@code seed} and {@code e} alone, so runs repeat exactly. Batches are gathered into two
 * buffers allocated once; the last, partial batch is a smaller view of the same buffers
 * unless {@link Builder#dropLast(boolean)} drops it. Optional normalisation maps each feature
 * {@code v} to {@code (v - mean) / std} while gathering, in the same pass as the copy where the
 * dataset can ({@link Dataset#copyFeatures(int, float[], int, float, float)}).
 *
 * <p>Once an epoch has started, a full batch allocates nothing: every full batch is the same
 * {@link Batch} over the same buffers (and the same indices array), refilled. Only the last,
 * partial batch of an epoch is a new object.
 *
 * <p>Not thread-safe, and one iteration at a time: starting a new one invalidates the
 * batches of the previous one.
 */
public final class DataLoader implements Iterable<Batch> {
    private final Dataset dataset;
    private final int batchSize;
    private final boolean shuffle;
    private final long seed;
    private final boolean dropLast;
    private final float mean;
    private final float std;
    private final int[] sampleShape;
    private final int sampleSize;
    private final float[] xBuf;
    private final float[] yBuf;
    private final Tensor fullX;
    private final Tensor fullY;
    private final int[] order;
    private final int[] zeroIndex;
    private final int[] indexBuf;
    private final Batch fullBatch;
    private int epoch;

    private DataLoader(Builder b) {
        this.dataset = b.dataset;
        this.batchSize = b.batchSize;
        this.shuffle = b.shuffle;
        this.seed = b.seed;
        this.dropLast = b.dropLast;
        this.mean = b.mean;
        this.std = b.std;
        this.sampleShape = dataset.sampleShape();
        this.sampleSize = dataset.sampleSize();
        int cap = Math.max(1, Math.min(batchSize, dataset.size()));
        this.xBuf = new float[Math.multiplyExact(cap, sampleSize)];
        this.yBuf = new float[cap];
        int[] xShape = new int[sampleShape.length + 1];
        xShape[0] = cap;
        System.arraycopy(sampleShape, 0, xShape, 1, sampleShape.length);
        this.fullX = Tensor.wrap(xBuf, xShape);
        this.fullY = Tensor.wrap(yBuf, cap);
        this.order = new int[dataset.size()];
        this.zeroIndex = new int[xShape.length];
        this.indexBuf = new int[cap];
        this.fullBatch = new Batch(fullX, fullY, cap, indexBuf);
    }

    /**
     * @param dataset the samples
     * @param batchSize samples per batch, at least 1
     * @return a builder (no shuffling, keep the last batch, no normalisation)
     */
    public static Builder builder(Dataset dataset, int batchSize) {
        return new Builder(dataset, batchSize);
    }

    /** Options of a {@link DataLoader}. */
    public static final class Builder {
        private final Dataset dataset;
        private final int batchSize;
        private boolean shuffle;
        private long seed;
        private boolean dropLast;
        private float mean = 0f;
        private float std = 1f;

        private Builder(Dataset dataset, int batchSize) {
            if (batchSize < 1) {
                throw new IllegalArgumentException("DataLoader: batch size must be >= 1, got " + batchSize);
            }
            this.dataset = dataset;
            this.batchSize = batchSize;
        }

        /**
         * Shuffle every epoch, in an order fixed by {@code seed} and the epoch number.
         *
         * @param seed the seed
         * @return this builder
         */
        public Builder shuffle(long seed) {
            this.shuffle = true;
            this.seed = seed;
            return this;
        }

        /**
         * @param drop true to skip a last batch smaller than the batch size
         * @return this builder
         */
        public Builder dropLast(boolean drop) {
            this.dropLast = drop;
            return this;
        }

        /**
         * Normalise every feature to {@code (v - mean) / std} while gathering.
         *
         * @param mean subtracted
         * @param std divided by; must be positive and finite, and so must {@code 1 / std} and
         *     {@code mean / std} (a spread of 1e-40 would turn every feature into an infinity)
         * @return this builder
         */
        public Builder normalize(float mean, float std) {
            if (!(std > 0f) || !Float.isFinite(std) || !Float.isFinite(mean)) {
                throw new IllegalArgumentException("DataLoader: normalize needs a finite mean and a positive finite std, got mean "
                        + mean + " std " + std);
            }
            float invStd = 1f / std;
            if (!Float.isFinite(invStd) || !Float.isFinite(mean * invStd)) {
                throw new IllegalArgumentException("DataLoader: normalize with mean " + mean + " and std " + std
                        + " overflows a float (1/std = " + invStd + ", mean/std = " + mean * invStd + ")");
            }
            this.mean = mean;
            this.std = std;
            return this;
        }

        /** @return the loader */
        public DataLoader build() {
            return new DataLoader(this);
        }
    }

    /** @return the number of batches one epoch yields */
    public int batchCount() {
        int n = dataset.size();
        return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    /** @return the number of epochs started so far */
    public int epochsStarted() {
        return epoch;
    }

    /**
     * The sample order of epoch {@code e} (the identity without shuffling).
     *
     * @param e the epoch number, from 0
     * @return dataset indices in visiting order
     */
    public int[] orderOfEpoch(int e) {
        int[] o = new int[dataset.size()];
        fillOrder(o, e);
        return o;
    }

    private void fillOrder(int[] o, int e) {
        for (int i = 0; i < o.length; i++) {
            o[i] = i;
        }
        if (shuffle) {
            // Mix the epoch into the seed so that any epoch's order can be recomputed alone.
            new Rng(seed * 0x9E3779B97F4A7C15L + e + 1).shuffle(o);
        }
    }

    /** Starts the next epoch. */
    @Override
    public Iterator<Batch> iterator() {
        fillOrder(order, epoch++);
        return new Iterator<>() {
            private int next;
            private final int end = dropLast ? (order.length / batchSize) * batchSize : order.length;

            @Override
            public boolean hasNext() {
                return next < end;
            }

            @Override
            public Batch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("DataLoader: epoch finished");
                }
                int m = Math.min(batchSize, end - next);
                boolean normalise = mean != 0f || std != 1f;
                float invStd = 1f / std;
                for (int i = 0; i < m; i++) {
                    int idx = order[next + i];
                    if (normalise) {
                        dataset.copyFeatures(idx, xBuf, i * sampleSize, mean, invStd);
                    } else {
                        dataset.copyFeatures(idx, xBuf, i * sampleSize);
                    }
                    float y = dataset.label(idx);
                    if (Float.isNaN(y)) {
                        // Caught here, one comparison a sample, rather than as a NaN loss many steps later.
                        throw new IllegalArgumentException("DataLoader: sample " + idx + " of " + dataset
                                + " has the label NaN");
                    }
                    yBuf[i] = y;
                }
                // The buffers were written through their arrays, which Tensor cannot see: rewrite
                // one element through the API so the version counter records the change, and a
                // batch saved for backward across iterations fails loudly instead of silently.
                if (sampleSize > 0) {
                    fullX.set(xBuf[0], zeroIndex);
                }
                fullY.set(yBuf[0], 0);
                System.arraycopy(order, next, indexBuf, 0, m);
                next += m;
                if (m == fullBatch.size()) {
                    return fullBatch;
                }
                return new Batch(fullX.slice(0, 0, m), fullY.slice(0, 0, m), m, Arrays.copyOf(indexBuf, m));
            }
        };
    }
}
