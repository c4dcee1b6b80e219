/**
 * Ready-made networks built from the library's layers, as {@code torchvision.models} offers
 * them: each is a plain {@link dev.vectorgrad.nn.Sequential}, so its state carries the names and
 * layouts of the equivalent {@code torch.nn.Sequential}.
 */
package dev.vectorgrad.nn.models;
