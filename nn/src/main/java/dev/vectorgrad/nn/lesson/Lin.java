package dev.vectorgrad.nn.lesson;

import dev.vectorgrad.core.Tensor;

/** The lesson's linear layer as a {@link Module} (cell 43): {@code inp@w + b}. */
public final class Lin extends Module {

    private final Tensor w;
    private final Tensor b;

    /**
     * A linear layer over given parameters (not copied: their gradients are set in place).
     *
     * @param w weights {@code [in, out]}
     * @param b bias {@code [out]}
     */
    public Lin(Tensor w, Tensor b) {
        if (w.dim() != 2 || b.dim() != 1 || b.size(0) != w.size(1)) {
            throw new IllegalArgumentException("Lin: weights " + Foundations.shape(w) + ", bias "
                    + Foundations.shape(b) + ": expected [in, out] and [out]");
        }
        this.w = w;
        this.b = b;
    }

    /** @return the weights, whose gradient {@link #backward()} sets */
    public Tensor w() {
        return w;
    }

    /** @return the bias, whose gradient {@link #backward()} sets */
    public Tensor b() {
        return b;
    }

    /**
     * @param args one input {@code [n, in]}
     * @return {@code [n, out]}
     */
    @Override
    public Tensor forward(Tensor... args) {
        requireArgs(args, "inp");
        return Foundations.lin(args[0], w, b);
    }

    @Override
    protected void bwd(Tensor out, Tensor... args) {
        Tensor inp = args[0];
        inp.setGrad(out.grad().matmul(w.t()));
        w.setGrad(inp.t().matmul(out.grad()));
        b.setGrad(out.grad().sum(0));
    }
}
