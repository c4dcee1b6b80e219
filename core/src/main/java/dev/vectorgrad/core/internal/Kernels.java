package dev.vectorgrad.core.internal;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Chooses the kernels once, at class initialisation, and holds them in {@code static final}
 * fields so the JIT can inline through them.
 *
 * <p>System property {@code vectorgrad.vectorBitSize}: unset means the platform's preferred
 * vector shape; {@code 0} forces the scalar kernels; 64, 128, 256 or 512 ask for that width.
 * The Vector API is used only when the width is at least 128 bits and C2 is on, since the
 * interpreter and C1 run it far slower than plain loops.
 */
public final class Kernels {

    /** The property that picks the vector width in bits ({@code 0} = scalar). */
    public static final String BIT_SIZE_PROPERTY = "vectorgrad.vectorBitSize";

    /** Vector width in use, in bits; 0 when the scalar kernels are in use. */
    public static final int VECTOR_BIT_SIZE;

    /** Whether the CPU has a fused multiply-add the JIT uses; without it {@code fma} is emulated. */
    public static final boolean FAST_FMA = detectFma();

    /** Elementwise and reduction kernels. */
    public static final FloatKernels ELEMENTWISE;

    /** The matrix multiply. */
    public static final MatmulKernel MATMUL;

    /** The fused kernels of a training step (linear epilogue, relu backward, sums, losses). */
    public static final FusedKernels FUSED;

    /** The fused optimiser updates behind {@code dev.vectorgrad.core.Updates}. */
    public static final UpdateKernels UPDATES;

    /** Unsigned bytes into floats, behind {@code dev.vectorgrad.core.UnsignedBytes}. */
    public static final ByteKernels BYTES;

    /** The unpacked small products of a convolution, behind {@code dev.vectorgrad.core.Convolution}. */
    public static final ConvKernels CONV;
    /** Batch and layer normalisation statistics and passes, behind {@code dev.vectorgrad.core.Normalization}. */
    public static final NormalizationKernels NORMALIZATION;
    /** The log-softmax along a dim and its backward, behind {@code dev.vectorgrad.core.LogSoftmax}. */
    public static final SoftmaxKernels SOFTMAX;

    static {
        VectorSpecies<Float> species = chooseSpecies();
        VECTOR_BIT_SIZE = species == null ? 0 : species.vectorBitSize();
        if (species == null) {
            ELEMENTWISE = ScalarKernels.INSTANCE;
            MATMUL = ScalarMatmul.INSTANCE;
            FUSED = ScalarFusedKernels.INSTANCE;
            UPDATES = ScalarUpdateKernels.INSTANCE;
            BYTES = ScalarByteKernels.INSTANCE;
            CONV = ScalarConvKernels.INSTANCE;
            NORMALIZATION = ScalarNormalizationKernels.INSTANCE;
            SOFTMAX = ScalarSoftmaxKernels.INSTANCE;
        } else {
            ELEMENTWISE = new VectorKernels(species, FAST_FMA);
            MATMUL = VectorMatmul.create(Parallel.shared());
            FUSED = new VectorFusedKernels(species, FAST_FMA);
            UPDATES = new VectorUpdateKernels(species);
            // Byte vectors start at 64 bits: a quarter of the float width must be at least that.
            BYTES = species.length() >= 8 ? new VectorByteKernels() : ScalarByteKernels.INSTANCE;
            // The conv kernels use the matmul's species, which is the width the property asks for.
            CONV = new VectorConvKernels();
            NORMALIZATION = new VectorNormalizationKernels(species);
            SOFTMAX = new VectorSoftmaxKernels(species);
        }
        System.getLogger("dev.vectorgrad.core").log(System.Logger.Level.INFO,
                "vectorgrad kernels: {0}; {1}; {2}", ELEMENTWISE.describe(), MATMUL.describe(), FUSED.describe());
    }

    private Kernels() {}

