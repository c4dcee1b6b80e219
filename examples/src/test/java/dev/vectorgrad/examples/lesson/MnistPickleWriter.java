package dev.vectorgrad.examples.lesson;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/**
 * Writes a small file in the layout of the lesson's {@code mnist.pkl.gz}:
 * {@code ((x_train, y_train), (x_valid, y_valid), (x_test, y_test))} with float32 image rows and
 * int64 labels, as Python 2's cPickle writes NumPy arrays with protocol 2 (a {@code _reconstruct}
 * call, then {@code BUILD} with the version, shape, dtype, Fortran flag and raw bytes).
 */
final class MnistPickleWriter {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private MnistPickleWriter() {}

    /** The three splits as images {@code [n, pixels]} (row-major floats) and labels. */
    record Split(float[] images, int pixels, long[] labels) {}

    static void write(Path file, Split train, Split valid, Split test) throws IOException {
        MnistPickleWriter w = new MnistPickleWriter();
        w.op(0x80).op(2);
        for (Split s : new Split[] {train, valid, test}) {
            int n = s.labels().length;
            ByteBuffer x = ByteBuffer.allocate(4 * s.images().length).order(ByteOrder.LITTLE_ENDIAN);
            for (float f : s.images()) {
                x.putFloat(f);
            }
            ByteBuffer y = ByteBuffer.allocate(8 * n).order(ByteOrder.LITTLE_ENDIAN);
            for (long l : s.labels()) {
                y.putLong(l);
            }
            w.array(new int[] {n, s.pixels()}, "f4", x.array());
            w.array(new int[] {n}, "i8", y.array());
            w.op(0x86); // TUPLE2
        }
        w.op(0x87).op('.'); // TUPLE3, STOP
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(file))) {
            o.write(w.out.toByteArray());
        }
    }

    private MnistPickleWriter op(int b) {
        out.write(b);
        return this;
    }

    private void global(String module, String name) {
        op('c');
        out.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
    }

    private void shortString(String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        op('U').op(b.length);
        out.writeBytes(b);
    }

    private void binInt(int v) {
        op('J');
        out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array());
    }

    private void array(int[] shape, String dtype, byte[] data) {
        global("numpy.core.multiarray", "_reconstruct");
        global("numpy", "ndarray");
        op('K').op(0).op(0x85); // (0,)
        shortString("b");
        op(0x87).op('R'); // _reconstruct(ndarray, (0,), 'b')
        op('(');
        op('K').op(1); // pickle version of the array state
        op('(');
        for (int s : shape) {
            binInt(s);
        }
        op('t');
        global("numpy", "dtype");
        shortString(dtype);
        op('K').op(0).op('K').op(1).op(0x87).op('R'); // dtype('f4', 0, 1)
        op('(').op('K').op(3);
        shortString("<");
        op('N').op('N').op('N');
        binInt(-1);
        binInt(-1);
        op('K').op(0).op('t').op('b'); // BUILD the dtype's state
        op(0x89); // not Fortran order
        op('T');
        out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(data.length).array());
        out.writeBytes(data);
        op('t').op('b'); // BUILD the array's state
    }
}
