package dev.vectorgrad.data.npm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vectorgrad.data.DataFormatException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * A valid package tarball with bytes flipped, cut or inserted (in the tar before compression,
 * where the headers and the JSON are, or in the gzip bytes): reading it either succeeds with
 * self-consistent digits or throws {@link DataFormatException}; never another exception.
 */
class MutatedTarballProperties {
    private static final byte[] TAR = NpmMnistTest.fakePackage(-1).tar();
    private static final byte[] TGZ = TarBuilder.gzip(TAR);

    /** One edit: 0 flips bits, 1 cuts there, 2 inserts a byte. */
    record Mutation(int kind, double where, int value) {
        byte[] apply(byte[] in) {
            int at = (int) (where * in.length);
            return switch (kind) {
                case 0 -> {
                    byte[] out = in.clone();
                    out[Math.min(at, out.length - 1)] ^= (byte) Math.max(1, value);
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

    @Provide
    Arbitrary<List<Mutation>> mutations() {
        return Combinators.combine(Arbitraries.integers().between(0, 2), Arbitraries.doubles().between(0, 1).ofScale(4),
                Arbitraries.integers().between(0, 255)).as(Mutation::new).list().ofMinSize(1).ofMaxSize(3);
    }

    private static byte[] mutate(byte[] in, List<Mutation> ms) {
        byte[] b = in;
        for (Mutation m : ms) {
            if (b.length > 0) {
                b = m.apply(b);
            }
        }
        return b;
    }

    private static void readOrRefuse(byte[] tgz) {
        try {
            DigitImages d = NpmMnist.read(new ByteArrayInputStream(tgz), "mutated.tgz");
            assertEquals((long) d.size() * DigitImages.PIXELS, d.pixelBytes().length);
            assertEquals(d.size(), Arrays.stream(d.digitCounts()).sum());
            for (int i = 1; i < d.size(); i++) {
                assertTrue(d.digit(i - 1) <= d.digit(i), "digits in file order");
            }
        } catch (DataFormatException e) {
            assertTrue(e.getMessage().startsWith("mutated.tgz"), e.getMessage());
        } catch (IOException e) {
            throw new AssertionError("not a DataFormatException: " + e, e);
        }
    }

    @Property(tries = 200)
    void mutatedTarIsReadOrRefused(@ForAll("mutations") List<Mutation> ms) {
        readOrRefuse(TarBuilder.gzip(mutate(TAR, ms)));
    }

    @Property(tries = 150)
    void mutatedGzipIsReadOrRefused(@ForAll("mutations") List<Mutation> ms) {
        readOrRefuse(mutate(TGZ, ms));
    }
}
