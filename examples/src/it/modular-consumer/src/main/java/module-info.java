module consumer {
    requires dev.vectorgrad.core;

    exports consumer;
}
