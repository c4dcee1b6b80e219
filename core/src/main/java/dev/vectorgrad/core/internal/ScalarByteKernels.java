package dev.vectorgrad.core.internal;

/** Plain loops: the twin of {@link VectorByteKernels}, its tail, and the scalar implementation. */
public final class ScalarByteKernels implements ByteKernels {

    /** The shared instance; the class holds no state. */
    public static final ScalarByteKernels INSTANCE = new ScalarByteKernels();

    private ScalarByteKernels() {}

    @Override
    public void unsignedToFloats(byte[] src, int sOff, float[] dst, int dOff, int n, float scale, float shift) {
        for (int i = 0; i < n; i++) {
            float product = (src[sOff + i] & 0xff) * scale;
            dst[dOff + i] = product + shift;
        }
    }

    @Override
    public String describe() {
        return "scalar byte kernels";
    }
}
