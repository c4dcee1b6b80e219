package dev.vectorgrad.examples.cli;

import java.util.Map;

/**
 * The values of one parsed command line, with typed getters whose errors name the option and
 * the value that was given.
 */
public final class Parsed {

    private final String command;
    private final Map<String, String> values;

    Parsed(String command, Map<String, String> values) {
        this.command = command;
        this.values = Map.copyOf(values);
    }

    /**
     * @param name an option's name
     * @return whether it was given (or has a default)
     */
    public boolean has(String name) {
        return values.containsKey(name);
    }

    /**
     * @param name an option's name
     * @return its value, or null when absent without default
     */
    public String get(String name) {
        return values.get(name);
    }

    /**
     * @param name a switch's name
     * @return whether it was given
     */
    public boolean flag(String name) {
        return values.containsKey(name);
    }

    /**
     * @param name an option's name
     * @param min the smallest value allowed
     * @return the value as an int
     * @throws UsageException if it is not a whole number >= min
     */
    public int intValue(String name, int min) throws UsageException {
        String v = values.get(name);
        try {
            int x = Integer.parseInt(v.strip());
            if (x < min) {
                throw new UsageException(command + ": --" + name + " must be >= " + min + ", got " + x);
            }
            return x;
        } catch (NumberFormatException e) {
            throw new UsageException(command + ": --" + name + (tooLarge(v)
                    ? " must be at most " + Integer.MAX_VALUE + ", got " + v.strip()
                    : " expects a whole number, got '" + v + "'"));
        }
    }

    /** Whether a value that failed to parse is a whole number, only too large for an int. */
    private static boolean tooLarge(String v) {
        return v.strip().matches("\\+?\\d{10,}");
    }

    /**
     * @param name an option's name
     * @return the value as a long
     * @throws UsageException if it is not a whole number
     */
    public long longValue(String name) throws UsageException {
        String v = values.get(name);
        try {
            return Long.parseLong(v.strip());
        } catch (NumberFormatException e) {
            throw new UsageException(command + ": --" + name + " expects a whole number, got '" + v + "'");
        }
    }

    /**
     * @param name an option's name
     * @param min the smallest value allowed (inclusive)
     * @return the value as a finite float
     * @throws UsageException if it is not a finite number >= min
     */
    public float floatValue(String name, float min) throws UsageException {
        String v = values.get(name);
        float x;
        try {
            x = Float.parseFloat(v.strip());
        } catch (NumberFormatException e) {
            throw new UsageException(command + ": --" + name + " expects a number, got '" + v + "'");
        }
        if (!Float.isFinite(x) || x < min) {
            throw new UsageException(command + ": --" + name + " must be a finite number >= " + min + ", got " + v);
        }
        return x;
    }

    /**
     * @param name an option's name
     * @return the value as a comma-separated list of positive ints, e.g. {@code 256,128}
     * @throws UsageException if any item is not a whole number >= 1
     */
    public int[] intList(String name) throws UsageException {
        String v = values.get(name);
        String[] parts = v.split(",", -1);
        int[] out = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                out[i] = Integer.parseInt(parts[i].strip());
            } catch (NumberFormatException e) {
                throw new UsageException(command + ": --" + name + (tooLarge(parts[i])
                        ? " size " + parts[i].strip() + " is too large (at most " + Integer.MAX_VALUE + "), got '" + v + "'"
                        : " expects sizes separated by commas (e.g. 256,128), got '" + v + "'"));
            }
            if (out[i] < 1) {
                throw new UsageException(command + ": --" + name + " sizes must be >= 1, got '" + v + "'");
            }
        }
        return out;
    }

    /**
     * @param name an option's name
     * @param allowed the accepted values
     * @return the value, one of {@code allowed}
     * @throws UsageException otherwise, listing them
     */
    public String choice(String name, String... allowed) throws UsageException {
        String v = values.get(name);
        for (String a : allowed) {
            if (a.equals(v)) {
                return v;
            }
        }
        throw new UsageException(command + ": --" + name + " must be one of " + String.join("|", allowed) + ", got '" + v + "'");
    }
}
