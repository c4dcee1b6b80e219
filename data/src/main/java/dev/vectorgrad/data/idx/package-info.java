/**
 * The IDX format of MNIST and Fashion-MNIST: {@link dev.vectorgrad.data.idx.Idx} reads it as float
 * tensors or as raw bytes with their {@link dev.vectorgrad.data.idx.IdxHeader}
 * ({@link dev.vectorgrad.data.idx.IdxArray}), and writes it; {@link dev.vectorgrad.data.idx.IdxCache}
 * keeps decompressed copies of gzip files so that later reads skip the inflating.
 */
package dev.vectorgrad.data.idx;
