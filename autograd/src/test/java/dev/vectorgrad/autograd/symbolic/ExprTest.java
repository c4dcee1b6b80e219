package dev.vectorgrad.autograd.symbolic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExprTest {

    private static final Set<String> XY = Set.of("x", "y");

    // ---- the lesson's three sympy cells, exactly

    @Test
    void lessonCell19_derivativeOfXSquared() {
        assertEquals("2*x", Expr.parse("x**2", XY).diff("x").toString());
    }

    @Test
    void lessonCell20_derivativeOfXCubed() {
        assertEquals("3*x**2", Expr.parse("x**3", XY).diff("x").toString());
    }

    @Test
    void lessonCell21_derivativeOfThreeXSquaredPlusEight() {
        Expr d = Expr.parse("3*x**2+8", XY).diff("x");
        assertEquals("6*x", d.toString());
        assertEquals(12.0, d.eval(Map.of("x", 2.0)));
    }

    @Test
    void caretAndDoubleStarPowersAreTheSame() {
        assertEquals(Expr.parse("3*x**2+8"), Expr.parse("3*x^2+8"));
        assertEquals("3*x**2 + 8", Expr.parse("3 * x ^ 2 + 8").toString());
    }

    // ---- simplification

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "x*1            | x",
        "1*x            | x",
        "x+0            | x",
        "0*x            | 0",
        "x*0+y          | y",
        "x^1            | x",
        "x^0            | 1",
        "0^0            | 1",
        "2*3+4          | 10",
        "x+x            | 2*x",
        "x*x*x          | x**3",
        "x - x          | 0",
        "(x+1)^2        | x**2 + 2*x + 1",
        "(x-y)*(x+y)    | x**2 - y**2",
        "y*x + x*y      | 2*x*y",
        "-(-x)          | x",
        "-x^2           | -x**2",
        "(-x)^2         | x**2",
        "x^2^3          | x**8",
        "x^-2           | 1/x**2",
        "6*x/(2*x)      | 3",
        "x/(x+1)*(x+1)  | x",
        "1/(2*x+2)      | 0.5/(x + 1)",
        "2/(x*y)        | 2/(x*y)",
        "1/(x^2+x)      | 1/(x*(x + 1))",
        "1/(2*x^2+2*x)  | 0.5/(x*(x + 1))",
        "1/((x+1)*(x+2))| 1/(x**2 + 3*x + 2)",
        "1/(x+1)/(y+1)  | (x + 1)**-1*(y + 1)**-1",
        "(x+1)^-2       | (x + 1)**-2",
        "0.5*x + 0.25   | 0.5*x + 0.25",
        ".5 + 3.        | 3.5",
        "x^(1+1)        | x**2",
    })
    void simplifiesToCanonicalText(String input, String expected) {
        assertEquals(expected, Expr.parse(input).toString());
    }

    @ParameterizedTest(name = "d/dx {0} = {1}")
    @CsvSource(delimiter = '|', value = {
        "8                  | 0",
        "x                  | 1",
        "y                  | 0",
        "x*y                | y",
        "x^2*y^3 + y        | 2*x*y**3",
        "(x+1)^3            | 3*x**2 + 6*x + 3",
        "1/x                | -1/x**2",
        "1/(x+1)            | -(x + 1)**-2",
        "x/(x+1)            | -x*(x + 1)**-2 + 1/(x + 1)",
    })
    void differentiates(String input, String expected) {
        assertEquals(expected, Expr.parse(input).diff("x").toString());
    }

    @Test
    void quotientDerivativeHasTheRightValue() {
        // d/dx x/(x+1) = 1/(x+1)^2; the canonical form keeps two terms, the value must agree.
        Expr d = Expr.parse("x/(x+1)").diff("x");
        for (double x : new double[] {-3.5, 0, 0.25, 7}) {
            assertEquals(1 / ((x + 1) * (x + 1)), d.eval(Map.of("x", x)), 1e-12);
        }
    }

    @Test
    void buildersMatchTheParser() {
        Expr x = Expr.variable("x");
        Expr built = Expr.constant(3).mul(x.pow(2)).add(Expr.constant(8));
        assertEquals(Expr.parse("3*x^2+8"), built);
        assertEquals(Expr.parse("x - 1/x"), x.sub(Expr.ONE.div(x)));
        assertEquals(Expr.parse("-x"), x.neg());
    }

    @Test
    void variablesAndConstants() {
        assertEquals(List.of("x", "y", "z"), List.copyOf(Expr.parse("x*y + 1/(z+1)").variables()));
        assertTrue(Expr.parse("2*3").isConstant());
        assertEquals(6.0, Expr.parse("2*3").constantValue());
        assertFalse(Expr.parse("x").isConstant());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Expr.parse("x").constantValue());
        assertTrue(e.getMessage().contains("constantValue"), e.getMessage());
    }

    @Test
    void evalNamesAMissingVariable() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Expr.parse("x*y").eval(Map.of("x", 1.0)));
        assertTrue(e.getMessage().contains("'y'"), e.getMessage());
    }

    @Test
    void builderArgumentsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> Expr.constant(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> Expr.variable("2x"));
        assertThrows(ArithmeticException.class, () -> Expr.variable("x").div(Expr.ZERO));
        assertThrows(ArithmeticException.class, () -> Expr.parse("x+1").pow(Expr.MAX_EXPANDED_POWER + 1));
    }

    @Test
    void nestedPowersOfSumsStopAtTheProductBoundInsteadOfRunningForHours() {
        // (x+y+1)^27 still multiplies out (406 terms); its cube would form 406 x 1,540 products.
        assertEquals(406, Expr.parse("(((x+y+1)^3)^3)^3").toString().split(" [+-] ").length);
        ParseException e = assertThrows(ParseException.class, () -> Expr.parse("((((x+y+1)^3)^3)^3)^3"));
        assertTrue(e.getMessage().contains("term products"), e.getMessage());
    }

    // ---- errors point at the column of the problem

    @ParameterizedTest(name = "\"{0}\" fails at index {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "3*x**     | 5 | input ended",
        "3*y       | 2 | unknown symbol 'y'",
        "(3*x      | 4 | missing ')'",
        "2*((x+1)  | 8 | missing ')'",
        "3*x)      | 3 | without a matching '('",
        "3*x$      | 3 | unexpected character '$'",
        "3x        | 1 | expected an operator",
        "x^x       | 2 | integer constant",
        "x^2.5     | 2 | integer between",
        "1/0       | 1 | division by zero",
        "x/(x-x)   | 1 | division by zero",
        "\"\"      | 0 | empty",
        "*x        | 0 | expected a number, a variable or '('",
        "x+*2      | 2 | expected a number, a variable or '('",
        "(x+1 x)   | 5 | ')' to close the '(' opened at column 1",
        ".         | 0 | digits",
    })
    void badInputReportsThePosition(String input, int index, String problem) {
        ParseException e = assertThrows(ParseException.class, () -> Expr.parse(input, Set.of("x")));
        assertEquals(index, e.position(), e.getMessage());
        assertEquals(input, e.input());
        assertTrue(e.problem().contains(problem), e.getMessage());
        String[] lines = e.getMessage().split("\n");
        assertTrue(lines[0].startsWith("parse: column " + (index + 1) + ": "), lines[0]);
        assertEquals("  " + input, lines[1]);
        assertEquals("  " + " ".repeat(index) + "^", lines[2]);
    }
}
