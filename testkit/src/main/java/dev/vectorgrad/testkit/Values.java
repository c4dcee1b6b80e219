package dev.vectorgrad.testkit;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Tuple;

/**
 * Which floats a generated tensor holds, in the spirit of the {@code elements} strategy of
 * Hypothesis' {@code arrays}: a finite range, optionally kept a margin away from zero (for kinks
 * and divisors), optionally with ties (small integers, so comparisons and arg-extremes meet equal
 * values), and optionally with {@link Special} values. NaN and the infinities appear only when
 * asked for by name.
 *
 * <p>Immutable; the {@code with...} methods return modified copies. Elements shrink towards the
 * low end of the range's magnitude (towards 0, or towards the margin when zero is excluded).
 */
public final class Values {

    private final float lo;
    private final float hi;
    private final float margin;
    private final boolean ties;
    private final Set<Special> specials;

    private Values(float lo, float hi, float margin, boolean ties, Set<Special> specials) {
        this.lo = lo;
        this.hi = hi;
        this.margin = margin;
        this.ties = ties;
        this.specials = specials;
    }

    /**
     * Finite floats in {@code [lo, hi]}.
     *
     * @param lo the smallest value, finite
     * @param hi the largest value, finite and not below {@code lo}
     * @return the values
     * @throws IllegalArgumentException naming the bounds when they are not finite or out of order
     */
    public static Values between(double lo, double hi) {
        if (!Double.isFinite(lo) || !Double.isFinite(hi) || lo > hi || Math.abs(lo) > Float.MAX_VALUE
                || Math.abs(hi) > Float.MAX_VALUE) {
            throw new IllegalArgumentException("Values.between: expected finite float bounds with lo <= hi, got lo="
                    + lo + ", hi=" + hi);
        }
        return new Values((float) lo, (float) hi, 0f, false, EnumSet.noneOf(Special.class));
    }

    /** @return values in {@code [-3, 3]}: the bulk of a standard normal, what {@code randn} mostly gives */
    public static Values standard() {
        return between(-3, 3);
    }

    /**
     * Values of either sign whose magnitude lies in {@code [margin, max]}: inputs of relu, abs,
     * division or a clamp kept further than a finite-difference step from the kink or the pole.
     *
     * @param margin the smallest magnitude, positive
     * @param max the largest magnitude, at least {@code margin}
     * @return the values
     * @throws IllegalArgumentException naming both when {@code 0 < margin <= max} does not hold
     */
    public static Values awayFromZero(double margin, double max) {
        if (!(margin > 0) || !(max >= margin) || max > Float.MAX_VALUE) {
            throw new IllegalArgumentException("Values.awayFromZero: expected 0 < margin <= max (finite), got margin="
                    + margin + ", max=" + max);
        }
        return new Values((float) -max, (float) max, (float) margin, false, EnumSet.noneOf(Special.class));
    }

    /**
     * Mixes in the given kinds of special values (each kind about one element in fifteen),
     * on top of those already asked for. Special values ignore the range and the margin.
     *
     * @param kinds the kinds, e.g. {@code Special.ZERO, Special.SUBNORMAL}, or {@code Special.values()} for all
     * @return a copy with those kinds
     * @throws IllegalArgumentException when no kind is given or one is null
     */
    public Values withSpecials(Special... kinds) {
        if (kinds == null || kinds.length == 0) {
            throw new IllegalArgumentException("Values.withSpecials: expected at least one Special kind, got none");
        }
        Set<Special> s = EnumSet.copyOf(specials.isEmpty() ? EnumSet.noneOf(Special.class) : specials);
        for (Special k : kinds) {
            if (k == null) {
                throw new IllegalArgumentException("Values.withSpecials: expected Special kinds, got a null");
            }
            s.add(k);
        }
        return new Values(lo, hi, margin, ties, s);
    }

    /**
     * Makes about a quarter of the elements small integers ({@code -2..2} within the range and
     * outside the margin), so that equal elements meet: comparisons, max/min and argmax/argmin
     * must pick the first of equals.
     *
     * @return a copy with ties
     * @throws IllegalArgumentException when the range and margin leave no integer in {@code -2..2}
     */
    public Values withTies() {
        if (tieValues().isEmpty()) {
            throw new IllegalArgumentException("Values.withTies: expected a range holding one of -2..2 outside the"
                    + " margin, got " + this);
        }
        return new Values(lo, hi, margin, true, specials);
    }

    /** @return the smallest value of the range */
    public float lo() {
        return lo;
    }

    /** @return the largest value of the range */
    public float hi() {
        return hi;
    }

    /** @return the smallest magnitude of a value from the range (0 unless {@link #awayFromZero}) */
    public float margin() {
        return margin;
    }

    /** @return the kinds of special values mixed in (a copy) */
    public Set<Special> specials() {
        return specials.isEmpty() ? EnumSet.noneOf(Special.class) : EnumSet.copyOf(specials);
    }

    /**
     * Whether a float is one this spec can produce: in the range and outside the margin, or a
     * value of a requested special kind.
     *
     * @param v a float
     * @return whether {@link #elements()} may generate it
     */
    public boolean admits(float v) {
        Special k = Special.of(v);
        if (k != null && specials.contains(k)) {
            return true;
        }
        return v >= lo && v <= hi && Math.abs(v) >= margin && !Float.isNaN(v);
    }

    /** @return single elements, as a jqwik arbitrary that shrinks */
    public Arbitrary<Float> elements() {
        List<Tuple.Tuple2<Integer, Arbitrary<Float>>> parts = new ArrayList<>();
        parts.add(Tuple.of(12, rangeElements()));
        if (ties) {
            parts.add(Tuple.of(4, Arbitraries.of(tieValues())));
        }
        for (Special k : specials) {
            parts.add(Tuple.of(1, Arbitraries.of(k.examples())));
        }
        return parts.size() == 1 ? parts.get(0).get2() : Arbitraries.frequencyOf(parts);
    }

    private Arbitrary<Float> rangeElements() {
        if (margin == 0f) {
            return Arbitraries.floats().between(lo, hi).ofScale(scale(hi - (double) lo));
        }
        // Either sign of a magnitude in [margin, max]: magnitudes shrink towards the margin.
        Arbitrary<Float> magnitude = Arbitraries.floats().between(margin, hi).ofScale(scale(hi - (double) margin))
                .shrinkTowards(margin);
        return magnitude.flatMap(m -> Arbitraries.of(m, -m));
    }

    /** Decimal places enough for about a million distinct values across the range (jqwik's default is 2). */
    private static int scale(double width) {
        if (width <= 0) {
            return 6;
        }
        return Math.max(6, Math.min(45, 6 - (int) Math.floor(Math.log10(width))));
    }

    private List<Float> tieValues() {
        List<Float> out = new ArrayList<>();
        for (int i = -2; i <= 2; i++) {
            if (i >= lo && i <= hi && Math.abs(i) >= margin) {
                out.add((float) i);
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return "Values[" + lo + ", " + hi + "]" + (margin > 0 ? " |v| >= " + margin : "") + (ties ? " with ties" : "")
                + (specials.isEmpty() ? "" : " with " + specials);
    }
}
