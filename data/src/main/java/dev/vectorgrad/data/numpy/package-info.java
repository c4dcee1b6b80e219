/**
 * NumPy arrays as stored ({@link dev.vectorgrad.data.numpy.NdArray}) and the {@code .npy} /
 * {@code .npz} formats ({@link dev.vectorgrad.data.numpy.Npy}, {@link dev.vectorgrad.data.numpy.Npz}),
 * so arrays move between vectorgrad and NumPy or PyTorch.
 */
package dev.vectorgrad.data.numpy;
