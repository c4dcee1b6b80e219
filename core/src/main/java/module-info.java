/**
 * vectorgrad's foundation: {@link dev.vectorgrad.core.Tensor} and the SIMD kernels behind it.
 *
 * <p>This is the only module that reads {@code jdk.incubator.vector}; no exported signature
 * mentions an incubator type, so consumers need the module flag only at run time.
 */
// The bench module is built after core, so javac cannot see it when compiling this qualified export.
@SuppressWarnings("module")
module dev.vectorgrad.core {
    requires jdk.incubator.vector;
    requires java.management;
    requires jdk.management;

    exports dev.vectorgrad.core;
    // The benchmarks time the kernels directly, without Tensor's checks and allocation.
    exports dev.vectorgrad.core.internal to dev.vectorgrad.bench;
}
