package dev.vectorgrad.autograd;

import dev.vectorgrad.core.Pool2dSpec;
import dev.vectorgrad.core.Pooling;
import dev.vectorgrad.core.Tensor;

/**
 * 2-d pooling on {@link Var}s, PyTorch's {@code F.max_pool2d}, {@code F.avg_pool2d} and
 * {@code F.adaptive_avg_pool2d} over {@code [N, C, H, W]} (or {@code [C, H, W]}) inputs, with
 * their backward rules ({@link Pooling} has the semantics: {@code -inf} padding and first-max ties
 * for max pooling, {@code count_include_pad} for average pooling, PyTorch's adaptive bins). Each
 * op is recorded with a replay form, so a {@link CapturedGraph} (and {@code nn.TrainStep})
 * replays it allocation-free and bit for bit.
 */
public final class PoolingOps {

    private PoolingOps() {}

    /**
     * {@code F.max_pool2d(x, kernel)}: square window, stride = kernel, no padding.
     *
     * @param x the input
     * @param kernel the window's side
     * @return the maxima
     */
    public static Var maxPool2d(Var x, int kernel) {
        return maxPool2d(x, Pool2dSpec.of(kernel));
    }

    /**
     * {@code F.max_pool2d(x, kernel_size, stride, padding, dilation, ceil_mode)}. The gradient of
     * each output goes to the input cell that held its maximum (the first one on a tie).
     *
     * @param x the input, {@code [N, C, H, W]} or {@code [C, H, W]}
     * @param spec the window
     * @return the maxima
     * @throws IllegalArgumentException on a wrong rank, a padding above half the effective
     *     kernel or a window larger than the padded input
     */
    public static Var maxPool2d(Var x, Pool2dSpec spec) {
        checkInput("maxPool2d", x);
        Tensor in = x.value();
        Pooling.MaxPool2dResult r = Pooling.maxPool2d(in, spec);
        Tensor out = r.output();
        int[] indices = r.indices();
        return Var.record("maxPool2d", out, new Var[] {x}, new Tensor[0], (g, sink) -> {
            Tensor gx = Tensor.zeros(in.shape());
            Pooling.maxPool2dBackward(g, indices, gx);
            sink.add(0, gx, true);
        }, () -> new MaxPool2dReplay(in, spec, out, indices.clone()));
    }

    /**
     * {@code F.avg_pool2d(x, kernel_size, stride, padding, ceil_mode, count_include_pad)}.
     *
     * @param x the input, {@code [N, C, H, W]} or {@code [C, H, W]}
     * @param spec the window (dilation 1)
     * @param countIncludePad divide by the window including its padded cells (PyTorch's default true)
     * @return the averages
     */
    public static Var avgPool2d(Var x, Pool2dSpec spec, boolean countIncludePad) {
        checkInput("avgPool2d", x);
        Tensor in = x.value();
        Tensor out = Pooling.avgPool2d(in, spec, countIncludePad);
        return Var.record("avgPool2d", out, new Var[] {x}, new Tensor[0], (g, sink) -> {
            Tensor gx = Tensor.zeros(in.shape());
            Pooling.avgPool2dBackward(g, spec, countIncludePad, gx);
            sink.add(0, gx, true);
        }, () -> new AvgPool2dReplay(in, spec, countIncludePad, out));
    }

    /**
     * {@code F.adaptive_avg_pool2d(x, (outH, outW))}: bin {@code i} averages rows
     * {@code floor(i*H/outH)} to {@code ceil((i+1)*H/outH)} (exclusive), likewise columns.
     *
     * @param x the input, {@code [N, C, H, W]} or {@code [C, H, W]}
     * @param outH output height, positive
     * @param outW output width, positive
     * @return the averages
     */
    public static Var adaptiveAvgPool2d(Var x, int outH, int outW) {
        checkInput("adaptiveAvgPool2d", x);
        Tensor in = x.value();
        Tensor out = Pooling.adaptiveAvgPool2d(in, outH, outW);
        return Var.record("adaptiveAvgPool2d", out, new Var[] {x}, new Tensor[0], (g, sink) -> {
            Tensor gx = Tensor.zeros(in.shape());
            Pooling.adaptiveAvgPool2dBackward(g, gx);
            sink.add(0, gx, true);
        }, () -> new AdaptiveAvgPool2dReplay(in, out));
    }

    private static void checkInput(String op, Var x) {
        if (x == null) {
            throw new IllegalArgumentException(op + ": the input is null");
        }
    }
}
