/**
 * The lesson's intermediate step, "layers as classes" (cells 33-36): each layer's call stores
 * its input and output, and its {@code backward()} fills the input's gradient from the output's.
 * No common base class yet; {@link dev.vectorgrad.nn.lesson.Module} factors that out next.
 */
package dev.vectorgrad.nn.lesson.classes;
