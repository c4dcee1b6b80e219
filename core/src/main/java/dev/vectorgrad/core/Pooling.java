package dev.vectorgrad.core;

import java.util.Arrays;
import java.util.function.IntConsumer;

import dev.vectorgrad.core.internal.Parallel;

/**
 * 2-d pooling over {@code [N, C, H, W]} (or {@code [C, H, W]}) tensors with PyTorch's semantics,
 * forward and backward: {@code max_pool2d} (with the argmax indices its backward needs),
 * {@code avg_pool2d} and {@code adaptive_avg_pool2d}.
 *
 * <ul>
 *   <li>Max pooling pads with {@code -inf} (a padded cell never wins), may dilate its window,
 *       takes the first maximum in row-major window order on a tie and propagates NaN, as
 *       PyTorch's CPU kernel. Its indices are flat positions {@code h*W + w} inside each
 *       {@code (n, c)} plane, as {@code return_indices=True} gives them. A dilated window whose
 *       cells all fall in the padding yields {@code -inf} and index {@code -1}, which the
 *       backward skips.</li>
 *   <li>Average pooling pads with zeros; {@code countIncludePad} (PyTorch's default true)
 *       divides by the window clipped to the padded input, else by the cells inside the input.</li>
 *   <li>Adaptive average pooling takes bin {@code i} of {@code out} over rows
 *       {@code floor(i*H/out) <= h < ceil((i+1)*H/out)}, and likewise for columns.</li>
 * </ul>
 *
 * <p>Inputs may be any view (transposed, sliced, expanded): they are read through their strides.
 * Outputs and input gradients are written into contiguous tensors the caller owns (or new ones),
 * so a captured graph replays these allocation-free. Every call validates its arguments first and
 * throws {@link IllegalArgumentException} naming the operation, the shapes and the rule broken;
 * written tensors have their {@link Tensor#version()} bumped. Scalar loops: a pooling window is a
 * handful of strided reads, which a vector lane layout would not help. The CNNs' 2x2/stride-2
 * max pool over a contiguous input has a branch-free path (random activations made the general
 * loop's compare-and-branch mispredict about once a window), and max pooling's forward on that
 * path and its backward are split over the {@code (n, c)} planes on the shared thread pool;
 * planes are independent, so the bits do not depend on the thread count.
 */
public final class Pooling {

    private Pooling() {}

    /**
     * The output of {@link #maxPool2d(Tensor, Pool2dSpec)}.
     *
     * @param output the maxima, the input's rank, {@code [N, C, OH, OW]}
     * @param indices per output element in row-major order, the flat position {@code h*W + w}
     *                of its maximum inside its {@code (n, c)} plane of the input
     */
    public record MaxPool2dResult(Tensor output, int[] indices) {}

    // ------------------------------------------------------------------ shapes

    /**
     * The output shape of a max pooling of an input of this shape, PyTorch's rule.
     *
     * @param input {@code [N, C, H, W]} or {@code [C, H, W]}
     * @param spec the window
     * @return the output shape, of the input's rank
     * @throws IllegalArgumentException on a wrong rank, a padding above half the effective
     *     kernel, or a window larger than the padded input
     */
    public static int[] maxPool2dShape(int[] input, Pool2dSpec spec) {
        return outputShape("maxPool2d", input, spec, true);
    }

    /**
     * The output shape of an average pooling (dilation must be 1).
     *
     * @param input {@code [N, C, H, W]} or {@code [C, H, W]}
     * @param spec the window, dilation 1
     * @return the output shape, of the input's rank
     * @throws IllegalArgumentException as {@link #maxPool2dShape}, or for a dilation other than 1
     */
    public static int[] avgPool2dShape(int[] input, Pool2dSpec spec) {
        return outputShape("avgPool2d", input, spec, false);
    }

    private static int[] outputShape(String op, int[] in, Pool2dSpec s, boolean max) {
        long hw = outputHW(op, in, s, max);
        int[] out = in.clone();
        out[in.length - 2] = (int) (hw >>> 32);
        out[in.length - 1] = (int) hw;
        Shapes.numel(op, out);
        return out;
    }

