package dev.vectorgrad.core.internal;

import java.util.Arrays;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Matmul on the Vector API: cache-blocked, register-blocked, multi-threaded.
 *
 * <p>Loop nest (as in BLIS): columns in blocks of {@link #NC}, the inner dimension in blocks of
 * {@link #KC} (B's block packed once into {@code NR}-wide panels), rows in blocks of
 * {@link #MC}, then an {@code MR × NR} tile of C per micro-kernel call. Packing reads any
 * strides, so transposed operands need no copy by the caller. Row-major A is read in place
 * and other layouts are packed (see {@link Block}); when M is small and B's rows are
 * contiguous, B's full panels are read in place too, since packing them would cost about as
 * much as the product. Partial edge panels are always packed, zero-padded.
 *
 * <p>Every element of C is computed by the same arithmetic whatever the blocking, the tile it
 * falls in or the thread that runs it: start from C (or 0), then for {@code p = 0, 1, ..., k-1}
 * one multiply-add of {@code A[i][p]·B[p][j]} (fused when {@link Kernels#FAST_FMA}). Edge tiles
 * go through zero-padded panels and a scratch tile of C, never a mask or a scalar loop. So the
 * result bits do not depend on the number of threads, and without FMA they equal
 * {@link ScalarMatmul}'s.
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
    /** Rows of the register tile: 4 rows × 2 vectors = 8 accumulators + 2 B vectors + 1 broadcast. */
    static final int MR = 4;
    /** Columns of the register tile: two vectors. */
    static final int NR = 2 * L;
    /** Inner-dimension block: an {@code KC × NR} panel of B stays in L1 while the rows stream by. */
    static final int KC = 256;
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
    /** Parts per thread of a split product, for balance when other processes share the cores. */
    static final int TASKS_PER_THREAD = 4;
    /** Fewest rows in a part of a row split (unless that leaves a thread idle). */
    static final int MIN_TASK_ROWS = 64;
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
        // Up to TASKS_PER_THREAD parts per thread, claimed dynamically: a thread slowed down by
        // another process then simply takes fewer parts. Each part packs its own B, so parts
        // keep at least MIN_TASK_ROWS rows (packing then costs a few percent at most).
        int maxTasks = (int) Math.min((long) threads * TASKS_PER_THREAD, flops / PARALLEL_MIN_FLOPS);
        int rowTiles = (m + MR - 1) / MR;
        int colPanels = (n + NR - 1) / NR;
        // Split rows unless they are too few to feed every thread while columns are plenty:
        // each part is an independent sub-product, so no C element is shared.
        if (rowTiles >= 2 * threads || rowTiles >= colPanels) {
            int tasks = Math.max(1, Math.min(maxTasks, Math.max(Math.min(threads, rowTiles), m / MIN_TASK_ROWS)));
            pool.forEach(tasks, t -> {
                int i0 = Math.min(m, (int) ((long) rowTiles * t / tasks) * MR);
                int i1 = Math.min(m, (int) ((long) rowTiles * (t + 1) / tasks) * MR);
                if (i1 > i0) {
                    serial(i1 - i0, n, k, a, aOff + i0 * aRowStride, aRowStride, aColStride,
                            b, bOff, bRowStride, bColStride, c, cOff + i0 * cRowStride, cRowStride, accumulate);
                }
            });
        } else {
            int tasks = Math.max(1, Math.min(maxTasks, colPanels));
            pool.forEach(tasks, t -> {
                int j0 = Math.min(n, (int) ((long) colPanels * t / tasks) * NR);
                int j1 = Math.min(n, (int) ((long) colPanels * (t + 1) / tasks) * NR);
                if (j1 > j0) {
                    serial(m, j1 - j0, k, a, aOff, aRowStride, aColStride,
                            b, bOff + j0 * bColStride, bRowStride, bColStride, c, cOff + j0, cRowStride, accumulate);
                }
            });
        }
    }

    /** The whole product on the calling thread. */
    private static void serial(int m, int n, int k,
                               float[] a, int aOff, int aRowStride, int aColStride,
                               float[] b, int bOff, int bRowStride, int bColStride,
                               float[] c, int cOff, int cRowStride, boolean accumulate) {
        Scratch s = SCRATCH.get();
        boolean direct = bColStride == 1 && m <= DIRECT_MAX_M;
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            // Equal inner blocks of at most KC (784 = 4 × 196, not 3 × 256 + 16): a short last
            // block would pay the C loads and stores of a whole pass for little work.
            int kStep = ceilDiv(k, ceilDiv(k, KC));
            for (int pc = 0; pc < k; pc += kStep) {
                int kc = Math.min(kStep, k - pc);
                boolean load = accumulate || pc > 0;
                if (!direct) {
                    packB(b, bOff + pc * bRowStride + jc * bColStride, bRowStride, bColStride, kc, nc,
                            s.bPanels(kc * roundUp(nc, NR)));
                }
                for (int ic = 0; ic < m; ic += MC) {
                    int mc = Math.min(MC, m - ic);
                    Block blk = s.block;
                    blk.set(a, aOff + ic * aRowStride + pc * aColStride, aRowStride, aColStride, mc, kc);
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
        int kc = blk.kc;
        for (int j0 = 0; j0 < nc; j0 += NR) {
            int cols = Math.min(NR, nc - j0);
            int width = panelWidth(cols);
            // panels are NR apart in columns and kc*NR apart in the buffer
            panel(blk, bp, j0 * kc, width, width, cols, c, cBlock + j0, cs, load, s);
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
            packB(b, bBlock + j0, bs, 1, blk.kc, cols, edge);
            panel(blk, edge, 0, width, width, cols, c, cBlock + j0, cs, load, s);
        }
    }

    /** One panel of B against every row tile of the block. */
    private static void panel(Block blk, float[] bp, int bi, int bs, int width, int cols,
                              float[] c, int ci, int cs, boolean load, Scratch s) {
        int mc = blk.mc;
        int kc = blk.kc;
        int i0 = 0;
        if (width == L) {
            // A one-vector panel with 4 rows has only 4 independent FMA chains, fewer than the
            // FMA latency × throughput; take 8 rows at a time.
            for (; i0 + 2 * MR <= mc; i0 += 2 * MR) {
                float[] a = blk.packed ? blk.ap : blk.a;
                int ai = blk.packed ? i0 * kc : blk.aOff + i0 * blk.rs;
                int ars = blk.packed ? 1 : blk.rs;
                int acs = blk.packed ? MR : blk.cs;
                int a4 = blk.packed ? MR * kc : MR * blk.rs;
                int cTile = ci + i0 * cs;
                if (cols == L) {
                    kernel8x1Any(kc, a, ai, ars, acs, a4, bp, bi, bs, c, cTile, cs, load);
                } else {
                    // 8 rows × L columns is exactly the scratch tile's MR × NR floats.
                    float[] t = s.cTile;
                    if (load) {
                        copyRows(c, cTile, cs, t, 0, L, 2 * MR, cols);
                    }
                    kernel8x1Any(kc, a, ai, ars, acs, a4, bp, bi, bs, t, 0, L, load);
                    copyRows(t, 0, L, c, cTile, cs, 2 * MR, cols);
                }
            }
        }
        for (; i0 < mc; i0 += MR) {
            int rows = Math.min(MR, mc - i0);
            int cTile = ci + i0 * cs;
            if (blk.packed) {
                tile(kc, blk.ap, i0 * kc, 1, MR, bp, bi, bs, width, c, cTile, cs, rows, cols, load, s);
            } else if (rows == MR) {
                tile(kc, blk.a, blk.aOff + i0 * blk.rs, blk.rs, blk.cs, bp, bi, bs, width, c, cTile, cs, rows, cols,
                        load, s);
            } else {
                tile(kc, blk.ap, 0, 1, MR, bp, bi, bs, width, c, cTile, cs, rows, cols, load, s);
            }
        }
    }

    /**
     * One {@code rows × cols} tile of C. A full tile goes straight to the micro-kernel; an edge
     * tile goes through a zero-padded scratch tile, so the kernel never needs a mask.
     */
    private static void tile(int kc, float[] a, int ai, int ars, int acs, float[] bp, int bi, int bs, int width,
                             float[] c, int ci, int cs, int rows, int cols, boolean load, Scratch s) {
        if (rows == MR && cols == width) {
            kernel(kc, a, ai, ars, acs, bp, bi, bs, width, c, ci, cs, load);
            return;
        }
        float[] t = s.cTile;
        if (load) {
            copyRows(c, ci, cs, t, 0, width, rows, cols);
        }
        kernel(kc, a, ai, ars, acs, bp, bi, bs, width, t, 0, width, load);
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

    /** Rows 4..7 start {@code a4} after rows 0..3: {@code 4*ars} in place, {@code 4*kc} packed. */
    private static void kernel8x1Any(int kc, float[] a, int ai, int ars, int acs, int a4, float[] bp, int bi, int bs,
                                     float[] c, int ci, int cs, boolean load) {
        if (bs == L && acs == 1) {
            kernel8x1Unit(kc, a, ai, ars, a4, bp, bi, c, ci, cs, load);
        } else if (bs == L && acs == MR && ars == 1) {
            kernel8x1Packed(kc, a, ai, a4, bp, bi, c, ci, cs, load);
        } else {
            kernel8x1(kc, a, ai, ars, acs, a4, bp, bi, bs, c, ci, cs, load);
        }
    }

    private static void kernel(int kc, float[] a, int ai, int ars, int acs, float[] bp, int bi, int bs, int width,
                               float[] c, int ci, int cs, boolean load) {
        // The constant-stride variants let C2 hoist the bounds checks; see kernel4x2Unit.
        boolean bPacked = bs == width;
        boolean aPacked = acs == MR && ars == 1;
        if (width == NR) {
            if (bPacked && acs == 1) {
                kernel4x2Unit(kc, a, ai, ars, bp, bi, c, ci, cs, load);
            } else if (bPacked && aPacked) {
                kernel4x2Packed(kc, a, ai, bp, bi, c, ci, cs, load);
            } else {
                kernel4x2(kc, a, ai, ars, acs, bp, bi, bs, c, ci, cs, load);
            }
        } else if (bPacked && acs == 1) {
            kernel4x1Unit(kc, a, ai, ars, bp, bi, c, ci, cs, load);
        } else if (bPacked && aPacked) {
            kernel4x1Packed(kc, a, ai, bp, bi, c, ci, cs, load);
        } else {
            kernel4x1(kc, a, ai, ars, acs, bp, bi, bs, c, ci, cs, load);
        }
    }

    /*
     * Micro-kernel 4 × 2 vectors. Trick: the 8 accumulators live in registers for the whole kc
     * loop; each step loads two vectors of B once and reuses them against four broadcast
     * elements of A, so there are 8 multiply-adds per 6 loads and no store until the end.
     * A is read with its own strides (packed panels are just strides 1 and MR).
     */
    private static void kernel4x2(int kc, float[] a, int ai, int ars, int acs, float[] bp, int bi, int bs,
                                  float[] c, int ci, int cs, boolean load) {
        FloatVector c00, c01, c10, c11, c20, c21, c30, c31;
        int r0 = ci;
        int r1 = ci + cs;
        int r2 = ci + 2 * cs;
        int r3 = ci + 3 * cs;
        if (load) {
            c00 = FloatVector.fromArray(S, c, r0);
            c01 = FloatVector.fromArray(S, c, r0 + L);
            c10 = FloatVector.fromArray(S, c, r1);
            c11 = FloatVector.fromArray(S, c, r1 + L);
            c20 = FloatVector.fromArray(S, c, r2);
            c21 = FloatVector.fromArray(S, c, r2 + L);
            c30 = FloatVector.fromArray(S, c, r3);
            c31 = FloatVector.fromArray(S, c, r3 + L);
        } else {
            c00 = FloatVector.zero(S);
            c01 = c00;
            c10 = c00;
            c11 = c00;
            c20 = c00;
            c21 = c00;
            c30 = c00;
            c31 = c00;
        }
        int a1 = ars;
        int a2 = 2 * ars;
        int a3 = 3 * ars;
        for (int p = 0; p < kc; p++) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bi);
            FloatVector b1 = FloatVector.fromArray(S, bp, bi + L);
            FloatVector x = FloatVector.broadcast(S, a[ai]);
            c00 = madd(x, b0, c00);
            c01 = madd(x, b1, c01);
            x = FloatVector.broadcast(S, a[ai + a1]);
            c10 = madd(x, b0, c10);
            c11 = madd(x, b1, c11);
            x = FloatVector.broadcast(S, a[ai + a2]);
            c20 = madd(x, b0, c20);
            c21 = madd(x, b1, c21);
            x = FloatVector.broadcast(S, a[ai + a3]);
            c30 = madd(x, b0, c30);
            c31 = madd(x, b1, c31);
            ai += acs;
            bi += bs;
        }
        c00.intoArray(c, r0);
        c01.intoArray(c, r0 + L);
        c10.intoArray(c, r1);
        c11.intoArray(c, r1 + L);
        c20.intoArray(c, r2);
        c21.intoArray(c, r2 + L);
        c30.intoArray(c, r3);
        c31.intoArray(c, r3 + L);
    }


    /*
     * Micro-kernel 4 × 1 vector, for a last panel at most one vector wide. Trick: same register
     * tile as kernel4x2 at half width, so a narrow edge (n = 10, 50, ...) wastes at most one
     * vector of padding instead of two.
     */
    private static void kernel4x1(int kc, float[] a, int ai, int ars, int acs, float[] bp, int bi, int bs,
                                  float[] c, int ci, int cs, boolean load) {
        FloatVector c0, c1, c2, c3;
        int r0 = ci;
        int r1 = ci + cs;
        int r2 = ci + 2 * cs;
        int r3 = ci + 3 * cs;
        if (load) {
            c0 = FloatVector.fromArray(S, c, r0);
            c1 = FloatVector.fromArray(S, c, r1);
            c2 = FloatVector.fromArray(S, c, r2);
            c3 = FloatVector.fromArray(S, c, r3);
        } else {
            c0 = FloatVector.zero(S);
            c1 = c0;
            c2 = c0;
            c3 = c0;
        }
        int a1 = ars;
        int a2 = 2 * ars;
        int a3 = 3 * ars;
        for (int p = 0; p < kc; p++) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bi);
            c0 = madd(FloatVector.broadcast(S, a[ai]), b0, c0);
            c1 = madd(FloatVector.broadcast(S, a[ai + a1]), b0, c1);
            c2 = madd(FloatVector.broadcast(S, a[ai + a2]), b0, c2);
            c3 = madd(FloatVector.broadcast(S, a[ai + a3]), b0, c3);
            ai += acs;
            bi += bs;
        }
        c0.intoArray(c, r0);
        c1.intoArray(c, r1);
        c2.intoArray(c, r2);
        c3.intoArray(c, r3);
    }

    /*
     * Micro-kernel 8 × 1 vector, for one-vector panels with rows read in place. Trick: 8
     * accumulators instead of 4x1's 4, enough independent chains to cover the FMA latency.
     */
    private static void kernel8x1(int kc, float[] a, int ai, int ars, int acs, int a4, float[] bp, int bi, int bs,
                                  float[] c, int ci, int cs, boolean load) {
        FloatVector c0, c1, c2, c3, c4, c5, c6, c7;
        if (load) {
            c0 = FloatVector.fromArray(S, c, ci);
            c1 = FloatVector.fromArray(S, c, ci + cs);
            c2 = FloatVector.fromArray(S, c, ci + 2 * cs);
            c3 = FloatVector.fromArray(S, c, ci + 3 * cs);
            c4 = FloatVector.fromArray(S, c, ci + 4 * cs);
            c5 = FloatVector.fromArray(S, c, ci + 5 * cs);
            c6 = FloatVector.fromArray(S, c, ci + 6 * cs);
            c7 = FloatVector.fromArray(S, c, ci + 7 * cs);
        } else {
            c0 = FloatVector.zero(S);
            c1 = c0;
            c2 = c0;
            c3 = c0;
            c4 = c0;
            c5 = c0;
            c6 = c0;
            c7 = c0;
        }
        for (int p = 0; p < kc; p++) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bi);
            int r = ai;
            c0 = madd(FloatVector.broadcast(S, a[r]), b0, c0);
            c1 = madd(FloatVector.broadcast(S, a[r + ars]), b0, c1);
            c2 = madd(FloatVector.broadcast(S, a[r + 2 * ars]), b0, c2);
            c3 = madd(FloatVector.broadcast(S, a[r + 3 * ars]), b0, c3);
            r += a4;
            c4 = madd(FloatVector.broadcast(S, a[r]), b0, c4);
            c5 = madd(FloatVector.broadcast(S, a[r + ars]), b0, c5);
            c6 = madd(FloatVector.broadcast(S, a[r + 2 * ars]), b0, c6);
            c7 = madd(FloatVector.broadcast(S, a[r + 3 * ars]), b0, c7);
            ai += acs;
            bi += bs;
        }
        c0.intoArray(c, ci);
        c1.intoArray(c, ci + cs);
        c2.intoArray(c, ci + 2 * cs);
        c3.intoArray(c, ci + 3 * cs);
        c4.intoArray(c, ci + 4 * cs);
        c5.intoArray(c, ci + 5 * cs);
        c6.intoArray(c, ci + 6 * cs);
        c7.intoArray(c, ci + 7 * cs);
    }

    /*
     * The same 4 × 2 kernel for row-major A and packed B. Trick: every index is p times a
     * constant plus an invariant, the form C2's range-check elimination needs, so the bounds
     * checks of the loads leave the loop (about 1.3x on 1024² here); the strided version keeps
     * one check per load.
     */
    private static void kernel4x2Unit(int kc, float[] a, int ai, int ars, float[] bp, int bi,
                                  float[] c, int ci, int cs, boolean load) {
        FloatVector c00, c01, c10, c11, c20, c21, c30, c31;
        int r0 = ci;
        int r1 = ci + cs;
        int r2 = ci + 2 * cs;
        int r3 = ci + 3 * cs;
        if (load) {
            c00 = FloatVector.fromArray(S, c, r0);
            c01 = FloatVector.fromArray(S, c, r0 + L);
            c10 = FloatVector.fromArray(S, c, r1);
            c11 = FloatVector.fromArray(S, c, r1 + L);
            c20 = FloatVector.fromArray(S, c, r2);
            c21 = FloatVector.fromArray(S, c, r2 + L);
            c30 = FloatVector.fromArray(S, c, r3);
            c31 = FloatVector.fromArray(S, c, r3 + L);
        } else {
            c00 = FloatVector.zero(S);
            c01 = c00;
            c10 = c00;
            c11 = c00;
            c20 = c00;
            c21 = c00;
            c30 = c00;
            c31 = c00;
        }
        int a1 = ars;
        int a2 = 2 * ars;
        int a3 = 3 * ars;
        for (int p = 0; p < kc; p++) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bi + p * NR);
            FloatVector b1 = FloatVector.fromArray(S, bp, bi + p * NR + L);
            FloatVector x = FloatVector.broadcast(S, a[ai + p]);
            c00 = madd(x, b0, c00);
            c01 = madd(x, b1, c01);
            x = FloatVector.broadcast(S, a[ai + a1 + p]);
            c10 = madd(x, b0, c10);
            c11 = madd(x, b1, c11);
            x = FloatVector.broadcast(S, a[ai + a2 + p]);
            c20 = madd(x, b0, c20);
            c21 = madd(x, b1, c21);
            x = FloatVector.broadcast(S, a[ai + a3 + p]);
            c30 = madd(x, b0, c30);
            c31 = madd(x, b1, c31);
        }
        c00.intoArray(c, r0);
        c01.intoArray(c, r0 + L);
        c10.intoArray(c, r1);
        c11.intoArray(c, r1 + L);
        c20.intoArray(c, r2);
        c21.intoArray(c, r2 + L);
        c30.intoArray(c, r3);
        c31.intoArray(c, r3 + L);
    }

    /*
     * The same 4 × 1 kernel for row-major A and packed B; constant strides as in kernel4x2Unit.
     */
    private static void kernel4x1Unit(int kc, float[] a, int ai, int ars, float[] bp, int bi,
                                  float[] c, int ci, int cs, boolean load) {
        FloatVector c0, c1, c2, c3;
        int r0 = ci;
        int r1 = ci + cs;
        int r2 = ci + 2 * cs;
        int r3 = ci + 3 * cs;
        if (load) {
            c0 = FloatVector.fromArray(S, c, r0);
            c1 = FloatVector.fromArray(S, c, r1);
            c2 = FloatVector.fromArray(S, c, r2);
            c3 = FloatVector.fromArray(S, c, r3);
        } else {
            c0 = FloatVector.zero(S);
            c1 = c0;
            c2 = c0;
            c3 = c0;
        }
        int a1 = ars;
        int a2 = 2 * ars;
        int a3 = 3 * ars;
        for (int p = 0; p < kc; p++) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bi + p * L);
            c0 = madd(FloatVector.broadcast(S, a[ai + p]), b0, c0);
            c1 = madd(FloatVector.broadcast(S, a[ai + a1 + p]), b0, c1);
            c2 = madd(FloatVector.broadcast(S, a[ai + a2 + p]), b0, c2);
            c3 = madd(FloatVector.broadcast(S, a[ai + a3 + p]), b0, c3);
        }
        c0.intoArray(c, r0);
        c1.intoArray(c, r1);
        c2.intoArray(c, r2);
        c3.intoArray(c, r3);
    }

    /*
     * The same 8 × 1 kernel for row-major A and packed B; constant strides as in kernel4x2Unit.
     */
    private static void kernel8x1Unit(int kc, float[] a, int ai, int ars, int a4, float[] bp, int bi,
                                  float[] c, int ci, int cs, boolean load) {
        FloatVector c0, c1, c2, c3, c4, c5, c6, c7;
        if (load) {
            c0 = FloatVector.fromArray(S, c, ci);
            c1 = FloatVector.fromArray(S, c, ci + cs);
            c2 = FloatVector.fromArray(S, c, ci + 2 * cs);
            c3 = FloatVector.fromArray(S, c, ci + 3 * cs);
            c4 = FloatVector.fromArray(S, c, ci + 4 * cs);
            c5 = FloatVector.fromArray(S, c, ci + 5 * cs);
            c6 = FloatVector.fromArray(S, c, ci + 6 * cs);
            c7 = FloatVector.fromArray(S, c, ci + 7 * cs);
        } else {
            c0 = FloatVector.zero(S);
            c1 = c0;
            c2 = c0;
            c3 = c0;
            c4 = c0;
            c5 = c0;
            c6 = c0;
            c7 = c0;
        }
        for (int p = 0; p < kc; p++) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bi + p * L);
            int r = ai + p;
            c0 = madd(FloatVector.broadcast(S, a[r]), b0, c0);
            c1 = madd(FloatVector.broadcast(S, a[r + ars]), b0, c1);
            c2 = madd(FloatVector.broadcast(S, a[r + 2 * ars]), b0, c2);
            c3 = madd(FloatVector.broadcast(S, a[r + 3 * ars]), b0, c3);
            r += a4;
            c4 = madd(FloatVector.broadcast(S, a[r]), b0, c4);
            c5 = madd(FloatVector.broadcast(S, a[r + ars]), b0, c5);
            c6 = madd(FloatVector.broadcast(S, a[r + 2 * ars]), b0, c6);
            c7 = madd(FloatVector.broadcast(S, a[r + 3 * ars]), b0, c7);
        }
        c0.intoArray(c, ci);
        c1.intoArray(c, ci + cs);
        c2.intoArray(c, ci + 2 * cs);
        c3.intoArray(c, ci + 3 * cs);
        c4.intoArray(c, ci + 4 * cs);
        c5.intoArray(c, ci + 5 * cs);
        c6.intoArray(c, ci + 6 * cs);
        c7.intoArray(c, ci + 7 * cs);
    }

    /*
     * The same 4 × 2 kernel for A packed into MR-row panels and packed B: constant strides
     * again, for operands like {@code x.t()} that are packed rather than read column-wise.
     */
    private static void kernel4x2Packed(int kc, float[] a, int ai, float[] bp, int bi,
                                  float[] c, int ci, int cs, boolean load) {
        FloatVector c00, c01, c10, c11, c20, c21, c30, c31;
        int r0 = ci;
        int r1 = ci + cs;
        int r2 = ci + 2 * cs;
        int r3 = ci + 3 * cs;
        if (load) {
            c00 = FloatVector.fromArray(S, c, r0);
            c01 = FloatVector.fromArray(S, c, r0 + L);
            c10 = FloatVector.fromArray(S, c, r1);
            c11 = FloatVector.fromArray(S, c, r1 + L);
            c20 = FloatVector.fromArray(S, c, r2);
            c21 = FloatVector.fromArray(S, c, r2 + L);
            c30 = FloatVector.fromArray(S, c, r3);
            c31 = FloatVector.fromArray(S, c, r3 + L);
        } else {
            c00 = FloatVector.zero(S);
            c01 = c00;
            c10 = c00;
            c11 = c00;
            c20 = c00;
            c21 = c00;
            c30 = c00;
            c31 = c00;
        }
        for (int p = 0; p < kc; p++) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bi + p * NR);
            FloatVector b1 = FloatVector.fromArray(S, bp, bi + p * NR + L);
            FloatVector x = FloatVector.broadcast(S, a[ai + p * MR]);
            c00 = madd(x, b0, c00);
            c01 = madd(x, b1, c01);
            x = FloatVector.broadcast(S, a[ai + p * MR + 1]);
            c10 = madd(x, b0, c10);
            c11 = madd(x, b1, c11);
            x = FloatVector.broadcast(S, a[ai + p * MR + 2]);
            c20 = madd(x, b0, c20);
            c21 = madd(x, b1, c21);
            x = FloatVector.broadcast(S, a[ai + p * MR + 3]);
            c30 = madd(x, b0, c30);
            c31 = madd(x, b1, c31);
        }
        c00.intoArray(c, r0);
        c01.intoArray(c, r0 + L);
        c10.intoArray(c, r1);
        c11.intoArray(c, r1 + L);
        c20.intoArray(c, r2);
        c21.intoArray(c, r2 + L);
        c30.intoArray(c, r3);
        c31.intoArray(c, r3 + L);
    }

    /*
     * The same 4 × 1 kernel for A packed into MR-row panels and packed B: constant strides
     * again, for operands like {@code x.t()} that are packed rather than read column-wise.
     */
    private static void kernel4x1Packed(int kc, float[] a, int ai, float[] bp, int bi,
                                  float[] c, int ci, int cs, boolean load) {
        FloatVector c0, c1, c2, c3;
        int r0 = ci;
        int r1 = ci + cs;
        int r2 = ci + 2 * cs;
        int r3 = ci + 3 * cs;
        if (load) {
            c0 = FloatVector.fromArray(S, c, r0);
            c1 = FloatVector.fromArray(S, c, r1);
            c2 = FloatVector.fromArray(S, c, r2);
            c3 = FloatVector.fromArray(S, c, r3);
        } else {
            c0 = FloatVector.zero(S);
            c1 = c0;
            c2 = c0;
            c3 = c0;
        }
        for (int p = 0; p < kc; p++) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bi + p * L);
            c0 = madd(FloatVector.broadcast(S, a[ai + p * MR]), b0, c0);
            c1 = madd(FloatVector.broadcast(S, a[ai + p * MR + 1]), b0, c1);
            c2 = madd(FloatVector.broadcast(S, a[ai + p * MR + 2]), b0, c2);
            c3 = madd(FloatVector.broadcast(S, a[ai + p * MR + 3]), b0, c3);
        }
        c0.intoArray(c, r0);
        c1.intoArray(c, r1);
        c2.intoArray(c, r2);
        c3.intoArray(c, r3);
    }

    /*
     * The same 8 × 1 kernel for A packed into MR-row panels and packed B: constant strides
     * again, for operands like {@code x.t()} that are packed rather than read column-wise.
     */
    private static void kernel8x1Packed(int kc, float[] a, int ai, int a4, float[] bp, int bi,
                                  float[] c, int ci, int cs, boolean load) {
        FloatVector c0, c1, c2, c3, c4, c5, c6, c7;
        if (load) {
            c0 = FloatVector.fromArray(S, c, ci);
            c1 = FloatVector.fromArray(S, c, ci + cs);
            c2 = FloatVector.fromArray(S, c, ci + 2 * cs);
            c3 = FloatVector.fromArray(S, c, ci + 3 * cs);
            c4 = FloatVector.fromArray(S, c, ci + 4 * cs);
            c5 = FloatVector.fromArray(S, c, ci + 5 * cs);
            c6 = FloatVector.fromArray(S, c, ci + 6 * cs);
            c7 = FloatVector.fromArray(S, c, ci + 7 * cs);
        } else {
            c0 = FloatVector.zero(S);
            c1 = c0;
            c2 = c0;
            c3 = c0;
            c4 = c0;
            c5 = c0;
            c6 = c0;
            c7 = c0;
        }
        for (int p = 0; p < kc; p++) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bi + p * L);
            int r = ai + p * MR;
            c0 = madd(FloatVector.broadcast(S, a[r]), b0, c0);
            c1 = madd(FloatVector.broadcast(S, a[r + 1]), b0, c1);
            c2 = madd(FloatVector.broadcast(S, a[r + 2]), b0, c2);
            c3 = madd(FloatVector.broadcast(S, a[r + 3]), b0, c3);
            r += a4;
            c4 = madd(FloatVector.broadcast(S, a[r]), b0, c4);
            c5 = madd(FloatVector.broadcast(S, a[r + 1]), b0, c5);
            c6 = madd(FloatVector.broadcast(S, a[r + 2]), b0, c6);
            c7 = madd(FloatVector.broadcast(S, a[r + 3]), b0, c7);
        }
        c0.intoArray(c, ci);
        c1.intoArray(c, ci + cs);
        c2.intoArray(c, ci + 2 * cs);
        c3.intoArray(c, ci + 3 * cs);
        c4.intoArray(c, ci + 4 * cs);
        c5.intoArray(c, ci + 5 * cs);
        c6.intoArray(c, ci + 6 * cs);
        c7.intoArray(c, ci + 7 * cs);
    }

    // Without hardware FMA, fma() is emulated per lane and far slower than mul+add.
    private static FloatVector madd(FloatVector x, FloatVector y, FloatVector acc) {
        return FMA ? x.fma(y, acc) : x.mul(y).add(acc);
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
     * Packs {@code mc × kc} of A into MR-row panels, each stored p-major ({@code MR} consecutive
     * floats per p) and zero-padded to MR rows, so the kernel reads A at unit stride.
     */
    static void packA(float[] a, int aOff, int rs, int cs, int mc, int kc, float[] dst) {
        for (int i0 = 0; i0 < mc; i0 += MR) {
            int rows = Math.min(MR, mc - i0);
            int base = i0 * kc;
            if (cs == 1) {
                for (int r = 0; r < rows; r++) {
                    int src = aOff + (i0 + r) * rs;
                    for (int p = 0; p < kc; p++) {
                        dst[base + p * MR + r] = a[src + p];
                    }
                }
            } else {
                for (int p = 0; p < kc; p++) {
                    int src = aOff + i0 * rs + p * cs;
                    for (int r = 0; r < rows; r++) {
                        dst[base + p * MR + r] = a[src + r * rs];
                    }
                }
            }
            for (int r = rows; r < MR; r++) {
                for (int p = 0; p < kc; p++) {
                    dst[base + p * MR + r] = 0f;
                }
            }
        }
    }

    /**
     * Packs {@code kc × nc} of B into panels NR columns apart ({@code kc*NR} floats apart), each
     * stored row by row; the last panel is {@link #panelWidth} wide and zero-padded.
     */
    static void packB(float[] b, int bOff, int rs, int cs, int kc, int nc, float[] dst) {
        for (int j0 = 0; j0 < nc; j0 += NR) {
            int cols = Math.min(NR, nc - j0);
            int width = panelWidth(cols);
            int base = j0 * kc;
            if (cs == 1) {
                for (int p = 0; p < kc; p++) {
                    int src = bOff + p * rs + j0;
                    int d = base + p * width;
                    if (cols == NR) {
                        FloatVector.fromArray(S, b, src).intoArray(dst, d);
                        FloatVector.fromArray(S, b, src + L).intoArray(dst, d + L);
                    } else {
                        System.arraycopy(b, src, dst, d, cols);
                        Arrays.fill(dst, d + cols, d + width, 0f);
                    }
                }
            } else {
                for (int j = 0; j < cols; j++) {
                    int src = bOff + (j0 + j) * cs;
                    for (int p = 0; p < kc; p++) {
                        dst[base + p * width + j] = b[src + p * rs];
                    }
                }
                for (int j = cols; j < width; j++) {
                    for (int p = 0; p < kc; p++) {
                        dst[base + p * width + j] = 0f;
                    }
                }
            }
        }
    }

    @Override
    public String describe() {
        return "Vector API matmul, " + S.vectorBitSize() + " bits, " + MR + "x" + NR + " tile, "
                + (Kernels.FAST_FMA ? "FMA" : "no FMA") + ", " + pool.threads() + " threads";
    }

    /**
     * The {@code mc × kc} block of A for the current (ic, pc) step. Row-major A is read in
     * place by full row tiles: packing costs m·k copies, as much as the product itself when n
     * is small (the MLP's n = 50, 10), and measured no faster for large n here; only the last
     * partial row tile is packed, zero-padded to MR rows. Any other layout (a transposed view)
     * is packed whole into MR-row panels, since reading it in place strides through memory.
     */
    private static final class Block {
        float[] a;
        int aOff;
        int rs;
        int cs;
        int mc;
        int kc;
        boolean packed;
        float[] ap = new float[0];

        void set(float[] a, int aOff, int rs, int cs, int mc, int kc) {
            this.a = a;
            this.aOff = aOff;
            this.rs = rs;
            this.cs = cs;
            this.mc = mc;
            this.kc = kc;
            this.packed = cs != 1;
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
        final float[] cTile = new float[MR * NR];
        final Block block = new Block();

        float[] bPanels(int size) {
            if (b.length < size) {
                b = new float[size];
            }
            return b;
        }
    }
}
