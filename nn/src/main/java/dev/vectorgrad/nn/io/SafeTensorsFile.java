package dev.vectorgrad.nn.io;

import dev.vectorgrad.core.Tensor;
import java.util.Map;

/**
 * What a safetensors file holds: named tensors, in the order of their data in the file, and the
 * optional string-to-string {@code __metadata__}.
 *
 * @param tensors the tensors by name (unmodifiable, file order)
 * @param metadata the metadata (unmodifiable; empty when the file has none)
 */
public record SafeTensorsFile(Map<String, Tensor> tensors, Map<String, String> metadata) {

    /**
     * The tensor of one name.
     *
     * @param name the name
     * @return the tensor
     * @throws IllegalArgumentException naming the names there are, when this one is missing
     */
    public Tensor get(String name) {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException("safetensors: no tensor named \"" + name + "\"; the file has "
                    + tensors.keySet());
        }
        return t;
    }
}