    /** The checked output height and width, packed as {@code oh << 32 | ow} so the check allocates nothing. */
    private static long outputHW(String op, int[] in, Pool2dSpec s, boolean max) {
        if (s == null) {
            throw new IllegalArgumentException(op + ": the pooling spec is null");
        }
        checkRank(op, in);
        if (!max && (s.dilationH() != 1 || s.dilationW() != 1)) {
            throw new IllegalArgumentException(op + ": average pooling has no dilation, got (" + s.dilationH()
                    + ", " + s.dilationW() + ")");
        }
        int kh = max ? s.effectiveKernelH() : s.kernelH();
        int kw = max ? s.effectiveKernelW() : s.kernelW();
        if (s.padH() > kh / 2 || s.padW() > kw / 2) {
            throw new IllegalArgumentException(op + ": padding (" + s.padH() + ", " + s.padW()
                    + ") must be at most half of the " + (max ? "effective kernel size " : "kernel size ")
                    + "(" + kh + ", " + kw + ") (" + s.describe() + "), as PyTorch requires");
        }
        int r = in.length;
        int h = in[r - 2];
        int w = in[r - 1];
        int oh = Pool2dSpec.outputSize(h, s.kernelH(), s.padH(), s.strideH(), max ? s.dilationH() : 1, s.ceilMode());
        int ow = Pool2dSpec.outputSize(w, s.kernelW(), s.padW(), s.strideW(), max ? s.dilationW() : 1, s.ceilMode());
        if (oh <= 0 || ow <= 0) {
            throw new IllegalArgumentException(op + ": kernel " + s.kernelH() + "x" + s.kernelW()
                    + (max ? " (dilation " + dil(s) + ")" : "") + " is larger than the padded input "
                    + ((long) h + 2L * s.padH()) + "x" + ((long) w + 2L * s.padW()) + " (input "
                    + Shapes.str(in) + ", padding (" + s.padH() + ", " + s.padW() + ")); the output would be "
                    + oh + "x" + ow);
        }
        return (long) oh << 32 | ow;
    }

    /** Whether {@code t} has the input's leading sizes and then {@code oh, ow}. */
    private static boolean pooledShape(Tensor t, int[] in, long hw) {
        int[] s = t.shapeRef();
        if (s.length != in.length) {
            return false;
        }
        for (int d = 0; d < s.length - 2; d++) {
            if (s[d] != in[d]) {
                return false;
            }
        }
        return s[s.length - 2] == (int) (hw >>> 32) && s[s.length - 1] == (int) hw;
    }

    private static void checkPooled(String op, String name, Tensor t, int[] in, long hw) {
        if (t == null) {
            throw new IllegalArgumentException(op + ": " + name + " is null");
        }
        if (!pooledShape(t, in, hw)) {
            int[] want = in.clone();
            want[in.length - 2] = (int) (hw >>> 32);
            want[in.length - 1] = (int) hw;
            throw new IllegalArgumentException(op + ": " + name + " has shape " + Shapes.str(t.shapeRef())
                    + ", expected " + Shapes.str(want) + " (the pooled shape of input " + Shapes.str(in) + ")");
        }
    }

    private static String dil(Pool2dSpec s) {
        return s.dilationH() == s.dilationW() ? Integer.toString(s.dilationH())
                : s.dilationH() + "x" + s.dilationW();
    }

    private static void checkRank(String op, int[] in) {
        if (in.length != 3 && in.length != 4) {
            throw new IllegalArgumentException(op + ": input " + Shapes.str(in)
                    + " must be 3-d [C, H, W] or 4-d [N, C, H, W]");
        }
    }

    private static void checkInput(String op, Tensor x) {
        if (x == null) {
            throw new IllegalArgumentException(op + ": the input is null");
        }
    }

    private static void checkWritable(String op, String name, Tensor t, Tensor read) {
        if (!t.isContiguous()) {
            throw new IllegalArgumentException(op + ": " + name + " must be contiguous, got a view of shape "
                    + Shapes.str(t.shapeRef()) + " with strides " + Arrays.toString(t.stridesRef()));
        }
        if (t.sharesStorageWith(read)) {
            throw new IllegalArgumentException(op + ": " + name + " of shape " + Shapes.str(t.shapeRef())
                    + " shares storage with the tensor it is computed from; pass a tensor of its own");
        }
    }

