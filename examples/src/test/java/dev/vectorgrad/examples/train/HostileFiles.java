package dev.vectorgrad.examples.train;

import dev.vectorgrad.core.Rng;
import dev.vectorgrad.core.Tensor;
import dev.vectorgrad.nn.io.SafeTensors;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/** Files the hostile-input tests write themselves: IDX folders, pickles with float labels, model files. */
final class HostileFiles {

    private HostileFiles() {}

    /** Writes one IDX file, uncompressed. */
    static void writeIdx(Path file, int[] dims, byte[] data) throws IOException {
        try (DataOutputStream d = new DataOutputStream(Files.newOutputStream(file))) {
            d.writeInt(0x0800 | dims.length);
            for (int s : dims) {
                d.writeInt(s);
            }
            d.write(data);
        }
    }

    /**
     * An IDX folder of {@code side x side} images whose pixels follow the label (so training
     * learns something) and the given label bytes.
     */
    static Path idxFolder(Path dir, int side, byte[] trainLabels, byte[] testLabels) throws IOException {
        Files.createDirectories(dir);
        Rng rng = new Rng(7);
        for (String split : new String[] {"train", "t10k"}) {
            byte[] ys = split.equals("train") ? trainLabels : testLabels;
            int px = side * side;
            byte[] images = new byte[ys.length * px];
            for (int i = 0; i < ys.length; i++) {
                for (int p = 0; p < px; p++) {
                    images[i * px + p] = (byte) (p == (ys[i] & 0xff) % px ? 250 : rng.nextInt(40));
                }
            }
            writeIdx(dir.resolve(split + "-images-idx3-ubyte"), new int[] {ys.length, side, side}, images);
            writeIdx(dir.resolve(split + "-labels-idx1-ubyte"), new int[] {ys.length}, ys);
        }
        return dir;
    }

    /**
     * Writes the lesson's pickle layout, {@code ((x, y), (x, y), (x, y))}, with float32 images of
     * {@code pixels} values and float32 labels (so that fractional and NaN labels can be written).
     */
    static void pickle(Path file, int pixels, float[][] images, float[][] labels) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x80);
        out.write(2);
        for (int s = 0; s < 3; s++) {
            int n = labels[s].length;
            array(out, new int[] {n, pixels}, floats(images[s]));
            array(out, new int[] {n}, floats(labels[s]));
            out.write(0x86); // TUPLE2
        }
        out.write(0x87); // TUPLE3
        out.write('.');
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(file))) {
            o.write(out.toByteArray());
        }
    }

    /** Images for {@link #pickle}: {@code n} rows of {@code pixels} values in [0, 1]. */
    static float[] images(int n, int pixels, long seed) {
        Rng rng = new Rng(seed);
        float[] x = new float[n * pixels];
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.nextInt(256) / 255f;
        }
        return x;
    }

    private static byte[] floats(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) {
            b.putFloat(f);
        }
        return b.array();
    }

    private static void global(ByteArrayOutputStream out, String module, String name) {
        out.write('c');
        out.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
    }

    private static void shortString(ByteArrayOutputStream out, String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        out.write('U');
        out.write(b.length);
        out.writeBytes(b);
    }

    private static void binInt(ByteArrayOutputStream out, int v) {
        out.write('J');
        out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array());
    }

    private static void array(ByteArrayOutputStream out, int[] shape, byte[] data) {
        global(out, "numpy.core.multiarray", "_reconstruct");
        global(out, "numpy", "ndarray");
        out.writeBytes(new byte[] {'K', 0, (byte) 0x85});
        shortString(out, "b");
        out.writeBytes(new byte[] {(byte) 0x87, 'R', '(', 'K', 1, '('});
        for (int s : shape) {
            binInt(out, s);
        }
        out.write('t');
        global(out, "numpy", "dtype");
        shortString(out, "f4");
        out.writeBytes(new byte[] {'K', 0, 'K', 1, (byte) 0x87, 'R', '(', 'K', 3});
        shortString(out, "<");
        out.writeBytes(new byte[] {'N', 'N', 'N'});
        binInt(out, -1);
        binInt(out, -1);
        out.writeBytes(new byte[] {'K', 0, 't', 'b', (byte) 0x89, 'T'});
        out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(data.length).array());
        out.writeBytes(data);
        out.writeBytes(new byte[] {'t', 'b'});
    }

    /**
     * A model file of an MLP with the given layer sizes (small random weights), with the given
     * metadata on top of train's.
     */
    static Path model(Path file, int[] sizes, Map<String, String> extraMeta) throws IOException {
        Rng rng = new Rng(11);
        Map<String, Tensor> state = new LinkedHashMap<>();
        for (int l = 0; l + 1 < sizes.length; l++) {
            float[] w = new float[sizes[l + 1] * sizes[l]];
            for (int i = 0; i < w.length; i++) {
                w[i] = (rng.nextInt(2001) - 1000) / 10000f;
            }
            state.put(2 * l + ".weight", Tensor.wrap(w, sizes[l + 1], sizes[l]));
            state.put(2 * l + ".bias", Tensor.zeros(sizes[l + 1]));
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "pt");
        meta.put("architecture", "mlp");
        meta.put("sizes", Mlps.describe(sizes));
        meta.put("input_mean", "0.1");
        meta.put("input_std", "0.3");
        meta.putAll(extraMeta);
        SafeTensors.save(file, state, meta);
        return file;
    }
}
