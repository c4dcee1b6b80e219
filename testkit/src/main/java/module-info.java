/**
 * What property tests of code built on vectorgrad need: jqwik arbitraries for shapes,
 * broadcastable shapes, tensors with chosen values and tensors laid out as views; gradient
 * properties against finite differences, a hand-written backward or a custom op's contract;
 * and closeness assertions with the lesson's {@code test_close} meaning.
 */
module dev.vectorgrad.testkit {
    requires transitive dev.vectorgrad.core;
    requires transitive dev.vectorgrad.autograd;
    requires transitive net.jqwik.api;

    exports dev.vectorgrad.testkit;
}
