package dev.vectorgrad.core;

import dev.vectorgrad.core.internal.Kernels;
import dev.vectorgrad.core.internal.MatmulKernel;

/** Shape checks and batching around the matmul kernel; operands go in with their own strides. */
final class Matmul {

    private static final MatmulKernel K = Kernels.MATMUL;

    private Matmul() {}

    static Tensor matmul(Tensor a, Tensor b) {
        int ra = a.dim();
        int rb = b.dim();
        if (ra == 0 || rb == 0 || ra > 3 || rb > 3) {
            throw new IllegalArgumentException("matmul: " + Shapes.str(a.shapeRef()) + " @ " + Shapes.str(b.shapeRef())
                    + ": expected operands of 1 to 3 dims");
        }
        // Checked here, before a 1-d operand is unsqueezed, so the message shows the shapes given.
        int innerA = a.size(-1);
        int innerB = rb == 1 ? b.size(0) : b.size(-2);
        if (innerA != innerB) {
            throw new IllegalArgumentException("matmul: " + Shapes.str(a.shapeRef()) + " @ " + Shapes.str(b.shapeRef())
                    + ": inner sizes " + innerA + " != " + innerB);
        }
        if (ra == 1) { // row vector: [k] @ B -> drop the leading 1 afterwards
            return matmul(a.unsqueeze(0), b).squeeze(rb == 3 ? 1 : 0);
        }
        if (rb == 1) { // column vector: A @ [k] -> drop the trailing 1 afterwards
            return matmul(a, b.unsqueeze(1)).squeeze(-1);
        }
        int m = a.size(-2);
        int k = a.size(-1);
        int kb = b.size(-2);
        int n = b.size(-1);
        if (k != kb) {
            throw new IllegalArgumentException("matmul: " + Shapes.str(a.shapeRef()) + " @ " + Shapes.str(b.shapeRef())
                    + ": inner sizes " + k + " != " + kb);
        }
        if (ra == 2 && rb == 2) {
            Tensor out = Tensor.zeros(m, n);
            run(a, 0, b, 0, out, 0, m, n, k, false);
            return out;
        }
        int batchA = ra == 3 ? a.size(0) : 1;
        int batchB = rb == 3 ? b.size(0) : 1;
        if (batchA != batchB && batchA != 1 && batchB != 1) {
            throw new IllegalArgumentException("matmul: " + Shapes.str(a.shapeRef()) + " @ " + Shapes.str(b.shapeRef())
                    + ": batch sizes " + batchA + " and " + batchB + " must be equal or one of them 1");
        }
        int batch = Math.max(batchA, batchB);
        Tensor out = Tensor.zeros(batch, m, n);
        int strideA = ra == 3 && batchA > 1 ? a.stridesRef()[0] : 0;
        int strideB = rb == 3 && batchB > 1 ? b.stridesRef()[0] : 0;
        for (int i = 0; i < batch; i++) {
            run(a, i * strideA, b, i * strideB, out, i * m * n, m, n, k, false);
        }
        return out;
    }

    static void into(Tensor a, Tensor b, Tensor out, boolean accumulate) {
        if (a.dim() != 2 || b.dim() != 2 || out.dim() != 2) {
            throw new IllegalArgumentException("matmulInPlace: " + Shapes.str(a.shapeRef()) + " @ "
                    + Shapes.str(b.shapeRef()) + " into " + Shapes.str(out.shapeRef()) + ": expected 2-d tensors");
        }
        int m = a.size(0);
        int k = a.size(1);
        int n = b.size(1);
        if (b.size(0) != k) {
            throw new IllegalArgumentException("matmulInPlace: " + Shapes.str(a.shapeRef()) + " @ "
                    + Shapes.str(b.shapeRef()) + ": inner sizes " + k + " != " + b.size(0));
        }
        if (out.size(0) != m || out.size(1) != n) {
            throw new IllegalArgumentException("matmulInPlace: " + Shapes.str(a.shapeRef()) + " @ "
                    + Shapes.str(b.shapeRef()) + " is [" + m + ", " + n + "], but the output has shape "
                    + Shapes.str(out.shapeRef()));
        }
        if (out.sharesStorageWith(a) || out.sharesStorageWith(b)) {
            throw new IllegalArgumentException("matmulInPlace: the output shares storage with an operand;"
                    + " the product would read values it has already overwritten");
        }
        if (out.stridesRef()[1] != 1 && n > 1) {
            Tensor tmp = Tensor.zeros(m, n);
            if (accumulate) {
                tmp.copyFrom(out);
            }
            run(a, 0, b, 0, tmp, 0, m, n, k, accumulate);
            out.copyFrom(tmp);
            return;
        }
        run(a, 0, b, 0, out, 0, m, n, k, accumulate);
    }

    /** Calls the kernel on the last two dims of each operand, shifted by a batch offset. */
    private static void run(Tensor a, int aShift, Tensor b, int bShift, Tensor out, int outShift,
                            int m, int n, int k, boolean accumulate) {
        if (m == 0 || n == 0) {
            // Nothing to write; and an empty output's row stride may point past its storage,
            // which the kernels' row fill would reject.
            return;
        }
        int[] sa = a.stridesRef();
        int[] sb = b.stridesRef();
        int[] so = out.stridesRef();
        int ra = sa.length;
        int rb = sb.length;
        int ro = so.length;
        K.matmul(m, n, k,
                a.data(), a.offset() + aShift, sa[ra - 2], sa[ra - 1],
                b.data(), b.offset() + bShift, sb[rb - 2], sb[rb - 1],
                out.data(), out.offset() + outShift, m > 1 ? so[ro - 2] : n, accumulate);
    }
}
