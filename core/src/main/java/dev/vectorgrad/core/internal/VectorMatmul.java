package dev.vectorgrad.core.internal;

import java.util.Arrays;
import java.util.function.IntConsumer;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Matmul on the Vector API: cache-blocked, register-blocked, multi-threaded.
 *
 * <p>Loop nest (as in BLIS): columns in blocks of {@link #NC}, the inner dimension in blocks of
 * {@link #KC} (B's block packed once into {@code NR}-wide panels), rows in blocks of
 * {@link #MC}, then an {@code MR × NR} tile of C per micro-kernel call (two such tiles, 12 rows,
 * per call at 512 bits: {@link #WIDE_TILE}). Packing reads any
 * strides, so transposed operands need no copy by the caller. Row-major A is read in place
 * when n is small and packed otherwise, other layouts always (see {@link Block}); when M is
 * small and B's rows are contiguous, B's full panels are read in place too, since packing them
 * would cost about as much as the product. Partial edge panels are always packed, zero-padded.
 *
 * <p>Every element of C is computed by the same arithmetic whatever the blocking, the tile it
 * falls in or the thread that runs it: start from C (or 0), then for {@code p = 0, 1, ..., k-1}
 * one multiply-add of {@code A[i][p]·B[p][j]} (fused when {@link Kernels#FAST_FMA}). Edge tiles
 * go through zero-padded panels and a scratch tile of C, never a mask or a scalar loop. So the
 * result bits do not depend on the number of threads, and without FMA they equal
 * {@link ScalarMatmul}'s. One exception, for speed: a last panel at most half a vector wide
 * over inner blocks of at least four vectors (the MLP's n = 50 leaves 2 columns) is computed as
 * dot products per inner block ({@link #dotEdge}, {@link #orderedChainColumns}), summed in a
 * different order; those columns too come out the same on any number of threads.
 */
final class VectorMatmul implements MatmulKernel {

    /**
     * The species, a {@code static final} so the JIT sees a constant and intrinsifies every
     * vector operation: the width asked for by {@code vectorgrad.vectorBitSize} if the hardware
     * has it, else the preferred width (also when that property is 0, so tests can still build
     * this kernel explicitly).
     */
    static final VectorSpecies<Float> S = pickSpecies(System.getProperty(Kernels.BIT_SIZE_PROPERTY));
    private static final int L = S.length();
    /** Rows of the register tile: 6 rows × 2 vectors = 12 accumulators + 2 B vectors + 1 broadcast. */
    static final int MR = 6;
    /** The system property that picks the register tile: {@code 6x2} or {@code 12x2} (rows × vectors). */
    static final String TILE_PROPERTY = "vectorgrad.matmulTile";
    /**
     * Whether full tiles use {@link #kernel12x2Unit} (two row tiles per call): by default at
     * 512 bits, where AVX-512's 32 vector registers hold its 24 accumulators; at 256 bits AVX2's
     * 16 would spill them. {@link #TILE_PROPERTY} overrides the choice, for benchmarks and for
     * the tests that run the wide kernel at any width.
     */
    static final boolean WIDE_TILE = pickWideTile(System.getProperty(TILE_PROPERTY), S.vectorBitSize());
    /** Columns of the register tile: two vectors. */
    static final int NR = 2 * L;
    /**
     * Inner-dimension block: a {@code KC × NR} panel of B (25 KB) stays in L1 while the rows
     * stream by. Larger than BLIS's 256 because each block costs a pass of loads and stores over
     * C: measured on the MLP's k = 784 (two blocks of 392 instead of four of 196), (64,784,50)
     * and (10000,784,50) ran about 15% faster.
     */
    static final int KC = 400;
    /**
     * Widest last panel computed as dot products ({@link #dotEdge}): half a vector. The padded
     * broadcast kernels pay one broadcast per row and step of p for a whole vector of columns
     * however few are real; the dot products pay per real column, plus the sums across lanes
     * and a re-read of the A tile per pair of columns. Measured as vectorgrad 1t / OpenBLAS 1t,
     * interleaved, (64,784,n): n = 49, 50, 52 (1, 2, 4 columns left) went from 0.95-1.20 to
     * 1.13-1.42, and (10000,784,50) from 0.92-0.94 to 1.11-1.26; allowing up to NR - 1 columns
     * made n = 10 and n = 60 (12 left) slower instead (1.00-1.21 to 0.99-1.01, 1.17-1.28 to
     * 1.03-1.06).
     */
    static final int DOT_EDGE_MAX_COLS = L / 2;
    /**
     * Shortest inner block computed as dot products: four vectors, so the lanes' sums at the
     * end (one per row and column) stay a small part of the work.
     */
    static final int DOT_EDGE_MIN_K = 4 * L;
    /** Row block: the {@code MC × KC} block of A stays in L2 while the panels of B pass. */
    static final int MC = 96;
    /** Column block: the packed {@code KC × NC} block of B stays in L3. */
    static final int NC = 4096;
    /**
     * With at most this many rows (and B row-contiguous), B is read in place, not packed: packing
     * costs about 2/m of the product, while reading in place keeps a bounds check per load.
     * Measured: packing already wins at m = 64 (about 50 vs 40 GFLOP/s on (64,784,50)).
     */
    static final int DIRECT_MAX_M = 8;
    /**
     * With at least this many columns, each block of A is packed (contiguous rows of
     * {@code kc} floats), since it then serves at least four panels of B: read in place, the
     * rows of a matrix with a power-of-two row length (512, 1024) sit a multiple of 4 KB apart
     * and compete for the same L1 sets as the panel of B. Measured as vectorgrad 1t / OpenBLAS
     * 1t, interleaved in one JVM, three paired runs per shape: 512³ 0.98, 0.75, 0.75 packed
     * against 0.80, 0.71, 0.70 in place; 1024³ 0.69, 0.71, 0.67 against 0.67, 0.65, 0.89 (a
     * small gain, within this machine's noise at 1024); no change at (256,784,256). Below it
     * (the MLP's n = 50, 10) packing would cost about as much as the product.
     */
    static final int PACK_A_MIN_N = 4 * NR;
    /** Most floats of B packed per round of a row split (16 MB). */
    static final int SHARED_B_FLOATS = 1 << 22;
    /** Parts per thread of a split product, for balance when other processes share the cores. */
    static final int TASKS_PER_THREAD = 4;
    /**
     * Below this many flops (about 150 µs of work) a call stays on the calling thread: waking a
     * worker costs tens of µs, more when other processes hold the cores. Measured on the
     * shared 2-core box: (64,784,50), 5 Mflop, ran slower split in two than on one thread.
     */
    static final long PARALLEL_MIN_FLOPS = 1L << 23;

    /*
     * Read after S: when this class is initialised before Kernels, Kernels' initialiser
     * runs from here and calls create() while FMA is still unset. Nothing in create() or
     * describe() reads FMA, so the cycle is harmless; the hot loops read it later.
     *
     * The kernels write every multiply-add out as {@code FMA ? x.fma(y, acc) : x.mul(y).add(acc)}
     * (without hardware FMA, fma() is emulated per lane and far slower than mul + add), never
     * through a helper method taking vectors: in VectorConvKernels such a helper let about one
     * JVM in three keep a micro-kernel in C1 code, boxing every vector.
     */
    private static final boolean FMA = Kernels.FAST_FMA;

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private final Parallel pool;

    private VectorMatmul(Parallel pool) {
        this.pool = pool;
    }

    /** A kernel that spreads large products over {@code pool}. */
    static VectorMatmul create(Parallel pool) {
        return new VectorMatmul(pool);
    }

    /** Whether the vector width is wide enough to beat plain loops (at least 128 bits). */
    static boolean supported() {
        return S.vectorBitSize() >= 128;
    }

    /** The species for a value of {@code vectorgrad.vectorBitSize}; never null. */
    static VectorSpecies<Float> pickSpecies(String requested) {
        VectorSpecies<Float> preferred = FloatVector.SPECIES_PREFERRED;
        if (requested == null || requested.isBlank()) {
            return preferred;
        }
        int bits;
        try {
            bits = Integer.parseInt(requested.trim());
        } catch (NumberFormatException e) {
            return preferred; // Kernels reports the bad value; this class only needs a usable width
        }
        if ((bits == 128 || bits == 256 || bits == 512) && bits < preferred.vectorBitSize()) {
            return VectorSpecies.of(float.class, VectorShape.forBitSize(bits));
        }
        return preferred;
    }

    /**
     * Whether a value of {@link #TILE_PROPERTY} asks for the 12-row tile.
     *
     * @param requested the property's value; null or blank for the default
     * @param bits the species' width
     * @return true for {@code 12x2}, false for {@code 6x2}; unset: true exactly at 512 bits
     * @throws IllegalArgumentException for any other value
     */
    static boolean pickWideTile(String requested, int bits) {
        if (requested == null || requested.isBlank()) {
            return bits >= 512;
        }
        return switch (requested.trim()) {
            case "6x2" -> false;
            case "12x2" -> true;
            default -> throw new IllegalArgumentException(TILE_PROPERTY + ": expected 6x2 or 12x2 (rows x vectors), got '"
                    + requested + "'");
        };
    }

    @Override
    public void matmul(int m, int n, int k,
                       float[] a, int aOff, int aRowStride, int aColStride,
                       float[] b, int bOff, int bRowStride, int bColStride,
                       float[] c, int cOff, int cRowStride, boolean accumulate) {
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            if (!accumulate) {
                for (int i = 0; i < m; i++) {
                    Arrays.fill(c, cOff + i * cRowStride, cOff + i * cRowStride + n, 0f);
                }
            }
            return;
        }
        long flops = 2L * m * n * k;
        int threads = pool.threads();
        if (threads == 1 || flops < PARALLEL_MIN_FLOPS) {
            serial(m, n, k, a, aOff, aRowStride, aColStride, b, bOff, bRowStride, bColStride,
                    c, cOff, cRowStride, accumulate);
            return;
        }
        int rowTiles = ceilDiv(m, MR);
        int colPanels = ceilDiv(n, NR);
        // Split rows unless they are too few to feed every thread while columns are plenty:
        // each part writes its own rows or columns of C, so no C element is shared.
        if (rowTiles >= 2 * threads || rowTiles >= colPanels) {
            splitRows(m, n, k, a, aOff, aRowStride, aColStride, b, bOff, bRowStride, bColStride,
                    c, cOff, cRowStride, accumulate);
        } else {
            // Few rows: each part packs its own columns of B, which nobody else needs.
            int maxTasks = (int) Math.min((long) threads * TASKS_PER_THREAD, flops / PARALLEL_MIN_FLOPS);
            int tasks = Math.max(1, Math.min(maxTasks, colPanels));
            ColumnTask task = SCRATCH.get().columns;
            task.set(m, n, k, a, aOff, aRowStride, aColStride, b, bOff, bRowStride, bColStride, c, cOff, cRowStride,
                    accumulate, colPanels, tasks);
            try {
                pool.forEach(tasks, task);
            } finally {
                task.clear();
            }
        }
    }

    /**
     * The column parts of a product with few rows, each packing its own columns of B. A mutable
     * object the calling thread reuses (its {@link Scratch} holds it), rather than a lambda
     * capturing fifteen values, so a parallel call allocates nothing.
     */
    private static final class ColumnTask implements IntConsumer {
        private int m, n, k, aOff, aRowStride, aColStride, bOff, bRowStride, bColStride, cOff, cRowStride;
        private int colPanels, tasks;
        private float[] a, b, c;
        private boolean accumulate;

        void set(int m, int n, int k, float[] a, int aOff, int aRowStride, int aColStride,
                 float[] b, int bOff, int bRowStride, int bColStride, float[] c, int cOff, int cRowStride,
                 boolean accumulate, int colPanels, int tasks) {
            this.m = m;
            this.n = n;
            this.k = k;
            this.a = a;
            this.aOff = aOff;
            this.aRowStride = aRowStride;
            this.aColStride = aColStride;
            this.b = b;
            this.bOff = bOff;
            this.bRowStride = bRowStride;
            this.bColStride = bColStride;
            this.c = c;
            this.cOff = cOff;
            this.cRowStride = cRowStride;
            this.accumulate = accumulate;
            this.colPanels = colPanels;
            this.tasks = tasks;
        }

        /** Drops the operands, so a finished call keeps no array alive. */
        void clear() {
            a = null;
            b = null;
            c = null;
        }

        @Override
        public void accept(int t) {
            int j0 = Math.min(n, (int) ((long) colPanels * t / tasks) * NR);
            int j1 = Math.min(n, (int) ((long) colPanels * (t + 1) / tasks) * NR);
            if (j1 > j0) {
                serial(m, j1 - j0, k, a, aOff, aRowStride, aColStride,
                        b, bOff + j0 * bColStride, bRowStride, bColStride, c, cOff + j0, cRowStride, accumulate);
            }
        }
    }

    /**
     * A product split by rows over the pool. Every (NC, KC) block of B is packed once, into the
     * caller's buffer, with the packing itself split between the threads by panels; then the
     * threads share that copy while each runs whole MR-row tiles of its own. Packing per part
     * instead would cost every part a full copy of B. The rows are cut by
     * {@link #guidedChunks}, large chunks first and small ones last, claimed dynamically.
     */
    private void splitRows(int m, int n, int k,
                           float[] a, int aOff, int aRowStride, int aColStride,
                           float[] b, int bOff, int bRowStride, int bColStride,
                           float[] c, int cOff, int cRowStride, boolean accumulate) {
        int threads = pool.threads();
        int rowTiles = ceilDiv(m, MR);
        // The caller waits in forEach until every task is done, so its buffer is safe to share;
        // the tasks it runs itself use only its Block and scratch tile, never this buffer.
        Scratch owner = SCRATCH.get();
        int[] rowChunks = owner.guidedChunks(rowTiles, MC / MR, threads);
        int rowTasks = rowChunks.length - 1;
        boolean packA = n >= PACK_A_MIN_N;
        int kStep = innerStep(k);
        PackTask pack = owner.pack;
        RowTask rows = owner.rows;
        try {
            for (int jc = 0; jc < n; jc += NC) {
                int nc = Math.min(NC, n - jc);
                int panels = ceilDiv(nc, NR);
                int packTasks = Math.min(panels, threads);
                int blockSize = kStep * roundUp(nc, NR);
                // Several inner blocks per round, so a round's two hand-overs between threads are
                // paid once for them all rather than once per block.
                int perRound = Math.max(1, SHARED_B_FLOATS / blockSize);
                for (int pr = 0; pr < k; pr += perRound * kStep) {
                    int round0 = pr;
                    int round1 = (int) Math.min(k, pr + (long) perRound * kStep);
                    float[] bp = owner.sharedPanels(ceilDiv(round1 - round0, kStep) * blockSize);
                    pack.set(b, bOff + jc * bColStride, bRowStride, bColStride, k, kStep, nc, panels, packTasks,
                            round0, round1, bp, blockSize);
                    pool.forEach(packTasks, pack);
                    rows.set(m, a, aOff, aRowStride, aColStride, k, kStep, nc, round0, round1, bp, blockSize,
                            c, cOff + jc, cRowStride, accumulate, packA, rowChunks);
                    pool.forEach(rowTasks, rows);
                }
            }
        } finally {
            pack.clear();
            rows.clear();
        }
    }

    /** Packs one round of B's inner blocks for a row split, by panels; reused as {@link ColumnTask} is. */
    private static final class PackTask implements IntConsumer {
        private float[] b;
        private int bOff, bRowStride, bColStride, k, kStep, nc, panels, packTasks, round0, round1, blockSize;
        private float[] bp;

        void set(float[] b, int bOff, int bRowStride, int bColStride, int k, int kStep, int nc, int panels,
                 int packTasks, int round0, int round1, float[] bp, int blockSize) {
            this.b = b;
            this.bOff = bOff;
            this.bRowStride = bRowStride;
            this.bColStride = bColStride;
            this.k = k;
            this.kStep = kStep;
            this.nc = nc;
            this.panels = panels;
            this.packTasks = packTasks;
            this.round0 = round0;
            this.round1 = round1;
            this.bp = bp;
            this.blockSize = blockSize;
        }

        void clear() {
            b = null;
            bp = null;
        }

        @Override
        public void accept(int t) {
            int j0 = (int) ((long) panels * t / packTasks) * NR;
            int j1 = Math.min(nc, (int) ((long) panels * (t + 1) / packTasks) * NR);
            for (int pc = round0, q = 0; pc < round1; pc += kStep, q++) {
                int kc = Math.min(kStep, k - pc);
                packB(b, bOff + pc * bRowStride + j0 * bColStride, bRowStride, bColStride, kc,
                        j1 - j0, bp, q * blockSize + j0 * kc);
            }
        }
    }

    /** Multiplies one round's chunks of rows by the packed B; reused as {@link ColumnTask} is. */
    private static final class RowTask implements IntConsumer {
        private int m, aOff, aRowStride, aColStride, k, kStep, nc, round0, round1, blockSize, cOff, cRowStride;
        private float[] a, bp, c;
        private boolean accumulate, packA;
        private int[] rowChunks;

        void set(int m, float[] a, int aOff, int aRowStride, int aColStride, int k, int kStep, int nc,
                 int round0, int round1, float[] bp, int blockSize, float[] c, int cOff, int cRowStride,
                 boolean accumulate, boolean packA, int[] rowChunks) {
            this.m = m;
            this.a = a;
            this.aOff = aOff;
            this.aRowStride = aRowStride;
            this.aColStride = aColStride;
            this.k = k;
            this.kStep = kStep;
            this.nc = nc;
            this.round0 = round0;
            this.round1 = round1;
            this.bp = bp;
            this.blockSize = blockSize;
            this.c = c;
            this.cOff = cOff;
            this.cRowStride = cRowStride;
            this.accumulate = accumulate;
            this.packA = packA;
            this.rowChunks = rowChunks;
        }

        void clear() {
            a = null;
            bp = null;
            c = null;
        }

        @Override
        public void accept(int t) {
            int i0 = rowChunks[t] * MR;
            int i1 = Math.min(m, rowChunks[t + 1] * MR);
            Scratch s = SCRATCH.get();
            Block blk = s.block;
            for (int ic = i0; ic < i1; ic += MC) {
                int mc = Math.min(MC, i1 - ic);
                // inner blocks in increasing order for every row: the same sums as serial()
                for (int pc = round0, q = 0; pc < round1; pc += kStep, q++) {
                    int kc = Math.min(kStep, k - pc);
                    blk.set(a, aOff + ic * aRowStride + pc * aColStride, aRowStride, aColStride, mc, kc, packA);
                    blockPanels(blk, nc, bp, q * blockSize, c, cOff + ic * cRowStride, cRowStride,
                            accumulate || pc > 0, s);
                }
            }
            blk.a = null;
        }
    }

    /**
     * Splits {@code units} units of work into consecutive chunks for {@code threads} threads
     * that claim them in order, and returns the chunk boundaries (first 0, last {@code units}).
     * Trick (guided scheduling): each chunk takes a {@code 1/(2·threads)} share of what is left,
     * at most {@code maxChunk} units and at least a quarter of that, so the early chunks are
     * large (an L2-sized block of A each) and the last ones small: when one thread finishes, the
     * other has at most a small chunk left, and a thread slowed down by another process on its
     * core takes fewer chunks instead of holding up the call. The boundaries depend only on the
     * arguments, never on timing.
     */
    static int[] guidedChunks(int units, int maxChunk, int threads) {
        int minChunk = Math.max(1, maxChunk / 4);
        int[] bounds = new int[units + 1];
        int count = 0;
        for (int start = 0; start < units; ) {
            int left = units - start;
            int chunk = Math.min(left, Math.min(maxChunk, Math.max(minChunk, ceilDiv(left, 2 * threads))));
            start += chunk;
            bounds[++count] = start;
        }
        return Arrays.copyOf(bounds, count + 1);
    }

    /** The whole product on the calling thread. */
    private static void serial(int m, int n, int k,
                               float[] a, int aOff, int aRowStride, int aColStride,
                               float[] b, int bOff, int bRowStride, int bColStride,
                               float[] c, int cOff, int cRowStride, boolean accumulate) {
        Scratch s = SCRATCH.get();
        boolean direct = bColStride == 1 && m <= DIRECT_MAX_M;
        boolean packA = n >= PACK_A_MIN_N;
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            int kStep = innerStep(k);
            for (int pc = 0; pc < k; pc += kStep) {
                int kc = Math.min(kStep, k - pc);
                boolean load = accumulate || pc > 0;
                if (!direct) {
                    packB(b, bOff + pc * bRowStride + jc * bColStride, bRowStride, bColStride, kc, nc,
                            s.bPanels(kc * roundUp(nc, NR)), 0);
                }
                for (int ic = 0; ic < m; ic += MC) {
                    int mc = Math.min(MC, m - ic);
                    Block blk = s.block;
                    blk.set(a, aOff + ic * aRowStride + pc * aColStride, aRowStride, aColStride, mc, kc, packA);
                    int cBlock = cOff + ic * cRowStride + jc;
                    if (direct) {
                        blockDirect(blk, nc, b, bOff + pc * bRowStride + jc, bRowStride,
                                c, cBlock, cRowStride, load, s);
                    } else {
                        blockPacked(blk, nc, s.b, c, cBlock, cRowStride, load, s);
                    }
                }
            }
        }
        s.block.a = null; // do not keep the caller's array alive from a thread-local
    }

    /** One packed block: every NR-wide panel of B against every MR-row panel of A. */
    private static void blockPacked(Block blk, int nc, float[] bp, float[] c, int cBlock, int cs, boolean load,
                                    Scratch s) {
        blockPanels(blk, nc, bp, 0, c, cBlock, cs, load, s);
    }

    /** {@link #blockPacked} for a packed block starting at {@code bOff} of {@code bp}. */
    private static void blockPanels(Block blk, int nc, float[] bp, int bOff, float[] c, int cBlock, int cs,
                                    boolean load, Scratch s) {
        int kc = blk.kc;
        for (int j0 = 0; j0 < nc; j0 += NR) {
            int cols = Math.min(NR, nc - j0);
            int width = panelWidth(cols);
            // panels are NR apart in columns and kc*NR apart in the buffer
            panel(blk, bp, bOff + j0 * kc, width, width, cols, c, cBlock + j0, cs, load, s);
        }
    }

    /**
     * One block with B read in place: its full NR-wide panels straight from B's rows; the last
     * partial panel packed and zero-padded, so no column ever falls to a scalar loop.
     */
    private static void blockDirect(Block blk, int nc, float[] b, int bBlock, int bs,
                                    float[] c, int cBlock, int cs, boolean load, Scratch s) {
        int j0 = 0;
        for (; j0 + NR <= nc; j0 += NR) {
            panel(blk, b, bBlock + j0, bs, NR, NR, c, cBlock + j0, cs, load, s);
        }
        if (j0 < nc) {
            int cols = nc - j0;
            int width = panelWidth(cols);
            float[] edge = s.bPanels(blk.kc * width);
            packB(b, bBlock + j0, bs, 1, blk.kc, cols, edge, 0);
            panel(blk, edge, 0, width, width, cols, c, cBlock + j0, cs, load, s);
        }
    }

    /**
     * One panel of B against every row tile of the block. A is read with unit column stride
     * here whatever its layout: a block is packed whenever A's columns are strided.
     */
    private static void panel(Block blk, float[] bp, int bi, int bs, int width, int cols,
                              float[] c, int ci, int cs, boolean load, Scratch s) {
        int mc = blk.mc;
        int kc = blk.kc;
        boolean dot = dotEdge(cols, kc);
        // Two full row tiles of a full packed panel at a time where the wide tile is on.
        boolean wide = WIDE_TILE && !dot && cols == NR && bs == NR;
        for (int i0 = 0; i0 < mc; ) {
            int rows = Math.min(MR, mc - i0);
            int cTile = ci + i0 * cs;
            float[] a;
            int ai;
            int ars;
            if (blk.packed) {
                a = blk.ap;
                ai = i0 * kc;
                ars = kc;
            } else if (rows == MR) {
                a = blk.a;
                ai = blk.aOff + i0 * blk.rs;
                ars = blk.rs;
            } else {
                a = blk.ap; // the last partial row tile, packed and zero-padded to MR rows
                ai = 0;
                ars = kc;
            }
            if (wide && mc - i0 >= 2 * MR) {
                // rows i0 .. i0 + 11 are all full, so they are a row stride apart in A either way
                kernel12x2Unit(kc, a, ai, ars, bp, bi, c, cTile, cs, load);
                i0 += 2 * MR;
                continue;
            }
            if (dot) {
                dotPanel(kc, a, ai, ars, bp, bi, c, cTile, cs, rows, cols, load, s.lanes);
            } else {
                tile(kc, a, ai, ars, bp, bi, bs, width, c, cTile, cs, rows, cols, load, s);
            }
            i0 += MR;
        }
    }

    /**
     * A last panel packed column by column ({@link #dotEdge}) against one row tile: its
     * columns two at a time through {@link #dot6x2}, the second slot repeating the first when
     * one column is left.
     */
    private static void dotPanel(int kc, float[] a, int ai, int ars, float[] bt, int bi,
                                 float[] c, int ci, int cs, int rows, int cols, boolean load, float[] lanes) {
        for (int j = 0; j < cols; j += 2) {
            int pair = Math.min(2, cols - j);
            dot6x2(kc, a, ai, ars, bt, bi + j * kc, bi + (j + pair - 1) * kc, c, ci + j, cs, rows, pair, load,
                    lanes);
        }
    }

    /**
     * One {@code rows × cols} tile of C. A full tile goes straight to the micro-kernel; an edge
     * tile goes through a zero-padded scratch tile, so the kernel never needs a mask.
     */
    private static void tile(int kc, float[] a, int ai, int ars, float[] bp, int bi, int bs, int width,
                             float[] c, int ci, int cs, int rows, int cols, boolean load, Scratch s) {
        if (rows == MR && cols == width) {
            kernel(kc, a, ai, ars, bp, bi, bs, width, c, ci, cs, load);
            return;
        }
        float[] t = s.cTile;
        if (load) {
            copyRows(c, ci, cs, t, 0, width, rows, cols);
        }
        kernel(kc, a, ai, ars, bp, bi, bs, width, t, 0, width, load);
        copyRows(t, 0, width, c, ci, cs, rows, cols);
    }

    /**
     * Copies a {@code rows × cols} corner between C and the scratch tile. The tile's other
     * lanes may hold anything: they meet only zero padding of A or B and are never stored.
     * A plain loop, since the rows are a few floats and an arraycopy call costs more.
     */
    private static void copyRows(float[] src, int si, int ss, float[] dst, int di, int ds, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < cols; j++) {
                dst[di + r * ds + j] = src[si + r * ss + j];
            }
        }
    }

    private static void kernel(int kc, float[] a, int ai, int ars, float[] bp, int bi, int bs, int width,
                                       float[] c, int ci, int cs, boolean load) {
        // The constant-stride variants let C2 hoist the bounds checks; see kernel6x2Unit.
        boolean bPacked = bs == width;
        if (width == NR) {
            if (bPacked) {
                kernel6x2Unit(kc, a, ai, ars, bp, bi, c, ci, cs, load);
            } else {
                kernel6x2(kc, a, ai, ars, bp, bi, bs, c, ci, cs, load);
            }
        } else if (bPacked) {
            kernel6x1Unit(kc, a, ai, ars, bp, bi, c, ci, cs, load);
        } else {
            kernel6x1(kc, a, ai, ars, bp, bi, bs, c, ci, cs, load);
        }
    }

    /*
     * Micro-kernel 6 × 2 vectors (6 × 16 floats on AVX2, the tile of OpenBLAS and BLIS on
     * Haswell and Zen). Trick: the 12 accumulators live in registers for the whole kc loop;
     * each step loads two vectors of B once and reuses them against six broadcast elements of
     * A, so there are 12 multiply-adds per 8 loads, enough independent chains to hide the FMA
     * latency on both FMA pipes, and no store until the end (12 + 2 + 1 = 15 of the 16 ymm
     * registers). A's rows are read with their stride (columns are always contiguous: a block is
     * packed otherwise), B with its own, so B's rows can be read in place (see {@link #DIRECT_MAX_M}).
     */
    private static void kernel6x2(int kc, float[] a, int ai, int ars, float[] bp, int bi, int bs,
                                  float[] c, int ci, int cs, boolean load) {
        FloatVector c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51;
        if (load) {
            c00 = FloatVector.fromArray(S, c, ci);
            c01 = FloatVector.fromArray(S, c, ci + L);
            c10 = FloatVector.fromArray(S, c, ci + cs);
            c11 = FloatVector.fromArray(S, c, ci + cs + L);
            c20 = FloatVector.fromArray(S, c, ci + 2 * cs);
            c21 = FloatVector.fromArray(S, c, ci + 2 * cs + L);
            c30 = FloatVector.fromArray(S, c, ci + 3 * cs);
            c31 = FloatVector.fromArray(S, c, ci + 3 * cs + L);
            c40 = FloatVector.fromArray(S, c, ci + 4 * cs);
            c41 = FloatVector.fromArray(S, c, ci + 4 * cs + L);
            c50 = FloatVector.fromArray(S, c, ci + 5 * cs);
            c51 = FloatVector.fromArray(S, c, ci + 5 * cs + L);
        } else {
            c00 = FloatVector.zero(S);
            c01 = c00;
            c10 = c00;
            c11 = c00;
            c20 = c00;
            c21 = c00;
            c30 = c00;
            c31 = c00;
            c40 = c00;
            c41 = c00;
            c50 = c00;
            c51 = c00;
        }
        for (int p = 0; p < kc; p++) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bi);
            FloatVector b1 = FloatVector.fromArray(S, bp, bi + L);
            FloatVector x = FloatVector.broadcast(S, a[ai]);
            c00 = FMA ? x.fma(b0, c00) : x.mul(b0).add(c00);
            c01 = FMA ? x.fma(b1, c01) : x.mul(b1).add(c01);
            x = FloatVector.broadcast(S, a[ai + ars]);
            c10 = FMA ? x.fma(b0, c10) : x.mul(b0).add(c10);
            c11 = FMA ? x.fma(b1, c11) : x.mul(b1).add(c11);
            x = FloatVector.broadcast(S, a[ai + 2 * ars]);
            c20 = FMA ? x.fma(b0, c20) : x.mul(b0).add(c20);
            c21 = FMA ? x.fma(b1, c21) : x.mul(b1).add(c21);
            x = FloatVector.broadcast(S, a[ai + 3 * ars]);
            c30 = FMA ? x.fma(b0, c30) : x.mul(b0).add(c30);
            c31 = FMA ? x.fma(b1, c31) : x.mul(b1).add(c31);
            x = FloatVector.broadcast(S, a[ai + 4 * ars]);
            c40 = FMA ? x.fma(b0, c40) : x.mul(b0).add(c40);
            c41 = FMA ? x.fma(b1, c41) : x.mul(b1).add(c41);
            x = FloatVector.broadcast(S, a[ai + 5 * ars]);
            c50 = FMA ? x.fma(b0, c50) : x.mul(b0).add(c50);
            c51 = FMA ? x.fma(b1, c51) : x.mul(b1).add(c51);
            ai++;
            bi += bs;
        }
        c00.intoArray(c, ci);
        c01.intoArray(c, ci + L);
        c10.intoArray(c, ci + cs);
        c11.intoArray(c, ci + cs + L);
        c20.intoArray(c, ci + 2 * cs);
        c21.intoArray(c, ci + 2 * cs + L);
        c30.intoArray(c, ci + 3 * cs);
        c31.intoArray(c, ci + 3 * cs + L);
        c40.intoArray(c, ci + 4 * cs);
        c41.intoArray(c, ci + 4 * cs + L);
        c50.intoArray(c, ci + 5 * cs);
        c51.intoArray(c, ci + 5 * cs + L);
    }

    /*
     * The same 6 × 2 kernel for row-major A and packed B. Trick: every index is p times a
     * constant plus an invariant, the form C2's range-check elimination needs, so the bounds
     * checks of the loads leave the loop; the strided version keeps one check per load.
     */
    private static void kernel6x2Unit(int kc, float[] a, int ai, int ars, float[] bp, int bi,
                                      float[] c, int ci, int cs, boolean load) {
        FloatVector c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51;
        if (load) {
            c00 = FloatVector.fromArray(S, c, ci);
            c01 = FloatVector.fromArray(S, c, ci + L);
            c10 = FloatVector.fromArray(S, c, ci + cs);
            c11 = FloatVector.fromArray(S, c, ci + cs + L);
            c20 = FloatVector.fromArray(S, c, ci + 2 * cs);
            c21 = FloatVector.fromArray(S, c, ci + 2 * cs + L);
            c30 = FloatVector.fromArray(S, c, ci + 3 * cs);
            c31 = FloatVector.fromArray(S, c, ci + 3 * cs + L);
            c40 = FloatVector.fromArray(S, c, ci + 4 * cs);
            c41 = FloatVector.fromArray(S, c, ci + 4 * cs + L);
            c50 = FloatVector.fromArray(S, c, ci + 5 * cs);
            c51 = FloatVector.fromArray(S, c, ci + 5 * cs + L);
        } else {
            c00 = FloatVector.zero(S);
            c01 = c00;
            c10 = c00;
            c11 = c00;
            c20 = c00;
            c21 = c00;
            c30 = c00;
            c31 = c00;
            c40 = c00;
            c41 = c00;
            c50 = c00;
            c51 = c00;
        }
        int a1 = ai + ars;
        int a2 = ai + 2 * ars;
        int a3 = ai + 3 * ars;
        int a4 = ai + 4 * ars;
        int a5 = ai + 5 * ars;
        for (int p = 0; p < kc; p++) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bi + p * NR);
            FloatVector b1 = FloatVector.fromArray(S, bp, bi + p * NR + L);
            FloatVector x = FloatVector.broadcast(S, a[ai + p]);
            c00 = FMA ? x.fma(b0, c00) : x.mul(b0).add(c00);
            c01 = FMA ? x.fma(b1, c01) : x.mul(b1).add(c01);
            x = FloatVector.broadcast(S, a[a1 + p]);
            c10 = FMA ? x.fma(b0, c10) : x.mul(b0).add(c10);
            c11 = FMA ? x.fma(b1, c11) : x.mul(b1).add(c11);
            x = FloatVector.broadcast(S, a[a2 + p]);
            c20 = FMA ? x.fma(b0, c20) : x.mul(b0).add(c20);
            c21 = FMA ? x.fma(b1, c21) : x.mul(b1).add(c21);
            x = FloatVector.broadcast(S, a[a3 + p]);
            c30 = FMA ? x.fma(b0, c30) : x.mul(b0).add(c30);
            c31 = FMA ? x.fma(b1, c31) : x.mul(b1).add(c31);
            x = FloatVector.broadcast(S, a[a4 + p]);
            c40 = FMA ? x.fma(b0, c40) : x.mul(b0).add(c40);
            c41 = FMA ? x.fma(b1, c41) : x.mul(b1).add(c41);
            x = FloatVector.broadcast(S, a[a5 + p]);
            c50 = FMA ? x.fma(b0, c50) : x.mul(b0).add(c50);
            c51 = FMA ? x.fma(b1, c51) : x.mul(b1).add(c51);
        }
        c00.intoArray(c, ci);
        c01.intoArray(c, ci + L);
        c10.intoArray(c, ci + cs);
        c11.intoArray(c, ci + cs + L);
        c20.intoArray(c, ci + 2 * cs);
        c21.intoArray(c, ci + 2 * cs + L);
        c30.intoArray(c, ci + 3 * cs);
        c31.intoArray(c, ci + 3 * cs + L);
        c40.intoArray(c, ci + 4 * cs);
        c41.intoArray(c, ci + 4 * cs + L);
        c50.intoArray(c, ci + 5 * cs);
        c51.intoArray(c, ci + 5 * cs + L);
    }

    /*
     * Micro-kernel 12 × 2 vectors, for 512-bit vectors (12 × 32 floats): AVX-512 has 32 vector
     * registers, so twice kernel6x2Unit's rows fit (24 accumulators + 2 B vectors + 1 broadcast
     * = 27), the shape of BLIS's Skylake-X sgemm tile. Trick: each pair of B vectors loaded
     * serves twelve broadcasts instead of six, halving B's loads per multiply-add, and a call
     * covers two row tiles, halving the calls per panel. Each element of C
     * gets the same chain of multiply-adds as in two kernel6x2Unit calls, so the bits are the
     * same. Only for two full row tiles of packed B (see {@link #panel}).
     */
    private static void kernel12x2Unit(int kc, float[] a, int ai, int ars, float[] bp, int bi,
                                       float[] c, int ci, int cs, boolean load) {
        FloatVector c0_0, c0_1, c1_0, c1_1, c2_0, c2_1, c3_0, c3_1, c4_0, c4_1, c5_0, c5_1, c6_0, c6_1, c7_0, c7_1, c8_0, c8_1, c9_0, c9_1, c10_0, c10_1, c11_0, c11_1;
        if (load) {
            c0_0 = FloatVector.fromArray(S, c, ci);
            c0_1 = FloatVector.fromArray(S, c, ci + L);
            c1_0 = FloatVector.fromArray(S, c, ci + cs);
            c1_1 = FloatVector.fromArray(S, c, ci + cs + L);
            c2_0 = FloatVector.fromArray(S, c, ci + 2 * cs);
            c2_1 = FloatVector.fromArray(S, c, ci + 2 * cs + L);
            c3_0 = FloatVector.fromArray(S, c, ci + 3 * cs);
            c3_1 = FloatVector.fromArray(S, c, ci + 3 * cs + L);
            c4_0 = FloatVector.fromArray(S, c, ci + 4 * cs);
            c4_1 = FloatVector.fromArray(S, c, ci + 4 * cs + L);
            c5_0 = FloatVector.fromArray(S, c, ci + 5 * cs);
            c5_1 = FloatVector.fromArray(S, c, ci + 5 * cs + L);
            c6_0 = FloatVector.fromArray(S, c, ci + 6 * cs);
            c6_1 = FloatVector.fromArray(S, c, ci + 6 * cs + L);
            c7_0 = FloatVector.fromArray(S, c, ci + 7 * cs);
            c7_1 = FloatVector.fromArray(S, c, ci + 7 * cs + L);
            c8_0 = FloatVector.fromArray(S, c, ci + 8 * cs);
            c8_1 = FloatVector.fromArray(S, c, ci + 8 * cs + L);
            c9_0 = FloatVector.fromArray(S, c, ci + 9 * cs);
            c9_1 = FloatVector.fromArray(S, c, ci + 9 * cs + L);
            c10_0 = FloatVector.fromArray(S, c, ci + 10 * cs);
            c10_1 = FloatVector.fromArray(S, c, ci + 10 * cs + L);
            c11_0 = FloatVector.fromArray(S, c, ci + 11 * cs);
            c11_1 = FloatVector.fromArray(S, c, ci + 11 * cs + L);
        } else {
            c0_0 = FloatVector.zero(S);
            c0_1 = c0_0;
            c1_0 = c0_0;
            c1_1 = c0_0;
            c2_0 = c0_0;
            c2_1 = c0_0;
            c3_0 = c0_0;
            c3_1 = c0_0;
            c4_0 = c0_0;
            c4_1 = c0_0;
            c5_0 = c0_0;
            c5_1 = c0_0;
            c6_0 = c0_0;
            c6_1 = c0_0;
            c7_0 = c0_0;
            c7_1 = c0_0;
            c8_0 = c0_0;
            c8_1 = c0_0;
            c9_0 = c0_0;
            c9_1 = c0_0;
            c10_0 = c0_0;
            c10_1 = c0_0;
            c11_0 = c0_0;
            c11_1 = c0_0;
        }
        int a1 = ai + ars;
        int a2 = ai + 2 * ars;
        int a3 = ai + 3 * ars;
        int a4 = ai + 4 * ars;
        int a5 = ai + 5 * ars;
        int a6 = ai + 6 * ars;
        int a7 = ai + 7 * ars;
        int a8 = ai + 8 * ars;
        int a9 = ai + 9 * ars;
        int a10 = ai + 10 * ars;
        int a11 = ai + 11 * ars;
        for (int p = 0; p < kc; p++) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bi + p * NR);
            FloatVector b1 = FloatVector.fromArray(S, bp, bi + p * NR + L);
            FloatVector x = FloatVector.broadcast(S, a[ai + p]);
            c0_0 = FMA ? x.fma(b0, c0_0) : x.mul(b0).add(c0_0);
            c0_1 = FMA ? x.fma(b1, c0_1) : x.mul(b1).add(c0_1);
            x = FloatVector.broadcast(S, a[a1 + p]);
            c1_0 = FMA ? x.fma(b0, c1_0) : x.mul(b0).add(c1_0);
            c1_1 = FMA ? x.fma(b1, c1_1) : x.mul(b1).add(c1_1);
            x = FloatVector.broadcast(S, a[a2 + p]);
            c2_0 = FMA ? x.fma(b0, c2_0) : x.mul(b0).add(c2_0);
            c2_1 = FMA ? x.fma(b1, c2_1) : x.mul(b1).add(c2_1);
            x = FloatVector.broadcast(S, a[a3 + p]);
            c3_0 = FMA ? x.fma(b0, c3_0) : x.mul(b0).add(c3_0);
            c3_1 = FMA ? x.fma(b1, c3_1) : x.mul(b1).add(c3_1);
            x = FloatVector.broadcast(S, a[a4 + p]);
            c4_0 = FMA ? x.fma(b0, c4_0) : x.mul(b0).add(c4_0);
            c4_1 = FMA ? x.fma(b1, c4_1) : x.mul(b1).add(c4_1);
            x = FloatVector.broadcast(S, a[a5 + p]);
            c5_0 = FMA ? x.fma(b0, c5_0) : x.mul(b0).add(c5_0);
            c5_1 = FMA ? x.fma(b1, c5_1) : x.mul(b1).add(c5_1);
            x = FloatVector.broadcast(S, a[a6 + p]);
            c6_0 = FMA ? x.fma(b0, c6_0) : x.mul(b0).add(c6_0);
            c6_1 = FMA ? x.fma(b1, c6_1) : x.mul(b1).add(c6_1);
            x = FloatVector.broadcast(S, a[a7 + p]);
            c7_0 = FMA ? x.fma(b0, c7_0) : x.mul(b0).add(c7_0);
            c7_1 = FMA ? x.fma(b1, c7_1) : x.mul(b1).add(c7_1);
            x = FloatVector.broadcast(S, a[a8 + p]);
            c8_0 = FMA ? x.fma(b0, c8_0) : x.mul(b0).add(c8_0);
            c8_1 = FMA ? x.fma(b1, c8_1) : x.mul(b1).add(c8_1);
            x = FloatVector.broadcast(S, a[a9 + p]);
            c9_0 = FMA ? x.fma(b0, c9_0) : x.mul(b0).add(c9_0);
            c9_1 = FMA ? x.fma(b1, c9_1) : x.mul(b1).add(c9_1);
            x = FloatVector.broadcast(S, a[a10 + p]);
            c10_0 = FMA ? x.fma(b0, c10_0) : x.mul(b0).add(c10_0);
            c10_1 = FMA ? x.fma(b1, c10_1) : x.mul(b1).add(c10_1);
            x = FloatVector.broadcast(S, a[a11 + p]);
            c11_0 = FMA ? x.fma(b0, c11_0) : x.mul(b0).add(c11_0);
            c11_1 = FMA ? x.fma(b1, c11_1) : x.mul(b1).add(c11_1);
        }
        c0_0.intoArray(c, ci);
        c0_1.intoArray(c, ci + L);
        c1_0.intoArray(c, ci + cs);
        c1_1.intoArray(c, ci + cs + L);
        c2_0.intoArray(c, ci + 2 * cs);
        c2_1.intoArray(c, ci + 2 * cs + L);
        c3_0.intoArray(c, ci + 3 * cs);
        c3_1.intoArray(c, ci + 3 * cs + L);
        c4_0.intoArray(c, ci + 4 * cs);
        c4_1.intoArray(c, ci + 4 * cs + L);
        c5_0.intoArray(c, ci + 5 * cs);
        c5_1.intoArray(c, ci + 5 * cs + L);
        c6_0.intoArray(c, ci + 6 * cs);
        c6_1.intoArray(c, ci + 6 * cs + L);
        c7_0.intoArray(c, ci + 7 * cs);
        c7_1.intoArray(c, ci + 7 * cs + L);
        c8_0.intoArray(c, ci + 8 * cs);
        c8_1.intoArray(c, ci + 8 * cs + L);
        c9_0.intoArray(c, ci + 9 * cs);
        c9_1.intoArray(c, ci + 9 * cs + L);
        c10_0.intoArray(c, ci + 10 * cs);
        c10_1.intoArray(c, ci + 10 * cs + L);
        c11_0.intoArray(c, ci + 11 * cs);
        c11_1.intoArray(c, ci + 11 * cs + L);
    }

    /*
     * Micro-kernel 6 × 1 vector, for a last panel at most one vector wide that the dot products
     * do not take (5 to 8 columns on AVX2, or fewer over a short inner block). Trick: the same
     * rows as kernel6x2 at half width, so the edge wastes at most one vector of padding instead
     * of two, with six independent chains.
     */
    private static void kernel6x1(int kc, float[] a, int ai, int ars, float[] bp, int bi, int bs,
                                  float[] c, int ci, int cs, boolean load) {
        FloatVector c0, c1, c2, c3, c4, c5;
        if (load) {
            c0 = FloatVector.fromArray(S, c, ci);
            c1 = FloatVector.fromArray(S, c, ci + cs);
            c2 = FloatVector.fromArray(S, c, ci + 2 * cs);
            c3 = FloatVector.fromArray(S, c, ci + 3 * cs);
            c4 = FloatVector.fromArray(S, c, ci + 4 * cs);
            c5 = FloatVector.fromArray(S, c, ci + 5 * cs);
        } else {
            c0 = FloatVector.zero(S);
            c1 = c0;
            c2 = c0;
            c3 = c0;
            c4 = c0;
            c5 = c0;
        }
        for (int p = 0; p < kc; p++) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bi);
            FloatVector x = FloatVector.broadcast(S, a[ai]);
            c0 = FMA ? x.fma(b0, c0) : x.mul(b0).add(c0);
            x = FloatVector.broadcast(S, a[ai + ars]);
            c1 = FMA ? x.fma(b0, c1) : x.mul(b0).add(c1);
            x = FloatVector.broadcast(S, a[ai + 2 * ars]);
            c2 = FMA ? x.fma(b0, c2) : x.mul(b0).add(c2);
            x = FloatVector.broadcast(S, a[ai + 3 * ars]);
            c3 = FMA ? x.fma(b0, c3) : x.mul(b0).add(c3);
            x = FloatVector.broadcast(S, a[ai + 4 * ars]);
            c4 = FMA ? x.fma(b0, c4) : x.mul(b0).add(c4);
            x = FloatVector.broadcast(S, a[ai + 5 * ars]);
            c5 = FMA ? x.fma(b0, c5) : x.mul(b0).add(c5);
            ai++;
            bi += bs;
        }
        c0.intoArray(c, ci);
        c1.intoArray(c, ci + cs);
        c2.intoArray(c, ci + 2 * cs);
        c3.intoArray(c, ci + 3 * cs);
        c4.intoArray(c, ci + 4 * cs);
        c5.intoArray(c, ci + 5 * cs);
    }

    /* The same 6 × 1 kernel for row-major A and packed B; constant strides as in kernel6x2Unit. */
    private static void kernel6x1Unit(int kc, float[] a, int ai, int ars, float[] bp, int bi,
                                      float[] c, int ci, int cs, boolean load) {
        FloatVector c0, c1, c2, c3, c4, c5;
        if (load) {
            c0 = FloatVector.fromArray(S, c, ci);
            c1 = FloatVector.fromArray(S, c, ci + cs);
            c2 = FloatVector.fromArray(S, c, ci + 2 * cs);
            c3 = FloatVector.fromArray(S, c, ci + 3 * cs);
            c4 = FloatVector.fromArray(S, c, ci + 4 * cs);
            c5 = FloatVector.fromArray(S, c, ci + 5 * cs);
        } else {
            c0 = FloatVector.zero(S);
            c1 = c0;
            c2 = c0;
            c3 = c0;
            c4 = c0;
            c5 = c0;
        }
        int a1 = ai + ars;
        int a2 = ai + 2 * ars;
        int a3 = ai + 3 * ars;
        int a4 = ai + 4 * ars;
        int a5 = ai + 5 * ars;
        for (int p = 0; p < kc; p++) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bi + p * L);
            FloatVector x = FloatVector.broadcast(S, a[ai + p]);
            c0 = FMA ? x.fma(b0, c0) : x.mul(b0).add(c0);
            x = FloatVector.broadcast(S, a[a1 + p]);
            c1 = FMA ? x.fma(b0, c1) : x.mul(b0).add(c1);
            x = FloatVector.broadcast(S, a[a2 + p]);
            c2 = FMA ? x.fma(b0, c2) : x.mul(b0).add(c2);
            x = FloatVector.broadcast(S, a[a3 + p]);
            c3 = FMA ? x.fma(b0, c3) : x.mul(b0).add(c3);
            x = FloatVector.broadcast(S, a[a4 + p]);
            c4 = FMA ? x.fma(b0, c4) : x.mul(b0).add(c4);
            x = FloatVector.broadcast(S, a[a5 + p]);
            c5 = FMA ? x.fma(b0, c5) : x.mul(b0).add(c5);
        }
        c0.intoArray(c, ci);
        c1.intoArray(c, ci + cs);
        c2.intoArray(c, ci + 2 * cs);
        c3.intoArray(c, ci + 3 * cs);
        c4.intoArray(c, ci + 4 * cs);
        c5.intoArray(c, ci + 5 * cs);
    }

    /*
     * Edge micro-kernel: 6 rows × 2 columns of C as dot products along the inner dimension,
     * for a last panel only a few columns wide. Trick: the vectors run along p (A's rows are
     * contiguous there, B's columns were packed so), so two columns cost two columns of work;
     * the broadcast kernels would pay a whole padded vector and one broadcast per row and step.
     * 12 accumulators, each a lane-split sum, added across lanes at the end in lane order
     * ({@link VectorKernels#sumLanes}, the same bits compiled or not); the last
     * {@code kc % L} steps are scalar. Rows past {@code rows} read zero padding and are not stored.
     */
    private static void dot6x2(int kc, float[] a, int ai, int ars, float[] bt, int b0, int b1,
                               float[] c, int ci, int cs, int rows, int cols, boolean load, float[] lanes) {
        FloatVector s00 = FloatVector.zero(S);
        FloatVector s01 = s00;
        FloatVector s10 = s00;
        FloatVector s11 = s00;
        FloatVector s20 = s00;
        FloatVector s21 = s00;
        FloatVector s30 = s00;
        FloatVector s31 = s00;
        FloatVector s40 = s00;
        FloatVector s41 = s00;
        FloatVector s50 = s00;
        FloatVector s51 = s00;
        int a1 = ai + ars;
        int a2 = ai + 2 * ars;
        int a3 = ai + 3 * ars;
        int a4 = ai + 4 * ars;
        int a5 = ai + 5 * ars;
        int bound = S.loopBound(kc);
        for (int p = 0; p < bound; p += L) {
            FloatVector y0 = FloatVector.fromArray(S, bt, b0 + p);
            FloatVector y1 = FloatVector.fromArray(S, bt, b1 + p);
            FloatVector x = FloatVector.fromArray(S, a, ai + p);
            s00 = FMA ? x.fma(y0, s00) : x.mul(y0).add(s00);
            s01 = FMA ? x.fma(y1, s01) : x.mul(y1).add(s01);
            x = FloatVector.fromArray(S, a, a1 + p);
            s10 = FMA ? x.fma(y0, s10) : x.mul(y0).add(s10);
            s11 = FMA ? x.fma(y1, s11) : x.mul(y1).add(s11);
            x = FloatVector.fromArray(S, a, a2 + p);
            s20 = FMA ? x.fma(y0, s20) : x.mul(y0).add(s20);
            s21 = FMA ? x.fma(y1, s21) : x.mul(y1).add(s21);
            x = FloatVector.fromArray(S, a, a3 + p);
            s30 = FMA ? x.fma(y0, s30) : x.mul(y0).add(s30);
            s31 = FMA ? x.fma(y1, s31) : x.mul(y1).add(s31);
            x = FloatVector.fromArray(S, a, a4 + p);
            s40 = FMA ? x.fma(y0, s40) : x.mul(y0).add(s40);
            s41 = FMA ? x.fma(y1, s41) : x.mul(y1).add(s41);
            x = FloatVector.fromArray(S, a, a5 + p);
            s50 = FMA ? x.fma(y0, s50) : x.mul(y0).add(s50);
            s51 = FMA ? x.fma(y1, s51) : x.mul(y1).add(s51);
        }
        storeDots(VectorKernels.sumLanes(s00, lanes), VectorKernels.sumLanes(s01, lanes),
                a, ai, bt, b0, b1, bound, kc, c, ci, cols, load);
        if (rows > 1) {
            storeDots(VectorKernels.sumLanes(s10, lanes), VectorKernels.sumLanes(s11, lanes),
                    a, a1, bt, b0, b1, bound, kc, c, ci + cs, cols, load);
        }
        if (rows > 2) {
            storeDots(VectorKernels.sumLanes(s20, lanes), VectorKernels.sumLanes(s21, lanes),
                    a, a2, bt, b0, b1, bound, kc, c, ci + 2 * cs, cols, load);
        }
        if (rows > 3) {
            storeDots(VectorKernels.sumLanes(s30, lanes), VectorKernels.sumLanes(s31, lanes),
                    a, a3, bt, b0, b1, bound, kc, c, ci + 3 * cs, cols, load);
        }
        if (rows > 4) {
            storeDots(VectorKernels.sumLanes(s40, lanes), VectorKernels.sumLanes(s41, lanes),
                    a, a4, bt, b0, b1, bound, kc, c, ci + 4 * cs, cols, load);
        }
        if (rows > 5) {
            storeDots(VectorKernels.sumLanes(s50, lanes), VectorKernels.sumLanes(s51, lanes),
                    a, a5, bt, b0, b1, bound, kc, c, ci + 5 * cs, cols, load);
        }
    }

    /**
     * Finishes one row of {@link #dot6x2} from its columns' lane sums: the scalar steps from
     * {@code from} to {@code kc} added in order, then the sum added to C (or stored). The lanes
     * are summed by the caller, so no vector crosses this call (it is too large to be sure of
     * inlining, and a vector passed to a call that is not inlined is boxed on the heap).
     */
    private static void storeDots(float d0, float d1, float[] a, int ar, float[] bt, int b0, int b1,
                                  int from, int kc, float[] c, int ci, int cols, boolean load) {
        for (int p = from; p < kc; p++) {
            float x = a[ar + p];
            d0 = FMA ? Math.fma(x, bt[b0 + p], d0) : x * bt[b0 + p] + d0;
            d1 = FMA ? Math.fma(x, bt[b1 + p], d1) : x * bt[b1 + p] + d1;
        }
        c[ci] = load ? c[ci] + d0 : d0;
        if (cols == 2) {
            c[ci + 1] = load ? c[ci + 1] + d1 : d1;
        }
    }

    /**
     * The length of the inner blocks for an inner dimension {@code k}: equal blocks of at most
     * {@link #KC} (784 = 2 × 392, not 400 + 384 or 3 × 256 + 16), since a short last block would
     * pay the C loads and stores of a whole pass for little work.
     */
    static int innerStep(int k) {
        return ceilDiv(k, ceilDiv(k, KC));
    }

    /**
     * Whether a last panel of {@code cols} columns (fewer than NR) over an inner block of
     * {@code kc} is computed as dot products by {@link #dot6x2} rather than by a padded
     * broadcast kernel: when it is at most half a vector wide and the block is long enough to
     * pay for the sums across lanes. Depends only on these two numbers, so every thread and
     * every path (packed or in-place A and B) decides the same way.
     */
    static boolean dotEdge(int cols, int kc) {
        return cols <= DOT_EDGE_MAX_COLS && kc >= DOT_EDGE_MIN_K;
    }

    /**
     * How many leading columns of an {@code n}-column product with inner dimension {@code k}
     * are computed as ordered chains of multiply-adds (see the class comment): all but a last
     * panel that {@link #dotEdge} takes.
     */
    static int orderedChainColumns(int n, int k) {
        int cols = n % NR;
        return cols > 0 && k > 0 && dotEdge(cols, innerStep(k)) ? n - cols : n;
    }

    /** The packed width of a last panel holding {@code cols} columns. */
    private static int panelWidth(int cols) {
        return cols <= L ? L : NR;
    }

    private static int ceilDiv(int x, int y) {
        return (x + y - 1) / y;
    }

    private static int roundUp(int x, int multiple) {
        return (x + multiple - 1) / multiple * multiple;
    }

    /**
     * Copies {@code mc × kc} of A into {@code dst} row-major with row stride {@code kc}, zero-padded
     * to whole MR-row tiles, so that the row-major kernels read it with constant strides.
     */
    static void packA(float[] a, int aOff, int rs, int cs, int mc, int kc, float[] dst) {
        if (cs == 1) {
            for (int r = 0; r < mc; r++) {
                System.arraycopy(a, aOff + r * rs, dst, r * kc, kc);
            }
        } else if (rs == 1) {
            // a transposed view: its rows along p are A's columns
            Transpose.copy(a, aOff, cs, kc, mc, dst, 0, kc);
        } else {
            for (int p = 0; p < kc; p++) {
                int src = aOff + p * cs;
                for (int r = 0; r < mc; r++) {
                    dst[r * kc + p] = a[src + r * rs];
                }
            }
        }
        Arrays.fill(dst, mc * kc, roundUp(mc, MR) * kc, 0f);
    }

    /**
     * Packs {@code kc × nc} of B into panels NR columns apart ({@code kc*NR} floats apart), each
     * stored row by row from {@code dstOff} on; the last panel is {@link #panelWidth} wide and
     * zero-padded, or, when {@link #dotEdge} takes it, stored column by column ({@code kc}
     * floats per column) for the dot products.
     */
    static void packB(float[] b, int bOff, int rs, int cs, int kc, int nc, float[] dst, int dstOff) {
        if (cs == 1) {
            packRowMajorB(b, bOff, rs, kc, nc, dst, dstOff);
            return;
        }
        for (int j0 = 0; j0 < nc; j0 += NR) {
            int cols = Math.min(NR, nc - j0);
            int width = panelWidth(cols);
            int base = dstOff + j0 * kc;
            if (dotEdge(cols, kc)) {
                for (int j = 0; j < cols; j++) {
                    int src = bOff + (j0 + j) * cs;
                    for (int p = 0; p < kc; p++) {
                        dst[base + j * kc + p] = b[src + p * rs];
                    }
                }
                continue;
            }
            if (rs == 1) {
                // a transposed view: its rows along p are B's columns
                Transpose.copy(b, bOff + j0 * cs, cs, cols, kc, dst, base, width);
            } else {
                for (int j = 0; j < cols; j++) {
                    int src = bOff + (j0 + j) * cs;
                    for (int p = 0; p < kc; p++) {
                        dst[base + p * width + j] = b[src + p * rs];
                    }
                }
            }
            for (int j = cols; j < width; j++) {
                for (int p = 0; p < kc; p++) {
                    dst[base + p * width + j] = 0f;
                }
            }
        }
    }

    /**
     * {@link #packB} for row-major B. Trick: row by row, each row's {@code nc} floats read once
     * and in order (prefetchers follow them) and dealt to the panels; panel by panel instead,
     * every panel re-reads a 64-byte piece of each row from L2, and in the profile of
     * (64,784,50) packing spent most of its time waiting on those loads. Its share of that
     * product fell from 11.6% to 10.8% (perf, same harness).
     */
    private static void packRowMajorB(float[] b, int bOff, int rs, int kc, int nc, float[] dst, int dstOff) {
        int full = nc / NR * NR;
        int cols = nc - full;
        int width = panelWidth(cols);
        boolean dot = cols > 0 && dotEdge(cols, kc);
        int edge = dstOff + full * kc;
        for (int p = 0; p < kc; p++) {
            int src = bOff + p * rs;
            for (int j0 = 0; j0 < full; j0 += NR) {
                int d = dstOff + j0 * kc + p * NR;
                FloatVector.fromArray(S, b, src + j0).intoArray(dst, d);
                FloatVector.fromArray(S, b, src + j0 + L).intoArray(dst, d + L);
            }
            if (dot) {
                for (int j = 0; j < cols; j++) {
                    dst[edge + j * kc + p] = b[src + full + j];
                }
            } else if (cols > 0) {
                // a few floats (n = 50 leaves 2): a plain loop, cheaper than arraycopy and fill calls
                int d = edge + p * width;
                for (int j = 0; j < cols; j++) {
                    dst[d + j] = b[src + full + j];
                }
                for (int j = cols; j < width; j++) {
                    dst[d + j] = 0f;
                }
            }
        }
    }

    @Override
    public int threads() {
        return pool.threads();
    }

    @Override
    public String describe() {
        return "Vector API matmul, " + S.vectorBitSize() + " bits, " + (WIDE_TILE ? 2 * MR : MR) + "x" + NR + " tile, "
                + (Kernels.FAST_FMA ? "FMA" : "no FMA") + ", " + pool.threads() + " threads";
    }

    /**
     * The {@code mc × kc} block of A for the current (ic, pc) step. When asked to (see
     * {@link #PACK_A_MIN_N}) or when A is not row-major (a transposed view, which read in
     * place strides through memory), the block is copied into contiguous rows of {@code kc}
     * floats, zero-padded to whole MR-row tiles. Otherwise row-major A is read in place by full
     * row tiles: packing costs m·k copies, as much as the product itself when n is small (the
     * MLP's n = 50, 10); only the last partial row tile is packed, zero-padded to MR rows.
     */
    private static final class Block {
        float[] a;
        int aOff;
        int rs;
        int mc;
        int kc;
        boolean packed;
        float[] ap = new float[0];

        void set(float[] a, int aOff, int rs, int cs, int mc, int kc, boolean pack) {
            this.a = a;
            this.aOff = aOff;
            this.rs = rs;
            this.mc = mc;
            this.kc = kc;
            this.packed = pack || cs != 1;
            if (packed) {
                ensure(kc * roundUp(mc, MR));
                packA(a, aOff, rs, cs, mc, kc, ap);
                return;
            }
            int full = mc / MR * MR;
            if (full < mc) {
                ensure(kc * MR);
                packA(a, aOff + full * rs, rs, cs, mc - full, kc, ap);
            }
        }

        private void ensure(int size) {
            if (ap.length < size) {
                ap = new float[size];
            }
        }
    }

    /** Per-thread packing buffers, grown on demand and reused across calls. */
    private static final class Scratch {
        float[] b = new float[0];
        float[] shared = new float[0];
        final float[] cTile = new float[MR * NR];
        /** One vector's lanes, for the dot products' sums in a fixed order. */
        final float[] lanes = new float[L];
        final Block block = new Block();
        final ColumnTask columns = new ColumnTask();
        final PackTask pack = new PackTask();
        final RowTask rows = new RowTask();
        private int[] chunks;
        private int chunkUnits = -1;
        private int chunkMax;
        private int chunkThreads;

        /** {@link VectorMatmul#guidedChunks}, kept for the next call with the same arguments. */
        int[] guidedChunks(int units, int maxChunk, int threads) {
            if (units != chunkUnits || maxChunk != chunkMax || threads != chunkThreads) {
                chunks = VectorMatmul.guidedChunks(units, maxChunk, threads);
                chunkUnits = units;
                chunkMax = maxChunk;
                chunkThreads = threads;
            }
            return chunks;
        }

        float[] bPanels(int size) {
            if (b.length < size) {
                b = new float[size];
            }
            return b;
        }

        /** B's block shared with the other threads of a row split (never {@link #b}). */
        float[] sharedPanels(int size) {
            if (shared.length < size) {
                shared = new float[size];
            }
            return shared;
        }
    }
}
