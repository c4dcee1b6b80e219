package dev.vectorgrad.data;

import java.nio.file.Path;
import java.util.List;

/**
 * Where {@link MnistDatasets} found a dataset, and everywhere it looked before.
 *
 * @param kind the dataset
 * @param source which step of the resolution order supplied it
 * @param folder the folder holding the four files
 * @param looked one line per place examined, in order, with what was found there
 */
public record Resolution(Kind kind, Source source, Path folder, List<String> looked) {

    /** The steps of the resolution order, in the order they are tried. */
    public enum Source {
        /** {@link MnistDatasets.Options#withPath(Path)}: the folder given by the caller. */
        EXPLICIT_PATH,
        /** {@code $VECTORGRAD_DATA/<kind folder>}. */
        ENVIRONMENT,
        /** {@code ~/.cache/vectorgrad/<kind folder>} (or the cache set in the options). */
        CACHE,
        /** A Debian package's folder ({@code /usr/share/datasets/fashion-mnist}). */
        DEBIAN_PACKAGE,
        /** Downloaded just now into the cache. */
        DOWNLOAD
    }

    /** Copies the list. */
    public Resolution {
        looked = List.copyOf(looked);
    }

    @Override
    public String toString() {
        return kind.displayName() + " from " + source + " (" + folder + ")";
    }
}