    /**
     * Whether {@link #vectorMatmul(int)} can be built here: the platform's vector width is at
     * least 128 bits. It may be true while {@link #MATMUL} is scalar (property set to 0).
     */
    public static boolean vectorMatmulSupported() {
        return VectorMatmul.supported();
    }

    /**
     * The Vector API matmul spreading large products over exactly {@code threads} threads (the
     * caller included), whatever {@link #BIT_SIZE_PROPERTY} and {@link Parallel#THREADS_PROPERTY}
     * say; for benchmarks and tests that compare thread counts in one JVM. The width is the one
     * {@link #BIT_SIZE_PROPERTY} asks for when available, else the platform's preferred one.
     *
     * @throws IllegalArgumentException if {@code threads < 1}
     * @throws UnsupportedOperationException if {@link #vectorMatmulSupported()} is false
     */
    public static MatmulKernel vectorMatmul(int threads) {
        Parallel pool = Parallel.withThreads(threads);
        if (!VectorMatmul.supported()) {
            throw new UnsupportedOperationException("vectorMatmul: the platform's preferred vector width is "
                    + FloatVector.SPECIES_PREFERRED.vectorBitSize()
                    + " bits; the Vector API matmul needs at least 128");
        }
        return VectorMatmul.create(pool);
    }

    /** The scalar reference matmul, the oracle of the vector kernel's tests. */
    public static MatmulKernel scalarMatmul() {
        return ScalarMatmul.INSTANCE;
    }

    /** One line naming the kernels in use, for logs and benchmark reports. */
    public static String describe() {
        return ELEMENTWISE.describe() + "; " + MATMUL.describe() + "; " + FUSED.describe();
    }

    private static VectorSpecies<Float> chooseSpecies() {
        int preferred = FloatVector.SPECIES_PREFERRED.vectorBitSize();
        int bits = chooseBitSize(System.getProperty(BIT_SIZE_PROPERTY), preferred, c2Enabled());
        if (bits == 0) {
            return null;
        }
        return preferred == bits
                ? FloatVector.SPECIES_PREFERRED
                : VectorSpecies.of(float.class, VectorShape.forBitSize(bits));
    }

    /**
     * The vector width to use, 0 for the scalar kernels: the pure decision, apart from the
     * JVM it reads, so that tests can try every property value.
     *
     * @param requested the property value, null or blank for the preferred width
     * @param preferredBits the platform's preferred vector width
     * @param c2 whether the C2 compiler is on
     * @return 0, 128, 256 or 512
     */
    static int chooseBitSize(String requested, int preferredBits, boolean c2) {
        int bits;
        if (requested == null || requested.isBlank()) {
            bits = preferredBits;
        } else {
            try {
                bits = Integer.parseInt(requested.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(BIT_SIZE_PROPERTY + ": expected 0, 64, 128, 256 or 512, got '"
                        + requested + "'", e);
            }
            if (bits != 0 && bits != 64 && bits != 128 && bits != 256 && bits != 512) {
                throw new IllegalArgumentException(BIT_SIZE_PROPERTY + ": expected 0, 64, 128, 256 or 512, got "
                        + bits);
            }
        }
        if (bits > preferredBits || bits < 128 || !c2) {
            // Wider than the hardware, or too narrow to pay off, or no C2: plain loops win.
            return 0;
        }
        return bits;
    }

    private static boolean c2Enabled() {
        try {
            List<String> args = ManagementFactory.getRuntimeMXBean().getInputArguments();
            for (String arg : args) {
                if (arg.equals("-Xint") || arg.startsWith("-XX:TieredStopAtLevel=") && !arg.endsWith("=4")) {
                    return false;
                }
            }
        } catch (RuntimeException | LinkageError e) {
            // No management support: assume the default JIT.
        }
        return true;
    }

    private static boolean detectFma() {
        try {
            HotSpotDiagnosticMXBean bean = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            return Boolean.parseBoolean(bean.getVMOption("UseFMA").getValue());
        } catch (RuntimeException | LinkageError e) {
            return true; // every x86-64 since Haswell and every AArch64 core has FMA
        }
    }
}
