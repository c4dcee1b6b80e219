package dev.vectorgrad.bench;

import java.util.Locale;

import dev.vectorgrad.core.Rng;
import dev.vectorgrad.core.Tensor;
import dev.vectorgrad.core.internal.Kernels;
import dev.vectorgrad.core.internal.MatmulKernel;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.CommonOps_FDRM;

/**
 * One contender of the matmul benchmark, holding its own copies of A and B in the layout it
 * likes best and a preallocated C, so that {@link #multiply()} does the product and nothing else.
 */
public sealed interface MatmulImpl extends AutoCloseable {

    /** Every implementation name the benchmark's {@code impl} parameter accepts. */
    String[] NAMES = {"vectorgrad-1t", "vectorgrad-2t", "scalar", "openblas-1t", "openblas-2t", "ejml"};

    /** Computes C = A·B into the preallocated C. */
    void multiply();

    /**
     * Restores whatever process-wide setting this contender depends on, before a round of
     * {@link #multiply()} calls when several contenders share one JVM (see {@link Interleaved}).
     */
    default void claimSettings() {}

    /** @return a row-major copy of C, for checking (not for the measured loop) */
    float[] result();

    /** Releases native memory, if any. */
    @Override
    void close();

    /** Seed of the operands every matmul benchmark multiplies. */
    long OPERAND_SEED = 42;

    /**
     * Builds a contender on the benchmarks' operands: A, then B, Gaussian from
     * {@link #OPERAND_SEED}, so every benchmark and {@link Interleaved} multiply the same matrices.
     *
     * @param name one of {@link #NAMES}
     * @param shape the product's sizes
     * @param operands how the contender stores A and B
     * @return the contender, ready to multiply
     */
    static MatmulImpl seeded(String name, MatmulShape shape, Operands operands) {
        Rng rng = new Rng(OPERAND_SEED);
        float[] a = Tensor.randn(rng, shape.m(), shape.k()).toArray();
        float[] b = Tensor.randn(rng, shape.k(), shape.n()).toArray();
        return create(name, shape, a, b, operands);
    }

    /**
     * Builds a contender on row-major operands.
     *
     * @param name one of {@link #NAMES}
     * @param shape the product's sizes
     * @param a A in row-major order, m·k floats (copied)
     * @param b B in row-major order, k·n floats (copied)
     * @return the contender, ready to multiply
     */
    static MatmulImpl create(String name, MatmulShape shape, float[] a, float[] b) {
        return create(name, shape, a, b, Operands.NN);
    }

