package dev.vectorgrad.core;

import java.util.Arrays;

import dev.vectorgrad.core.internal.BinaryOp;
import dev.vectorgrad.core.internal.Kernels;
import dev.vectorgrad.core.internal.ReduceOp;
import dev.vectorgrad.core.internal.UnaryOp;
import dev.vectorgrad.core.internal.UnaryParamOp;

/**
 * An n-dimensional array of float32 values: a shared storage, an offset, a shape and strides.
 *
 * <p>Views ({@link #t()}, {@link #transpose}, {@link #reshape} of a contiguous tensor,
 * {@link #squeeze}, {@link #unsqueeze}, {@link #slice}, {@link #select}, {@link #expand})
 * share storage with their source and cost no copy. Operations that return a new tensor never
 * modify their inputs; the few that do say so in their name ({@code ...InPlace},
 * {@link #copyFrom}, {@link #set}) and bump the storage's {@link #version()}, which autograd
 * uses to detect edits of tensors it saved.
 *
 * <p>Elementwise operations follow NumPy broadcasting. Every misuse (a shape that does not
 * broadcast, a bad dim, an index out of range) throws {@link IllegalArgumentException} or
 * {@link IndexOutOfBoundsException} naming the operation, the shapes and the rule broken.
 *
 * <p>Each tensor also carries an optional gradient ({@link #grad()}), the lesson's {@code .g}:
 * the hand-written backward passes and the autograd engine both store gradients there.
 *
 * <p>Tensors are not thread-safe; reading one from several threads while nobody writes is fine.
 */
public final class Tensor {

    /** The storage and its edit counter, shared by a tensor and all its views. */
    private static final class Storage {
        final float[] data;
        int version;

        Storage(float[] data) {
            this.data = data;
        }
    }

    private final Storage storage;
    private final int offset;
    private final int[] shape;
    private final int[] strides;
    private final int numel;
    private Tensor grad;

    private Tensor(Storage storage, int offset, int[] shape, int[] strides) {
        this.storage = storage;
        this.offset = offset;
        this.shape = shape;
        this.strides = strides;
        this.numel = Shapes.numel("tensor", shape);
    }

    private static Tensor contiguousOver(float[] data, int[] shape) {
        return new Tensor(new Storage(data), 0, shape, Shapes.contiguousStrides(shape));
    }

    // ------------------------------------------------------------------ creation

    /**
     * A tensor of zeros.
     *
     * @param shape the sizes, none negative; no sizes gives a 0-d scalar
     * @return a new contiguous tensor
     */
    public static Tensor zeros(int... shape) {
        int[] s = shape.clone();
        return contiguousOver(new float[Shapes.numel("zeros", s)], s);
    }

    /**
     * A tensor of ones.
     *
     * @param shape the sizes
     * @return a new contiguous tensor
     */
    public static Tensor ones(int... shape) {
        return full(1f, shape);
    }

    /**
     * A tensor filled with one value.
     *
     * @param value the value of every element
     * @param shape the sizes
     * @return a new contiguous tensor
     */
    public static Tensor full(float value, int... shape) {
        int[] s = shape.clone();
        float[] data = new float[Shapes.numel("full", s)];
        Arrays.fill(data, value);
        return contiguousOver(data, s);
    }

    /**
     * A 0-d tensor holding one value, as {@code torch.tensor(v)}.
     *
     * @param value the value
     * @return a new 0-d tensor
     */
    public static Tensor scalar(float value) {
        return contiguousOver(new float[] {value}, new int[0]);
    }

    /**
     * {@code [0, 1, ..., end-1]}, as {@code torch.arange(end)}.
     *
     * @param end exclusive end, not negative
     * @return a new 1-d tensor
     */
    public static Tensor arange(int end) {
        return arange(0, end, 1);
    }

    /**
     * {@code start, start+step, ...} while below {@code end} (above, for a negative step).
     *
     * @param start first value
     * @param end exclusive end
     * @param step non-zero increment
     * @return a new 1-d tensor
     */
    public static Tensor arange(float start, float end, float step) {
        if (step == 0 || !Float.isFinite(step) || !Float.isFinite(start) || !Float.isFinite(end)) {
            throw new IllegalArgumentException("arange: expected finite start/end and a non-zero step, got start="
                    + start + ", end=" + end + ", step=" + step);
        }
        if (end != start && (end > start) != (step > 0)) {
            throw new IllegalArgumentException("arange: a step of " + step + " never goes from start=" + start
                    + " to end=" + end + "; the step's sign must match end - start");
        }
        double count = Math.ceil(((double) end - start) / step);
        if (count > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("arange: " + count + " elements do not fit in one tensor");
        }
        int n = (int) Math.max(0, count);
        float[] data = new float[n];
        for (int i = 0; i < n; i++) {
            data[i] = (float) (start + (double) i * step);
        }
        return contiguousOver(data, new int[] {n});
    }

    /**
     * A tensor holding a copy of {@code values} in row-major order.
     *
     * @param values the elements; their count must equal the product of the sizes
     * @param shape the sizes; none given means a 1-d tensor of all values
     * @return a new contiguous tensor
     */
    public static Tensor of(float[] values, int... shape) {
        return wrap("of", values.clone(), shape);
    }

    /**
     * A tensor over {@code values} without copying: writes to either are seen by the other.
     * Meant for loaders and buffers that are filled in place.
     *
     * @param values the elements; their count must equal the product of the sizes
     * @param shape the sizes; none given means a 1-d tensor of all values
     * @return a new contiguous tensor sharing {@code values}
     */
    public static Tensor wrap(float[] values, int... shape) {
        return wrap("wrap", values, shape);
    }

    private static Tensor wrap(String op, float[] values, int[] shape) {
        int[] s = shape.length == 0 ? new int[] {values.length} : shape.clone();
        int n = Shapes.numel(op, s);
        if (n != values.length) {
            throw new IllegalArgumentException(op + ": shape " + Shapes.str(s) + " holds " + n
                    + " elements but " + values.length + " values were given");
        }
        return contiguousOver(values, s);
    }

