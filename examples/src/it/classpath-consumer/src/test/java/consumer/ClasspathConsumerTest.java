package consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.vectorgrad.core.Tensor;
import org.junit.jupiter.api.Test;

class ClasspathConsumerTest {

    @Test
    void matmulOfTheInstalledArtifactWorksOnTheClassPath() {
        assertFalse(Tensor.class.getModule().isNamed(), "vectorgrad-core should be on the class path here");
        Tensor a = Tensor.arange(6).reshape(2, 3);
        Tensor b = Tensor.ones(3, 2);
        Tensor c = a.matmul(b);
        assertEquals(3f, c.get(0, 0));
        assertEquals(12f, c.get(1, 1));
        System.out.println("classpath consumer: " + c);
    }
}
