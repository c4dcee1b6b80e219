/**
 * JMH benchmarks of vectorgrad's kernels against OpenBLAS (through JavaCPP) and EJML, and the
 * {@link dev.vectorgrad.bench.Report} that turns JMH's JSON results into a Markdown table.
 *
 * <p>The benchmarks run from the shaded {@code benchmarks.jar}, on the class path; this
 * descriptor checks at compile time that the module reads only what it declares.
 */
module dev.vectorgrad.bench {
    requires dev.vectorgrad.core;
    requires dev.vectorgrad.autograd;
    requires dev.vectorgrad.nn;
    requires dev.vectorgrad.data;
    requires java.management;
    requires jdk.management;
    requires jmh.core;
    requires org.bytedeco.javacpp;
    requires org.bytedeco.openblas;
    requires ejml.core;
    requires ejml.fdense;
    requires com.google.gson;

    // JMH instantiates the @State classes and its generated subclasses reflectively.
    opens dev.vectorgrad.bench;
    opens dev.vectorgrad.bench.jmh_generated;
}
