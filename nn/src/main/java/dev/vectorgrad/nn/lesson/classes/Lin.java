package dev.vectorgrad.nn.lesson.classes;

import dev.vectorgrad.core.Tensor;
import dev.vectorgrad.nn.lesson.Foundations;

/** The lesson's cell 34: a linear layer that remembers its input and output. */
public final class Lin {

    private final Tensor w;
    private final Tensor b;
    private Tensor inp;
    private Tensor out;

    /**
     * @param w weights {@code [in, out]}, receiving their gradient in {@link #backward()}
     * @param b bias {@code [out]}, likewise
     */
    public Lin(Tensor w, Tensor b) {
        this.w = w;
        this.b = b;
    }

    /**
     * @param inp input {@code [n, in]}
     * @return {@code inp@w + b}, remembered with {@code inp} for {@link #backward()}
     */
    public Tensor call(Tensor inp) {
        this.inp = inp;
        this.out = Foundations.lin(inp, w, b);
        return out;
    }

    /** Sets the gradients of the input, {@code w} and {@code b} from {@code out.grad()}. */
    public void backward() {
        Calls.requireCalled("Lin", out);
        Tensor g = Calls.outGrad("Lin", out);
        inp.setGrad(g.matmul(w.t()));
        w.setGrad(inp.t().matmul(g));
        b.setGrad(g.sum(0));
    }
}
