/** Modules, layers, losses, initialisation and optimisers, hand-differentiated and autograd-backed. */
module dev.vectorgrad.nn {
    requires transitive dev.vectorgrad.core;
    requires transitive dev.vectorgrad.autograd;

    exports dev.vectorgrad.nn;
    exports dev.vectorgrad.nn.io;
    exports dev.vectorgrad.nn.lesson;
    exports dev.vectorgrad.nn.lesson.classes;
    exports dev.vectorgrad.nn.metrics;
    exports dev.vectorgrad.nn.models;
    exports dev.vectorgrad.nn.optim;
}