    /** Strides of a 3-d or 4-d tensor as four, with a zero batch stride for 3-d. */
    private static int[] strides4(Tensor t) {
        int[] s = t.stridesRef();
        return s.length == 4 ? s : new int[] {0, s[0], s[1], s[2]};
    }

    private static int[] shape4(int[] shape) {
        return shape.length == 4 ? shape : new int[] {1, shape[0], shape[1], shape[2]};
    }

    // ------------------------------------------------------------------ max

    /**
     * {@code torch.nn.functional.max_pool2d(x, ..., return_indices=True)} into new tensors.
     *
     * @param x the input, {@code [N, C, H, W]} or {@code [C, H, W]}, any view
     * @param spec the window
     * @return the maxima and their indices
     */
    public static MaxPool2dResult maxPool2d(Tensor x, Pool2dSpec spec) {
        checkInput("maxPool2d", x);
        int[] shape = maxPool2dShape(x.shapeRef(), spec);
        Tensor out = Tensor.zeros(shape);
        int[] indices = new int[out.numel()];
        maxPool2d(x, spec, out, indices);
        return new MaxPool2dResult(out, indices);
    }

    /**
     * Max pooling into tensors the caller owns.
     *
     * @param x the input, {@code [N, C, H, W]} or {@code [C, H, W]}, any view
     * @param spec the window
     * @param out the maxima, contiguous, of {@link #maxPool2dShape}, sharing no storage with x
     * @param indices receives, per output element, the flat index {@code h*W + w} of its maximum
     *                in its plane; at least {@code out.numel()} long
     * @return {@code out}
     */
    public static Tensor maxPool2d(Tensor x, Pool2dSpec spec, Tensor out, int[] indices) {
        String op = "maxPool2d";
        checkInput(op, x);
        long hw = outputHW(op, x.shapeRef(), spec, true);
        checkPooled(op, "out", out, x.shapeRef(), hw);
        checkWritable(op, "out", out, x);
        if (indices == null || indices.length < out.numel()) {
            throw new IllegalArgumentException(op + ": indices must hold " + out.numel() + " ints (one per output"
                    + " element of " + Shapes.str(out.shapeRef()) + "), got "
                    + (indices == null ? "null" : indices.length));
        }
        int[] in = shape4(x.shapeRef());
        int[] xs = strides4(x);
        int n = in[0];
        int c = in[1];
        int h = in[2];
        int w = in[3];
        int oh = (int) (hw >>> 32);
        int ow = (int) hw;
        float[] xd = x.data();
        float[] od = out.data();
        int o = out.offset();
        if (isPlainTwoByTwo(spec, xs, c, h, w) && oh == h / 2 && ow == w / 2) {
            PlaneTask.get().maxPool2x2(xd, x.offset(), n * c, h, w, od, o, indices);
            out.bumpVersion();
            return out;
        }
        int at = 0;
        int kh = spec.kernelH();
        int kw = spec.kernelW();
        int dh = spec.dilationH();
        int dw = spec.dilationW();
        for (int b = 0; b < n; b++) {
            for (int ch = 0; ch < c; ch++) {
                int base = x.offset() + b * xs[0] + ch * xs[1];
                for (int i = 0; i < oh; i++) {
                    int h0 = i * spec.strideH() - spec.padH();
                    for (int j = 0; j < ow; j++) {
                        int w0 = j * spec.strideW() - spec.padW();
                        float best = Float.NEGATIVE_INFINITY;
                        int bestAt = -1;
                        for (int ki = 0; ki < kh; ki++) {
                            int hi = h0 + ki * dh;
                            if (hi < 0 || hi >= h) {
                                continue;
                            }
                            int row = base + hi * xs[2];
                            for (int kj = 0; kj < kw; kj++) {
                                int wi = w0 + kj * dw;
                                if (wi < 0 || wi >= w) {
                                    continue;
                                }
                                float v = xd[row + wi * xs[3]];
                                // '>' keeps the first of equal maxima; every NaN wins (the last one's index stays), as in PyTorch.
                                if (bestAt < 0 || v > best || Float.isNaN(v)) {
                                    best = v;
                                    bestAt = hi * w + wi;
                                }
                            }
                        }
                        od[o + at] = best;
                        indices[at] = bestAt;
                        at++;
                    }
                }
            }
        }
        out.bumpVersion();
        return out;
    }

