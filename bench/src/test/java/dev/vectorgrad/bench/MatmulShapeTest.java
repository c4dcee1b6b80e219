package dev.vectorgrad.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MatmulShapeTest {

    @Test
    void parsesMkn() {
        MatmulShape s = MatmulShape.parse("10000x784x50");
        assertEquals(new MatmulShape(10000, 784, 50), s);
        assertEquals(2.0 * 10000 * 50 * 784, s.flops());
        assertEquals("10000x784x50", s.toString());
    }

    @Test
    void rejectsMalformedShapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MatmulShape.parse("64x784"));
        assertTrue(e.getMessage().contains("'64x784'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> MatmulShape.parse("64xAx3"));
        assertThrows(IllegalArgumentException.class, () -> MatmulShape.parse("0x4x3"));
    }
}
