package dev.vectorgrad.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The SIMD activation kernels, and the log-softmax kernels, give the same bits interpreted and compiled. Why it needs a test:
 * the Vector API's {@code lanewise(EXP)} and {@code lanewise(LOG)} are SVML under C2 but a
 * per-lane fallback that rounds otherwise in the interpreter and C1, so a kernel built on them
 * changed its results when the JIT reached it, and a captured replay could differ from the eager
 * pass it was recorded from. A child JVM runs the kernels under {@code -Xint}; this one runs them
 * until C2 has compiled them; the digests of every output must be equal.
 */
class ActivationKernelsDeterminismTest {

    /** Prints the digest of the kernels' outputs over fixed inputs; run by the test in an interpreted JVM. */
    static final class InterpretedProbe {
        public static void main(String[] args) {
            System.out.println("digest " + digest());
        }
    }

    static String digest() {
        // Kernels first: it builds the kernels' species, which VectorKernels' own constants read.
        Kernels.describe();
        FloatKernels k = new VectorKernels(VectorMatmul.S, true);
        int n = 3 * VectorMatmul.S.length() * 16 + 5;
        float[] x = ActivationKernelsProperties.data(7, n);
        float[] out = new float[n];
        long h = 17;
        for (UnaryOp op : UnaryOp.values()) {
            k.unary(op, x, 0, out, 0, n);
            h = mix(h, out);
        }
        for (UnaryParamOp op : UnaryParamOp.values()) {
            k.unaryParam(op, 0.7f, 20f, x, 0, out, 0, n);
            h = mix(h, out);
        }
        for (UnaryGradOp op : UnaryGradOp.values()) {
            k.unaryBackward(op, 0.7f, 20f, x, 0, x, 0, out, 0, n, false);
            h = mix(h, out);
        }
        // The log-softmax kernels take their exps and logs the same way: along rows and across columns.
        SoftmaxKernels softmax = new VectorSoftmaxKernels(VectorMatmul.S);
        float[] grad = new float[n];
        softmax.logSoftmax(x, 0, out, 0, 3, n / 3, 1);
        softmax.logSoftmaxBackward(x, 0, out, 0, grad, 0, 3, n / 3, 1, false);
        h = mix(mix(h, out), grad);
        softmax.logSoftmax(x, 0, out, 0, 1, 3, n / 3);
        softmax.logSoftmaxBackward(x, 0, out, 0, grad, 0, 1, 3, n / 3, false);
        h = mix(mix(h, out), grad);
        return Long.toHexString(h);
    }

    private static long mix(long h, float[] values) {
        for (float f : values) {
            h = 31 * h + Float.floatToRawIntBits(f);
        }
        return h;
    }

    @Test
    void theInterpreterAndCompiledCodeGiveTheSameBits() throws Exception {
        String compiled = null;
        for (int i = 0; i < 3_000; i++) { // enough calls for C2; the digest is the same on every call once compiled
            compiled = digest();
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = Path.of(InterpretedProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                + File.pathSeparator
                + Path.of(VectorKernels.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> cmd = new ArrayList<>(List.of(java, "-Xint", "--add-modules", "jdk.incubator.vector"));
        String bits = System.getProperty(Kernels.BIT_SIZE_PROPERTY);
        if (bits != null) {
            cmd.add("-D" + Kernels.BIT_SIZE_PROPERTY + "=" + bits);
        }
        cmd.addAll(List.of("-cp", cp, InterpretedProbe.class.getName()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String printed = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), printed);
        String interpreted = printed.lines().filter(l -> l.startsWith("digest ")).findFirst()
                .orElseThrow(() -> new AssertionError("no digest from the interpreted JVM: " + printed));
        assertEquals("digest " + compiled, interpreted, "the kernels' bits changed between -Xint and C2");
    }
}
