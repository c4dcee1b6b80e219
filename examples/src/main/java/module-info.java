/** The backprop lesson end to end, and the training command line. */
module dev.vectorgrad.examples {
    requires dev.vectorgrad.core;
    requires dev.vectorgrad.autograd;
    requires dev.vectorgrad.nn;
    requires dev.vectorgrad.data;
    requires java.desktop;
    requires jdk.management;

    exports dev.vectorgrad.examples;
}