    /** The CNNs' 2x2 window with stride 2, no padding or dilation, over a contiguous input: {@link #maxPool2x2}. */
    private static boolean isPlainTwoByTwo(Pool2dSpec s, int[] xs, int c, int h, int w) {
        return s.kernelH() == 2 && s.kernelW() == 2 && s.strideH() == 2 && s.strideW() == 2 && s.padH() == 0
                && s.padW() == 0 && s.dilationH() == 1 && s.dilationW() == 1
                && xs[3] == 1 && xs[2] == w && xs[1] == h * w && xs[0] == c * h * w;
    }

    /**
     * Max pooling of a 2x2 window with stride 2 over contiguous planes: the general loop's result
     * (the first of equal maxima in window order, the last NaN wins). Trick: no data-dependent
     * branch, which on random activations mispredicts about once per window: the maximum is taken
     * with {@code Math.max} (branch-free, NaN-propagating), the index by scanning the window
     * backwards with int selects, and the output is read back at that index (so {@code -0.0} vs
     * {@code 0.0} ties keep the first cell's sign). Only a window holding a NaN takes a branch.
     */
    private static void maxPool2x2(float[] x, int xOff, int p0, int p1, int h, int w, float[] out, int outOff,
                                   int[] indices) {
        int oh = h / 2;
        int ow = w / 2;
        int at = p0 * oh * ow;
        for (int p = p0; p < p1; p++) {
            int plane = xOff + p * h * w;
            for (int i = 0; i < oh; i++) {
                int r0 = plane + 2 * i * w;
                int r1 = r0 + w;
                int rowIndex = 2 * i * w;
                for (int j = 0; j < ow; j++) {
                    int c0 = 2 * j;
                    float a = x[r0 + c0];
                    float b = x[r0 + c0 + 1];
                    float c = x[r1 + c0];
                    float d = x[r1 + c0 + 1];
                    float best = Math.max(Math.max(a, b), Math.max(c, d));
                    int cell;
                    if (best != best) {
                        cell = d != d ? w + 1 : c != c ? w : b != b ? 1 : 0;
                    } else {
                        cell = c == best ? w : w + 1;
                        cell = b == best ? 1 : cell;
                        cell = a == best ? 0 : cell;
                    }
                    int idx = rowIndex + c0 + cell;
                    out[outOff + at] = x[plane + idx];
                    indices[at] = idx;
                    at++;
                }
            }
        }
    }

    /**
     * The gradient of max pooling: each output's gradient goes to the input cell its index names
     * (added, where overlapping windows chose the same cell).
     *
     * @param gradOut the output's gradient, the pooled shape, any view
     * @param indices what {@link #maxPool2d} wrote
     * @param gradIn the input's gradient, contiguous, the input's shape; overwritten
     * @return {@code gradIn}
     */
    public static Tensor maxPool2dBackward(Tensor gradOut, int[] indices, Tensor gradIn) {
        String op = "maxPool2dBackward";
        if (gradOut == null || gradIn == null || indices == null) {
            throw new IllegalArgumentException(op + ": gradOut, indices and gradIn must not be null");
        }
        checkRank(op, gradIn.shapeRef());
        int r = gradIn.dim();
        int[] gi = gradIn.shapeRef();
        int[] go = gradOut.shapeRef();
        if (go.length != r || go[0] != gi[0] || r == 4 && go[1] != gi[1]) {
            throw new IllegalArgumentException(op + ": gradOut " + Shapes.str(go) + " does not match gradIn "
                    + Shapes.str(gi) + ": the rank and the leading (batch, channel) sizes must be equal");
        }
        if (indices.length < gradOut.numel()) {
            throw new IllegalArgumentException(op + ": " + indices.length + " indices for a gradient of shape "
                    + Shapes.str(go) + " (" + gradOut.numel() + " elements)");
        }
        checkWritable(op, "gradIn", gradIn, gradOut);
        int[] o4 = shape4(go);
        int[] i4 = shape4(gi);
        int[] gs = strides4(gradOut);
        PlaneTask.get().maxPoolBackward(gradOut.data(), gradOut.offset(), gs, o4, indices, gradIn.data(),
                gradIn.offset(), i4[2], i4[3]);
        gradIn.bumpVersion();
        return gradIn;
    }

