package dev.vectorgrad.core;

import java.util.Arrays;
import java.util.function.IntConsumer;

import dev.vectorgrad.core.internal.FloatKernels;
import dev.vectorgrad.core.internal.Im2col;
import dev.vectorgrad.core.internal.Kernels;
import dev.vectorgrad.core.internal.MatmulKernel;
import dev.vectorgrad.core.internal.Parallel;

/**
 * 2-d convolution over NCHW tensors, as PyTorch's {@code F.conv2d}, and its two gradients.
 *
 * <p>Input {@code x} is {@code [N, C_in, H, W]} (any strides: a sliced or permuted view is read
 * in place), weight {@code [C_out, C_in/groups, kH, kW]}, bias {@code [C_out]} or null; the
 * output is {@code [N, C_out, outH, outW]} with {@code outH = floor((H + 2*padH - dilationH*(kH-1) - 1)
 * / strideH) + 1} (likewise {@code outW}), zero padding, cross-correlation as in PyTorch (the
 * kernel is not flipped).
 *
 * <p><b>How.</b> Per image and group, {@code im2col} unfolds the input into columns
 * {@code col [C_in/groups*kH*kW, outH*outW]} and one SIMD matmul {@code W_g @ col} writes the
 * output channels of the group straight into the NCHW output (a 1x1 kernel with stride 1 and no
 * padding multiplies the image itself, with no unfolding). The bias is written first and the
 * product added onto it. Backward to the input: {@code W_g^T @ gOut_n} into columns, folded back
 * with {@code col2im}; to the weight: {@code gOut_n @ col^T} accumulated over the images; the
 * bias gradient sums {@code gOut} over N, H and W. The images are split into at most
 * {@value #MAX_TASKS} tasks shared by the project's thread pool; the split depends on the batch
 * size alone and per-task weight-gradient sums are added in task order, so results are the same
 * floats on any number of threads and from call to call. Columns live in a per-thread buffer kept
 * between calls; the per-task sums of the weight gradient in a {@link Workspace} the caller may
 * keep, so that a warm call allocates nothing.
 */
public final class Convolution {

    private static final MatmulKernel M = Kernels.MATMUL;
    private static final FloatKernels F = Kernels.ELEMENTWISE;

    /** At most this many tasks per call: a few per thread balances the load on a shared machine. */
    static final int MAX_TASKS = 8;

    private static final ThreadLocal<Columns> COLUMNS = ThreadLocal.withInitial(Columns::new);

    private Convolution() {}

    /**
     * Buffers a convolution call needs besides its tensors, kept by a caller that convolves the
     * same shapes again and again (a captured training step) so that those calls allocate
     * nothing. Not thread-safe: one call at a time per workspace.
     */
    public static final class Workspace {
        private float[] weightSums = new float[0];
        private float[] biasSums = new float[0];
        private final Task task = new Task();

        /** An empty workspace; buffers are made on first use and grown when needed. */
        public Workspace() {}

        private float[] weightSums(int n) {
            if (weightSums.length < n) {
                weightSums = new float[n];
            }
            return weightSums;
        }

        private float[] biasSums(int n) {
            if (biasSums.length < n) {
                biasSums = new float[n];
            }
            return biasSums;
        }
    }

    /** One thread's column buffer. */
    private static final class Columns {
        float[] buf = new float[0];

        float[] of(int n) {
            if (buf.length < n) {
                buf = new float[n];
            }
            return buf;
        }
    }

    // ------------------------------------------------------------------ checks

    /**
     * The output shape of {@code conv2d} for these shapes, after checking them.
     *
     * @param x the input shape {@code [N, C_in, H, W]}
     * @param w the weight shape {@code [C_out, C_in/groups, kH, kW]}
     * @param s the geometry
     * @return {@code [N, C_out, outH, outW]}
     * @throws IllegalArgumentException naming both shapes and the rule when they do not fit
     */
    public static int[] conv2dOutputShape(int[] x, int[] w, Conv2dSpec s) {
        check(x, w, null, s);
        return new int[] {x[0], w[0], s.outH(x[2], w[2]), s.outW(x[3], w[3])};
    }

