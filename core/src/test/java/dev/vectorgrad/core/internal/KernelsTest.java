package dev.vectorgrad.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The kernel choice: the system property is honoured, and a bad value fails clearly. */
class KernelsTest {

    @Test
    void honoursTheSystemPropertyOfThisRun() {
        String requested = System.getProperty(Kernels.BIT_SIZE_PROPERTY);
        if ("0".equals(requested)) {
            assertSame(ScalarKernels.INSTANCE, Kernels.ELEMENTWISE);
            assertSame(ScalarMatmul.INSTANCE, Kernels.MATMUL);
            assertEquals(0, Kernels.VECTOR_BIT_SIZE);
            assertTrue(Kernels.describe().startsWith("scalar kernels"), Kernels.describe());
        } else {
            // Unset: the preferred width when it is at least 128 bits and C2 runs the tests.
            int preferred = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.vectorBitSize();
            if (Kernels.VECTOR_BIT_SIZE != 0) {
                assertTrue(Kernels.ELEMENTWISE instanceof VectorKernels, Kernels.describe());
                assertEquals(preferred, Kernels.VECTOR_BIT_SIZE);
            } else {
                assertSame(ScalarKernels.INSTANCE, Kernels.ELEMENTWISE);
            }
        }
    }

    @Test
    void chooseBitSizeFollowsTheDocumentedRules() {
        assertEquals(256, Kernels.chooseBitSize(null, 256, true));
        assertEquals(256, Kernels.chooseBitSize("  ", 256, true));
        assertEquals(0, Kernels.chooseBitSize("0", 256, true));
        assertEquals(128, Kernels.chooseBitSize(" 128 ", 256, true));
        assertEquals(256, Kernels.chooseBitSize("256", 256, true));
        assertEquals(0, Kernels.chooseBitSize("512", 256, true), "wider than the hardware: scalar");
        assertEquals(0, Kernels.chooseBitSize("64", 256, true), "too narrow to pay off: scalar");
        assertEquals(0, Kernels.chooseBitSize(null, 64, true), "a 64-bit platform: scalar");
        assertEquals(0, Kernels.chooseBitSize(null, 256, false), "no C2: scalar");
        assertEquals(512, Kernels.chooseBitSize(null, 512, true));
    }

    @Test
    void badPropertyValuesFailWithAClearMessage() {
        IllegalArgumentException notANumber = assertThrows(IllegalArgumentException.class,
                () -> Kernels.chooseBitSize("wide", 256, true));
        assertEquals("vectorgrad.vectorBitSize: expected 0, 64, 128, 256 or 512, got 'wide'", notANumber.getMessage());
        IllegalArgumentException odd = assertThrows(IllegalArgumentException.class,
                () -> Kernels.chooseBitSize("200", 256, true));
        assertEquals("vectorgrad.vectorBitSize: expected 0, 64, 128, 256 or 512, got 200", odd.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Kernels.chooseBitSize("-256", 256, true));
        assertThrows(IllegalArgumentException.class, () -> Kernels.chooseBitSize("200", 256, false),
                "a bad value is reported even when C2 is off");
    }

    @Test
    void matmulKernelsSayHowManyThreadsTheySpreadOver() {
        assertEquals(1, Kernels.scalarMatmul().threads());
        if (Kernels.vectorMatmulSupported()) {
            assertEquals(3, Kernels.vectorMatmul(3).threads());
            assertEquals(1, Kernels.vectorMatmul(1).threads());
        }
        if (Kernels.VECTOR_BIT_SIZE != 0) {
            assertEquals(Parallel.defaultThreads(), Kernels.MATMUL.threads(), "sized by vectorgrad.threads at start-up");
        }
    }
}
