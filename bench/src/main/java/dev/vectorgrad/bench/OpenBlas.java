package dev.vectorgrad.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas_nolapack;

/**
 * The OpenBLAS controls that the JavaCPP bindings do not expose, reached through the JDK's
 * foreign-function API in the very library JavaCPP loaded.
 *
 * <p>{@code openblas_set_num_threads} matters for a fair comparison: left alone, OpenBLAS
 * uses every core, which would make its "one thread" rows meaningless.
 */
@SuppressWarnings("restricted") // the launch flags grant native access: --enable-native-access=ALL-UNNAMED
public final class OpenBlas {

    private static final MethodHandle SET_NUM_THREADS;
    private static final MethodHandle GET_NUM_THREADS;
    private static final MethodHandle GET_CORENAME;
    private static final MethodHandle GET_CONFIG;

    /** The result of {@link #requireBestCore()} once it passed. */
    private static String bestCore;

    static {
        // The JNI wrapper links libopenblas.so.0; a lookup on the wrapper's handle also sees
        // the symbols of the libraries it depends on, i.e. the OpenBLAS that cblas_sgemm calls.
        String jniLibrary = Loader.load(openblas_nolapack.class);
        SymbolLookup lookup = SymbolLookup.libraryLookup(Path.of(jniLibrary), Arena.global());
        Linker linker = Linker.nativeLinker();
        SET_NUM_THREADS = downcall(linker, lookup, "openblas_set_num_threads",
                FunctionDescriptor.ofVoid(ValueLayout.JAVA_INT));
        GET_NUM_THREADS = downcall(linker, lookup, "openblas_get_num_threads",
                FunctionDescriptor.of(ValueLayout.JAVA_INT));
        GET_CORENAME = downcall(linker, lookup, "openblas_get_corename",
                FunctionDescriptor.of(ValueLayout.ADDRESS));
        GET_CONFIG = downcall(linker, lookup, "openblas_get_config",
                FunctionDescriptor.of(ValueLayout.ADDRESS));
    }

    private OpenBlas() {}

    private static MethodHandle downcall(Linker linker, SymbolLookup lookup, String name, FunctionDescriptor fd) {
        MemorySegment symbol = lookup.find(name).orElseThrow(() -> new IllegalStateException(
                "OpenBLAS: expected symbol " + name + " in the library JavaCPP loaded, found none"));
        return linker.downcallHandle(symbol, fd);
    }

    /**
     * Pins the number of threads every later OpenBLAS call uses (a process-wide setting).
     *
     * @param threads at least 1
     */
    public static void setNumThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("openblas_set_num_threads: expected threads >= 1, got " + threads);
        }
        try {
            SET_NUM_THREADS.invokeExact(threads);
        } catch (Throwable t) {
            throw new IllegalStateException("openblas_set_num_threads(" + threads + ") failed", t);
        }
    }

    /** @return the number of threads OpenBLAS currently uses */
    public static int numThreads() {
        try {
            return (int) GET_NUM_THREADS.invokeExact();
        } catch (Throwable t) {
            throw new IllegalStateException("openblas_get_num_threads failed", t);
        }
    }

    /**
     * Refuses to let OpenBLAS be the yardstick unless it runs at its best: no {@link
     * OpenBlasCore#STEERING_VARIABLES} in this JVM's environment, and the core type it picked is
     * the best for this CPU's flags ({@link OpenBlasCore#check}). Checked once per JVM, by every
     * OpenBLAS contender before it is measured.
     *
     * @return the core and why it is the right one, for logs
     * @throws IllegalStateException saying what was expected, what came, and how to fix it
     */
    public static synchronized String requireBestCore() {
        if (bestCore == null) {
            // Not cached when it fails, so every contender reports the same reason.
            OpenBlasCore.checkEnvironment(System.getenv());
            bestCore = OpenBlasCore.check(coreName(), OpenBlasCore.cpuFlags(Path.of("/proc/cpuinfo")));
            System.out.println("OpenBLAS core type: " + bestCore); // into the fork's part of jmh.log
        }
        return bestCore;
    }

    /** @return the kernel family OpenBLAS picked for this CPU, e.g. {@code Zen} or {@code Haswell} */
    public static String coreName() {
        return cString(GET_CORENAME, "openblas_get_corename");
    }

    /** @return OpenBLAS's build configuration line (version, threading, maximum threads) */
    public static String config() {
        return cString(GET_CONFIG, "openblas_get_config");
    }

    private static String cString(MethodHandle function, String name) {
        try {
            MemorySegment s = (MemorySegment) function.invokeExact();
            // The library returns a pointer to a static NUL-terminated string of unknown length.
            return s.reinterpret(4096).getString(0).trim();
        } catch (Throwable t) {
            throw new IllegalStateException(name + " failed", t);
        }
    }
}
