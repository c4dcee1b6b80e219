/** Modules, layers, losses, initialisation and optimisers, hand-differentiated and autograd-backed. */
module dev.vectorgrad.nn {
    requires transitive dev.vectorgrad.core;
    requires transitive dev.vectorgrad.autograd;

    exports dev.vectorgrad.nn;
    exports dev.vectorgrad.nn.optim;
    exports dev.vectorgrad.nn.io;
}
