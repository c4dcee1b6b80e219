package dev.vectorgrad.core;

/**
 * How tensors print, as {@code torch.set_printoptions}. The defaults are PyTorch's: precision
 * 4, threshold 1000, edge items 3, line width 80, scientific notation chosen automatically.
 * The lesson uses {@code PrintOptions.set(PrintOptions.defaults().withPrecision(2)
 * .withLinewidth(125).withSciMode(false))}.
 *
 * @param precision digits after the decimal point
 * @param threshold element count above which a tensor is summarised with {@code ...}
 * @param edgeitems items shown at each end of a summarised dim
 * @param linewidth characters per line before wrapping
 * @param sciMode {@code null} to choose automatically, else force scientific notation on or off
 */
public record PrintOptions(int precision, int threshold, int edgeitems, int linewidth, Boolean sciMode) {

    private static volatile PrintOptions current = defaults();

    /** Checks the values. */
    public PrintOptions {
        if (precision < 0 || precision > 30 || threshold < 0 || edgeitems < 0 || linewidth < 1) {
            throw new IllegalArgumentException("PrintOptions: expected precision in [0, 30], threshold >= 0, "
                    + "edgeitems >= 0 and linewidth >= 1, got precision=" + precision + ", threshold=" + threshold
                    + ", edgeitems=" + edgeitems + ", linewidth=" + linewidth);
        }
    }

    /** @return PyTorch's defaults */
    public static PrintOptions defaults() {
        return new PrintOptions(4, 1000, 3, 80, null);
    }

    /** @return the options {@link Tensor#toString()} uses now */
    public static PrintOptions get() {
        return current;
    }

    /**
     * Sets the options {@link Tensor#toString()} uses, for every thread.
     *
     * @param options the new options
     */
    public static void set(PrintOptions options) {
        current = java.util.Objects.requireNonNull(options, "options");
    }

    /**
     * @param p digits after the decimal point
     * @return a copy with that precision
     */
    public PrintOptions withPrecision(int p) {
        return new PrintOptions(p, threshold, edgeitems, linewidth, sciMode);
    }

    /**
     * @param t the summarising threshold
     * @return a copy with that threshold
     */
    public PrintOptions withThreshold(int t) {
        return new PrintOptions(precision, t, edgeitems, linewidth, sciMode);
    }

    /**
     * @param e items at each end of a summarised dim
     * @return a copy with that count
     */
    public PrintOptions withEdgeitems(int e) {
        return new PrintOptions(precision, threshold, e, linewidth, sciMode);
    }

    /**
     * @param w characters per line
     * @return a copy with that width
     */
    public PrintOptions withLinewidth(int w) {
        return new PrintOptions(precision, threshold, edgeitems, w, sciMode);
    }

    /**
     * @param sci true or false to force, null for automatic
     * @return a copy with that choice
     */
    public PrintOptions withSciMode(Boolean sci) {
        return new PrintOptions(precision, threshold, edgeitems, linewidth, sci);
    }
}
