package dev.vectorgrad.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vectorgrad.core.Rng;
import dev.vectorgrad.core.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Every contender must compute the same product, or the benchmark compares different work. */
class MatmulImplTest {

    @ParameterizedTest
    @CsvSource({"vectorgrad-1t, NN", "vectorgrad-2t, NN", "scalar, NN", "openblas-1t, NN", "openblas-2t, NN",
            "ejml, NN", "vectorgrad-1t, TN", "vectorgrad-1t, NT", "scalar, TN", "scalar, NT", "openblas-1t, TN",
            "openblas-1t, NT", "ejml, TN", "ejml, NT"})
    void everyContenderMatchesAPlainTripleLoop(String name, Operands operands) {
        for (MatmulShape shape : new MatmulShape[] {
                new MatmulShape(1, 1, 1), new MatmulShape(17, 23, 9), new MatmulShape(64, 50, 10),
                new MatmulShape(33, 130, 47)}) {
            Rng rng = new Rng(shape.m() * 31L + shape.n());
            float[] a = Tensor.randn(rng, shape.m(), shape.k()).toArray();
            float[] b = Tensor.randn(rng, shape.k(), shape.n()).toArray();
            float[] c;
            try (MatmulImpl impl = MatmulImpl.create(name, shape, a, b, operands)) {
                impl.multiply();
                impl.multiply(); // a second call must overwrite C, not add to it
                c = impl.result();
            }
            assertEquals(shape.m() * shape.n(), c.length);
            for (int i = 0; i < shape.m(); i++) {
                for (int j = 0; j < shape.n(); j++) {
                    double expected = 0;
                    double magnitude = 0;
                    for (int p = 0; p < shape.k(); p++) {
                        double term = (double) a[i * shape.k() + p] * b[p * shape.n() + j];
                        expected += term;
                        magnitude += Math.abs(term);
                    }
                    // float32 summation error grows with k and the terms' sizes.
                    double tol = 1e-5 * (magnitude + 1) * Math.sqrt(shape.k());
                    assertEquals(expected, c[i * shape.n() + j], tol,
                            name + " " + operands + " " + shape + " at (" + i + ", " + j + ")");
                }
            }
        }
    }

    @Test
    void operandLayoutsParseAndNameTheBadValue() {
        assertEquals(Operands.TN, Operands.parse(" tn "));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Operands.parse("TT"));
        assertTrue(e.getMessage().contains("expected NN, TN or NT, got 'TT'"), e.getMessage());
    }

    @Test
    void namesEveryContenderTheBenchmarkAccepts() throws NoSuchFieldException {
        String[] declared = MatmulBench.class.getField("impl")
                .getAnnotation(org.openjdk.jmh.annotations.Param.class).value();
        assertEquals(java.util.List.of(MatmulImpl.NAMES), java.util.List.of(declared));
    }

    @Test
    void rejectsUnknownNamesAndWrongSizes() {
        MatmulShape shape = new MatmulShape(2, 3, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MatmulImpl.create("mkl", shape, new float[6], new float[12]));
        assertTrue(e.getMessage().contains("'mkl'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> MatmulImpl.create("ejml", shape, new float[5], new float[12]));
        assertTrue(e.getMessage().contains("got 5 and 12"), e.getMessage());
    }
}