    private static void check(int[] x, int[] w, int[] bias, Conv2dSpec s) {
        if (s == null) {
            throw new IllegalArgumentException("conv2d: the spec must not be null (use Conv2dSpec.defaults())");
        }
        if (x.length != 4) {
            throw new IllegalArgumentException("conv2d: input " + Shapes.str(x) + " must be 4-d [N, C_in, H, W]"
                    + " (weight " + Shapes.str(w) + ")");
        }
        if (w.length != 4) {
            throw new IllegalArgumentException("conv2d: weight " + Shapes.str(w)
                    + " must be 4-d [C_out, C_in/groups, kH, kW] (input " + Shapes.str(x) + ")");
        }
        int g = s.groups();
        if (w[0] % g != 0) {
            throw new IllegalArgumentException("conv2d: groups " + g + " must divide the output channels " + w[0]
                    + " of weight " + Shapes.str(w) + " (input " + Shapes.str(x) + ")");
        }
        if (x[1] % g != 0) {
            throw new IllegalArgumentException("conv2d: groups " + g + " must divide the input channels " + x[1]
                    + " of input " + Shapes.str(x) + " (weight " + Shapes.str(w) + ")");
        }
        if ((long) w[1] * g != x[1]) {
            throw new IllegalArgumentException("conv2d: input " + Shapes.str(x) + " has " + x[1]
                    + " channels, but weight " + Shapes.str(w) + " with groups " + g + " expects " + (long) w[1] * g
                    + " (weight.size(1) * groups)");
        }
        if (bias != null && (bias.length != 1 || bias[0] != w[0])) {
            throw new IllegalArgumentException("conv2d: bias " + Shapes.str(bias) + " must be [" + w[0]
                    + "], one per output channel of weight " + Shapes.str(w));
        }
        long spanH = (long) s.dilationH() * (w[2] - 1) + 1;
        long spanW = (long) s.dilationW() * (w[3] - 1) + 1;
        long paddedH = x[2] + 2L * s.padH();
        long paddedW = x[3] + 2L * s.padW();
        if (w[2] == 0 || w[3] == 0 || spanH > paddedH || spanW > paddedW) {
            throw new IllegalArgumentException("conv2d: kernel " + w[2] + "x" + w[3] + " (dilation (" + s.dilationH()
                    + ", " + s.dilationW() + "), spanning " + spanH + "x" + spanW + ") is larger than the padded input "
                    + paddedH + "x" + paddedW + " (input " + Shapes.str(x) + ", padding (" + s.padH() + ", " + s.padW()
                    + ")); the output would have size " + s.outH(x[2], w[2]) + "x" + s.outW(x[3], w[3])
                    + (w[2] == 0 || w[3] == 0 ? " and an empty kernel has no output" : ""));
        }
    }

    private static void requireNonNull(String op, Object a, String aName, Object b, String bName) {
        if (a == null || b == null) {
            throw new IllegalArgumentException(op + ": " + aName + " and " + bName + " must not be null");
        }
    }

    /**
     * Checks a 4-d shape; {@code why} names it, and for the output's shape {@code xs, ws, s}
     * (else null) say where it comes from. The message is built only when thrown, so a call allocates nothing.
     */
    private static void checkShape(String op, String name, Tensor t, int d0, int d1, int d2, int d3, String why,
                                   int[] xs, int[] ws, Conv2dSpec spec) {
        int[] s = t.shapeRef();
        if (s.length != 4 || s[0] != d0 || s[1] != d1 || s[2] != d2 || s[3] != d3) {
            throw new IllegalArgumentException(op + ": " + name + " " + Shapes.str(s) + " must be [" + d0 + ", " + d1
                    + ", " + d2 + ", " + d3 + "] (" + why + (xs == null ? "" : " for input " + Shapes.str(xs)
                    + " and weight " + Shapes.str(ws) + " with " + spec) + ")");
        }
    }

