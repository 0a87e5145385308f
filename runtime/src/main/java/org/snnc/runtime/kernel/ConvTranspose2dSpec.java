package org.snnc.runtime.kernel;

/**
 * Configuration of a transposed 2-D convolution as PyTorch's {@code nn.ConvTranspose2d} with
 * {@code groups = 1}. Weights are {@code [cIn][cOut][kH][kW]} (PyTorch's layout), bias (if any)
 * {@code [cOut]}.
 *
 * <p>Output size per axis:
 * {@code (in - 1) * stride - 2 * pad + dilation * (k - 1) + outputPadding + 1}; as in PyTorch,
 * {@code outputPadding} must be smaller than the stride or the dilation of its axis.
 */
public record ConvTranspose2dSpec(int cIn, int cOut, int kH, int kW,
                                  int strideH, int strideW, int padH, int padW,
                                  int outputPaddingH, int outputPaddingW,
                                  int dilationH, int dilationW, boolean bias) {

    public ConvTranspose2dSpec {
        Checks.positive("cIn", cIn);
        Checks.positive("cOut", cOut);
        Checks.positive("kH", kH);
        Checks.positive("kW", kW);
        Checks.positive("strideH", strideH);
        Checks.positive("strideW", strideW);
        Checks.nonNegative("padH", padH);
        Checks.nonNegative("padW", padW);
        Checks.nonNegative("outputPaddingH", outputPaddingH);
        Checks.nonNegative("outputPaddingW", outputPaddingW);
        Checks.positive("dilationH", dilationH);
        Checks.positive("dilationW", dilationW);
        if (outputPaddingH >= Math.max(strideH, dilationH) || outputPaddingW >= Math.max(strideW, dilationW)) {
            throw new IllegalArgumentException("output padding (" + outputPaddingH + ", " + outputPaddingW
                    + ") must be smaller than stride (" + strideH + ", " + strideW + ") or dilation ("
                    + dilationH + ", " + dilationW + ")");
        }
    }

    /** Square kernel, the same stride, padding, output padding and dilation on both axes. */
    public static ConvTranspose2dSpec of(int cIn, int cOut, int kernel, int stride, int padding,
                                         int outputPadding, int dilation, boolean bias) {
        return new ConvTranspose2dSpec(cIn, cOut, kernel, kernel, stride, stride, padding, padding,
                outputPadding, outputPadding, dilation, dilation, bias);
    }

    public int outH(int inH) {
        return out("height", inH, kH, strideH, padH, outputPaddingH, dilationH);
    }

    public int outW(int inW) {
        return out("width", inW, kW, strideW, padW, outputPaddingW, dilationW);
    }

    private static int out(String axis, int in, int k, int stride, int pad, int outPad, int dilation) {
        Checks.positive("input " + axis, in);
        int size = (in - 1) * stride - 2 * pad + dilation * (k - 1) + outPad + 1;
        if (size < 1) {
            throw new IllegalArgumentException("transposed convolution of input " + axis + " " + in
                    + " gives output " + axis + " " + size + " (padding " + pad + " too large)");
        }
        return size;
    }

    /** Number of weights, {@code cIn * cOut * kH * kW}. */
    public int weightSize() {
        return cIn * cOut * kH * kW;
    }

    /** Columns of the weight matrix: {@code cOut * kH * kW}. */
    int patchSize() {
        return cOut * kH * kW;
    }

    /**
     * The window that maps input grid position {@code q} and tap {@code (ky, kx)} onto the output
     * map: input {@code (y, x)} lands on output {@code (y * sH - pH + ky * dH, ...)}.
     */
    Window window() {
        return new Window(kH, kW, strideH, strideW, padH, padW, dilationH, dilationW);
    }
}
