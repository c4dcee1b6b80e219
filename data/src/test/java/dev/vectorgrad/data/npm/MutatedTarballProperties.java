package dev.vectorgrad.data.npm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vectorgrad.data.ByteMutation;
import dev.vectorgrad.data.DataFormatException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitrary;
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

    @Provide
    Arbitrary<List<ByteMutation>> mutations() {
        return ByteMutation.lists(3);
    }

    /** Edits anywhere: the JSON the headers describe is most of the archive. */
    private static byte[] mutate(byte[] in, List<ByteMutation> ms) {
        return ByteMutation.applyAll(in, ms, false);
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
    void mutatedTarIsReadOrRefused(@ForAll("mutations") List<ByteMutation> ms) {
        readOrRefuse(TarBuilder.gzip(mutate(TAR, ms)));
    }

    @Property(tries = 150)
    void mutatedGzipIsReadOrRefused(@ForAll("mutations") List<ByteMutation> ms) {
        readOrRefuse(mutate(TGZ, ms));
    }
}
