/**
 * Saving and loading tensors in the <a href="https://github.com/huggingface/safetensors">safetensors</a>
 * format, so weights trained here open in PyTorch and NumPy tools and back: {@link
 * dev.vectorgrad.nn.io.SafeTensors}.
 */
package dev.vectorgrad.nn.io;
