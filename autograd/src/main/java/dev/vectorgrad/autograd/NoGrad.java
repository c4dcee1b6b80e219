package dev.vectorgrad.autograd;

/**
 * A scope in which ops on {@link Var}s record nothing: their results never require grad and
 * keep no inputs alive, as {@code torch.no_grad()}. Use it for evaluation and for parameter
 * updates:
 *
 * <pre>{@code
 * try (NoGrad _ = NoGrad.enter()) {
 *     Var preds = model.call(xValid);
 * }
 * }</pre>
 *
 * <p>Scopes are per thread and nest: recording resumes when the outermost scope closes.
 * Closing a scope twice has no further effect.
 */
public final class NoGrad implements AutoCloseable {

    private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[1]);

    private boolean open = true;

    private NoGrad() {}

    /**
     * Enters a no-grad scope on the current thread.
     *
     * @return the scope, to close (best in try-with-resources)
     */
    public static NoGrad enter() {
        DEPTH.get()[0]++;
        return new NoGrad();
    }

    /** @return whether ops on the current thread record a graph (false inside a no-grad scope) */
    public static boolean isGradEnabled() {
        return DEPTH.get()[0] == 0;
    }

    /** Leaves the scope. */
    @Override
    public void close() {
        if (open) {
            open = false;
            DEPTH.get()[0]--;
        }
    }
}