    /**
     * A 2-d tensor copied from rows of equal length.
     *
     * @param rows the rows
     * @return a new contiguous tensor of shape {@code [rows.length, rows[0].length]}
     */
    public static Tensor of(float[][] rows) {
        int cols = rows.length == 0 ? 0 : rows[0].length;
        float[] data = new float[Shapes.numel("of", new int[] {rows.length, cols})];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != cols) {
                throw new IllegalArgumentException("of: row " + i + " has " + rows[i].length
                        + " values, expected " + cols + " like row 0");
            }
            System.arraycopy(rows[i], 0, data, i * cols, cols);
        }
        return contiguousOver(data, new int[] {rows.length, cols});
    }

    /**
     * Standard normal values drawn from {@code rng}, as {@code torch.randn}.
     *
     * @param rng the seeded generator
     * @param shape the sizes
     * @return a new contiguous tensor
     */
    public static Tensor randn(Rng rng, int... shape) {
        int[] s = shape.clone();
        float[] data = new float[Shapes.numel("randn", s)];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) rng.nextGaussian();
        }
        return contiguousOver(data, s);
    }

    /**
     * Uniform values in {@code [0, 1)} drawn from {@code rng}, as {@code torch.rand}.
     *
     * @param rng the seeded generator
     * @param shape the sizes
     * @return a new contiguous tensor
     */
    public static Tensor rand(Rng rng, int... shape) {
        int[] s = shape.clone();
        float[] data = new float[Shapes.numel("rand", s)];
        for (int i = 0; i < data.length; i++) {
            data[i] = rng.nextFloat();
        }
        return contiguousOver(data, s);
    }

    /**
     * Zeros of the same shape.
     *
     * @param like the tensor whose shape to take
     * @return a new contiguous tensor
     */
    public static Tensor zerosLike(Tensor like) {
        return zeros(like.shape);
    }

    /**
     * Ones of the same shape.
     *
     * @param like the tensor whose shape to take
     * @return a new contiguous tensor
     */
    public static Tensor onesLike(Tensor like) {
        return ones(like.shape);
    }

    // ------------------------------------------------------------------ metadata

    /** @return a copy of the sizes */
    public int[] shape() {
        return shape.clone();
    }

    /**
     * The size along one dim.
     *
     * @param dim the dim, negative counting from the end
     * @return its size
     */
    public int size(int dim) {
        return shape[Shapes.normalizeDim("size", dim, shape)];
    }

    /** @return a copy of the strides, in elements */
    public int[] strides() {
        return strides.clone();
    }

    /**
     * Where this tensor's first element lies in its storage, as PyTorch's {@code storage_offset()}:
     * non-zero for a view that starts past the beginning (a slice, a select).
     *
     * @return the offset, in elements
     */
    public int storageOffset() {
        return offset;
    }

    /** @return the number of dims (0 for a scalar) */
    public int dim() {
        return shape.length;
    }

    /** @return the number of elements */
    public int numel() {
        return numel;
    }

    /** @return whether the elements lie in row-major order with no gaps */
    public boolean isContiguous() {
        if (numel == 0) {
            return true; // no element is out of place; PyTorch says the same
        }
        int expected = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            if (shape[d] != 1 && strides[d] != expected) {
                return false;
            }
            expected *= shape[d];
        }
        return true;
    }

    /**
     * Whether the two tensors read or write the same storage, as a view and its source do.
     *
     * @param other another tensor
     * @return true when the storage is shared
     */
    public boolean sharesStorageWith(Tensor other) {
        return storage == other.storage;
    }

    /**
     * How many times the storage under this tensor has been modified in place. Shared by all
     * views of the same storage.
     *
     * @return the edit count
     */
    public int version() {
        return storage.version;
    }

    /** @return the gradient stored beside this tensor (the lesson's {@code .g}), or null */
    public Tensor grad() {
        return grad;
    }

    /**
     * Stores a gradient beside this tensor.
     *
     * @param g the gradient, of this tensor's shape, or null to clear it
     */
    public void setGrad(Tensor g) {
        if (g != null && !Arrays.equals(g.shape, shape)) {
            throw new IllegalArgumentException("setGrad: gradient of shape " + Shapes.str(g.shape)
                    + " for a tensor of shape " + Shapes.str(shape) + ": shapes must be equal");
        }
        this.grad = g;
    }

    // Package-private access for the loops and the formatter; never handed out.
    float[] data() {
        return storage.data;
    }

    int offset() {
        return offset;
    }

    int[] shapeRef() {
        return shape;
    }

    int[] stridesRef() {
        return strides;
    }

    /** Records an in-place write made by a kernel outside this class (the fused ops and optimiser updates). */
    void bumpVersion() {
        storage.version++;
    }

    // ------------------------------------------------------------------ element access

    private int flatIndex(String op, int[] index) {
        if (index.length != shape.length) {
            throw new IllegalArgumentException(op + ": " + index.length + " indices for a "
                    + shape.length + "-d tensor of shape " + Shapes.str(shape));
        }
        int at = offset;
        for (int d = 0; d < index.length; d++) {
            int i = index[d];
            if (i < -shape[d] || i >= shape[d]) {
                throw new IndexOutOfBoundsException(op + ": index " + i + " is out of range for dim " + d
                        + " of size " + shape[d] + " in shape " + Shapes.str(shape));
            }
            at += (i < 0 ? i + shape[d] : i) * strides[d];
        }
        return at;
    }

    /**
     * One element; negative indices count from the end.
     *
     * @param index one index per dim
     * @return the value
     */
    public float get(int... index) {
        return storage.data[flatIndex("get", index)];
    }

    /**
     * Writes one element in place.
     *
     * @param value the new value
     * @param index one index per dim
     * @throws IllegalArgumentException on an expanded view, where one stored element stands for
     *         several (writing it would change them all), as for every in-place operation
     */
    public void set(float value, int... index) {
        int flat = flatIndex("set", index);
        checkWritable("set", null);
        storage.data[flat] = value;
        storage.version++;
    }

    /**
     * The value of a one-element tensor, as {@code tensor.item()}.
     *
     * @return the only element
     */
    public float item() {
        if (numel != 1) {
            throw new IllegalArgumentException("item: expected a tensor with one element, got shape "
                    + Shapes.str(shape) + " with " + numel + " elements");
        }
        return storage.data[offset];
    }

    /** @return the elements in row-major order, as a new array */
    public float[] toArray() {
        return contiguousCopy().storage.data;
    }

    // ------------------------------------------------------------------ views

    private Tensor view(int newOffset, int[] newShape, int[] newStrides) {
        return new Tensor(storage, newOffset, newShape, newStrides);
    }

    /**
     * The transpose of a 2-d tensor, as a view.
     *
     * @return a view with the two dims swapped
     */
    public Tensor t() {
        if (shape.length != 2) {
            throw new IllegalArgumentException("t: expected a 2-d tensor, got shape " + Shapes.str(shape)
                    + "; use transpose(dim0, dim1) for other ranks");
        }
        return transpose(0, 1);
    }

    /**
     * Swaps two dims, as a view.
     *
     * @param dim0 first dim, negative counting from the end
     * @param dim1 second dim
     * @return the view
     */
    public Tensor transpose(int dim0, int dim1) {
        int a = Shapes.normalizeDim("transpose", dim0, shape);
        int b = Shapes.normalizeDim("transpose", dim1, shape);
        int[] s = shape.clone();
        int[] st = strides.clone();
        s[a] = shape[b];
        s[b] = shape[a];
        st[a] = strides[b];
        st[b] = strides[a];
        return view(offset, s, st);
    }

    /**
     * Reorders the dims, as a view: dim {@code i} of the result is dim {@code order[i]} of this.
     *
     * @param order a permutation of {@code 0..dim()-1} (negative dims allowed)
     * @return the view
     */
    public Tensor permute(int... order) {
        if (order.length != shape.length) {
            throw new IllegalArgumentException("permute: " + Arrays.toString(order) + " has " + order.length
                    + " dims for a tensor of shape " + Shapes.str(shape));
        }
        int[] s = new int[order.length];
        int[] st = new int[order.length];
        boolean[] seen = new boolean[order.length];
        for (int i = 0; i < order.length; i++) {
            int d = Shapes.normalizeDim("permute", order[i], shape);
            if (seen[d]) {
                throw new IllegalArgumentException("permute: " + Arrays.toString(order)
                        + " is not a permutation: dim " + d + " appears twice");
            }
            seen[d] = true;
            s[i] = shape[d];
            st[i] = strides[d];
        }
        return view(offset, s, st);
    }

    /**
     * The same elements in another shape, as {@code torch.reshape}: a view when the layout
     * allows it, else a contiguous copy. One size may be -1, inferred from the others.
     *
     * @param newShape the sizes
     * @return the reshaped tensor
     */
    public Tensor reshape(int... newShape) {
        int[] s = inferShape("reshape", newShape);
        int[] st = viewStrides(s);
        if (st != null) {
            return view(offset, s, st);
        }
        Tensor c = contiguousCopy();
        return c.view(0, s, Shapes.contiguousStrides(s));
    }

    /**
     * Like {@link #reshape} but never copies: fails when the layout cannot be viewed that way.
     *
     * @param newShape the sizes, one of them may be -1
     * @return the view
     */
    public Tensor view(int... newShape) {
        int[] s = inferShape("view", newShape);
        int[] st = viewStrides(s);
        if (st == null) {
            throw new IllegalArgumentException("view: a tensor of shape " + Shapes.str(shape) + " with strides "
                    + Shapes.str(strides) + " cannot be viewed as " + Shapes.str(s)
                    + " without a copy; use reshape() or contiguous() first");
        }
        return view(offset, s, st);
    }

    /** @return this tensor as 1-d, a view when possible */
    public Tensor flatten() {
        return reshape(numel);
    }

    private int[] inferShape(String op, int[] newShape) {
        int[] s = newShape.clone();
        int infer = -1;
        long known = 1;
        for (int d = 0; d < s.length; d++) {
            if (s[d] == -1) {
                if (infer >= 0) {
                    throw new IllegalArgumentException(op + ": " + Shapes.str(newShape)
                            + " has more than one -1; only one size can be inferred");
                }
                infer = d;
            } else if (s[d] < 0) {
                throw new IllegalArgumentException(op + ": " + Shapes.str(newShape) + " has a negative size " + s[d]);
            } else {
                known *= s[d];
            }
        }
        if (infer >= 0) {
            if (known == 0 || numel % known != 0) {
                throw new IllegalArgumentException(op + ": cannot infer the -1 in " + Shapes.str(newShape)
                        + " for " + numel + " elements of shape " + Shapes.str(shape));
            }
            s[infer] = (int) (numel / known);
            known *= s[infer];
        }
        if (known != numel) {
            throw new IllegalArgumentException(op + ": shape " + Shapes.str(shape) + " has " + numel
                    + " elements, but " + Shapes.str(newShape) + " holds " + known);
        }
        return s;
    }

    /**
     * Strides that show this tensor's elements in shape {@code s} without a copy, or null.
     * PyTorch's rule: split the old dims into chunks that are contiguous among themselves;
     * every new dim must fall inside one chunk.
     */
    private int[] viewStrides(int[] s) {
        if (isContiguous() || numel == 0) {
            return Shapes.contiguousStrides(s);
        }
        int[] out = new int[s.length];
        int viewD = s.length - 1;
        long chunkBase = strides[shape.length - 1];
        long tensorNumel = 1;
        long viewNumel = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            tensorNumel *= shape[d];
            boolean chunkEnds = d == 0 || shape[d - 1] != 1 && strides[d - 1] != tensorNumel * chunkBase;
            if (chunkEnds) {
                while (viewD >= 0 && (viewNumel < tensorNumel || s[viewD] == 1)) {
                    out[viewD] = (int) (viewNumel * chunkBase);
                    viewNumel *= s[viewD];
                    viewD--;
                }
                if (viewNumel != tensorNumel) {
                    return null;
                }
                if (d > 0) {
                    chunkBase = strides[d - 1];
                    tensorNumel = 1;
                    viewNumel = 1;
                }
            }
        }
        return viewD == -1 ? out : null;
    }

    /**
     * Removes every size-1 dim, as a view.
     *
     * @return the view
     */
    public Tensor squeeze() {
        int count = 0;
        for (int sz : shape) {
            if (sz != 1) {
                count++;
            }
        }
        int[] s = new int[count];
        int[] st = new int[count];
        int j = 0;
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] != 1) {
                s[j] = shape[d];
                st[j++] = strides[d];
            }
        }
        return view(offset, s, st);
    }

    /**
     * Removes one dim if its size is 1 (else returns an equal view, as PyTorch does).
     *
     * @param dim the dim, negative counting from the end
     * @return the view
     */
    public Tensor squeeze(int dim) {
        if (shape.length == 0) {
            return this;
        }
        int d = Shapes.normalizeDim("squeeze", dim, shape);
        if (shape[d] != 1) {
            return view(offset, shape, strides);
        }
        return view(offset, remove(shape, d), remove(strides, d));
    }

    /**
     * Inserts a size-1 dim, as a view: {@code x.unsqueeze(1)} is the lesson's {@code x[:, None]}.
     *
     * @param dim where the new dim goes, in {@code [-dim()-1, dim()]}
     * @return the view
     */
    public Tensor unsqueeze(int dim) {
        int d = Shapes.normalizeDim("unsqueeze", dim, shape, shape.length + 1);
        int[] s = new int[shape.length + 1];
        int[] st = new int[shape.length + 1];
        for (int i = 0, j = 0; i < s.length; i++) {
            if (i == d) {
                s[i] = 1;
                st[i] = d < shape.length ? strides[d] * shape[d] : 1;
            } else {
                s[i] = shape[j];
                st[i] = strides[j++];
            }
        }
        return view(offset, s, st);
    }

    /**
     * The elements {@code start <= i < end} along one dim, as a view ({@code x[start:end]}).
     * Negative bounds count from the end, as in Python.
     *
     * @param dim the dim
     * @param start first index
     * @param end exclusive end
     * @return the view
     */
    public Tensor slice(int dim, int start, int end) {
        return slice(dim, start, end, 1);
    }

    /**
     * Every {@code step}-th element from {@code start} up to {@code end}, as a view
     * ({@code x[start:end:step]}).
     *
     * @param dim the dim
     * @param start first index, negative counting from the end
     * @param end exclusive end, negative counting from the end
     * @param step positive stride
     * @return the view
     */
    public Tensor slice(int dim, int start, int end, int step) {
        int d = Shapes.normalizeDim("slice", dim, shape);
        int n = shape[d];
        if (step <= 0) {
            throw new IllegalArgumentException("slice: step must be positive, got " + step);
        }
        int s0 = start < 0 ? start + n : start;
        int e0 = end < 0 ? end + n : end;
        if (s0 < 0 || s0 > n || e0 < s0 || e0 > n) {
            throw new IndexOutOfBoundsException("slice: [" + start + ", " + end + ") is out of range for dim " + d
                    + " of size " + n + " in shape " + Shapes.str(shape));
        }
        int[] s = shape.clone();
        int[] st = strides.clone();
        s[d] = (e0 - s0 + step - 1) / step;
        st[d] = strides[d] * step;
        return view(offset + s0 * strides[d], s, st);
    }

    /**
     * One index along one dim, removing that dim, as a view ({@code x[i]} for dim 0).
     *
     * @param dim the dim
     * @param index the index, negative counting from the end
     * @return the view
     */
    public Tensor select(int dim, int index) {
        int d = Shapes.normalizeDim("select", dim, shape);
        int n = shape[d];
        if (index < -n || index >= n) {
            throw new IndexOutOfBoundsException("select: index " + index + " is out of range for dim " + d
                    + " of size " + n + " in shape " + Shapes.str(shape));
        }
        int i = index < 0 ? index + n : index;
        return view(offset + i * strides[d], remove(shape, d), remove(strides, d));
    }

    /**
     * This tensor broadcast to a larger shape, as a view with stride 0 along repeated dims.
     * Never write to an expanded view: its elements alias each other.
     *
     * @param newShape the target shape; -1 keeps a size
     * @return the view
     */
    public Tensor expand(int... newShape) {
        if (newShape.length < shape.length) {
            throw new IllegalArgumentException("expand: cannot expand shape " + Shapes.str(shape)
                    + " to fewer dims " + Shapes.str(newShape));
        }
        int shift = newShape.length - shape.length;
        int[] s = newShape.clone();
        int[] st = new int[s.length];
        for (int d = 0; d < s.length; d++) {
            int own = d >= shift ? shape[d - shift] : 1;
            if (s[d] == -1) {
                if (d < shift) {
                    throw new IllegalArgumentException("expand: -1 is not allowed for the new leading dim " + d);
                }
                s[d] = own;
            }
            if (s[d] < 0) {
                throw new IllegalArgumentException("expand: shape " + Shapes.str(shape) + " cannot expand to "
                        + Shapes.str(newShape) + ": size " + s[d] + " at dim " + d + " is negative");
            }
            if (own != s[d] && own != 1) {
                throw new IllegalArgumentException("expand: shape " + Shapes.str(shape) + " cannot expand to "
                        + Shapes.str(newShape) + ": size " + own + " at dim " + d + " must be 1 or " + s[d]);
            }
            st[d] = d < shift || own != s[d] ? 0 : strides[d - shift];
        }
        return view(offset, s, st);
    }

    /** @return this tensor if contiguous, else a contiguous copy */
    public Tensor contiguous() {
        return isContiguous() && offset + numel <= storage.data.length ? this : contiguousCopy();
    }

    /** @return a contiguous copy that shares nothing with this tensor */
    public Tensor copy() {
        return contiguousCopy();
    }

    private Tensor contiguousCopy() {
        Tensor out = zeros(shape);
        if (numel == 0) {
            return out; // an empty view's offset may lie past the end of its storage
        }
        if (isContiguous()) {
            System.arraycopy(storage.data, offset, out.storage.data, 0, numel);
        } else {
            StridedLoop.copy(this, out);
        }
        return out;
    }

    private static int[] remove(int[] a, int d) {
        int[] out = new int[a.length - 1];
        System.arraycopy(a, 0, out, 0, d);
        System.arraycopy(a, d + 1, out, d, a.length - d - 1);
        return out;
    }

    // ------------------------------------------------------------------ elementwise

    private Tensor binary(String op, BinaryOp kind, Tensor other) {
        int[] outShape = Shapes.broadcast(op, shape, other.shape);
        Tensor out = zeros(outShape);
        StridedLoop.binary(kind, this, other, out);
        return out;
    }

    private Tensor binary(BinaryOp kind, float s) {
        Tensor out = zeros(shape);
        StridedLoop.binaryScalarRight(kind, this, s, out);
        return out;
    }

    private Tensor unary(UnaryOp kind) {
        Tensor out = zeros(shape);
        StridedLoop.unary(kind, this, out);
        return out;
    }

    /**
     * Elementwise sum with broadcasting.
     *
     * @param other the other operand
     * @return a new tensor
     */
    public Tensor add(Tensor other) {
        return binary("add", BinaryOp.ADD, other);
    }

    /**
     * Adds a scalar to every element.
     *
     * @param s the scalar
     * @return a new tensor
     */
    public Tensor add(float s) {
        return binary(BinaryOp.ADD, s);
    }

    /**
     * Elementwise difference with broadcasting.
     *
     * @param other the subtrahend
     * @return a new tensor
     */
    public Tensor sub(Tensor other) {
        return binary("sub", BinaryOp.SUB, other);
    }

    /**
     * Subtracts a scalar from every element.
     *
     * @param s the scalar
     * @return a new tensor
     */
    public Tensor sub(float s) {
        return binary(BinaryOp.SUB, s);
    }

    /**
     * {@code s - this}, elementwise.
     *
     * @param s the scalar
     * @return a new tensor
     */
    public Tensor rsub(float s) {
        Tensor out = zeros(shape);
        StridedLoop.binaryScalarLeft(BinaryOp.SUB, s, this, out);
        return out;
    }

    /**
     * Elementwise product with broadcasting.
     *
     * @param other the other factor
     * @return a new tensor
     */
    public Tensor mul(Tensor other) {
        return binary("mul", BinaryOp.MUL, other);
    }

    /**
     * Multiplies every element by a scalar.
     *
     * @param s the scalar
     * @return a new tensor
     */
    public Tensor mul(float s) {
        return binary(BinaryOp.MUL, s);
    }

    /**
     * Elementwise quotient with broadcasting (IEEE: x/0 is ±inf or NaN, as in PyTorch).
     *
     * @param other the divisor
     * @return a new tensor
     */
    public Tensor div(Tensor other) {
        return binary("div", BinaryOp.DIV, other);
    }

    /**
     * Divides every element by a scalar.
     *
     * @param s the divisor
     * @return a new tensor
     */
    public Tensor div(float s) {
        return binary(BinaryOp.DIV, s);
    }

    /**
     * {@code s / this}, elementwise.
     *
     * @param s the dividend
     * @return a new tensor
     */
    public Tensor rdiv(float s) {
        Tensor out = zeros(shape);
        StridedLoop.binaryScalarLeft(BinaryOp.DIV, s, this, out);
        return out;
    }

    /**
     * Each element raised to a power.
     *
     * @param exponent the exponent (2 is computed exactly as {@code x*x})
     * @return a new tensor
     */
    public Tensor pow(float exponent) {
        return binary(BinaryOp.POW, exponent);
    }

    /**
     * {@code this = this ^ exponent}, as PyTorch's {@code pow_()}: the same kernel as {@link #pow(float)}.
     *
     * @param exponent the exponent
     * @return this tensor
     */
    public Tensor powInPlace(float exponent) {
        return scalarInPlace("powInPlace", BinaryOp.POW, exponent);
    }

    /** @return {@code -this} as a new tensor */
    public Tensor neg() {
        return unary(UnaryOp.NEG);
    }

    /** @return {@code |this|} as a new tensor */
    public Tensor abs() {
        return unary(UnaryOp.ABS);
    }

    /** @return {@code e^this} as a new tensor */
    public Tensor exp() {
        return unary(UnaryOp.EXP);
    }

    /**
     * {@code this = e^this}, as PyTorch's {@code exp_()}: the same kernel as {@link #exp()}, so a
     * captured graph's replay of {@code exp} gives the eager bits.
     *
     * @return this tensor
     */
    public Tensor expInPlace() {
        checkWritable("expInPlace", null);
        StridedLoop.unary(UnaryOp.EXP, this, this);
        storage.version++;
        return this;
    }

    /** @return the natural logarithm as a new tensor (NaN below 0, -inf at 0) */
    public Tensor log() {
        return unary(UnaryOp.LOG);
    }

    /**
     * {@code this = log(this)}, as PyTorch's {@code log_()}: the same kernel as {@link #log()}.
     *
     * @return this tensor
     */
    public Tensor logInPlace() {
        return activationInPlace("logInPlace", UnaryOp.LOG);
    }

    /** @return the square root as a new tensor (NaN below 0) */
    public Tensor sqrt() {
        return unary(UnaryOp.SQRT);
    }

    /** @return {@code max(this, 0)} as a new tensor, the lesson's {@code clamp_min(0.)} */
    public Tensor relu() {
        return unary(UnaryOp.RELU);
    }

    // ------------------------------------------------------------------ activations
    //
    // The smooth activations compute on a contiguous copy of a strided input, so that every
    // element goes through the same kernel, and lane position, as the in-place forms a captured
    // graph replays with (out.copyFrom(x).tanhInPlace()): eager and replayed values are then
    // equal bit for bit, even though the SIMD and scalar transcendentals differ by a few ulps.

    private Tensor activation(UnaryOp kind) {
        if (isContiguous()) {
            return unary(kind);
        }
        Tensor out = contiguousCopy();
        StridedLoop.unary(kind, out, out);
        return out;
    }

    private Tensor activation(UnaryParamOp kind, float a, float b) {
        Tensor out = isContiguous() ? zeros(shape) : contiguousCopy();
        StridedLoop.unaryParam(kind, a, b, isContiguous() ? this : out, out);
        return out;
    }

    private Tensor activationInPlace(String op, UnaryOp kind) {
        checkWritable(op, null);
        StridedLoop.unary(kind, this, this);
        storage.version++;
        return this;
    }

    private Tensor activationInPlace(String op, UnaryParamOp kind, float a, float b) {
        checkWritable(op, null);
        StridedLoop.unaryParam(kind, a, b, this, this);
        storage.version++;
        return this;
    }

    /** @return the hyperbolic tangent as a new tensor */
    public Tensor tanh() {
        return activation(UnaryOp.TANH);
    }

    /**
     * {@code this = tanh(this)}, as PyTorch's {@code tanh_()}: the same kernel as {@link #tanh()}.
     *
     * @return this tensor
     */
    public Tensor tanhInPlace() {
        return activationInPlace("tanhInPlace", UnaryOp.TANH);
    }

    /** @return the logistic function {@code 1 / (1 + e^-this)} as a new tensor: exactly 0 or 1 far out, never NaN for a number */
    public Tensor sigmoid() {
        return activation(UnaryOp.SIGMOID);
    }

    /**
     * {@code this = sigmoid(this)}, as PyTorch's {@code sigmoid_()}.
     *
     * @return this tensor
     */
    public Tensor sigmoidInPlace() {
        return activationInPlace("sigmoidInPlace", UnaryOp.SIGMOID);
    }

    /**
     * The Gaussian error linear unit {@code x * Phi(x)}, Phi the standard normal CDF, as
     * PyTorch's {@code F.gelu(x)} (its default {@code approximate='none'}). Phi comes from an
     * {@code erfc} fit with relative error below 1.2e-7 (Java has no {@code erf}), so results are
     * within a few float ulps of the exact value.
     *
     * @return a new tensor
     */
    public Tensor gelu() {
        return activation(UnaryOp.GELU);
    }

    /**
     * GELU with PyTorch's {@code approximate} argument: {@code "none"} is {@link #gelu()},
     * {@code "tanh"} is {@code 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))}, evaluated as the
     * equal {@code x / (1 + exp(-2 sqrt(2/pi) (x + 0.044715 x^3)))}.
     *
     * @param approximate "none" or "tanh"
     * @return a new tensor
     * @throws IllegalArgumentException for any other value
     */
    public Tensor gelu(String approximate) {
        return activation(geluKind("gelu", approximate));
    }

    /**
     * {@code this = gelu(this, approximate)}.
     *
     * @param approximate "none" or "tanh"
     * @return this tensor
     */
    public Tensor geluInPlace(String approximate) {
        return activationInPlace("geluInPlace", geluKind("geluInPlace", approximate));
    }

    /** The kernel of GELU's {@code approximate} argument, refusing anything but "none" and "tanh". */
    static UnaryOp geluKind(String op, String approximate) {
        if ("none".equals(approximate)) {
            return UnaryOp.GELU;
        }
        if ("tanh".equals(approximate)) {
            return UnaryOp.GELU_TANH;
        }
        throw new IllegalArgumentException(op + ": approximate must be 'none' or 'tanh', got "
                + (approximate == null ? "null" : "'" + Printable.escape(approximate) + "'"));
    }

    /**
     * {@code x > 0 ? x : negativeSlope * x}, as PyTorch's {@code F.leaky_relu(x, negative_slope)}.
     *
     * @param negativeSlope the slope below 0 (PyTorch's default is 0.01)
     * @return a new tensor
     */
    public Tensor leakyRelu(float negativeSlope) {
        return activation(UnaryParamOp.LEAKY_RELU, negativeSlope, 0f);
    }

    /**
     * {@code this = leakyRelu(this, negativeSlope)}.
     *
     * @param negativeSlope the slope below 0
     * @return this tensor
     */
    public Tensor leakyReluInPlace(float negativeSlope) {
        return activationInPlace("leakyReluInPlace", UnaryParamOp.LEAKY_RELU, negativeSlope, 0f);
    }

    /** @return {@link #softplus(float, float)} with PyTorch's defaults, beta 1 and threshold 20 */
    public Tensor softplus() {
        return softplus(1f, 20f);
    }

    /**
     * {@code log(1 + exp(beta x)) / beta}, and x itself where {@code beta x > threshold}, as
     * PyTorch's {@code F.softplus(x, beta, threshold)}; no overflow for large x.
     *
     * @param beta the sharpness, not 0
     * @param threshold where the result switches to x
     * @return a new tensor
     * @throws IllegalArgumentException if beta is 0 or not finite, or threshold is NaN
     */
    public Tensor softplus(float beta, float threshold) {
        checkSoftplus("softplus", beta, threshold);
        return activation(UnaryParamOp.SOFTPLUS, beta, threshold);
    }

    /**
     * {@code this = softplus(this, beta, threshold)}.
     *
     * @param beta the sharpness, not 0
     * @param threshold where the result switches to x
     * @return this tensor
     */
    public Tensor softplusInPlace(float beta, float threshold) {
        checkSoftplus("softplusInPlace", beta, threshold);
        return activationInPlace("softplusInPlace", UnaryParamOp.SOFTPLUS, beta, threshold);
    }

    static void checkSoftplus(String op, float beta, float threshold) {
        if (beta == 0f || !Float.isFinite(beta) || Float.isNaN(threshold)) {
            throw new IllegalArgumentException(op + ": beta must be finite and not 0 and threshold a number, got beta "
                    + beta + ", threshold " + threshold);
        }
    }

    /** @return {@code log(1 + this)} as a new tensor, accurate for small values (NaN below -1, -inf at -1) */
    public Tensor log1p() {
        return activation(UnaryOp.LOG1P);
    }

    /**
     * {@code this = log1p(this)}.
     *
     * @return this tensor
     */
    public Tensor log1pInPlace() {
        return activationInPlace("log1pInPlace", UnaryOp.LOG1P);
    }

    /** @return {@code e^this - 1} as a new tensor, accurate for small values */
    public Tensor expm1() {
        return activation(UnaryOp.EXPM1);
    }

    /**
     * {@code this = expm1(this)}.
     *
     * @return this tensor
     */
    public Tensor expm1InPlace() {
        return activationInPlace("expm1InPlace", UnaryOp.EXPM1);
    }

    /**
     * {@code max(this, min)}, elementwise, as {@code clamp_min}.
     *
     * @param min the lower bound
     * @return a new tensor
     */
    public Tensor clampMin(float min) {
        return min == 0f ? relu() : binary(BinaryOp.MAX, min);
    }

    /**
     * {@code this = max(this, min)}, as PyTorch's {@code clamp_min_()}: the same float as
     * {@link #clampMin(float)} ({@code Math.max}'s rules for NaN and signed zeros).
     *
     * @param min the lower bound
     * @return this tensor
     */
    public Tensor clampMinInPlace(float min) {
        return scalarInPlace("clampMinInPlace", BinaryOp.MAX, min);
    }

    /**
     * {@code min(this, max)}, elementwise, as {@code clamp_max}.
     *
     * @param max the upper bound
     * @return a new tensor
     */
    public Tensor clampMax(float max) {
        return binary(BinaryOp.MIN, max);
    }

    /**
     * Elementwise maximum with broadcasting.
     *
     * @param other the other operand
     * @return a new tensor
     */
    public Tensor maximum(Tensor other) {
        return binary("maximum", BinaryOp.MAX, other);
    }

    /**
     * Elementwise minimum with broadcasting.
     *
     * @param other the other operand
     * @return a new tensor
     */
    public Tensor minimum(Tensor other) {
        return binary("minimum", BinaryOp.MIN, other);
    }

    /**
     * 1 where {@code this > other}, else 0: the lesson's {@code (l1>0).float()}.
     *
     * @param other the other operand, broadcast
     * @return a new 0/1 tensor
     */
    public Tensor gt(Tensor other) {
        return binary("gt", BinaryOp.GT, other);
    }

    /**
     * 1 where {@code this > s}, else 0.
     *
     * @param s the threshold
     * @return a new 0/1 tensor
     */
    public Tensor gt(float s) {
        return binary(BinaryOp.GT, s);
    }

    /**
     * 1 where {@code this >= other}, else 0.
     *
     * @param other the other operand, broadcast
     * @return a new 0/1 tensor
     */
    public Tensor ge(Tensor other) {
        return binary("ge", BinaryOp.GE, other);
    }

    /**
     * 1 where {@code this >= s}, else 0.
     *
     * @param s the threshold
     * @return a new 0/1 tensor
     */
    public Tensor ge(float s) {
        return binary(BinaryOp.GE, s);
    }

    /**
     * 1 where {@code this < other}, else 0.
     *
     * @param other the other operand, broadcast
     * @return a new 0/1 tensor
     */
    public Tensor lt(Tensor other) {
        return binary("lt", BinaryOp.LT, other);
    }

    /**
     * 1 where {@code this < s}, else 0.
     *
     * @param s the threshold
     * @return a new 0/1 tensor
     */
    public Tensor lt(float s) {
        return binary(BinaryOp.LT, s);
    }

    /**
     * 1 where {@code this <= other}, else 0.
     *
     * @param other the other operand, broadcast
     * @return a new 0/1 tensor
     */
    public Tensor le(Tensor other) {
        return binary("le", BinaryOp.LE, other);
    }

    /**
     * 1 where {@code this <= s}, else 0.
     *
     * @param s the threshold
     * @return a new 0/1 tensor
     */
    public Tensor le(float s) {
        return binary(BinaryOp.LE, s);
    }

    /**
     * 1 where {@code this == other}, else 0.
     *
     * @param other the other operand, broadcast
     * @return a new 0/1 tensor
     */
    public Tensor eq(Tensor other) {
        return binary("eq", BinaryOp.EQ, other);
    }

    /**
     * 1 where {@code this == s}, else 0.
     *
     * @param s the value
     * @return a new 0/1 tensor
     */
    public Tensor eq(float s) {
        return binary(BinaryOp.EQ, s);
    }

    /**
     * 1 where {@code this != other}, else 0.
     *
     * @param other the other operand, broadcast
     * @return a new 0/1 tensor
     */
    public Tensor ne(Tensor other) {
        return binary("ne", BinaryOp.NE, other);
    }

    /**
     * 1 where {@code this != s}, else 0.
     *
     * @param s the value
     * @return a new 0/1 tensor
     */
    public Tensor ne(float s) {
        return binary(BinaryOp.NE, s);
    }

    // ------------------------------------------------------------------ in place

    private void checkWritable(String op, Tensor source) {
        for (int d = 0; d < shape.length; d++) {
            if (strides[d] == 0 && shape[d] > 1) {
                throw new IllegalArgumentException(op + ": cannot write into an expanded view of shape "
                        + Shapes.str(shape) + " (dim " + d + " repeats one element); call contiguous() first");
            }
        }
        // Checked in place first, so in-place calls (an optimiser's, a replay's broadcasts)
        // allocate nothing; only a refusal builds the broadcast shape, for its message.
        if (source != null && !Shapes.broadcastsTo(source.shape, shape)) {
            int[] target = Shapes.broadcast(op, source.shape, shape);
            if (!Arrays.equals(target, shape)) {
                throw new IllegalArgumentException(op + ": shape " + Shapes.str(source.shape)
                        + " does not broadcast to this tensor's shape " + Shapes.str(shape)
                        + " (an in-place result keeps the shape of the tensor written to)");
            }
        }
    }

    /** A source that may overlap this tensor's storage is read from a copy, so no write clobbers a later read. */
    private Tensor unaliased(Tensor source) {
        return source.storage == storage && source != this ? source.contiguousCopy() : source;
    }

    /**
     * {@code this += other}, broadcasting other to this tensor's shape.
     *
     * @param other the addend
     * @return this tensor
     */
    public Tensor addInPlace(Tensor other) {
        return addScaled("addInPlace", 1f, other);
    }

    /**
     * {@code this -= other}, broadcasting other to this tensor's shape.
     *
     * @param other the subtrahend
     * @return this tensor
     */
    public Tensor subInPlace(Tensor other) {
        return addScaled("subInPlace", -1f, other);
    }

    /**
     * {@code this += alpha * other}: the SGD step {@code w.addScaledInPlace(-lr, w.grad())}.
     *
     * @param alpha the scale
     * @param other the tensor to add, broadcast to this tensor's shape
     * @return this tensor
     */
    public Tensor addScaledInPlace(float alpha, Tensor other) {
        return addScaled("addScaledInPlace", alpha, other);
    }

    private Tensor addScaled(String op, float alpha, Tensor other) {
        checkWritable(op, other);
        StridedLoop.addScaled(this, alpha, unaliased(other));
        storage.version++;
        return this;
    }

    /**
     * {@code this += s}, as PyTorch's {@code add_(s)}.
     *
     * @param s the addend
     * @return this tensor
     */
    public Tensor addInPlace(float s) {
        return scalarInPlace("addInPlace", BinaryOp.ADD, s);
    }

    /**
     * {@code this *= s}.
     *
     * @param s the factor
     * @return this tensor
     */
    public Tensor mulInPlace(float s) {
        return scalarInPlace("mulInPlace", BinaryOp.MUL, s);
    }

    /**
     * {@code this *= other}, broadcasting other to this tensor's shape.
     *
     * @param other the factor
     * @return this tensor
     */
    public Tensor mulInPlace(Tensor other) {
        checkWritable("mulInPlace", other);
        StridedLoop.binary(BinaryOp.MUL, this, unaliased(other), this);
        storage.version++;
        return this;
    }

    /**
     * {@code this /= s}: a true division, as {@link #div(float)} (not a product with {@code 1/s}).
     *
     * @param s the divisor
     * @return this tensor
     */
    public Tensor divInPlace(float s) {
        return scalarInPlace("divInPlace", BinaryOp.DIV, s);
    }

    /**
     * {@code this /= other}, broadcasting other to this tensor's shape, as {@link #div(Tensor)}.
     *
     * @param other the divisor
     * @return this tensor
     */
    public Tensor divInPlace(Tensor other) {
        checkWritable("divInPlace", other);
        StridedLoop.binary(BinaryOp.DIV, this, unaliased(other), this);
        storage.version++;
        return this;
    }

    private Tensor scalarInPlace(String op, BinaryOp kind, float s) {
        checkWritable(op, null);
        StridedLoop.binaryScalarRight(kind, this, s, this);
        storage.version++;
        return this;
    }

    /**
     * {@code this = max(this, 0)}, as PyTorch's {@code relu_()}: the same kernel as {@link #relu()}.
     *
     * @return this tensor
     */
    public Tensor reluInPlace() {
        checkWritable("reluInPlace", null);
        StridedLoop.unary(UnaryOp.RELU, this, this);
        storage.version++;
        return this;
    }

    /**
     * Sets every element to 0.
     *
     * @return this tensor
     */
    public Tensor zeroInPlace() {
        return fillInPlace(0f);
    }

    /**
     * Sets every element to one value.
     *
     * @param value the value
     * @return this tensor
     */
    public Tensor fillInPlace(float value) {
        checkWritable("fillInPlace", null);
        StridedLoop.fill(this, value);
        storage.version++;
        return this;
    }

    /**
     * Copies {@code source} (broadcast to this shape) into this tensor.
     *
     * @param source the values
     * @return this tensor
     */
    public Tensor copyFrom(Tensor source) {
        checkWritable("copyFrom", source);
        StridedLoop.copy(unaliased(source), this);
        storage.version++;
        return this;
    }

    // ------------------------------------------------------------------ reductions

    private Tensor reduceAll(ReduceOp op, String name) {
        if (numel == 0 && op != ReduceOp.SUM) {
            throw new IllegalArgumentException(name + ": a tensor of shape " + Shapes.str(shape)
                    + " has no elements; the " + name + " of nothing is undefined");
        }
        Tensor c = contiguous();
        return scalar(Kernels.ELEMENTWISE.reduce(op, c.storage.data, c.offset, numel));
    }

    private Tensor reduceDim(ReduceOp op, String name, int dim, boolean keepdim) {
        if (shape.length == 0) {
            return reduceScalar(name, dim, item());
        }
        int d = Shapes.normalizeDim(name, dim, shape);
        if (shape[d] == 0 && op != ReduceOp.SUM) {
            throw new IllegalArgumentException(name + ": dim " + d + " of shape " + Shapes.str(shape)
                    + " is empty; the " + name + " of nothing is undefined");
        }
        float[] values = Reductions.reduce(op, contiguous(), d);
        return contiguousOver(values, reducedShape(d, keepdim));
    }

    /**
     * A 0-d tensor reduced along "its" dim: PyTorch accepts dim 0 or -1 there and returns the
     * value itself (index 0 for arg-reductions).
     */
    private static Tensor reduceScalar(String name, int dim, float value) {
        Shapes.normalizeDim(name, dim, new int[0], 1);
        return scalar(value);
    }

    private int[] reducedShape(int d, boolean keepdim) {
        if (keepdim) {
            int[] s = shape.clone();
            s[d] = 1;
            return s;
        }
        return remove(shape, d);
    }

    /** @return the sum of all elements, as a 0-d tensor */
    public Tensor sum() {
        return reduceAll(ReduceOp.SUM, "sum");
    }

    /**
     * Sums along one dim, removing it: the lesson's {@code out.g.sum(0)}.
     *
     * @param dim the dim, negative counting from the end
     * @return a new tensor
     */
    public Tensor sum(int dim) {
        return sum(dim, false);
    }

    /**
     * Sums along one dim.
     *
     * @param dim the dim
     * @param keepdim keep the dim with size 1
     * @return a new tensor
     */
    public Tensor sum(int dim, boolean keepdim) {
        return reduceDim(ReduceOp.SUM, "sum", dim, keepdim);
    }

    /** @return the mean of all elements, as a 0-d tensor (NaN for no elements, as in PyTorch) */
    public Tensor mean() {
        return meanInto(scalar(0f));
    }

    /**
     * Means along one dim, removing it.
     *
     * @param dim the dim
     * @return a new tensor
     */
    public Tensor mean(int dim) {
        return mean(dim, false);
    }

    /**
     * Means along one dim.
     *
     * @param dim the dim
     * @param keepdim keep the dim with size 1
     * @return a new tensor
     */
    public Tensor mean(int dim, boolean keepdim) {
        if (shape.length == 0) {
            return reduceScalar("mean", dim, item());
        }
        int d = Shapes.normalizeDim("mean", dim, shape);
        return meanInto(d, zeros(Shapes.reducedShape(shape, d, keepdim)));
    }

    /**
     * {@code out = sum()}, into a tensor of the caller's: the same bits as {@link #sum()}, with
     * nothing allocated when this tensor is contiguous (a strided one is read from a contiguous
     * copy). A captured training step reduces this way at every step.
     *
     * @param out a 0-d tensor sharing no storage with this one
     * @return {@code out}
     * @throws IllegalArgumentException if out is null, not 0-d, or shares storage with this tensor
     */
    public Tensor sumInto(Tensor out) {
        checkReducedInto("sumInto", out, -1);
        Tensor c = contiguous();
        out.storage.data[out.offset] = Kernels.ELEMENTWISE.reduce(ReduceOp.SUM, c.storage.data, c.offset, numel);
        out.storage.version++;
        return out;
    }

    /**
     * {@code out = mean()}, into a tensor of the caller's, as {@link #sumInto(Tensor)};
     * {@link #mean()} goes through it.
     *
     * @param out a 0-d tensor sharing no storage with this one
     * @return {@code out}
     * @throws IllegalArgumentException if out is null, not 0-d, or shares storage with this tensor
     */
    public Tensor meanInto(Tensor out) {
        sumInto(out);
        out.storage.data[out.offset] /= numel; // as mean(): the sum divided, not multiplied by 1/n
        return out;
    }

    /**
     * {@code out = sum(dim)} (or {@code sum(dim, true)}), into a tensor of the caller's: the same
     * bits as {@link #sum(int, boolean)}, with nothing allocated when this tensor is contiguous.
     * Both reduced shapes are accepted, since they lay the same values out alike. A 0-d tensor
     * takes dim 0 or -1 and writes itself, as {@code sum} does.
     *
     * @param dim the dim, negative counting from the end
     * @param out contiguous, of this shape without dim or with it of size 1, sharing no storage
     *     with this tensor
     * @return {@code out}
     * @throws IllegalArgumentException if out is null, of another shape, strided, or shares
     *     storage with this tensor
     * @throws IndexOutOfBoundsException if dim is out of range for this shape
     */
    public Tensor sumInto(int dim, Tensor out) {
        int d = Shapes.normalizeDim("sumInto", dim, shape, Math.max(1, shape.length));
        checkReducedInto("sumInto", out, d);
        if (shape.length == 0) {
            out.storage.data[out.offset] = item();
        } else {
            Reductions.reduceInto(ReduceOp.SUM, contiguous(), d, out.storage.data, out.offset);
        }
        out.storage.version++;
        return out;
    }

    /**
     * {@code out = mean(dim)} (or {@code mean(dim, true)}), into a tensor of the caller's, as
     * {@link #sumInto(int, Tensor)}; {@link #mean(int, boolean)} goes through it.
     *
     * @param dim the dim, negative counting from the end
     * @param out contiguous, of this shape without dim or with it of size 1, sharing no storage
     *     with this tensor
     * @return {@code out}
     * @throws IllegalArgumentException if out is null, of another shape, strided, or shares
     *     storage with this tensor
     * @throws IndexOutOfBoundsException if dim is out of range for this shape
     */
    public Tensor meanInto(int dim, Tensor out) {
        sumInto(dim, out);
        if (shape.length > 0) { // sumInto checked dim; a 0-d tensor is its own mean
            out.mulInPlace(1f / shape[dim < 0 ? dim + shape.length : dim]);
        }
        return out;
    }

    /**
     * Refuses an {@code out} that cannot take this tensor reduced along d (-1: reduced whole),
     * naming the shape expected; shapes are compared in place, as a replay checks every step.
     */
    private void checkReducedInto(String op, Tensor out, int d) {
        boolean whole = d < 0;
        if (out == null || (whole ? out.shape.length != 0 : !Shapes.isReduced(out.shape, shape, d))) {
            String expected = whole ? "[] (a 0-d tensor)"
                    : Shapes.str(Shapes.reducedShape(shape, d, false)) + " or " + Shapes.str(Shapes.reducedShape(shape, d, true));
            throw new IllegalArgumentException(op + ": this tensor " + Shapes.str(shape)
                    + (whole ? "" : ", dim " + d) + ": expected out of shape " + expected
                    + ", got " + (out == null ? "null" : Shapes.str(out.shape)));
        }
        if (!out.isContiguous()) {
            throw new IllegalArgumentException(op + ": out of shape " + Shapes.str(out.shape)
                    + " is a strided view with strides " + Arrays.toString(out.strides)
                    + "; the tensor written must be contiguous");
        }
        if (Fused.overlaps(out, this)) {
            throw new IllegalArgumentException(op + ": out " + Shapes.str(out.shape)
                    + " shares storage with this tensor " + Shapes.str(shape) + "; pass a tensor of its own");
        }
    }

    /** @return the largest element (NaN if any is NaN), as a 0-d tensor */
    public Tensor max() {
        return reduceAll(ReduceOp.MAX, "max");
    }

    /**
     * Largest values along one dim.
     *
     * @param dim the dim
     * @param keepdim keep the dim with size 1
     * @return a new tensor
     */
    public Tensor max(int dim, boolean keepdim) {
        return reduceDim(ReduceOp.MAX, "max", dim, keepdim);
    }

    /** @return the smallest element (NaN if any is NaN), as a 0-d tensor */
    public Tensor min() {
        return reduceAll(ReduceOp.MIN, "min");
    }

    /**
     * Smallest values along one dim.
     *
     * @param dim the dim
     * @param keepdim keep the dim with size 1
     * @return a new tensor
     */
    public Tensor min(int dim, boolean keepdim) {
        return reduceDim(ReduceOp.MIN, "min", dim, keepdim);
    }

    /** @return the flat index of the first largest element, as a 0-d tensor */
    public Tensor argmax() {
        return argExtremeAll(true);
    }

    /**
     * Indices (as floats, exact below 2^24) of the first largest element along one dim.
     *
     * @param dim the dim
     * @param keepdim keep the dim with size 1
     * @return a new tensor
     */
    public Tensor argmax(int dim, boolean keepdim) {
        return argExtremeDim(true, dim, keepdim);
    }

    /** @return the flat index of the first smallest element, as a 0-d tensor */
    public Tensor argmin() {
        return argExtremeAll(false);
    }

    /**
     * Indices of the first smallest element along one dim.
     *
     * @param dim the dim
     * @param keepdim keep the dim with size 1
     * @return a new tensor
     */
    public Tensor argmin(int dim, boolean keepdim) {
        return argExtremeDim(false, dim, keepdim);
    }

    private Tensor argExtremeAll(boolean max) {
        String name = max ? "argmax" : "argmin";
        if (numel == 0) {
            throw new IllegalArgumentException(name + ": a tensor of shape " + Shapes.str(shape) + " has no elements");
        }
        Tensor c = contiguous();
        int i = max ? Kernels.ELEMENTWISE.argmax(c.storage.data, c.offset, numel)
                : Kernels.ELEMENTWISE.argmin(c.storage.data, c.offset, numel);
        return scalar(i);
    }

    private Tensor argExtremeDim(boolean max, int dim, boolean keepdim) {
        String name = max ? "argmax" : "argmin";
        if (shape.length == 0) {
            return reduceScalar(name, dim, 0f);
        }
        int d = Shapes.normalizeDim(name, dim, shape);
        if (shape[d] == 0) {
            throw new IllegalArgumentException(name + ": dim " + d + " of shape " + Shapes.str(shape) + " is empty");
        }
        return contiguousOver(Reductions.argExtreme(max, contiguous(), d), reducedShape(d, keepdim));
    }

    // ------------------------------------------------------------------ matmul

    /**
     * Matrix product, as {@code @}: 2-d by 2-d, a 1-d operand treated as a row (left) or column
     * (right) vector and its dim removed afterwards, and batched 3-d forms where either side may
     * be 2-d (shared by the whole batch). Transposed and sliced views are read in place.
     *
     * @param other the right operand
     * @return a new contiguous tensor
     */
    public Tensor matmul(Tensor other) {
        return Matmul.matmul(this, other);
    }

    /**
     * Writes {@code a @ b} (or adds it, when {@code accumulate}) into this 2-d tensor, without
     * allocating: the training loop's hot path.
     *
     * @param a left operand, m x k
     * @param b right operand, k x n
     * @param accumulate add to the existing values instead of overwriting them
     * @return this tensor
     */
    public Tensor matmulInPlace(Tensor a, Tensor b, boolean accumulate) {
        checkWritable("matmulInPlace", null);
        Matmul.into(a, b, this, accumulate);
        storage.version++;
        return this;
    }

    // ------------------------------------------------------------------ comparison and printing

    /**
     * Whether every pair of elements satisfies {@code |a - b| <= atol + rtol * |b|}, with
     * broadcasting, as {@code torch.allclose}. NaNs are never close.
     *
     * @param other the tensor to compare with
     * @param rtol relative tolerance
     * @param atol absolute tolerance
     * @return true when all elements are close
     */
    public boolean allClose(Tensor other, double rtol, double atol) {
        return Closeness.allClose(this, other, rtol, atol);
    }

    /**
     * {@link #allClose(Tensor, double, double)} with PyTorch's defaults, rtol 1e-5 and atol 1e-8.
     *
     * @param other the tensor to compare with
     * @return true when all elements are close
     */
    public boolean allClose(Tensor other) {
        return allClose(other, 1e-5, 1e-8);
    }

    /**
     * PyTorch's layout ({@code tensor([[ 0.00, 11.87, ...]])}) with the global
     * {@link PrintOptions}; large tensors are summarised with {@code ...}.
     */
    @Override
    public String toString() {
        return toString(PrintOptions.get());
    }

    /**
     * PyTorch's layout with the given options.
     *
     * @param options precision, line width, summarising threshold and edge items
     * @return the text
     */
    public String toString(PrintOptions options) {
        return TensorFormatter.format(this, options);
    }

    /** @return a one-line description without the values, e.g. {@code Tensor[10000, 50] float32} */
    public String describe() {
        return "Tensor" + Shapes.str(shape) + " float32" + (isContiguous() ? "" : " (strided view)");
    }
}
