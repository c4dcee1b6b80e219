package dev.vectorgrad.testkit;

/**
 * How a generated tensor lies in its storage. Kernels that assume row-major, gap-free data from
 * index 0 go wrong on every layout but {@link #CONTIGUOUS}; {@link Tensors#views} makes each one.
 */
public enum Layout {
    /** Row-major, no gaps, starting at storage index 0. */
    CONTIGUOUS,
    /** Row-major and gap-free but starting past the beginning of a bigger storage (a slice of later rows). */
    OFFSET,
    /** Two dims of size at least 2 swapped, as {@code t()} or {@code transpose(i, j)} make. */
    TRANSPOSED,
    /** One dim of size at least 2 read with a step of 2 or 3 from a bigger tensor, as {@code x[:, 1::2]}. */
    STEPPED,
    /** Some dims of size at least 2 with stride 0, as {@code expand} makes: values repeat along them. */
    EXPANDED,
    /**
     * Everything at once, dim by dim: the dims permuted, each read with step 1 or 2 and from
     * offset 0 or 1 of a bigger storage; never the plain contiguous layout. Where the strided
     * loops' dim merging would go wrong.
     */
    MIXED;

    /**
     * Whether a tensor of this shape can have this layout in a way kernels can tell apart from
     * a contiguous one (a transpose of a dim of size 1 changes nothing).
     *
     * @param shape the shape
     * @return true when {@link Tensors#views} can lay a tensor of that shape out so
     */
    public boolean appliesTo(int[] shape) {
        long numel = 1;
        int big = 0;
        for (int s : shape) {
            numel *= s;
            big += s >= 2 ? 1 : 0;
        }
        return switch (this) {
            case CONTIGUOUS, OFFSET -> true;
            case TRANSPOSED -> numel > 0 && big >= 2;
            case STEPPED, EXPANDED -> numel > 0 && big >= 1;
            case MIXED -> shape.length >= 1;
        };
    }
}
