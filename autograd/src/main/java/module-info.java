/** Reverse-mode automatic differentiation over vectorgrad tensors. */
module dev.vectorgrad.autograd {
    requires transitive dev.vectorgrad.core;

    exports dev.vectorgrad.autograd;
    exports dev.vectorgrad.autograd.symbolic;
}
