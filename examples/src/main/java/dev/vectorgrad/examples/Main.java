package dev.vectorgrad.examples;

/** Entry point of the examples; the lesson and training commands arrive with the examples issue. */
public final class Main {
    private Main() {}

    /**
     * Prints a banner with the runtime that vectorgrad sees.
     *
     * @param args ignored for now
     */
    public static void main(String[] args) {
        System.out.println("vectorgrad " + Main.class.getPackage().getImplementationVersion()
                + " on Java " + Runtime.version());
    }
}
