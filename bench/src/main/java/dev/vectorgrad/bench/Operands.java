package dev.vectorgrad.bench;

import java.util.Locale;

import dev.vectorgrad.core.Tensor;

/**
 * How the operands of C = A·B are stored: as they are, or as the transpose of a matrix that is
 * stored row-major, the way a backward pass hands them over ({@code inp.t() @ out.g} has a
 * transposed A, {@code out.g @ w.t()} a transposed B). A contender gets the same A and B either
 * way and must compute the same C; only where their elements lie changes.
 */
public enum Operands {
    /** Both row-major. */
    NN(false, false),
    /** A stored as its transpose, k × m row-major (A = stored.t()). */
    TN(true, false),
    /** B stored as its transpose, n × k row-major (B = stored.t()). */
    NT(false, true);

    private final boolean transA;
    private final boolean transB;

    Operands(boolean transA, boolean transB) {
        this.transA = transA;
        this.transB = transB;
    }

    /** @return whether A is stored transposed */
    public boolean transA() {
        return transA;
    }

    /** @return whether B is stored transposed */
    public boolean transB() {
        return transB;
    }

    /**
     * Reads a benchmark parameter: {@code NN}, {@code TN} or {@code NT}.
     *
     * @param text the parameter value
     * @return the layout
     */
    public static Operands parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("operands: expected NN, TN or NT, got '" + text + "'", e);
        }
    }

    /** @return A (row-major, m × k) as this layout stores it */
    float[] storeA(float[] a, MatmulShape shape) {
        return transA ? transposed(a, shape.m(), shape.k()) : a.clone();
    }

    /** @return B (row-major, k × n) as this layout stores it */
    float[] storeB(float[] b, MatmulShape shape) {
        return transB ? transposed(b, shape.k(), shape.n()) : b.clone();
    }

    /** The transpose of a row-major {@code rows × cols} matrix, row-major. */
    private static float[] transposed(float[] x, int rows, int cols) {
        return Tensor.of(x, rows, cols).t().contiguous().toArray();
    }
}
