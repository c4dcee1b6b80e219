/** The backprop lesson end to end, and the training command line. */
module dev.vectorgrad.examples {
    requires dev.vectorgrad.core;
    requires dev.vectorgrad.autograd;
    requires dev.vectorgrad.nn;
    requires dev.vectorgrad.data;
    requires java.desktop;
    requires jdk.management;

    exports dev.vectorgrad.examples;
    // The hand-written trainer, measured by the bench module until it is deleted.
    exports dev.vectorgrad.examples.train to dev.vectorgrad.bench;
}