    /**
     * The gradient of planes {@code [p0, p1)} (planes in {@code (n, c)} order): each plane's cells
     * zeroed, then each output's gradient added at its index.
     */
    private static void maxPoolBackwardPlanes(float[] gd, int gOff, int[] gs, int[] o4, int[] indices, float[] dst,
                                              int dOff, int ih, int iw, int p0, int p1) {
        int plane = ih * iw;
        int perPlane = o4[2] * o4[3];
        for (int p = p0; p < p1; p++) {
            int b = p / o4[1];
            int ch = p % o4[1];
            int src = gOff + b * gs[0] + ch * gs[1];
            int dBase = dOff + p * plane;
            Arrays.fill(dst, dBase, dBase + plane, 0f);
            int at = p * perPlane;
            for (int i = 0; i < o4[2]; i++) {
                for (int j = 0; j < o4[3]; j++) {
                    int idx = indices[at++];
                    if (idx == -1) {
                        continue; // a dilated window that met only padding: its -inf depends on no input
                    }
                    if (idx < 0 || idx >= plane) {
                        throw new IllegalArgumentException("maxPool2dBackward: index " + idx + " at output element "
                                + (at - 1) + " is outside the " + ih + "x" + iw + " input plane");
                    }
                    dst[dBase + idx] += gd[src + i * gs[2] + j * gs[3]];
                }
            }
        }
    }

    /**
     * Max pooling and its gradient over whole {@code (n, c)} planes, spread over the shared pool's
     * threads when the planes hold enough cells to pay for the hand-over. Planes are independent,
     * so every split gives the same bits. One instance per calling thread, reused: a call
     * allocates nothing.
     */
    private static final class PlaneTask implements IntConsumer {
        /** Input cells below which one thread does it all: about 30 us of work. */
        static final int PARALLEL_MIN_CELLS = 1 << 15;
        static final int MAX_TASKS = 8;
        private static final ThreadLocal<PlaneTask> TASKS = ThreadLocal.withInitial(PlaneTask::new);

        private boolean backward;
        private float[] x;
        private int xOff;
        private int planes;
        private int h;
        private int w;
        private float[] out;
        private int outOff;
        private int[] indices;
        private int[] gs;
        private int[] o4;
        private int tasks;

        static PlaneTask get() {
            return TASKS.get();
        }

        void maxPool2x2(float[] x, int xOff, int planes, int h, int w, float[] out, int outOff, int[] indices) {
            this.backward = false;
            this.x = x;
            this.xOff = xOff;
            this.out = out;
            this.outOff = outOff;
            this.indices = indices;
            run(planes, h, w);
        }

        void maxPoolBackward(float[] gd, int gOff, int[] gs, int[] o4, int[] indices, float[] dst, int dOff,
                             int ih, int iw) {
            this.backward = true;
            this.x = gd;
            this.xOff = gOff;
            this.gs = gs;
            this.o4 = o4;
            this.out = dst;
            this.outOff = dOff;
            this.indices = indices;
            run(o4[0] * o4[1], ih, iw);
        }

        private void run(int planes, int h, int w) {
            this.planes = planes;
            this.h = h;
            this.w = w;
            Parallel pool = Parallel.shared();
            long cells = (long) planes * h * w;
            tasks = cells < PARALLEL_MIN_CELLS ? 1 : Math.min(planes, Math.min(MAX_TASKS, pool.threads()));
            try {
                pool.forEach(tasks, this); // one task runs on the calling thread
            } finally {
                x = null; // no reference to a caller's arrays outlives the call
                out = null;
                indices = null;
                gs = null;
                o4 = null;
            }
        }

        @Override
        public void accept(int t) {
            int p0 = (int) ((long) t * planes / tasks);
            int p1 = (int) ((long) (t + 1) * planes / tasks);
            if (backward) {
                maxPoolBackwardPlanes(x, xOff, gs, o4, indices, out, outOff, h, w, p0, p1);
            } else {
                Pooling.maxPool2x2(x, xOff, p0, p1, h, w, out, outOff, indices);
            }
        }
    }

