package dev.vectorgrad.data;

import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * One random edit of a file's bytes, for the properties that feed damaged files to the readers:
 * kind 0 flips bits of a byte, 1 cuts the file there, 2 inserts a byte.
 *
 * @param kind 0, 1 or 2
 * @param where the position as a fraction of the length, in [0, 1]
 * @param value the bits to flip or the byte to insert
 */
public record ByteMutation(int kind, double where, int value) {

    /** Lists of one to {@code maxEdits} edits. */
    public static Arbitrary<List<ByteMutation>> lists(int maxEdits) {
        return Combinators.combine(Arbitraries.integers().between(0, 2), Arbitraries.doubles().between(0, 1),
                Arbitraries.integers().between(0, 255)).as(ByteMutation::new).list().ofMinSize(1).ofMaxSize(maxEdits);
    }

    /**
     * Applies every edit in turn.
     *
     * @param nearStart place edits at {@code where²} of the length rather than {@code where}, so
     *        that headers, a small part of a file, are hit often
     */
    public static byte[] applyAll(byte[] in, List<ByteMutation> edits, boolean nearStart) {
        byte[] b = in;
        for (ByteMutation m : edits) {
            b = m.apply(b, nearStart);
        }
        return b;
    }

    private byte[] apply(byte[] in, boolean nearStart) {
        int at = (int) ((nearStart ? where * where : where) * in.length);
        return switch (kind) {
            case 0 -> {
                byte[] out = in.clone();
                if (out.length > 0) {
                    out[Math.min(at, out.length - 1)] ^= (byte) Math.max(1, value);
                }
                yield out;
            }
            case 1 -> Arrays.copyOf(in, at);
            default -> {
                byte[] out = new byte[in.length + 1];
                System.arraycopy(in, 0, out, 0, at);
                out[at] = (byte) value;
                System.arraycopy(in, at, out, at + 1, in.length - at);
                yield out;
            }
        };
    }
}
