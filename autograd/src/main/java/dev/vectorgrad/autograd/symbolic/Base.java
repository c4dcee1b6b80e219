package dev.vectorgrad.autograd.symbolic;

/**
 * What a {@link Monomial} raises to integer powers: a variable, or a sum that cannot be
 * multiplied out because it sits in a denominator. Variables order before sums, variables by
 * name, sums by {@link Expr#compareTo}; that order fixes how terms are printed.
 */
sealed interface Base extends Comparable<Base> permits Base.Symbol, Base.Group {

    /**
     * A variable.
     *
     * @param name the identifier as written
     */
    record Symbol(String name) implements Base {
        @Override
        public int compareTo(Base other) {
            return other instanceof Symbol s ? name.compareTo(s.name) : -1;
        }
    }

    /**
     * A sum of at least two terms, scaled so its leading coefficient is 1 and without a
     * variable that divides every term (so {@code 1/(2x^2+2x)} is {@code 0.5/(x*(x+1))}),
     * always with a negative exponent: positive powers of sums are multiplied out.
     *
     * @param sum the sum
     */
    record Group(Expr sum) implements Base {
        @Override
        public int compareTo(Base other) {
            return other instanceof Group g ? sum.compareTo(g.sum) : 1;
        }
    }
}
