package dev.vectorgrad.nn;

/** Local build placeholder (not committed). */
public final class LocalPlaceholder {
    private LocalPlaceholder() {}
}
