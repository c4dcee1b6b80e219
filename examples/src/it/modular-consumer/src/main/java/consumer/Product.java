package consumer;

import dev.vectorgrad.core.Tensor;

/** Uses vectorgrad from a named module. */
public final class Product {
    private Product() {}

    /** @return a small matrix product */
    public static Tensor compute() {
        return Tensor.arange(6).reshape(2, 3).matmul(Tensor.ones(3, 2));
    }
}
