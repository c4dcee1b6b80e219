package dev.vectorgrad.bench;

/**
 * The sizes of one product C[m×n] = A[m×k]·B[k×n], written {@code "MxKxN"} in benchmark
 * parameters (the order in which an MLP layer reads: batch, inputs, outputs).
 *
 * @param m rows of A and C
 * @param k columns of A, rows of B
 * @param n columns of B and C
 */
public record MatmulShape(int m, int k, int n) {

    /** Checks that every size is positive. */
    public MatmulShape {
        if (m < 1 || k < 1 || n < 1) {
            throw new IllegalArgumentException("matmul shape: expected positive M, K, N, got " + m + "x" + k + "x" + n);
        }
    }

    /**
     * Reads {@code "MxKxN"}, e.g. {@code "64x784x50"}.
     *
     * @param text the parameter value
     * @return the shape
     */
    public static MatmulShape parse(String text) {
        String[] parts = text.trim().split("x");
        if (parts.length != 3) {
            throw new IllegalArgumentException("matmul shape: expected MxKxN such as 64x784x50, got '" + text + "'");
        }
        try {
            return new MatmulShape(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("matmul shape: expected MxKxN such as 64x784x50, got '" + text + "'", e);
        }
    }

    /** @return the floating-point operations of one product, 2·M·N·K (a multiply and an add each) */
    public double flops() {
        return 2.0 * m * n * k;
    }

    @Override
    public String toString() {
        return m + "x" + k + "x" + n;
    }
}
