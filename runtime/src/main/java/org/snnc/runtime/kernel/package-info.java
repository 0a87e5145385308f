/**
 * Stateless numeric kernels on flat NCHW {@code float[]} maps, each with its forward and
 * backward: convolution (dense and spike-driven), transposed convolution, average pooling,
 * linear, upsampling, element-wise add, flatten and the per-pixel cross-entropy loss. Weights
 * use PyTorch's layouts so tensors move between the two without transposes. Forward methods
 * overwrite their output; backward methods add into gradient arrays. Results do not depend on
 * the number of threads in the {@link org.snnc.runtime.kernel.Parallel} passed in.
 */
package org.snnc.runtime.kernel;
