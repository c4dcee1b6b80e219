package dev.vectorgrad.nn.lesson;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vectorgrad.autograd.Var;
import dev.vectorgrad.autograd.symbolic.Expr;
import dev.vectorgrad.core.Tensor;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.FloatRange;

/**
 * The lesson's sympy cells checked against autograd: the symbolic derivative of a polynomial in
 * x, evaluated at a point, equals the gradient autograd computes there for the same polynomial
 * built from {@code Var} ops.
 */
class SymbolicVsAutogradProperties {

    /** One term {@code c * x^k}. */
    record Term(int c, int k) {}

    @Provide
    Arbitrary<List<Term>> polynomials() {
        return Combinators.combine(Arbitraries.integers().between(-9, 9), Arbitraries.integers().between(0, 5))
                .as(Term::new).list().ofMinSize(1).ofMaxSize(6);
    }

    @Property(tries = 200)
    void symbolicDerivativeEqualsAutogradGradient(@ForAll("polynomials") List<Term> p,
            @ForAll @FloatRange(min = -3, max = 3) float x) {
        String text = String.join(" + ", p.stream().map(t -> "(" + t.c() + ")*x**" + t.k()).toList());
        double symbolic = Expr.parse(text).diff("x").eval(Map.of("x", (double) x));

        Tensor xt = Tensor.scalar(x);
        Var xv = Var.param(xt);
        Var f = null;
        for (Term t : p) {
            // x^0 is the constant 1: pow(0) would differentiate to 0 * x^-1, NaN at x = 0.
            Var term = t.k() == 0 ? Var.scalar(t.c()) : Var.scalar(t.c()).mul(xv.pow(t.k()));
            f = f == null ? term : f.add(term);
        }
        if (!f.requiresGrad()) {
            // Only constant terms: autograd has no graph to differentiate, the derivative is 0.
            assertEquals(0.0, symbolic, text);
            return;
        }
        f.backward();
        double autograd = xt.grad().item();

        // float32 terms c*k*x^(k-1) carry ~1e-7 relative error each (pow and the products); the
        // sum can cancel, so the tolerance scales with the sum of the terms' magnitudes.
        double scale = 1;
        for (Term t : p) {
            scale += Math.abs(t.c()) * t.k() * Math.pow(Math.abs(x), Math.max(t.k() - 1, 0));
        }
        assertEquals(symbolic, autograd, 1e-5 * scale, () -> "d/dx " + text + " at x = " + x);
    }
}
