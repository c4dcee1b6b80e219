package dev.vectorgrad.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DimsTest {

    @Test
    void negativeDimsCountFromTheEnd() {
        int[] shape = {4, 5, 6};
        for (int dim = -3; dim < 3; dim++) {
            assertEquals(Math.floorMod(dim, 3), Dims.normalize("op", dim, shape), "dim " + dim);
        }
    }

    @Test
    void outOfRangeGivesTheMessageATensorOpGives() {
        Tensor t = Tensor.zeros(4, 5);
        IndexOutOfBoundsException fromTensor = assertThrows(IndexOutOfBoundsException.class, () -> t.sum(2));
        IndexOutOfBoundsException fromDims = assertThrows(IndexOutOfBoundsException.class,
                () -> Dims.normalize("sum", 2, t.shape()));
        assertEquals(fromTensor.getMessage(), fromDims.getMessage());
        assertTrue(fromDims.getMessage().contains("[-2, 1]"), fromDims.getMessage());
        IndexOutOfBoundsException scalar = assertThrows(IndexOutOfBoundsException.class,
                () -> Dims.normalize("sum", 0, new int[0]));
        assertTrue(scalar.getMessage().contains("0-d"), scalar.getMessage());
    }
}