    // ------------------------------------------------------------------ average

    /**
     * {@code torch.nn.functional.avg_pool2d(x, ..., count_include_pad)} into a new tensor.
     *
     * @param x the input, {@code [N, C, H, W]} or {@code [C, H, W]}, any view
     * @param spec the window (dilation 1)
     * @param countIncludePad divide by the window including padded cells (PyTorch's default)
     * @return the averages
     */
    public static Tensor avgPool2d(Tensor x, Pool2dSpec spec, boolean countIncludePad) {
        checkInput("avgPool2d", x);
        Tensor out = Tensor.zeros(avgPool2dShape(x.shapeRef(), spec));
        return avgPool2d(x, spec, countIncludePad, out);
    }

    /**
     * Average pooling into a tensor the caller owns.
     *
     * @param x the input, any view
     * @param spec the window (dilation 1)
     * @param countIncludePad divide by the window including padded cells
     * @param out contiguous, of {@link #avgPool2dShape}, sharing no storage with x
     * @return {@code out}
     */
    public static Tensor avgPool2d(Tensor x, Pool2dSpec spec, boolean countIncludePad, Tensor out) {
        String op = "avgPool2d";
        checkInput(op, x);
        long hw = outputHW(op, x.shapeRef(), spec, false);
        checkPooled(op, "out", out, x.shapeRef(), hw);
        checkWritable(op, "out", out, x);
        int[] in = shape4(x.shapeRef());
        int[] xs = strides4(x);
        int h = in[2];
        int w = in[3];
        int oh = (int) (hw >>> 32);
        int ow = (int) hw;
        float[] xd = x.data();
        float[] od = out.data();
        int at = out.offset();
        for (int b = 0; b < in[0]; b++) {
            for (int ch = 0; ch < in[1]; ch++) {
                int base = x.offset() + b * xs[0] + ch * xs[1];
                for (int i = 0; i < oh; i++) {
                    int h0 = i * spec.strideH() - spec.padH();
                    int h1 = Math.min(h0 + spec.kernelH(), h + spec.padH());
                    int ha = Math.max(h0, 0);
                    int hb = Math.min(h1, h);
                    for (int j = 0; j < ow; j++) {
                        int w0 = j * spec.strideW() - spec.padW();
                        int w1 = Math.min(w0 + spec.kernelW(), w + spec.padW());
                        int wa = Math.max(w0, 0);
                        int wb = Math.min(w1, w);
                        int count = countIncludePad ? (h1 - h0) * (w1 - w0) : (hb - ha) * (wb - wa);
                        double sum = 0;
                        for (int hi = ha; hi < hb; hi++) {
                            int row = base + hi * xs[2];
                            for (int wi = wa; wi < wb; wi++) {
                                sum += xd[row + wi * xs[3]];
                            }
                        }
                        // A window entirely in the padding (possible in ceil mode) averages nothing: 0, as PyTorch.
                        od[at++] = count == 0 ? 0f : (float) (sum / count);
                    }
                }
            }
        }
        out.bumpVersion();
        return out;
    }

