/**
 * The lesson's "backprop from the foundations" model with hand-derived gradients, in the order
 * the lesson builds it:
 *
 * <ol>
 *   <li>{@link dev.vectorgrad.nn.lesson.Foundations}: plain functions {@code lin}, {@code relu},
 *       {@code mse}, {@code linGrad} and {@code forwardAndBackward} (cells 7-24);</li>
 *   <li>{@link dev.vectorgrad.nn.lesson.classes}: layers as classes whose call stores input and
 *       output and whose {@code backward()} fills the input's gradient (cells 33-36);</li>
 *   <li>{@link dev.vectorgrad.nn.lesson.Module} with {@code call}/{@code forward}/{@code backward}/
 *       {@code bwd}, and the layers {@link dev.vectorgrad.nn.lesson.Lin},
 *       {@link dev.vectorgrad.nn.lesson.Relu}, {@link dev.vectorgrad.nn.lesson.Mse} and
 *       {@link dev.vectorgrad.nn.lesson.Model} rebuilt on it (cells 41-49).</li>
 * </ol>
 *
 * <p>Every gradient is stored with {@link dev.vectorgrad.core.Tensor#setGrad}, the lesson's
 * {@code .g}: the same home autograd fills, so the two can be compared directly. Like the
 * lesson, hand-written backward passes <em>overwrite</em> gradients; they do not accumulate.
 */
package dev.vectorgrad.nn.lesson;
