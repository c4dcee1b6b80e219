package dev.vectorgrad.core.internal;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Matmul on the Vector API. Provisional: broadcast A[i][p] against row p of B and accumulate
 * into row i of C; operands whose B rows are not contiguous go to the scalar twin.
 */
final class VectorMatmul implements MatmulKernel {

    private final VectorSpecies<Float> species;
    private final boolean fastFma;

    private VectorMatmul(VectorSpecies<Float> species, boolean fastFma) {
        this.species = species;
        this.fastFma = fastFma;
    }

    static VectorMatmul create(VectorSpecies<Float> species, boolean fastFma) {
        return new VectorMatmul(species, fastFma);
    }

    @Override
    public void matmul(int m, int n, int k,
                       float[] a, int aOff, int aRowStride, int aColStride,
                       float[] b, int bOff, int bRowStride, int bColStride,
                       float[] c, int cOff, int cRowStride, boolean accumulate) {
        if (bColStride != 1) {
            ScalarMatmul.INSTANCE.matmul(m, n, k, a, aOff, aRowStride, aColStride,
                    b, bOff, bRowStride, bColStride, c, cOff, cRowStride, accumulate);
            return;
        }
        int lanes = species.length();
        int bound = species.loopBound(n);
        for (int i = 0; i < m; i++) {
            int cRow = cOff + i * cRowStride;
            if (!accumulate) {
                java.util.Arrays.fill(c, cRow, cRow + n, 0f);
            }
            for (int p = 0; p < k; p++) {
                float aip = a[aOff + i * aRowStride + p * aColStride];
                FloatVector va = FloatVector.broadcast(species, aip);
                int bRow = bOff + p * bRowStride;
                int j = 0;
                for (; j < bound; j += lanes) {
                    FloatVector vb = FloatVector.fromArray(species, b, bRow + j);
                    FloatVector vc = FloatVector.fromArray(species, c, cRow + j);
                    (fastFma ? vb.fma(va, vc) : vb.mul(va).add(vc)).intoArray(c, cRow + j);
                }
                for (; j < n; j++) {
                    c[cRow + j] += aip * b[bRow + j];
                }
            }
        }
    }

    @Override
    public String describe() {
        return "Vector API matmul, " + species.vectorBitSize() + " bits (provisional row kernel)";
    }
}
