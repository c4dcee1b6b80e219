package dev.vectorgrad.nn.lesson;

import dev.vectorgrad.core.Tensor;
import java.util.List;

/**
 * The lesson's {@code Module} base class (cell 41): calling a module stores its arguments and
 * its output, and {@link #backward()} hands both to the subclass's hand-written {@link #bwd}.
 *
 * <pre>{@code
 * Tensor out = relu.call(x);     // stores x and out
 * out.setGrad(upstream);         // d loss / d out, set by the next layer's backward
 * relu.backward();               // bwd(out, x): sets x.grad()
 * }</pre>
 *
 * <p>Not thread-safe: a module remembers its last call.
 */
public abstract class Module {

    private Tensor[] args;
    private Tensor out;

    /** For subclasses. */
    protected Module() {}

    /**
     * Runs {@link #forward} and remembers the arguments and the output for {@link #backward()}:
     * the lesson's {@code __call__}.
     *
     * @param args the inputs, none null
     * @return the output
     */
    public final Tensor call(Tensor... args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i] == null) {
                throw new NullPointerException(name() + ".call: argument " + i + " is null");
            }
        }
        Tensor result = forward(args.clone());
        if (result == null) {
            throw new IllegalStateException(name() + ".forward returned null");
        }
        this.args = args.clone();
        this.out = result;
        return result;
    }

    /**
     * Computes the output without remembering anything.
     *
     * @param args the inputs
     * @return the output
     */
    public abstract Tensor forward(Tensor... args);

    /**
     * Fills the gradients of the last call's inputs (and of the module's parameters) from its
     * output's gradient: calls {@link #bwd bwd(out, args...)}.
     *
     * @throws IllegalStateException naming the module when it was never called, or when its
     *     output has no gradient yet (the next layer's backward has not run)
     */
    public final void backward() {
        if (out == null) {
            throw new IllegalStateException(name() + ".backward: the module has not been called yet; "
                    + "call(...) it before backward()");
        }
        if (needsOutputGrad() && out.grad() == null) {
            throw new IllegalStateException(name() + ".backward: its output " + Foundations.shape(out)
                    + " has no gradient yet; run backward() of the layer after it first (backward goes"
                    + " from the loss towards the input)");
        }
        bwd(out, args.clone());
    }

    /**
     * The hand-written backward pass: reads {@code out.grad()}, sets the gradients of the
     * arguments (and parameters) with {@link Tensor#setGrad}.
     *
     * @param out the output of the last call
     * @param args the arguments of the last call
     */
    protected abstract void bwd(Tensor out, Tensor... args);

    /**
     * Whether {@link #backward()} needs the output's gradient. A loss is where backward starts
     * ({@code d loss / d loss = 1}), so loss modules return false.
     *
     * @return true unless overridden
     */
    protected boolean needsOutputGrad() {
        return true;
    }

    /** @return the output of the last call, or null before the first call */
    public Tensor out() {
        return out;
    }

    /** @return the arguments of the last call, empty before the first call */
    public List<Tensor> args() {
        return args == null ? List.of() : List.of(args);
    }

    /** @return the name used in error messages: the class's simple name */
    public String name() {
        return getClass().getSimpleName();
    }

    /**
     * Checks the number of arguments, for {@link #forward} implementations.
     *
     * @param args the arguments received
     * @param names the expected arguments' names, e.g. {@code "inp", "targ"}
     * @throws IllegalArgumentException naming the module and what was expected
     */
    protected final void requireArgs(Tensor[] args, String... names) {
        if (args.length != names.length) {
            throw new IllegalArgumentException(name() + ": expected " + names.length + " argument"
                    + (names.length == 1 ? "" : "s") + " " + List.of(names) + ", got " + args.length);
        }
    }
}
