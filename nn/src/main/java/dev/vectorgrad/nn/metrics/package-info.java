/** Classification metrics over a model's outputs: {@link dev.vectorgrad.nn.metrics.ConfusionMatrix}. */
package dev.vectorgrad.nn.metrics;
