package dev.vectorgrad.core;

/**
 * Dim arguments as {@link Tensor} reads them, for code that builds operations on top of it (the
 * autograd module's {@code Var}, user layers): a dim may count from the end ({@code -1} is the
 * last), and one out of range is refused with the same message a tensor op would give.
 */
public final class Dims {

    private Dims() {}

    /**
     * The dim {@code dim} of a tensor of shape {@code shape}, counted from 0.
     *
     * @param op the operation, named in the message
     * @param dim a dim in {@code [-rank, rank)}
     * @param shape the tensor's shape
     * @return {@code dim}, or {@code dim + rank} when negative
     * @throws IndexOutOfBoundsException naming {@code op}, the dim, the shape and the valid range
     *         (also for a 0-d tensor, which has no dims)
     */
    public static int normalize(String op, int dim, int[] shape) {
        return Shapes.normalizeDim(op, dim, shape);
    }
}
