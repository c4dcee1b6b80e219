package dev.vectorgrad.testkit;

import java.util.Arrays;

import dev.vectorgrad.core.Tensor;

/**
 * A generated tensor together with the layout it was given, so that a failing property names the
 * layout as well as the values.
 *
 * @param layout how {@code tensor} lies in its storage
 * @param tensor the tensor, a view of a storage that holds other values too (except for
 *               {@link Layout#CONTIGUOUS})
 */
public record View(Layout layout, Tensor tensor) {

    @Override
    public String toString() {
        return layout + " " + Arrays.toString(tensor.shape()) + " strides " + Arrays.toString(tensor.strides())
                + " offset " + tensor.storageOffset() + ": " + tensor;
    }
}
