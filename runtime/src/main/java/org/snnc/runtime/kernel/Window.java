package org.snnc.runtime.kernel;

/**
 * The sliding-window geometry shared by convolution, transposed convolution and the im2col
 * helpers: input position {@code i = o * stride - pad + k * dilation} for output position
 * {@code o} and kernel tap {@code k}, per axis.
 */
record Window(int kH, int kW, int strideH, int strideW, int padH, int padW, int dilationH, int dilationW) {

    /** Smallest {@code o >= 0} with {@code o * stride + offset >= 0}. */
    static int first(int offset, int stride) {
        return offset >= 0 ? 0 : (-offset + stride - 1) / stride;
    }

    /** One past the largest {@code o < outN} with {@code o * stride + offset < n}. */
    static int end(int offset, int stride, int n, int outN) {
        int span = n - 1 - offset;
        if (span < 0) {
            return 0;
        }
        return Math.min(outN, span / stride + 1);
    }
}
