package dev.vectorgrad.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class MainTest {

    @Test
    void aFailedStaticInitialiserIsReportedByWhatFailedInside() {
        IllegalArgumentException cause = new IllegalArgumentException("vectorgrad.vectorBitSize: expected 0, 64, 128, 256 or 512");
        assertEquals(cause.getMessage(), Main.describe(new ExceptionInInitializerError(cause)));
        NoClassDefFoundError again = new NoClassDefFoundError("Could not initialize class Kernels");
        again.initCause(new ExceptionInInitializerError(cause));
        assertEquals(cause.getMessage(), Main.describe(again));
        assertEquals("java.lang.IllegalStateException", Main.describe(new IllegalStateException()));
    }
}
