package dev.vectorgrad.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/**
 * The 12-row register tile ({@code vectorgrad.matmulTile=12x2}) gives the 6-row tile's bits. Its
 * kernel runs every element of C through the same chain of multiply-adds as two 6-row calls, so
 * the products must be equal bit for bit, over shapes that pair row tiles, leave one over, end in
 * partial tiles and dot-product edges, over transposed operands, accumulation and two threads.
 * The tile is a per-JVM constant: a child JVM runs the cases with the tile this one does not use
 * (so the test checks the wide kernel on any machine: at 256 bits it spills registers, slowly but
 * with the same arithmetic) and prints one digest per case.
 */
class MatmulWideTileTest {

    /** Prints the tile it ran and one line per case; run by the test in a child JVM. */
    static final class OtherTileProbe {
        public static void main(String[] args) {
            System.out.println("wide " + VectorMatmul.WIDE_TILE);
            for (String line : digests()) {
                System.out.println("case " + line);
            }
        }
    }

    /** {m, n, k}: pairs of row tiles with and without a row tile left over, partial tiles, edges. */
    private static final int[][] SHAPES = {
        {12, 16, 7}, {12, 64, 1}, {13, 48, 5}, {18, 32, 33}, {24, 64, 400}, {25, 50, 401},
        {36, 100, 17}, {96, 64, 784}, {97, 70, 129}, {100, 128, 1021}, {193, 96, 64}, {200, 70, 450},
    };

    static List<String> digests() {
        List<String> lines = new ArrayList<>();
        for (int threads = 1; threads <= 2; threads++) {
            VectorMatmul kernel = VectorMatmul.create(Parallel.withThreads(threads));
            for (int[] shape : SHAPES) {
                for (int layout = 0; layout < 3; layout++) {
                    for (boolean accumulate : new boolean[] {false, true}) {
                        lines.add(threads + "t " + shape[0] + "x" + shape[1] + "x" + shape[2] + " "
                                + LAYOUTS[layout] + (accumulate ? " +=" : " =") + " "
                                + digest(kernel, shape[0], shape[1], shape[2], layout, accumulate));
                    }
                }
            }
        }
        return lines;
    }

    private static final String[] LAYOUTS = {"A·B", "Aᵀ·B", "A·Bᵀ"};

    /** The product's bits hashed; A or B stored transposed when {@code layout} says so. */
    private static String digest(VectorMatmul kernel, int m, int n, int k, int layout, boolean accumulate) {
        SplittableRandom rng = new SplittableRandom(31L * m + 7L * n + k);
        float[] a = values(rng, m * k);
        float[] b = values(rng, k * n);
        float[] c = values(rng, m * n);
        boolean aT = layout == 1;
        boolean bT = layout == 2;
        kernel.matmul(m, n, k,
                a, 0, aT ? 1 : k, aT ? m : 1,
                b, 0, bT ? 1 : n, bT ? k : 1,
                c, 0, n, accumulate);
        long h = 17;
        for (float f : c) {
            h = 31 * h + Float.floatToRawIntBits(f);
        }
        return Long.toHexString(h);
    }

    private static float[] values(SplittableRandom rng, int size) {
        float[] v = new float[size];
        for (int i = 0; i < size; i++) {
            v[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        return v;
    }

    @Test
    void bothTilesGiveTheSameBits() throws Exception {
        List<String> here = digests();
        String other = VectorMatmul.WIDE_TILE ? "6x2" : "12x2";
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = Path.of(OtherTileProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                + File.pathSeparator
                + Path.of(VectorMatmul.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> cmd = new ArrayList<>(List.of(java, "--add-modules", "jdk.incubator.vector",
                "-D" + VectorMatmul.TILE_PROPERTY + "=" + other));
        String bits = System.getProperty(Kernels.BIT_SIZE_PROPERTY);
        if (bits != null) {
            cmd.add("-D" + Kernels.BIT_SIZE_PROPERTY + "=" + bits);
        }
        cmd.addAll(List.of("-cp", cp, OtherTileProbe.class.getName()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String printed = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), printed);
        assertTrue(printed.contains("wide " + !VectorMatmul.WIDE_TILE),
                "the child JVM should run the " + other + " tile: " + printed);
        List<String> there = printed.lines().filter(l -> l.startsWith("case ")).map(l -> l.substring(5)).toList();
        assertEquals(here.size(), there.size(), "cases from the child JVM: " + printed);
        for (int i = 0; i < here.size(); i++) {
            assertEquals(here.get(i), there.get(i), "case " + i + ": this JVM's tile against " + other);
        }
    }

    @Test
    void theDefaultTileIsWideExactlyAt512Bits() {
        assertTrue(VectorMatmul.pickWideTile(null, 512));
        assertTrue(VectorMatmul.pickWideTile(" ", 512));
        assertFalse(VectorMatmul.pickWideTile(null, 256));
        assertFalse(VectorMatmul.pickWideTile(null, 128));
        assertFalse(VectorMatmul.pickWideTile("6x2", 512));
        assertTrue(VectorMatmul.pickWideTile(" 12x2 ", 256));
    }

    @Test
    void anUnknownTileIsRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> VectorMatmul.pickWideTile("8x3", 512));
        assertTrue(e.getMessage().contains("vectorgrad.matmulTile"), e.getMessage());
        assertTrue(e.getMessage().contains("expected 6x2 or 12x2"), e.getMessage());
        assertTrue(e.getMessage().contains("'8x3'"), e.getMessage());
    }

    @Test
    void theDescriptionNamesTheTileInUse() {
        String tile = (VectorMatmul.WIDE_TILE ? 12 : 6) + "x" + VectorMatmul.NR + " tile";
        String described = VectorMatmul.create(Parallel.withThreads(1)).describe();
        assertTrue(described.contains(tile), described);
    }
}
