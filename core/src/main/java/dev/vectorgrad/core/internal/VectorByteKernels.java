package dev.vectorgrad.core.internal;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The byte kernels on the Vector API, at the kernels' float species (so no second float vector
 * class enters the JVM; see {@code Transpose}). Needs at least 8 float lanes, so that the bytes
 * of one step fill a 64-bit vector.
 */
final class VectorByteKernels implements ByteKernels {

    private static final VectorSpecies<Float> F = VectorMatmul.S;
    private static final int LANES = F.length();
    /** As many bytes as F has lanes: a quarter of F's width. */
    private static final VectorSpecies<Byte> B = ByteVector.SPECIES_MAX.withShape(VectorShape.forBitSize(LANES * 8));
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_MAX.withShape(F.vectorShape());

    private final ScalarByteKernels tail = ScalarByteKernels.INSTANCE;

    /*
     * Trick: load LANES bytes, zero-extend them to ints of the float width in one conversion (a
     * vpmovzxbd), convert to floats, then multiply and add as two rounded steps like the twin.
     */
    @Override
    public void unsignedToFloats(byte[] src, int sOff, float[] dst, int dOff, int n, float scale, float shift) {
        FloatVector vs = FloatVector.broadcast(F, scale);
        FloatVector vh = FloatVector.broadcast(F, shift);
        int i = 0;
        int bound = F.loopBound(n);
        for (; i < bound; i += LANES) {
            ByteVector b = ByteVector.fromArray(B, src, sOff + i);
            IntVector wide = (IntVector) b.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0);
            FloatVector f = (FloatVector) wide.convertShape(VectorOperators.I2F, F, 0);
            f.mul(vs).add(vh).intoArray(dst, dOff + i);
        }
        tail.unsignedToFloats(src, sOff + i, dst, dOff + i, n - i, scale, shift);
    }

    @Override
    public String describe() {
        return "Vector API byte kernels, " + LANES + " bytes a step";
    }
}
