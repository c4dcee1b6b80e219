package dev.vectorgrad.autograd;

import dev.vectorgrad.core.Conv2dSpec;
import dev.vectorgrad.core.Convolution;
import dev.vectorgrad.core.Tensor;

/**
 * The replay of {@link ConvolutionOps#conv2d}: the same {@link Convolution} calls as the eager op
 * and its backward rule, into the graph's buffers, with one workspace kept between replays so a
 * replay allocates nothing. A gradient that is added to (a second contribution) is computed into
 * a scratch buffer first and then added, as the eager engine adds a finished gradient.
 */
final class Conv2dReplay implements Replay {
    private final Tensor x;
    private final Tensor w;
    private final Tensor bias;
    private final Conv2dSpec spec;
    private final Tensor out;
    private final Convolution.Workspace ws = new Convolution.Workspace();
    private final Tensor[] scratch = new Tensor[3];

    Conv2dReplay(Tensor x, Tensor w, Tensor bias, Conv2dSpec spec, Tensor out) {
        this.x = x;
        this.w = w;
        this.bias = bias;
        this.spec = spec;
        this.out = out;
    }

    @Override
    public void forward() {
        Convolution.conv2d(x, w, bias, spec, out, ws);
    }

    @Override
    public void backward(Tensor g, Tensor[] gIn, boolean[] acc) {
        Tensor gx = target(gIn, acc, 0);
        if (gx != null) {
            Convolution.conv2dBackwardInput(g, w, spec, gx, ws);
        }
        Tensor gw = target(gIn, acc, 1);
        Tensor gb = gIn.length > 2 ? target(gIn, acc, 2) : null;
        Convolution.conv2dBackwardWeight(g, x, spec, gw, gb, ws);
        for (int k = 0; k < gIn.length; k++) {
            if (gIn[k] == null || scratch[k] == null || gIn[k] == scratch[k]) {
                continue;
            }
            if (acc[k]) {
                gIn[k].addInPlace(scratch[k]);
            } else {
                gIn[k].copyFrom(scratch[k]);
            }
        }
    }

    /** Where input {@code k}'s gradient is computed: its buffer, or a scratch one to add from (or copy to a view). */
    private Tensor target(Tensor[] gIn, boolean[] acc, int k) {
        Tensor t = gIn[k];
        if (t == null) {
            return null;
        }
        if (!acc[k] && t.isContiguous()) {
            return t;
        }
        if (scratch[k] == null) {
            scratch[k] = Tensor.zeros(t.shape());
        }
        return scratch[k];
    }
}