    private static void checkTarget(String op, String name, Tensor t, int d0, int d1, int d2, int d3, String why,
                                    int[] xs, int[] ws, Conv2dSpec spec) {
        checkShape(op, name, t, d0, d1, d2, d3, why, xs, ws, spec);
        int[] s = t.shapeRef();
        if (!t.isContiguous()) {
            throw new IllegalArgumentException(op + ": " + name + " " + Shapes.str(s) + " is a strided view;"
                    + " the tensors written must be contiguous (make one with zeros(...))");
        }
    }

    private static void checkDisjoint(String op, String written, Tensor w, String otherName, Tensor other) {
        if (other != null && Fused.overlaps(w, other)) {
            throw new IllegalArgumentException(op + ": " + written + " " + Shapes.str(w.shapeRef())
                    + " shares storage with " + otherName + " " + Shapes.str(other.shapeRef())
                    + "; the result would overwrite values it still reads");
        }
    }

    // ------------------------------------------------------------------ forward

    /**
     * {@code F.conv2d(x, weight, bias, stride, padding, dilation, groups)} into a new tensor.
     *
     * @param x the input {@code [N, C_in, H, W]}, any strides
     * @param weight {@code [C_out, C_in/groups, kH, kW]} (a strided view is copied first)
     * @param bias {@code [C_out]}, or null
     * @param s stride, padding, dilation and groups
     * @return a new contiguous {@code [N, C_out, outH, outW]} tensor
     */
    public static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, Conv2dSpec s) {
        requireNonNull("conv2d", x, "input", weight, "weight");
        check(x.shapeRef(), weight.shapeRef(), bias == null ? null : bias.shapeRef(), s);
        Tensor out = Tensor.zeros(x.size(0), weight.size(0), s.outH(x.size(2), weight.size(2)),
                s.outW(x.size(3), weight.size(3)));
        forwardChecked(x, weight, bias, s, out, new Workspace());
        return out;
    }

    /**
     * {@link #conv2d(Tensor, Tensor, Tensor, Conv2dSpec)} into {@code out}, overwriting it;
     * allocates nothing once {@code ws} and this thread's buffers have grown to the shapes.
     *
     * @param out contiguous {@code [N, C_out, outH, outW]}, sharing no storage with the operands
     * @param ws the buffers to reuse
     * @return {@code out}
     */
    public static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, Conv2dSpec s, Tensor out, Workspace ws) {
        requireNonNull("conv2d", x, "input", weight, "weight");
        requireNonNull("conv2d", out, "out", ws, "workspace");
        check(x.shapeRef(), weight.shapeRef(), bias == null ? null : bias.shapeRef(), s);
        checkTarget("conv2d", "out", out, x.size(0), weight.size(0), s.outH(x.size(2), weight.size(2)),
                s.outW(x.size(3), weight.size(3)), "the output's shape", x.shapeRef(), weight.shapeRef(), s);
        checkDisjoint("conv2d", "out", out, "input", x);
        checkDisjoint("conv2d", "out", out, "weight", weight);
        checkDisjoint("conv2d", "out", out, "bias", bias);
        forwardChecked(x, weight, bias, s, out, ws);
        return out;
    }

    private static void forwardChecked(Tensor x, Tensor weight, Tensor bias, Conv2dSpec s, Tensor out, Workspace ws) {
        Task t = ws.task.set(Task.FORWARD, x, weight.contiguous(), s);
        t.out = out;
        t.bias = bias;
        t.run();
        t.clear();
        out.bumpVersion();
    }

    // ------------------------------------------------------------------ backward

    /**
     * The gradient of {@code conv2d} with respect to its input, into a new tensor: PyTorch's
     * {@code torch.nn.grad.conv2d_input}.
     *
     * @param gradOut the gradient of the output, {@code [N, C_out, outH, outW]}
     * @param weight the weight of the forward call
     * @param s the geometry of the forward call
     * @param inputShape the input's shape {@code [N, C_in, H, W]}
     * @return a new contiguous tensor of {@code inputShape}
     */
    public static Tensor conv2dBackwardInput(Tensor gradOut, Tensor weight, Conv2dSpec s, int... inputShape) {
        requireNonNull("conv2dBackwardInput", gradOut, "gradOut", weight, "weight");
        Tensor gx = Tensor.zeros(inputShape);
        conv2dBackwardInput(gradOut, weight, s, gx, new Workspace());
        return gx;
    }

    /**
     * The gradient of {@code conv2d} with respect to its input, written over {@code gradInput}
     * (whose shape is the input's).
     *
     * @param gradOut the gradient of the output, {@code [N, C_out, outH, outW]}
     * @param weight the weight of the forward call
     * @param s the geometry of the forward call
     * @param gradInput contiguous, of the input's shape; overwritten
     * @param ws the buffers to reuse
     */
    public static void conv2dBackwardInput(Tensor gradOut, Tensor weight, Conv2dSpec s, Tensor gradInput, Workspace ws) {
        requireNonNull("conv2dBackwardInput", gradOut, "gradOut", weight, "weight");
        requireNonNull("conv2dBackwardInput", gradInput, "gradInput", ws, "workspace");
        int[] xs = gradInput.shapeRef();
        check(xs, weight.shapeRef(), null, s);
        checkShape("conv2dBackwardInput", "gradOut", gradOut, xs[0], weight.size(0), s.outH(xs[2], weight.size(2)),
                s.outW(xs[3], weight.size(3)), "the output's shape", xs, weight.shapeRef(), s);
        checkTarget("conv2dBackwardInput", "gradInput", gradInput, xs[0], xs[1], xs[2], xs[3], "the input's shape", null, null, null);
        checkDisjoint("conv2dBackwardInput", "gradInput", gradInput, "gradOut", gradOut);
        checkDisjoint("conv2dBackwardInput", "gradInput", gradInput, "weight", weight);
        Task t = ws.task.set(Task.BACKWARD_INPUT, gradInput, weight.contiguous(), s);
        t.gOut = gradOut.contiguous();
        t.run();
        t.clear();
        gradInput.bumpVersion();
    }

    /**
     * The gradients of {@code conv2d} with respect to its weight and its bias, written over
     * {@code gradWeight} and {@code gradBias} (either may be null to skip it).
     *
     * @param gradOut the gradient of the output, {@code [N, C_out, outH, outW]}
     * @param x the input of the forward call, any strides
     * @param s the geometry of the forward call
     * @param gradWeight contiguous, of the weight's shape, or null
     * @param gradBias {@code [C_out]} contiguous, or null
     * @param ws the buffers to reuse
     */
    public static void conv2dBackwardWeight(Tensor gradOut, Tensor x, Conv2dSpec s, Tensor gradWeight,
                                            Tensor gradBias, Workspace ws) {
        requireNonNull("conv2dBackwardWeight", gradOut, "gradOut", x, "input");
        if (ws == null) {
            throw new IllegalArgumentException("conv2dBackwardWeight: workspace must not be null");
        }
        if (gradWeight == null && gradBias == null) {
            return;
        }
        int[] xs = x.shapeRef();
        int[] go = gradOut.shapeRef();
        if (gradWeight == null) {
            if (xs.length != 4 || go.length != 4 || go[0] != xs[0]) {
                throw new IllegalArgumentException("conv2dBackwardWeight: gradOut " + Shapes.str(go) + " and input "
                        + Shapes.str(xs) + " must be 4-d with the same batch size");
            }
        } else {
            int[] ws4 = gradWeight.shapeRef();
            check(xs, ws4, null, s);
            checkShape("conv2dBackwardWeight", "gradOut", gradOut, xs[0], ws4[0], s.outH(xs[2], ws4[2]),
                    s.outW(xs[3], ws4[3]), "the output's shape", xs, ws4, s);
            checkTarget("conv2dBackwardWeight", "gradWeight", gradWeight, ws4[0], ws4[1], ws4[2], ws4[3],
                    "the weight's shape", null, null, null);
            checkDisjoint("conv2dBackwardWeight", "gradWeight", gradWeight, "gradOut", gradOut);
            checkDisjoint("conv2dBackwardWeight", "gradWeight", gradWeight, "input", x);
        }
        if (gradBias != null) {
            if (gradBias.dim() != 1 || gradBias.size(0) != go[1] || !gradBias.isContiguous()) {
                throw new IllegalArgumentException("conv2dBackwardWeight: gradBias " + Shapes.str(gradBias.shapeRef())
                        + " must be a contiguous [" + go[1] + "], one per channel of gradOut " + Shapes.str(go));
            }
            checkDisjoint("conv2dBackwardWeight", "gradBias", gradBias, "gradOut", gradOut);
            if (gradWeight != null) {
                checkDisjoint("conv2dBackwardWeight", "gradBias", gradBias, "gradWeight", gradWeight);
            }
        }
        Task t = ws.task;
        t.gOut = gradOut.contiguous();
        t.gradWeight = gradWeight;
        t.gradBias = gradBias;
        if (gradWeight != null) {
            t.set(Task.BACKWARD_WEIGHT, x, gradWeight, s);
            int tasks = t.tasks;
            t.weightSums = ws.weightSums(tasks * gradWeight.numel());
            t.biasSums = gradBias == null ? null : ws.biasSums(tasks * gradBias.numel());
            t.run();
            sumTasks(t.weightSums, tasks, gradWeight);
        } else {
            t.mode = Task.BACKWARD_BIAS;
            t.n = go[0];
            t.cOut = go[1];
            t.plane = go[2] * go[3];
            t.tasks = Math.min(t.n, MAX_TASKS);
            t.biasSums = ws.biasSums(t.tasks * gradBias.numel());
            Parallel.shared().forEach(t.tasks, t);
        }
        if (gradBias != null) {
            sumTasks(t.biasSums, t.tasks, gradBias);
        }
        t.clear();
    }

    /** {@code target = sums[0] + sums[1] + ...}, one block per task, added in task order. */
    private static void sumTasks(float[] sums, int tasks, Tensor target) {
        float[] d = target.data();
        int off = target.offset();
        int n = target.numel();
        if (tasks == 0) {
            Arrays.fill(d, off, off + n, 0f);
        } else {
            System.arraycopy(sums, 0, d, off, n);
            for (int t = 1; t < tasks; t++) {
                F.addScaled(d, off, 1f, sums, t * n, n);
            }
        }
        target.bumpVersion();
    }

    // ------------------------------------------------------------------ the work

    /**
     * A plain sum with four accumulators (independent add chains the CPU overlaps). Not the
     * elementwise kernels' reduce: its lane buffer is a new array per call, and a captured step
     * must allocate nothing; a bias gradient is a small share of a convolution's time anyway.
     */
    static float sum(float[] a, int off, int n) {
        float s0 = 0f;
        float s1 = 0f;
        float s2 = 0f;
        float s3 = 0f;
        int i = 0;
        for (; i + 4 <= n; i += 4) {
            s0 += a[off + i];
            s1 += a[off + i + 1];
            s2 += a[off + i + 2];
            s3 += a[off + i + 3];
        }
        for (; i < n; i++) {
            s0 += a[off + i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** One call's work, split over the images; fields are set per call so that a call allocates nothing. */
    private static final class Task implements IntConsumer {
        static final int FORWARD = 0;
        static final int BACKWARD_INPUT = 1;
        static final int BACKWARD_WEIGHT = 2;
        static final int BACKWARD_BIAS = 3;

        int mode;
        /** {kH, kW, strideH, strideW, padH, padW, dilationH, dilationW, H, W, outH, outW}, as Im2col reads it. */
        final int[] geometry = new int[12];
        Tensor x;
        Tensor w;
        Tensor bias;
        Tensor out;
        Tensor gOut;
        Tensor gradWeight;
        Tensor gradBias;
        float[] weightSums;
        float[] biasSums;
        int n;
        int cIn;
        int cOut;
        int groups;
        int cInG;
        int cOutG;
        int kG;
        int plane;
        int tasks;
        boolean direct;

        /** Geometry from an image-shaped tensor ({@code x}: input or its gradient) and a weight-shaped one. */
        Task set(int mode, Tensor image, Tensor weightShaped, Conv2dSpec s) {
            this.mode = mode;
            int[] xs = image.shapeRef();
            int[] ws = weightShaped.shapeRef();
            x = image;
            w = weightShaped;
            n = xs[0];
            cIn = xs[1];
            cOut = ws[0];
            groups = s.groups();
            cInG = cIn / groups;
            cOutG = cOut / groups;
            int kH = ws[2];
            int kW = ws[3];
            kG = cInG * kH * kW;
            int outH = s.outH(xs[2], kH);
            int outW = s.outW(xs[3], kW);
            plane = outH * outW;
            int[] g = geometry;
            g[0] = kH;
            g[1] = kW;
            g[2] = s.strideH();
            g[3] = s.strideW();
            g[4] = s.padH();
            g[5] = s.padW();
            g[6] = s.dilationH();
            g[7] = s.dilationW();
            g[8] = xs[2];
            g[9] = xs[3];
            g[10] = outH;
            g[11] = outW;
            int[] st = image.stridesRef();
            // A 1x1 kernel at stride 1 without padding multiplies the image itself: no columns needed.
            direct = kH == 1 && kW == 1 && s.strideH() == 1 && s.strideW() == 1 && s.padH() == 0 && s.padW() == 0
                    && (st[3] == 1 || xs[3] == 1) && (st[2] == xs[3] || xs[2] == 1);
            tasks = Math.min(n, MAX_TASKS);
            return this;
        }

        void run() {
            Parallel.shared().forEach(tasks, this);
        }

        void clear() {
            x = null;
            w = null;
            bias = null;
            out = null;
            gOut = null;
            gradWeight = null;
            gradBias = null;
            weightSums = null;
            biasSums = null;
        }

        @Override
        public void accept(int t) {
            int n0 = (int) ((long) t * n / tasks);
            int n1 = (int) ((long) (t + 1) * n / tasks);
            switch (mode) {
                case FORWARD -> forward(n0, n1);
                case BACKWARD_INPUT -> backwardInput(n0, n1);
                case BACKWARD_WEIGHT -> backwardWeight(t, n0, n1);
                default -> backwardBias(t, n0, n1);
            }
        }

        private void forward(int n0, int n1) {
            float[] col = direct ? null : COLUMNS.get().of(kG * plane);
            int[] xs = x.stridesRef();
            float[] xd = x.data();
            float[] wd = w.data();
            float[] od = out.data();
            float[] bd = bias == null ? null : bias.data();
            int bOff = bias == null ? 0 : bias.offset();
            int bStride = bias == null ? 0 : bias.stridesRef()[0];
            for (int i = n0; i < n1; i++) {
                for (int g = 0; g < groups; g++) {
                    int xOff = x.offset() + i * xs[0] + g * cInG * xs[1];
                    int oOff = out.offset() + (i * cOut + g * cOutG) * plane;
                    if (bd != null) {
                        for (int co = 0; co < cOutG; co++) {
                            Arrays.fill(od, oOff + co * plane, oOff + (co + 1) * plane, bd[bOff + (g * cOutG + co) * bStride]);
                        }
                    }
                    if (cOutG == 0) {
                        continue;
                    }
                    if (direct) {
                        M.matmul(cOutG, plane, kG, wd, w.offset() + g * cOutG * kG, kG, 1,
                                xd, xOff, xs[1], 1, od, oOff, plane, bd != null);
                    } else {
                        Im2col.im2col(xd, xOff, xs[1], xs[2], xs[3], cInG, geometry, col, 0);
                        M.matmul(cOutG, plane, kG, wd, w.offset() + g * cOutG * kG, kG, 1,
                                col, 0, plane, 1, od, oOff, plane, bd != null);
                    }
                }
            }
        }

        private void backwardInput(int n0, int n1) {
            float[] col = direct ? null : COLUMNS.get().of(kG * plane);
            float[] gd = gOut.data();
            float[] wd = w.data();
            float[] xd = x.data(); // the input's gradient, contiguous
            int hw = geometry[8] * geometry[9];
            for (int i = n0; i < n1; i++) {
                for (int g = 0; g < groups; g++) {
                    int xOff = x.offset() + (i * cIn + g * cInG) * hw;
                    int gOff = gOut.offset() + (i * cOut + g * cOutG) * plane;
                    int wOff = w.offset() + g * cOutG * kG;
                    if (direct && kG > 0) {
                        // W_g^T: element (p, co) of the transposed weight is W_g[co][p].
                        M.matmul(kG, plane, cOutG, wd, wOff, 1, kG, gd, gOff, plane, 1, xd, xOff, plane, false);
                    } else if (!direct) {
                        Arrays.fill(xd, xOff, xOff + cInG * hw, 0f);
                        if (kG > 0) {
                            M.matmul(kG, plane, cOutG, wd, wOff, 1, kG, gd, gOff, plane, 1, col, 0, plane, false);
                            Im2col.col2im(col, 0, cInG, geometry, xd, xOff);
                        }
                    }
                }
            }
        }

        private void backwardWeight(int t, int n0, int n1) {
            float[] col = direct ? null : COLUMNS.get().of(kG * plane);
            int[] xs = x.stridesRef();
            float[] xd = x.data();
            float[] gd = gOut.data();
            int wNumel = cOut * kG;
            int base = t * wNumel;
            for (int i = n0; i < n1; i++) {
                for (int g = 0; g < groups; g++) {
                    int xOff = x.offset() + i * xs[0] + g * cInG * xs[1];
                    int gOff = gOut.offset() + (i * cOut + g * cOutG) * plane;
                    int sOff = base + g * cOutG * kG;
                    if (cOutG == 0 || kG == 0) {
                        continue;
                    }
                    // col^T: element (p, r) is col[r][p], so its row stride is 1 and its column stride the plane.
                    if (direct) {
                        M.matmul(cOutG, kG, plane, gd, gOff, plane, 1, xd, xOff, 1, xs[1],
                                weightSums, sOff, kG, i != n0);
                    } else {
                        Im2col.im2col(xd, xOff, xs[1], xs[2], xs[3], cInG, geometry, col, 0);
                        M.matmul(cOutG, kG, plane, gd, gOff, plane, 1, col, 0, 1, plane,
                                weightSums, sOff, kG, i != n0);
                    }
                }
            }
            if (biasSums != null) {
                backwardBias(t, n0, n1);
            }
        }

        private void backwardBias(int t, int n0, int n1) {
            float[] gd = gOut.data();
            int base = t * cOut;
            for (int i = n0; i < n1; i++) {
                int gOff = gOut.offset() + i * cOut * plane;
                for (int co = 0; co < cOut; co++) {
                    float v = sum(gd, gOff + co * plane, plane);
                    biasSums[base + co] = i == n0 ? v : biasSums[base + co] + v;
                }
            }
        }
    }
}
