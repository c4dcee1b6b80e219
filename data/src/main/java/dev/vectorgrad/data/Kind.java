package dev.vectorgrad.data;

import dev.vectorgrad.data.download.FileChecksum;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The MNIST-family datasets {@link MnistDatasets} finds: their file names, sub-folder, mirrors
 * and checksums. Both use the same four IDX file names, so each lives in its own folder.
 *
 * <p>Checksums. Fashion-MNIST: SHA-256 of the decompressed contents, computed on this
 * project's build machine from Debian's {@code dataset-fashion-mnist} package (Debian
 * re-compressed the files, so their {@code .gz} bytes differ from upstream's, but what they
 * hold does not); a download is accepted if its decompressed content matches. MNIST: SHA-256
 * of the {@code .gz} files as served by the {@code storage.googleapis.com/cvdf-datasets} mirror,
 * as published in TensorFlow Datasets' / Hugging Face's download-checksum records; these could
 * not be verified on the build machine (no internet), so a mismatch is reported, never ignored.
 *
 * <p>Sizes. Each file is bounded by the size of what it holds (16 or 8 header bytes plus one
 * byte per pixel or label) plus gzip's worst-case overhead: a mirror announcing or sending more
 * is refused, and no content past that bound is decompressed.
 */
public enum Kind {
    /** Handwritten digits (LeCun, Cortes, Burges). */
    MNIST("MNIST", "mnist", null,
            List.of(URI.create("https://storage.googleapis.com/cvdf-datasets/mnist/"),
                    URI.create("https://ossci-datasets.s3.amazonaws.com/mnist/"),
                    URI.create("http://yann.lecun.com/exdb/mnist/")),
            Map.of(
                    "train-images-idx3-ubyte.gz", gzFile("440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609", 47040016),
                    "train-labels-idx1-ubyte.gz", gzFile("3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c", 60008),
                    "t10k-images-idx3-ubyte.gz", gzFile("8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6", 7840016),
                    "t10k-labels-idx1-ubyte.gz", gzFile("f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6", 10008))),
    /** Zalando's Fashion-MNIST: 10 kinds of clothing in MNIST's format. */
    FASHION_MNIST("Fashion-MNIST", "fashion-mnist", Path.of("/usr/share/datasets/fashion-mnist"),
            List.of(URI.create("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"),
                    URI.create("https://github.com/zalandoresearch/fashion-mnist/raw/master/data/fashion/")),
            Map.of(
                    "train-images-idx3-ubyte.gz", gzContent("c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888", 47040016),
                    "train-labels-idx1-ubyte.gz", gzContent("bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9", 60008),
                    "t10k-images-idx3-ubyte.gz", gzContent("5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b", 7840016),
                    "t10k-labels-idx1-ubyte.gz", gzContent("0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34", 10008)));

    /** A checksum of the served {@code .gz} bytes, bounded by a gzip of {@code contentBytes}. */
    private static FileChecksum gzFile(String sha256, long contentBytes) {
        return FileChecksum.ofFile(sha256).withMaxBytes(gzipBound(contentBytes));
    }

    /** A checksum of the decompressed content, bounded by a gzip of {@code contentBytes}. */
    private static FileChecksum gzContent(String sha256, long contentBytes) {
        return FileChecksum.ofContent(sha256).withMaxBytes(gzipBound(contentBytes));
    }

    /**
     * The largest gzip of {@code n} bytes: deflate's stored blocks add 5 bytes per 65,535 (less
     * than one per 8 KiB), the gzip header and trailer at least 18, a stored file name a few more.
     */
    private static long gzipBound(long n) {
        return n + n / 8192 + 4096;
    }

    /** The four files, in the order train images, train labels, test images, test labels. */
    public static final List<String> FILES = List.of("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
            "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz");

    private final String displayName;
    private final String folder;
    private final Path debianFolder;
    private final List<URI> mirrors;
    private final Map<String, FileChecksum> checksums;

    Kind(String displayName, String folder, Path debianFolder, List<URI> mirrors, Map<String, FileChecksum> checksums) {
        this.displayName = displayName;
        this.folder = folder;
        this.debianFolder = debianFolder;
        this.mirrors = mirrors;
        this.checksums = checksums;
    }

    /** @return the name to show, e.g. {@code "Fashion-MNIST"} */
    public String displayName() {
        return displayName;
    }

    /** @return the sub-folder name under {@code $VECTORGRAD_DATA} and the cache, e.g. {@code "mnist"} */
    public String folder() {
        return folder;
    }

    /** @return where a Debian package installs the files, or null if none does */
    public Path debianFolder() {
        return debianFolder;
    }

    /** @return the default download mirrors, tried in order */
    public List<URI> mirrors() {
        return mirrors;
    }

    /** @return the expected checksum of each of {@link #FILES} */
    public Map<String, FileChecksum> checksums() {
        return checksums;
    }
}
