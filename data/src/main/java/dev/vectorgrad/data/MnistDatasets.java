package dev.vectorgrad.data;

import dev.vectorgrad.core.Tensor;
import dev.vectorgrad.data.download.Downloader;
import dev.vectorgrad.data.download.FileChecksum;
import dev.vectorgrad.data.idx.Idx;
import dev.vectorgrad.data.internal.Bytes;
import dev.vectorgrad.data.internal.SearchOrder;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Finds and loads MNIST and Fashion-MNIST. The resolution order:
 * <ol>
 *   <li>an explicit folder ({@link Options#withPath(Path)}); if given, it is the only place
 *       looked at, and missing files there are an error;</li>
 *   <li>{@code $VECTORGRAD_DATA/mnist} or {@code $VECTORGRAD_DATA/fashion-mnist}
 *       ({@value #ENV_VAR});</li>
 *   <li>the cache, {@code ~/.cache/vectorgrad/mnist} or {@code .../fashion-mnist};</li>
 *   <li>for Fashion-MNIST, Debian's {@code dataset-fashion-mnist} package
 *       ({@code /usr/share/datasets/fashion-mnist});</li>
 *   <li>a download into the cache from the kind's mirrors (or the user's: {@value #MIRRORS_PROPERTY},
 *       {@value #MIRRORS_ENV_VAR}, see {@link Options}), every file checked by SHA-256 and its
 *       size bounded, each mirror given a deadline per file ({@value #DEADLINE_PROPERTY}) before
 *       the next is tried (unless {@link Options#withDownload(boolean)} turned downloads off).</li>
 * </ol>
 * A folder counts if it holds the four IDX files, each either gzip-compressed
 * ({@code train-images-idx3-ubyte.gz}) or not ({@code train-images-idx3-ubyte}).
 */
public final class MnistDatasets {
    /** The environment variable naming a data root with {@code mnist/} and {@code fashion-mnist/} inside. */
    public static final String ENV_VAR = "VECTORGRAD_DATA";
    /**
     * The system property listing download mirrors (comma-separated base URLs laid out like the
     * cache, replacing the built-in list; see {@link Options}).
     */
    public static final String MIRRORS_PROPERTY = "vectorgrad.mirrors";
    /** The environment variable listing download mirrors, read when {@value #MIRRORS_PROPERTY} is not set. */
    public static final String MIRRORS_ENV_VAR = "VECTORGRAD_MIRRORS";
    /** The word in a mirror list that stands for the built-in mirrors. */
    public static final String DEFAULT_MIRRORS = "default";
    /**
     * The system property giving the deadline per file and mirror: seconds ({@code 300},
     * {@code 1.5}) or an ISO-8601 duration ({@code PT5M}).
     */
    public static final String DEADLINE_PROPERTY = "vectorgrad.download.deadline";

    private MnistDatasets() {}

    /**
     * How to look for and fetch the files. Start from {@link #defaults()}.
     *
     * <p>Where downloads come from, first match wins: mirrors set here ({@link #withMirrors},
     * {@link #withMirror}); else the system property {@value MnistDatasets#MIRRORS_PROPERTY};
     * else the environment variable {@value MnistDatasets#MIRRORS_ENV_VAR}; else the kind's own
     * list. The property and the variable hold comma-separated base URLs laid out like the cache
     * (a file is fetched from {@code <base>/<kind folder>/<file>}, e.g.
     * {@code http://proxy/vectorgrad/mnist/train-images-idx3-ubyte.gz}), which replace the
     * built-in list; the word {@value MnistDatasets#DEFAULT_MIRRORS} in the list stands for the
     * built-in mirrors at that place. Files are always checked against the checksums.
     *
     * @param path explicit folder holding the four files, or null
     * @param environment looks up environment variables (normally {@link System#getenv(String)})
     * @param properties looks up system properties (normally {@link System#getProperty(String)})
     * @param cacheRoot the cache root; files go to {@code cacheRoot/<kind folder>}
     * @param debianRoot overrides {@link Kind#debianFolder()} for kinds that have one (tests), or null
     * @param download whether to download when nothing local is found
     * @param mirrors base URLs to download from, or null for the property, the environment
     *     variable or {@link Kind#mirrors()}
     * @param checksums expected checksums by file name, or null for {@link Kind#checksums()}
     *     (set both with {@link #withMirror(URI, Map)} for a private mirror of other files)
     * @param connectTimeout connection timeout
     * @param readTimeout longest silence allowed while reading
     * @param deadline longest time one mirror may take to deliver one file, or null for the system
     *     property {@value MnistDatasets#DEADLINE_PROPERTY} or else {@link Downloader#DEFAULT_DEADLINE}
     * @param progress where to draw download progress, or null
     */
    public record Options(Path path, UnaryOperator<String> environment, UnaryOperator<String> properties,
            Path cacheRoot, Path debianRoot, boolean download, List<URI> mirrors, Map<String, FileChecksum> checksums,
            Duration connectTimeout, Duration readTimeout, Duration deadline, PrintStream progress) {

        /**
         * @return the defaults: no explicit path, real environment and system properties,
         *     {@code ~/.cache/vectorgrad}, download on, 30 s timeouts, the deadline from
         *     {@value MnistDatasets#DEADLINE_PROPERTY} or 120 s, progress to stderr
         */
        public static Options defaults() {
            return new Options(null, System::getenv, System::getProperty,
                    Path.of(System.getProperty("user.home"), ".cache", "vectorgrad"), null, true, null, null,
                    Duration.ofSeconds(30), Duration.ofSeconds(30), null, System.err);
        }

        /**
         * @param folder the folder holding the four files (the only place then looked at)
         * @return changed options
         */
        public Options withPath(Path folder) {
            return new Options(folder, environment, properties, cacheRoot, debianRoot, download, mirrors, checksums,
                    connectTimeout, readTimeout, deadline, progress);
        }

        /**
         * @param env environment lookup (tests pass a map's {@code get})
         * @return changed options
         */
        public Options withEnvironment(UnaryOperator<String> env) {
            return new Options(path, env, properties, cacheRoot, debianRoot, download, mirrors, checksums,
                    connectTimeout, readTimeout, deadline, progress);
        }

        /**
         * @param props system property lookup (tests pass a map's {@code get})
         * @return changed options
         */
        public Options withProperties(UnaryOperator<String> props) {
            return new Options(path, environment, props, cacheRoot, debianRoot, download, mirrors, checksums,
                    connectTimeout, readTimeout, deadline, progress);
        }

        /**
         * @param root the cache root
         * @return changed options
         */
        public Options withCacheRoot(Path root) {
            return new Options(path, environment, properties, root, debianRoot, download, mirrors, checksums,
                    connectTimeout, readTimeout, deadline, progress);
        }

        /**
         * @param folder where to look for the Debian package's files instead of the kind's
         * @return changed options
         */
        public Options withDebianFolder(Path folder) {
            return new Options(path, environment, properties, cacheRoot, folder, download, mirrors, checksums,
                    connectTimeout, readTimeout, deadline, progress);
        }

        /**
         * @param enabled false to never download (offline use)
         * @return changed options
         */
        public Options withDownload(boolean enabled) {
            return new Options(path, environment, properties, cacheRoot, debianRoot, enabled, mirrors, checksums,
                    connectTimeout, readTimeout, deadline, progress);
        }

        /**
         * @param urls base URLs tried in order (the file URL is each resolved against the file
         *     name), checked against the kind's own checksums; they replace every other mirror
         * @return changed options
         */
        public Options withMirrors(List<URI> urls) {
            return new Options(path, environment, properties, cacheRoot, debianRoot, download, List.copyOf(urls),
                    checksums, connectTimeout, readTimeout, deadline, progress);
        }

        /**
         * A private mirror serving other files than the published ones (e.g. a synthetic set),
         * with their own checksums.
         *
         * @param url base URL
         * @param sums expected checksum of each of {@link Kind#FILES}
         * @return changed options
         */
        public Options withMirror(URI url, Map<String, FileChecksum> sums) {
            return new Options(path, environment, properties, cacheRoot, debianRoot, download, List.of(url),
                    Map.copyOf(sums), connectTimeout, readTimeout, deadline, progress);
        }

        /**
         * @param connect connection timeout
         * @param read longest silence allowed while reading
         * @return changed options
         */
        public Options withTimeouts(Duration connect, Duration read) {
            return new Options(path, environment, properties, cacheRoot, debianRoot, download, mirrors, checksums,
                    connect, read, deadline, progress);
        }

        /**
         * @param limit longest time one mirror may take to deliver one file (positive), after
         *     which the next mirror is tried; null for the property or the default
         * @return changed options
         */
        public Options withDeadline(Duration limit) {
            if (limit != null && (limit.isNegative() || limit.isZero())) {
                throw new IllegalArgumentException("Options.withDeadline: the deadline must be positive, got " + limit);
            }
            return new Options(path, environment, properties, cacheRoot, debianRoot, download, mirrors, checksums,
                    connectTimeout, readTimeout, limit, progress);
        }

        /**
         * Checks the settings these options read from system properties and the environment
         * (mirrors, the deadline per file, the gzip inflation cap {@code vectorgrad.data.maxInflateRatio})
         * now, rather than when a download or a gzip read first needs them: a command line calls
         * it at start-up so a mistyped value fails at once, not after minutes of training.
         *
         * @throws IllegalArgumentException naming the first setting whose value is not accepted,
         *     the value and what is accepted
         */
        public void checkSettings() {
            SearchOrder.mirrors(new SearchOrder.Target(Kind.MNIST.displayName(), Kind.MNIST.folder(), Kind.FILES,
                    f -> null, null, Kind.MNIST.mirrors(), Kind.MNIST.checksums(), c -> ""), this);
            SearchOrder.deadline(this);
            if (properties != null) {
                Bytes.maxRatio(properties.apply(Bytes.MAX_RATIO_PROPERTY));
            }
        }

        /**
         * @param out where to draw download progress, or null for silence
         * @return changed options
         */
        public Options withProgress(PrintStream out) {
            return new Options(path, environment, properties, cacheRoot, debianRoot, download, mirrors, checksums,
                    connectTimeout, readTimeout, deadline, out);
        }
    }

    /**
     * Finds (or downloads) and loads a dataset.
     *
     * @param kind MNIST or Fashion-MNIST
     * @param options where to look
     * @return train and test splits (images {@code [n, 784]} in [0, 1], labels {@code [n]}) and
     *     the {@link Resolution}
     * @throws DatasetUnavailableException if no source had the files (the message lists each place)
     * @throws DataFormatException if the files found are malformed
     * @throws IOException if reading fails
     */
    public static MnistData load(Kind kind, Options options) throws IOException {
        Resolution r = resolve(kind, options);
        Split train = readSplit(r.folder(), "train", "train");
        Split test = readSplit(r.folder(), "t10k", "test");
        return new MnistData(kind, train, test, r);
    }

    /**
     * Reads a folder holding the four MNIST-named IDX files (any MNIST-format dataset).
     *
     * @param folder the folder
     * @return train and test splits
     * @throws DataFormatException if the files are malformed or missing
     * @throws IOException if reading fails
     */
    public static Split[] readFolder(Path folder) throws IOException {
        return new Split[] {readSplit(folder, "train", "train"), readSplit(folder, "t10k", "test")};
    }

    private static Split readSplit(Path folder, String prefix, String name) throws IOException {
        Path images = find(folder, prefix + "-images-idx3-ubyte.gz");
        Path labels = find(folder, prefix + "-labels-idx1-ubyte.gz");
        if (images == null || labels == null) {
            throw new DataFormatException(folder.toString(), "missing " + prefix + " images or labels");
        }
        Tensor x = Idx.readImages(images);
        Tensor y = Idx.readLabels(labels);
        return Split.of(name, x, y, images + " and " + labels);
    }

    /** The file, or its uncompressed twin, or null. */
    private static Path find(Path folder, String gzName) {
        Path gz = folder.resolve(gzName);
        if (Files.isRegularFile(gz)) {
            return gz;
        }
        Path plain = folder.resolve(gzName.substring(0, gzName.length() - 3));
        return Files.isRegularFile(plain) ? plain : null;
    }

    /** A sentence saying what a folder lacks, or null if it holds all four files. */
    private static String missing(Path folder) {
        if (!Files.isDirectory(folder)) {
            return "no such folder";
        }
        List<String> absent = new ArrayList<>();
        for (String f : Kind.FILES) {
            if (find(folder, f) == null) {
                absent.add(f);
            }
        }
        return absent.isEmpty() ? null : "missing " + String.join(", ", absent);
    }

    /**
     * Runs the resolution order without reading the files (downloading them if it gets that far).
     *
     * @param kind MNIST or Fashion-MNIST
     * @param options where to look
     * @return where the files are
     * @throws DatasetUnavailableException if no source had them
     * @throws IOException if the cache cannot be written
     */
    public static Resolution resolve(Kind kind, Options options) throws IOException {
        Path deb = kind.debianFolder() == null ? null : options.debianRoot() != null ? options.debianRoot() : kind.debianFolder();
        SearchOrder.Target target = new SearchOrder.Target(kind.displayName(), kind.folder(), Kind.FILES,
                MnistDatasets::missing, deb, kind.mirrors(), kind.checksums(), cache -> handHint(kind, cache));
        SearchOrder.Found f = SearchOrder.run(target, options);
        return new Resolution(kind, f.source(), f.folder(), f.looked());
    }

    private static String handHint(Kind kind, Path cache) {
        StringBuilder sb = new StringBuilder("To provide the files by hand, put ").append(String.join(", ", Kind.FILES))
                .append(" (gzip or not) into one folder and either pass it as the explicit path, or set ")
                .append(ENV_VAR).append(" to a folder containing ").append(kind.folder()).append("/, or copy them into ")
                .append(cache).append('.');
        if (kind == Kind.FASHION_MNIST) {
            sb.append(" On Debian or Ubuntu: apt-get install dataset-fashion-mnist.");
        }
        sb.append(" Offline, SyntheticDigits.writeIdx(folder, ...) writes a synthetic stand-in in the same format.");
        return sb.toString();
    }
}
