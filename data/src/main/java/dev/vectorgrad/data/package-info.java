/**
 * Datasets for vectorgrad.
 *
 * <ul>
 *   <li>{@link dev.vectorgrad.data.MnistDatasets#load} finds MNIST or Fashion-MNIST (explicit
 *       folder, {@code $VECTORGRAD_DATA}, {@code ~/.cache/vectorgrad}, Debian's
 *       {@code dataset-fashion-mnist}, then a checked download) and says where in a
 *       {@link dev.vectorgrad.data.Resolution};</li>
 *   <li>{@link dev.vectorgrad.data.SyntheticDigits} generates digits offline, seeded;</li>
 *   <li>{@link dev.vectorgrad.data.Dataset} and {@link dev.vectorgrad.data.DataLoader} batch
 *       them into reused buffers for {@code for (Batch b : loader)};
 *       {@link dev.vectorgrad.data.ImageDataset} holds labelled images with their pixels kept as
 *       bytes (read from IDX files, optionally through the decompressed-copy
 *       {@link dev.vectorgrad.data.idx.IdxCache}) and splits them into views without copying;</li>
 *   <li>every reader fails with {@link dev.vectorgrad.data.DataFormatException} on a bad file.</li>
 * </ul>
 * File formats live in {@code .idx} (MNIST's IDX), {@code .pickle} (the lesson's
 * {@code mnist.pkl.gz}), {@code .numpy} ({@code .npy}/{@code .npz}) and {@code .download}.
 */
package dev.vectorgrad.data;
