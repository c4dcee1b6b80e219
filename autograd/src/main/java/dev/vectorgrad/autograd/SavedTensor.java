package dev.vectorgrad.autograd;

import dev.vectorgrad.core.Tensor;

/** A tensor an op keeps for its backward pass, with the storage version it had at that moment. */
record SavedTensor(Tensor tensor, int version) {

    static SavedTensor of(Tensor t) {
        return new SavedTensor(t, t.version());
    }

    /** Throws when the tensor was edited in place after the forward pass saved it. */
    void check(String op) {
        if (tensor.version() != version) {
            throw new IllegalStateException("backward of " + op + ": a tensor of shape "
                    + Shapes.str(tensor.shape()) + " saved by " + op + " for its gradient was modified in place"
                    + " after the forward pass (version " + version + " -> " + tensor.version()
                    + "); the gradient would be wrong. Modify a copy() instead, or do the in-place edit"
                    + " after backward()");
        }
    }
}