    /**
     * Builds a contender that holds its operands as {@code operands} says and computes the same
     * C = A·B from them: vectorgrad through the strides of a transposed view, OpenBLAS and EJML
     * through their own transposed-operand calls.
     *
     * @param name one of {@link #NAMES}
     * @param shape the product's sizes
     * @param a A in row-major order, m·k floats (copied)
     * @param b B in row-major order, k·n floats (copied)
     * @param operands how the contender stores A and B
     * @return the contender, ready to multiply
     */
    static MatmulImpl create(String name, MatmulShape shape, float[] a, float[] b, Operands operands) {
        if (a.length != shape.m() * shape.k() || b.length != shape.k() * shape.n()) {
            throw new IllegalArgumentException("matmul " + name + ": expected A of " + shape.m() * shape.k()
                    + " and B of " + shape.k() * shape.n() + " floats for " + shape + ", got "
                    + a.length + " and " + b.length);
        }
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "vectorgrad-1t" -> new Kernel(Kernels.vectorMatmul(1), shape, a, b, operands);
            case "vectorgrad-2t" -> new Kernel(Kernels.vectorMatmul(2), shape, a, b, operands);
            case "scalar" -> new Kernel(Kernels.scalarMatmul(), shape, a, b, operands);
            case "openblas-1t" -> new OpenBlasSgemm(1, shape, a, b, operands);
            case "openblas-2t" -> new OpenBlasSgemm(2, shape, a, b, operands);
            case "ejml" -> new Ejml(shape, a, b, operands);
            default -> throw new IllegalArgumentException("matmul: expected an implementation among "
                    + String.join(", ", NAMES) + ", got '" + name + "'");
        };
    }

    /**
     * A vectorgrad kernel called directly on the arrays, as {@code Tensor.matmul} does; a
     * transposed operand is passed with the strides of a transposed view.
     */
    final class Kernel implements MatmulImpl {
        private final MatmulKernel kernel;
        private final int m;
        private final int k;
        private final int n;
        private final float[] a;
        private final float[] b;
        private final float[] c;
        private final int aRowStride;
        private final int aColStride;
        private final int bRowStride;
        private final int bColStride;

        Kernel(MatmulKernel kernel, MatmulShape shape, float[] a, float[] b, Operands operands) {
            this.kernel = kernel;
            this.m = shape.m();
            this.k = shape.k();
            this.n = shape.n();
            this.a = operands.storeA(a, shape);
            this.b = operands.storeB(b, shape);
            this.c = new float[m * n];
            // A stored k × m: element (i, p) at p·m + i; B stored n × k: element (p, j) at j·k + p
            this.aRowStride = operands.transA() ? 1 : k;
            this.aColStride = operands.transA() ? m : 1;
            this.bRowStride = operands.transB() ? 1 : n;
            this.bColStride = operands.transB() ? k : 1;
        }

        @Override
        public void multiply() {
            kernel.matmul(m, n, k, a, 0, aRowStride, aColStride, b, 0, bRowStride, bColStride, c, 0, n, false);
        }

        @Override
        public float[] result() {
            return c.clone();
        }

        @Override
        public void close() {}
    }

    /**
     * OpenBLAS {@code cblas_sgemm} on off-heap buffers: JavaCPP would copy heap arrays in and out
     * on every call, which would charge OpenBLAS for work vectorgrad does not do.
     */
    final class OpenBlasSgemm implements MatmulImpl {
        private static final int ROW_MAJOR = openblas_nolapack.CblasRowMajor;
        private static final int NO_TRANS = openblas_nolapack.CblasNoTrans;
        private static final int TRANS = openblas_nolapack.CblasTrans;

        private final int threads;
        private final int m;
        private final int k;
        private final int n;
        private final FloatPointer a;
        private final FloatPointer b;
        private final FloatPointer c;
        private final int transA;
        private final int transB;
        private final int lda;
        private final int ldb;

        OpenBlasSgemm(int threads, MatmulShape shape, float[] a, float[] b, Operands operands) {
            OpenBlas.requireBestCore(); // a yardstick below its best would flatter vectorgrad
            this.threads = threads;
            OpenBlas.setNumThreads(threads);
            this.m = shape.m();
            this.k = shape.k();
            this.n = shape.n();
            this.a = new FloatPointer(operands.storeA(a, shape));
            this.b = new FloatPointer(operands.storeB(b, shape));
            this.c = new FloatPointer((long) m * n);
            this.transA = operands.transA() ? TRANS : NO_TRANS;
            this.transB = operands.transB() ? TRANS : NO_TRANS;
            this.lda = operands.transA() ? m : k;
            this.ldb = operands.transB() ? k : n;
        }

        /** OpenBLAS's thread count is global to the library. */
        @Override
        public void claimSettings() {
            OpenBlas.setNumThreads(threads);
        }

        @Override
        public void multiply() {
            openblas_nolapack.cblas_sgemm(ROW_MAJOR, transA, transB, m, n, k,
                    1f, a, lda, b, ldb, 0f, c, n);
        }

        @Override
        public float[] result() {
            float[] out = new float[m * n];
            c.get(out);
            return out;
        }

        @Override
        public void close() {
            a.close();
            b.close();
            c.close();
        }
    }

    /** EJML's single-threaded dense row-major product ({@code multTransA}/{@code multTransB} for transposes). */
    final class Ejml implements MatmulImpl {
        private final FMatrixRMaj a;
        private final FMatrixRMaj b;
        private final FMatrixRMaj c;
        private final Operands operands;

        Ejml(MatmulShape shape, float[] a, float[] b, Operands operands) {
            this.operands = operands;
            this.a = operands.transA()
                    ? new FMatrixRMaj(shape.k(), shape.m(), true, operands.storeA(a, shape))
                    : new FMatrixRMaj(shape.m(), shape.k(), true, a);
            this.b = operands.transB()
                    ? new FMatrixRMaj(shape.n(), shape.k(), true, operands.storeB(b, shape))
                    : new FMatrixRMaj(shape.k(), shape.n(), true, b);
            this.c = new FMatrixRMaj(shape.m(), shape.n());
        }

        @Override
        public void multiply() {
            switch (operands) {
                case NN -> CommonOps_FDRM.mult(a, b, c);
                case TN -> CommonOps_FDRM.multTransA(a, b, c);
                case NT -> CommonOps_FDRM.multTransB(a, b, c);
            }
        }

        @Override
        public float[] result() {
            return c.data.clone();
        }

        @Override
        public void close() {}
    }
}
