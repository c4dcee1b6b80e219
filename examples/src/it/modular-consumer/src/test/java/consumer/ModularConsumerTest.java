package consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vectorgrad.core.Tensor;
import org.junit.jupiter.api.Test;

class ModularConsumerTest {

    @Test
    void matmulOfTheInstalledArtifactWorksOnTheModulePath() {
        assertTrue(Tensor.class.getModule().isNamed(), "vectorgrad-core should be a named module here");
        Tensor c = Product.compute();
        assertEquals(3f, c.get(0, 0));
        assertEquals(12f, c.get(1, 1));
        System.out.println("modular consumer: " + c);
    }
}
