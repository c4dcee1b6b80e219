/**
 * vectorgrad's foundation: {@link dev.vectorgrad.core.Tensor} and the SIMD kernels behind it.
 *
 * <p>This is the only module that reads {@code jdk.incubator.vector}; no exported signature
 * mentions an incubator type, so consumers need the module flag only at run time.
 */
// The qualified export names the bench module, which is absent when core compiles alone.
@SuppressWarnings("module")
module dev.vectorgrad.core {
    requires jdk.incubator.vector;
    requires java.management;
    requires jdk.management;

    exports dev.vectorgrad.core;
    exports dev.vectorgrad.core.internal to dev.vectorgrad.bench;
}
