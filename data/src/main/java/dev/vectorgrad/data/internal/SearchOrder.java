package dev.vectorgrad.data.internal;

import dev.vectorgrad.core.Printable;
import dev.vectorgrad.data.DatasetUnavailableException;
import dev.vectorgrad.data.MnistDatasets;
import dev.vectorgrad.data.Resolution;
import dev.vectorgrad.data.download.DownloadException;
import dev.vectorgrad.data.download.Downloader;
import dev.vectorgrad.data.download.FileChecksum;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The search order every dataset finder of this module follows, with one wording for the places
 * it looked at: an explicit folder (then the only place looked at),
 * {@code $VECTORGRAD_DATA/<folder>}, the cache's {@code <folder>}, a system folder if the dataset
 * has one (a Debian package's), then a download of the missing files into the cache, each
 * checked against its SHA-256 and renamed into place. A file already in the cache is not
 * re-hashed: it was checked when downloaded, and a hand-placed stand-in is welcome there.
 */
public final class SearchOrder {

    private SearchOrder() {}

    /**
     * What a finder looks for.
     *
     * @param name the dataset in messages, e.g. {@code "MNIST"}
     * @param folder the sub-folder under {@code $VECTORGRAD_DATA} and the cache
     * @param files the files a complete folder holds, and the ones a download fetches
     * @param missing a sentence saying what a folder lacks, or null if it is complete
     * @param systemFolder a folder a system package installs the files into, or null
     * @param mirrors the default download mirrors, tried in order
     * @param checksums the expected checksum of each file
     * @param handHint what to tell the user to do by hand, given the cache folder
     */
    public record Target(String name, String folder, List<String> files, Function<Path, String> missing,
                         Path systemFolder, List<URI> mirrors, Map<String, FileChecksum> checksums,
                         Function<Path, String> handHint) {}

    /**
     * Where the search ended.
     *
     * @param source the step that supplied the files
     * @param folder the folder holding them
     * @param looked one line per place examined, in order
     */
    public record Found(Resolution.Source source, Path folder, List<String> looked) {
        /** Copies the list. */
        public Found {
            looked = List.copyOf(looked);
        }
    }

    /**
     * Runs the search order; {@code options}' mirrors and checksums, when set, replace the
     * target's.
     *
     * @param target what to look for
     * @param options where to look, whether and how to download
     * @return where the files are
     * @throws DatasetUnavailableException if no place had them and the download failed or was off;
     *     the message lists every place and ends with the target's hint
     * @throws IOException if the cache cannot be written
     */
    public static Found run(Target target, MnistDatasets.Options options) throws IOException {
        List<String> looked = new ArrayList<>();
        if (options.path() != null) {
            String m = target.missing().apply(options.path());
            looked.add("explicit path " + options.path() + ": " + (m == null ? "found" : m));
            if (m == null) {
                return new Found(Resolution.Source.EXPLICIT_PATH, options.path(), looked);
            }
            throw unavailable(target, options, looked, null);
        }
        String env = options.environment().apply(MnistDatasets.ENV_VAR);
        if (env != null && !env.isBlank()) {
            Path p = Path.of(env).resolve(target.folder());
            String m = target.missing().apply(p);
            looked.add("$" + MnistDatasets.ENV_VAR + "/" + target.folder() + " = " + p + ": " + (m == null ? "found" : m));
            if (m == null) {
                return new Found(Resolution.Source.ENVIRONMENT, p, looked);
            }
        } else {
            looked.add("$" + MnistDatasets.ENV_VAR + ": not set");
        }
        Path cache = options.cacheRoot().resolve(target.folder());
        String cm = target.missing().apply(cache);
        looked.add("cache " + cache + ": " + (cm == null ? "found" : cm));
        if (cm == null) {
            return new Found(Resolution.Source.CACHE, cache, looked);
        }
        if (target.systemFolder() != null) {
            String dm = target.missing().apply(target.systemFolder());
            looked.add("Debian package folder " + target.systemFolder() + ": " + (dm == null ? "found" : dm));
            if (dm == null) {
                return new Found(Resolution.Source.DEBIAN_PACKAGE, target.systemFolder(), looked);
            }
        }
        if (!options.download()) {
            looked.add("download: disabled");
            throw unavailable(target, options, looked, null);
        }
        List<URI> mirrors = mirrors(target, options);
        Map<String, FileChecksum> sums = options.checksums() != null ? options.checksums() : target.checksums();
        Downloader d = new Downloader(options.connectTimeout(), options.readTimeout(), deadline(options),
                options.progress());
        for (String f : target.files()) {
            if (Files.isRegularFile(cache.resolve(f))) {
                continue; // verified when it was downloaded
            }
            FileChecksum sum = sums.get(f);
            if (sum == null) {
                looked.add("download " + f + ": no checksum known, refused");
                throw unavailable(target, options, looked, null);
            }
            try {
                d.fetch(mirrors, f, sum, cache.resolve(f));
            } catch (DownloadException e) {
                for (String a : e.attempts()) {
                    looked.add("download " + a);
                }
                throw unavailable(target, options, looked, e);
            }
        }
        looked.add("download into " + cache + ": done");
        return new Found(Resolution.Source.DOWNLOAD, cache, looked);
    }

    /**
     * The mirrors to download from: the options' own, else those of the system property, else
     * those of the environment variable, else the target's.
     *
     * @param target what is looked for (its folder and built-in mirrors)
     * @param options the options
     * @return base URLs, in order
     * @throws IllegalArgumentException if the property or the variable holds an entry that is not
     *     an http(s) URL (the message names the setting and the entry)
     */
    public static List<URI> mirrors(Target target, MnistDatasets.Options options) {
        if (options.mirrors() != null) {
            return options.mirrors();
        }
        String prop = options.properties() == null ? null : options.properties().apply(MnistDatasets.MIRRORS_PROPERTY);
        if (prop != null && !prop.isBlank()) {
            return parseMirrors("-D" + MnistDatasets.MIRRORS_PROPERTY, prop, target);
        }
        String env = options.environment() == null ? null : options.environment().apply(MnistDatasets.MIRRORS_ENV_VAR);
        if (env != null && !env.isBlank()) {
            return parseMirrors("$" + MnistDatasets.MIRRORS_ENV_VAR, env, target);
        }
        return target.mirrors();
    }

    /**
     * Parses a comma-separated mirror list: each entry an http(s) base URL laid out like the
     * cache (the target's folder is appended), or {@value MnistDatasets#DEFAULT_MIRRORS} for the
     * target's built-in mirrors; blank entries are skipped.
     */
    static List<URI> parseMirrors(String setting, String value, Target target) {
        List<URI> out = new ArrayList<>();
        for (String raw : value.split(",")) {
            String e = raw.strip();
            if (e.isEmpty()) {
                continue;
            }
            if (e.equalsIgnoreCase(MnistDatasets.DEFAULT_MIRRORS)) {
                out.addAll(target.mirrors());
                continue;
            }
            URI base;
            try {
                base = new URI(e.endsWith("/") ? e : e + "/");
            } catch (URISyntaxException x) {
                throw badSetting(setting, value, "'" + Printable.escape(e) + "' is not a URL (" + x.getReason() + ")");
            }
            String scheme = base.getScheme() == null ? "" : base.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || base.getHost() == null || base.getQuery() != null
                    || base.getFragment() != null) {
                throw badSetting(setting, value, "'" + Printable.escape(e) + "' is not an http:// or https:// base URL");
            }
            out.add(base.resolve(target.folder() + "/"));
        }
        if (out.isEmpty()) {
            throw badSetting(setting, value, "no mirror in it");
        }
        return List.copyOf(out);
    }

    /**
     * The deadline per file and mirror: the options', else the system property's, else
     * {@link Downloader#DEFAULT_DEADLINE}.
     *
     * @param options the options
     * @return a positive duration
     * @throws IllegalArgumentException if the property is not a positive duration (the message
     *     names it and the value)
     */
    public static Duration deadline(MnistDatasets.Options options) {
        if (options.deadline() != null) {
            return options.deadline();
        }
        String v = options.properties() == null ? null : options.properties().apply(MnistDatasets.DEADLINE_PROPERTY);
        if (v == null || v.isBlank()) {
            return Downloader.DEFAULT_DEADLINE;
        }
        String s = v.strip();
        Duration d;
        try {
            d = s.matches("[0-9]+(\\.[0-9]+)?")
                    ? Duration.ofNanos(new BigDecimal(s).movePointRight(9).min(BigDecimal.valueOf(Long.MAX_VALUE)).longValue())
                    : Duration.parse(s);
        } catch (DateTimeParseException e) {
            d = null;
        }
        if (d == null || d.isNegative() || d.isZero()) {
            throw badSetting("-D" + MnistDatasets.DEADLINE_PROPERTY, v,
                    "expected a positive number of seconds (e.g. 300 or 1.5) or an ISO-8601 duration (e.g. PT5M)");
        }
        return d;
    }

    private static IllegalArgumentException badSetting(String setting, String value, String problem) {
        return new IllegalArgumentException(setting + "=" + Printable.escape(value) + ": " + problem);
    }

    private static DatasetUnavailableException unavailable(Target target, MnistDatasets.Options options,
                                                           List<String> looked, Throwable cause) {
        String nl = System.lineSeparator();
        StringBuilder sb = new StringBuilder(target.name()).append(" not found. Looked at, in order:").append(nl);
        for (String l : looked) {
            sb.append("  - ").append(l).append(nl);
        }
        sb.append(target.handHint().apply(options.cacheRoot().resolve(target.folder())));
        return new DatasetUnavailableException(sb.toString(), cause);
    }
}
