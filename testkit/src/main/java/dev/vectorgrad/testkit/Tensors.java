package dev.vectorgrad.testkit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.vectorgrad.core.Tensor;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * jqwik arbitraries for tensors, in the spirit of Hypothesis' {@code arrays}: a shape (fixed or
 * generated) filled with elements from a {@link Values}, either contiguous or laid out as the
 * views that break kernels ({@link #views}). Built on jqwik's combinators: a failing tensor
 * shrinks by its shape first, then element by element, then towards a plainer layout.
 */
public final class Tensors {

    private Tensors() {}

    /**
     * Contiguous tensors of one shape.
     *
     * @param values which elements
     * @param shape the shape ({@code new int[0]} or nothing for a 0-d tensor)
     * @return the tensors
     * @throws IllegalArgumentException when an argument is null or a size negative
     */
    public static Arbitrary<Tensor> tensors(Values values, int... shape) {
        checkShape("tensors", shape);
        return filled(requireValues("tensors", values), shape.clone());
    }

    /**
     * Contiguous tensors of generated shapes, e.g. {@code tensors(Values.standard(), ShapeArbitraries.shapes(0, 3))}.
     *
     * @param values which elements
     * @param shapes the shapes
     * @return the tensors
     * @throws IllegalArgumentException when an argument is null
     */
    public static Arbitrary<Tensor> tensors(Values values, Arbitrary<int[]> shapes) {
        requireValues("tensors", values);
        requireShapes("tensors", shapes);
        return shapes.flatMap(s -> filled(values, s));
    }

    /**
     * One tensor per shape of a {@link BroadcastShapes}, as operands of a broadcasting op.
     *
     * @param values which elements
     * @param shapes the operands' shapes
     * @return lists of tensors, the i-th of shape {@code shapes.input(i)}
     * @throws IllegalArgumentException when an argument is null
     */
    public static Arbitrary<List<Tensor>> operands(Values values, BroadcastShapes shapes) {
        requireValues("operands", values);
        if (shapes == null) {
            throw new IllegalArgumentException("operands: expected BroadcastShapes, got null");
        }
        List<Arbitrary<Tensor>> each = new ArrayList<>();
        for (int[] s : shapes.inputs()) {
            each.add(filled(values, s));
        }
        return Combinators.combine(each).as(ArrayList::new);
    }

    /**
     * Tensors of one shape whose elements all differ, {@code spacing} apart: a random permutation
     * of {@code (i - n/2) * spacing}, {@code i = 0..n-1}. For ops whose derivative jumps where
     * elements tie (max pooling, max, argmax): a finite-difference step below {@code spacing / 2}
     * never reorders them. Shrinks towards the sorted order.
     *
     * @param spacing the gap between neighbouring values, positive and finite
     * @param shape the shape
     * @return the tensors
     * @throws IllegalArgumentException when the spacing is not positive or a size is negative
     */
    public static Arbitrary<Tensor> distinct(double spacing, int... shape) {
        if (!(spacing > 0) || Double.isInfinite(spacing)) {
            throw new IllegalArgumentException("distinct: expected a positive finite spacing, got " + spacing);
        }
        checkShape("distinct", shape);
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        if (n > 1 << 24) {
            throw new IllegalArgumentException("distinct: expected at most 2^24 elements, got shape " + Arrays.toString(shape));
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            order.add(i);
        }
        int[] s = shape.clone();
        float half = n / 2f;
        return Arbitraries.shuffle(order).map(perm -> {
            float[] v = new float[perm.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) ((perm.get(i) - half) * spacing);
            }
            return s.length == 0 ? Tensor.scalar(v[0]) : Tensor.of(v, s);
        });
    }

    /**
     * Tensors of generated shapes laid out as views (offset, transposed, stepped, expanded), or
     * contiguous when asked: the layouts a kernel must read correctly. Each generated tensor has
     * one of the given layouts that {@linkplain Layout#appliesTo applies} to its shape; shapes to
     * which none applies are skipped (so ask for shapes with sizes of at least 2 when you ask for
     * {@link Layout#TRANSPOSED} alone). An {@link Layout#EXPANDED} tensor repeats its values
     * along its stride-0 dims, whatever the {@code values}.
     *
     * @param values which elements
     * @param shapes the shapes
     * @param layouts the layouts to draw from; none means all of {@link Layout}
     * @return the views with their layouts
     * @throws IllegalArgumentException when an argument or a layout is null
     */
    public static Arbitrary<View> laidOut(Values values, Arbitrary<int[]> shapes, Layout... layouts) {
        requireValues("laidOut", values);
        requireShapes("laidOut", shapes);
        List<Layout> wanted = layouts(layouts);
        return shapes.filter(s -> wanted.stream().anyMatch(l -> l.appliesTo(s))).flatMap(s -> {
            List<Layout> fit = wanted.stream().filter(l -> l.appliesTo(s)).toList();
            return Arbitraries.of(fit).flatMap(l -> view(values, s, l).map(t -> new View(l, t)));
        });
    }

    /**
     * {@link #laidOut} without the layout: the tensors alone.
     *
     * @param values which elements
     * @param shapes the shapes
     * @param layouts the layouts to draw from; none means all of {@link Layout}
     * @return the tensors
     */
    public static Arbitrary<Tensor> views(Values values, Arbitrary<int[]> shapes, Layout... layouts) {
        return laidOut(values, shapes, layouts).map(View::tensor);
    }

    /**
     * {@link #laidOut} for one shape.
     *
     * @param values which elements
     * @param shape the shape
     * @param layouts the layouts to draw from; none means all of {@link Layout}
     * @return the views with their layouts
     * @throws IllegalArgumentException when no requested layout applies to {@code shape}
     */
    public static Arbitrary<View> laidOut(Values values, int[] shape, Layout... layouts) {
        checkShape("laidOut", shape);
        List<Layout> wanted = layouts(layouts);
        if (wanted.stream().noneMatch(l -> l.appliesTo(shape))) {
            throw new IllegalArgumentException("laidOut: expected a layout that applies to shape " + Arrays.toString(shape)
                    + ", got " + wanted);
        }
        return laidOut(values, Arbitraries.just(shape.clone()), layouts);
    }

    // ------------------------------------------------------------------ construction

    /** A view of {@code shape} with layout {@code l}, over a storage filled from {@code values}. */
    private static Arbitrary<Tensor> view(Values values, int[] shape, Layout l) {
        int rank = shape.length;
        List<Integer> big = new ArrayList<>();
        for (int d = 0; d < rank; d++) {
            if (shape[d] >= 2) {
                big.add(d);
            }
        }
        return switch (l) {
            case CONTIGUOUS -> filled(values, shape);
            case OFFSET -> Arbitraries.integers().between(1, 3).flatMap(extra -> {
                if (rank == 0) { // a 0-d view: the last element of a 1-d storage
                    return filled(values, extra + 1).map(base -> base.select(0, extra));
                }
                int[] base = shape.clone();
                base[0] += extra;
                return filled(values, base).map(b -> b.slice(0, extra, extra + shape[0]));
            });
            case TRANSPOSED -> Arbitraries.of(pairs(big)).flatMap(ij -> {
                        int[] base = shape.clone();
                        base[ij[0]] = shape[ij[1]];
                        base[ij[1]] = shape[ij[0]];
                        return filled(values, base).map(b -> b.transpose(ij[0], ij[1]));
                    });
            case STEPPED -> Combinators.combine(Arbitraries.of(big), Arbitraries.integers().between(2, 3),
                    Arbitraries.integers().between(0, 1)).flatAs((d, step, start) -> {
                        int[] base = shape.clone();
                        base[d] = start + step * shape[d];
                        return filled(values, base).map(b -> b.slice(d, start, base[d], step));
                    });
            case EXPANDED -> Arbitraries.of(false, true).list().ofSize(big.size())
                    .filter(mask -> mask.contains(true)).flatMap(mask -> {
                        int[] base = shape.clone();
                        for (int k = 0; k < big.size(); k++) {
                            if (mask.get(k)) {
                                base[big.get(k)] = 1;
                            }
                        }
                        return filled(values, base).map(b -> b.expand(shape));
                    });
            case MIXED -> mixed(values, shape);
        };
    }

    /** A permutation, a step (1 or 2) and a start (0 or 1) per dim of a storage bigger than the view. */
    private static Arbitrary<Tensor> mixed(Values values, int[] shape) {
        int rank = shape.length;
        List<Integer> dims = new ArrayList<>();
        for (int d = 0; d < rank; d++) {
            dims.add(d);
        }
        Arbitrary<List<Integer>> orders = Arbitraries.shuffle(dims);
        Arbitrary<List<Integer>> steps = Arbitraries.integers().between(1, 2).list().ofSize(rank);
        Arbitrary<List<Integer>> starts = Arbitraries.integers().between(0, 1).list().ofSize(rank);
        return Combinators.combine(orders, steps, starts).flatAs((order, step, start) -> {
            // Storage dim i holds view dim order[i], step[i] times as long, after start[i] leading elements.
            int[] storage = new int[rank];
            for (int i = 0; i < rank; i++) {
                storage[i] = start.get(i) + shape[order.get(i)] * step.get(i);
            }
            return filled(values, storage).map(t -> {
                Tensor v = t;
                for (int i = 0; i < rank; i++) {
                    v = v.slice(i, start.get(i), storage[i], step.get(i));
                }
                int[] inverse = new int[rank];
                for (int i = 0; i < rank; i++) {
                    inverse[order.get(i)] = i;
                }
                return v.permute(inverse);
            });
        }).filter(t -> !(t.isContiguous() && t.storageOffset() == 0));
    }

    /** Every pair {i, j} with i < j from {@code dims}. */
    private static List<int[]> pairs(List<Integer> dims) {
        List<int[]> out = new ArrayList<>();
        for (int a = 0; a < dims.size(); a++) {
            for (int b = a + 1; b < dims.size(); b++) {
                out.add(new int[] {dims.get(a), dims.get(b)});
            }
        }
        return out;
    }

    /** A contiguous tensor of {@code shape}, element by element from {@code values}. */
    private static Arbitrary<Tensor> filled(Values values, int... shape) {
        long n = 1;
        for (int s : shape) {
            n *= s;
        }
        if (n > 1 << 24) {
            throw new IllegalArgumentException("tensors: expected at most 2^24 elements, got shape " + Arrays.toString(shape));
        }
        int[] s = shape.clone();
        return values.elements().list().ofSize((int) n).map(list -> {
            float[] v = new float[list.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = list.get(i);
            }
            return s.length == 0 ? Tensor.scalar(v[0]) : Tensor.of(v, s);
        });
    }

    private static List<Layout> layouts(Layout[] layouts) {
        if (layouts == null) {
            throw new IllegalArgumentException("laidOut: expected layouts, got null");
        }
        for (Layout l : layouts) {
            if (l == null) {
                throw new IllegalArgumentException("laidOut: expected layouts, got a null among " + Arrays.toString(layouts));
            }
        }
        return layouts.length == 0 ? List.of(Layout.values()) : List.of(layouts);
    }

    private static Values requireValues(String what, Values values) {
        if (values == null) {
            throw new IllegalArgumentException(what + ": expected Values, got null");
        }
        return values;
    }

    private static void requireShapes(String what, Arbitrary<int[]> shapes) {
        if (shapes == null) {
            throw new IllegalArgumentException(what + ": expected an Arbitrary of shapes, got null");
        }
    }

    private static void checkShape(String what, int[] shape) {
        if (shape == null) {
            throw new IllegalArgumentException(what + ": expected a shape, got null");
        }
        for (int s : shape) {
            if (s < 0) {
                throw new IllegalArgumentException(what + ": expected sizes >= 0, got shape " + Arrays.toString(shape));
            }
        }
    }
}
