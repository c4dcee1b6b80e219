package dev.vectorgrad.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The model parameter of the training benchmarks, in both its spellings. */
class TrainedModelTest {

    @Test
    void readsAnMlpAndACnnWithEitherSeparator() {
        assertEquals(TrainedModel.mlp(50), TrainedModel.parse("50"));
        assertEquals(TrainedModel.cnn(16, 32), TrainedModel.parse("cnn:16x32"));
        assertEquals(TrainedModel.cnn(16, 32), TrainedModel.parse("cnn:16,32"));
        assertEquals("cnn 32,64", TrainedModel.parse("cnn:32x64").describe());
    }

    /** What JMH's {@code -p model=cnn:32,64} hands a trial (the value split at its comma), among others. */
    @ParameterizedTest
    @ValueSource(strings = {"cnn:32", "64x", "cnn:16x32x64", "cnn:0x8", "cnn:8x-1", "0", "-3", "cnn16x32", ""})
    void refusesAnythingElseNamingTheTextAndTheForms(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrainedModel.parse(text));
        assertTrue(e.getMessage().contains("'" + text + "'") && e.getMessage().contains(TrainedModel.EXPECTED),
                e.getMessage());
    }
}
