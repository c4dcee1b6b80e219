package dev.vectorgrad.autograd.symbolic;

import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A product of {@link Base}s raised to non-zero integer powers, without a coefficient:
 * {@code x^2*y} or {@code x/(x+1)}. Immutable. Ordered by total degree, highest first, then
 * lexicographically (a higher power of an earlier base first), so a polynomial prints as
 * {@code 3*x**2 + x*y + 8}. The order is consistent with {@code equals}.
 */
final class Monomial implements Comparable<Monomial> {

    /** The empty product: the monomial of a constant term. */
    static final Monomial ONE = new Monomial(new TreeMap<>());

    private final TreeMap<Base, Integer> powers;
    private final int degree;

    private Monomial(TreeMap<Base, Integer> powers) {
        this.powers = powers;
        int d = 0;
        for (int e : powers.values()) {
            d += e;
        }
        this.degree = d;
    }

    /** @return {@code base^exponent} (the empty product when the exponent is 0) */
    static Monomial of(Base base, int exponent) {
        return ONE.with(base, exponent);
    }

    /** @return the bases with their non-zero exponents, in print order */
    SortedMap<Base, Integer> powers() {
        return Collections.unmodifiableSortedMap(powers);
    }

    /** @return the exponent of {@code base}, 0 when absent */
    int exponentOf(Base base) {
        return powers.getOrDefault(base, 0);
    }

    /** @return this monomial with the exponent of {@code base} replaced (removed when 0) */
    Monomial with(Base base, int exponent) {
        TreeMap<Base, Integer> p = new TreeMap<>(powers);
        if (exponent == 0) {
            p.remove(base);
        } else {
            p.put(base, exponent);
        }
        return new Monomial(p);
    }

    /** @return the product, exponents of shared bases added */
    Monomial times(Monomial other) {
        TreeMap<Base, Integer> p = new TreeMap<>(powers);
        for (Map.Entry<Base, Integer> e : other.powers.entrySet()) {
            int sum = Math.addExact(p.getOrDefault(e.getKey(), 0), e.getValue());
            if (sum == 0) {
                p.remove(e.getKey());
            } else {
                p.put(e.getKey(), sum);
            }
        }
        return new Monomial(p);
    }

    /** @return every exponent multiplied by {@code n} (n != 0) */
    Monomial pow(int n) {
        TreeMap<Base, Integer> p = new TreeMap<>();
        for (Map.Entry<Base, Integer> e : powers.entrySet()) {
            p.put(e.getKey(), Math.multiplyExact(e.getValue(), n));
        }
        return new Monomial(p);
    }

    boolean isOne() {
        return powers.isEmpty();
    }

    @Override
    public int compareTo(Monomial other) {
        if (degree != other.degree) {
            return Integer.compare(other.degree, degree);
        }
        // Walk the union of bases in order; the first base whose exponents differ decides,
        // the higher exponent first (so x^2 < x*y < y^2 in print order).
        Iterator<Map.Entry<Base, Integer>> a = powers.entrySet().iterator();
        Iterator<Map.Entry<Base, Integer>> b = other.powers.entrySet().iterator();
        Map.Entry<Base, Integer> ea = a.hasNext() ? a.next() : null;
        Map.Entry<Base, Integer> eb = b.hasNext() ? b.next() : null;
        while (ea != null || eb != null) {
            int c = ea == null ? 1 : eb == null ? -1 : ea.getKey().compareTo(eb.getKey());
            int xa = c <= 0 ? ea.getValue() : 0;
            int xb = c >= 0 ? eb.getValue() : 0;
            if (xa != xb) {
                return Integer.compare(xb, xa);
            }
            if (c <= 0) {
                ea = a.hasNext() ? a.next() : null;
            }
            if (c >= 0) {
                eb = b.hasNext() ? b.next() : null;
            }
        }
        return 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Monomial m && powers.equals(m.powers);
    }

    @Override
    public int hashCode() {
        return powers.hashCode();
    }
}
