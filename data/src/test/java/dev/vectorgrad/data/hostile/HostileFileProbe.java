package dev.vectorgrad.data.hostile;

import dev.vectorgrad.data.idx.Idx;
import dev.vectorgrad.data.npm.NpmMnist;
import dev.vectorgrad.data.numpy.Npy;
import dev.vectorgrad.data.numpy.Npz;
import dev.vectorgrad.data.pickle.MnistPickle;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Run in a JVM of its own with a small heap: reads every file of a manifest ({@code id TAB kind
 * TAB path} lines) with the loader its kind names, and prints one line per file, {@code id TAB
 * outcome}: the exception's class, whether its message is one line of printable text, and the
 * message with anything unprintable masked. An OutOfMemoryError is an outcome like any other,
 * so one bad reader does not hide the rest.
 */
public final class HostileFileProbe {
    private HostileFileProbe() {}

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        List<String> manifest = Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8);
        for (String line : manifest) {
            String[] f = line.split("\t", 3);
            Path file = Path.of(f[2]);
            String outcome;
            try {
                read(f[1], file);
                outcome = "returned";
            } catch (Throwable t) {
                String m = String.valueOf(t.getMessage());
                outcome = t.getClass().getName() + "\t" + (printableLine(m) ? "printable" : "UNPRINTABLE") + "\t" + mask(m);
            }
            out.println(f[0] + "\t" + outcome);
        }
        out.println("done");
    }

    private static void read(String kind, Path file) throws Exception {
        switch (kind) {
            case "pickle" -> MnistPickle.read(file);
            case "npy" -> Npy.read(file);
            case "npz" -> Npz.read(file);
            case "idx" -> Idx.readRaw(file);
            case "npm" -> NpmMnist.read(file);
            default -> throw new IllegalArgumentException("unknown kind " + kind);
        }
    }

    static boolean printableLine(String m) {
        for (int i = 0; i < m.length(); i++) {
            char c = m.charAt(i);
            if (c < 0x20 || (c >= 0x7f && c < 0xa0) || Character.getType(c) == Character.FORMAT
                    || Character.isSurrogate(c) || c == '\u2028' || c == '\u2029') {
                return false;
            }
        }
        return true;
    }

    private static String mask(String m) {
        StringBuilder sb = new StringBuilder(m.length());
        for (int i = 0; i < m.length(); i++) {
            char c = m.charAt(i);
            sb.append(printableLine(String.valueOf(c)) ? c : '?');
        }
        return sb.toString();
    }
}
