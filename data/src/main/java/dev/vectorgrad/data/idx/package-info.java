/** The IDX format of MNIST and Fashion-MNIST: {@link dev.vectorgrad.data.idx.Idx} reads and writes it. */
package dev.vectorgrad.data.idx;