    /**
     * The gradient of average pooling: each output's gradient, divided by its window's count,
     * spread over the window's cells inside the input.
     *
     * @param gradOut the output's gradient, the pooled shape, any view
     * @param spec the window of the forward
     * @param countIncludePad as in the forward
     * @param gradIn the input's gradient, contiguous, the input's shape; overwritten
     * @return {@code gradIn}
     */
    public static Tensor avgPool2dBackward(Tensor gradOut, Pool2dSpec spec, boolean countIncludePad, Tensor gradIn) {
        String op = "avgPool2dBackward";
        if (gradOut == null || gradIn == null) {
            throw new IllegalArgumentException(op + ": gradOut and gradIn must not be null");
        }
        long hw = outputHW(op, gradIn.shapeRef(), spec, false);
        checkPooled(op, "gradOut", gradOut, gradIn.shapeRef(), hw);
        checkWritable(op, "gradIn", gradIn, gradOut);
        int[] in = shape4(gradIn.shapeRef());
        int[] gs = strides4(gradOut);
        int h = in[2];
        int w = in[3];
        int oh = (int) (hw >>> 32);
        int ow = (int) hw;
        float[] gd = gradOut.data();
        float[] dst = gradIn.data();
        int dOff = gradIn.offset();
        Arrays.fill(dst, dOff, dOff + gradIn.numel(), 0f);
        for (int b = 0; b < in[0]; b++) {
            for (int ch = 0; ch < in[1]; ch++) {
                int src = gradOut.offset() + b * gs[0] + ch * gs[1];
                int base = dOff + (b * in[1] + ch) * h * w;
                for (int i = 0; i < oh; i++) {
                    int h0 = i * spec.strideH() - spec.padH();
                    int h1 = Math.min(h0 + spec.kernelH(), h + spec.padH());
                    int ha = Math.max(h0, 0);
                    int hb = Math.min(h1, h);
                    for (int j = 0; j < ow; j++) {
                        int w0 = j * spec.strideW() - spec.padW();
                        int w1 = Math.min(w0 + spec.kernelW(), w + spec.padW());
                        int wa = Math.max(w0, 0);
                        int wb = Math.min(w1, w);
                        int count = countIncludePad ? (h1 - h0) * (w1 - w0) : (hb - ha) * (wb - wa);
                        if (count == 0) {
                            continue;
                        }
                        float g = gd[src + i * gs[2] + j * gs[3]] / count;
                        for (int hi = ha; hi < hb; hi++) {
                            int row = base + hi * w;
                            for (int wi = wa; wi < wb; wi++) {
                                dst[row + wi] += g;
                            }
                        }
                    }
                }
            }
        }
        gradIn.bumpVersion();
        return gradIn;
    }

    // ------------------------------------------------------------------ adaptive average

    /**
     * The output shape of an adaptive average pooling.
     *
     * @param input {@code [N, C, H, W]} or {@code [C, H, W]}
     * @param outH output height, positive
     * @param outW output width, positive
     * @return the output shape, of the input's rank
     */
    public static int[] adaptiveAvgPool2dShape(int[] input, int outH, int outW) {
        String op = "adaptiveAvgPool2d";
        adaptiveHW(op, input, outH, outW);
        int r = input.length;
        int[] out = input.clone();
        out[r - 2] = outH;
        out[r - 1] = outW;
        Shapes.numel(op, out);
        return out;
    }

    private static long adaptiveHW(String op, int[] input, int outH, int outW) {
        checkRank(op, input);
        if (outH <= 0 || outW <= 0) {
            throw new IllegalArgumentException(op + ": output_size must be positive, got (" + outH + ", " + outW + ")");
        }
        int r = input.length;
        if (input[r - 2] == 0 || input[r - 1] == 0) {
            throw new IllegalArgumentException(op + ": input " + Shapes.str(input)
                    + " has an empty spatial plane; every output bin needs at least one cell");
        }
        return (long) outH << 32 | outW;
    }

    /**
     * {@code torch.nn.functional.adaptive_avg_pool2d(x, (outH, outW))} into a new tensor.
     *
     * @param x the input, any view
     * @param outH output height
     * @param outW output width
     * @return the averages
     */
    public static Tensor adaptiveAvgPool2d(Tensor x, int outH, int outW) {
        checkInput("adaptiveAvgPool2d", x);
        return adaptiveAvgPool2d(x, Tensor.zeros(adaptiveAvgPool2dShape(x.shapeRef(), outH, outW)));
    }

