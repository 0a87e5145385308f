package org.snnc.runtime.kernel;

/**
 * Configuration of a 2-D convolution as PyTorch's {@code nn.Conv2d} with {@code groups = 1}.
 * Weights are {@code [cOut][cIn][kH][kW]}, bias (if any) {@code [cOut]}.
 *
 * <p>Output size per axis: {@code floor((in + 2 pad - dilation (k - 1) - 1) / stride) + 1}.
 */
public record Conv2dSpec(int cIn, int cOut, int kH, int kW,
                         int strideH, int strideW, int padH, int padW,
                         int dilationH, int dilationW, boolean bias) {

    public Conv2dSpec {
        Checks.positive("cIn", cIn);
        Checks.positive("cOut", cOut);
        Checks.positive("kH", kH);
        Checks.positive("kW", kW);
        Checks.positive("strideH", strideH);
        Checks.positive("strideW", strideW);
        Checks.nonNegative("padH", padH);
        Checks.nonNegative("padW", padW);
        Checks.positive("dilationH", dilationH);
        Checks.positive("dilationW", dilationW);
    }

    /** Square kernel, the same stride, padding and dilation on both axes. */
    public static Conv2dSpec of(int cIn, int cOut, int kernel, int stride, int padding, int dilation, boolean bias) {
        return new Conv2dSpec(cIn, cOut, kernel, kernel, stride, stride, padding, padding, dilation, dilation, bias);
    }

    /** Output height for input height {@code inH}; throws if the window does not fit. */
    public int outH(int inH) {
        return Checks.convOut("height", inH, kH, strideH, padH, dilationH);
    }

    /** Output width for input width {@code inW}; throws if the window does not fit. */
    public int outW(int inW) {
        return Checks.convOut("width", inW, kW, strideW, padW, dilationW);
    }

    /** Number of weights, {@code cOut * cIn * kH * kW}. */
    public int weightSize() {
        return cOut * cIn * kH * kW;
    }

    /** Rows of the im2col matrix: {@code cIn * kH * kW}. */
    int patchSize() {
        return cIn * kH * kW;
    }

    Window window() {
        return new Window(kH, kW, strideH, strideW, padH, padW, dilationH, dilationW);
    }
}