    /**
     * Adaptive average pooling into a tensor the caller owns; its shape gives the output size.
     *
     * @param x the input, any view
     * @param out contiguous, the input's shape but for the last two sizes
     * @return {@code out}
     */
    public static Tensor adaptiveAvgPool2d(Tensor x, Tensor out) {
        String op = "adaptiveAvgPool2d";
        checkInput(op, x);
        if (out == null || out.dim() != x.dim()) {
            throw new IllegalArgumentException(op + ": out must have the input's rank " + x.dim() + ", got "
                    + (out == null ? "null" : Shapes.str(out.shapeRef())));
        }
        long hw = adaptiveHW(op, x.shapeRef(), out.size(-2), out.size(-1));
        checkPooled(op, "out", out, x.shapeRef(), hw);
        checkWritable(op, "out", out, x);
        int[] in = shape4(x.shapeRef());
        int[] xs = strides4(x);
        int h = in[2];
        int w = in[3];
        int oh = (int) (hw >>> 32);
        int ow = (int) hw;
        float[] xd = x.data();
        float[] od = out.data();
        int at = out.offset();
        for (int b = 0; b < in[0]; b++) {
            for (int ch = 0; ch < in[1]; ch++) {
                int base = x.offset() + b * xs[0] + ch * xs[1];
                for (int i = 0; i < oh; i++) {
                    int ha = binStart(i, h, oh);
                    int hb = binEnd(i, h, oh);
                    for (int j = 0; j < ow; j++) {
                        int wa = binStart(j, w, ow);
                        int wb = binEnd(j, w, ow);
                        double sum = 0;
                        for (int hi = ha; hi < hb; hi++) {
                            int row = base + hi * xs[2];
                            for (int wi = wa; wi < wb; wi++) {
                                sum += xd[row + wi * xs[3]];
                            }
                        }
                        od[at++] = (float) (sum / ((hb - ha) * (wb - wa)));
                    }
                }
            }
        }
        out.bumpVersion();
        return out;
    }

    /**
     * The gradient of adaptive average pooling: each bin's gradient divided by the bin's size and
     * added to its cells (bins may overlap when the size does not divide).
     *
     * @param gradOut the output's gradient, any view
     * @param gradIn the input's gradient, contiguous, the input's shape; overwritten
     * @return {@code gradIn}
     */
    public static Tensor adaptiveAvgPool2dBackward(Tensor gradOut, Tensor gradIn) {
        String op = "adaptiveAvgPool2dBackward";
        if (gradOut == null || gradIn == null) {
            throw new IllegalArgumentException(op + ": gradOut and gradIn must not be null");
        }
        if (gradOut.dim() != gradIn.dim()) {
            throw new IllegalArgumentException(op + ": gradOut " + Shapes.str(gradOut.shapeRef())
                    + " and gradIn " + Shapes.str(gradIn.shapeRef()) + " differ in rank");
        }
        long hw = adaptiveHW(op, gradIn.shapeRef(), gradOut.size(-2), gradOut.size(-1));
        checkPooled(op, "gradOut", gradOut, gradIn.shapeRef(), hw);
        checkWritable(op, "gradIn", gradIn, gradOut);
        int[] in = shape4(gradIn.shapeRef());
        int[] gs = strides4(gradOut);
        int h = in[2];
        int w = in[3];
        int oh = (int) (hw >>> 32);
        int ow = (int) hw;
        float[] gd = gradOut.data();
        float[] dst = gradIn.data();
        int dOff = gradIn.offset();
        Arrays.fill(dst, dOff, dOff + gradIn.numel(), 0f);
        for (int b = 0; b < in[0]; b++) {
            for (int ch = 0; ch < in[1]; ch++) {
                int src = gradOut.offset() + b * gs[0] + ch * gs[1];
                int base = dOff + (b * in[1] + ch) * h * w;
                for (int i = 0; i < oh; i++) {
                    int ha = binStart(i, h, oh);
                    int hb = binEnd(i, h, oh);
                    for (int j = 0; j < ow; j++) {
                        int wa = binStart(j, w, ow);
                        int wb = binEnd(j, w, ow);
                        float g = gd[src + i * gs[2] + j * gs[3]] / ((hb - ha) * (wb - wa));
                        for (int hi = ha; hi < hb; hi++) {
                            int row = base + hi * w;
                            for (int wi = wa; wi < wb; wi++) {
                                dst[row + wi] += g;
                            }
                        }
                    }
                }
            }
        }
        gradIn.bumpVersion();
        return gradIn;
    }

    /** PyTorch's {@code start_index}: {@code floor(i * in / out)}. */
    static int binStart(int i, int in, int out) {
        return (int) ((long) i * in / out);
    }

    /** PyTorch's {@code end_index}: {@code ceil((i + 1) * in / out)}. */
    static int binEnd(int i, int in, int out) {
        return (int) (((long) (i + 1) * in + out - 1) / out);
    }
}
