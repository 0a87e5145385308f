package org.snnc.runtime.kernel;

/**
 * Configuration of PyTorch's {@code nn.AvgPool2d} with {@code ceil_mode = false} and no divisor
 * override. Output size per axis: {@code floor((in + 2 pad - k) / stride) + 1}. As in PyTorch,
 * padding may be at most half the kernel.
 *
 * @param countIncludePad true: every window divides by {@code kH * kW}; false: by the number of
 *                        window positions that fall inside the unpadded input
 */
public record AvgPool2dSpec(int kH, int kW, int strideH, int strideW, int padH, int padW, boolean countIncludePad) {

    public AvgPool2dSpec {
        Checks.positive("kH", kH);
        Checks.positive("kW", kW);
        Checks.positive("strideH", strideH);
        Checks.positive("strideW", strideW);
        Checks.nonNegative("padH", padH);
        Checks.nonNegative("padW", padW);
        if (2 * padH > kH || 2 * padW > kW) {
            throw new IllegalArgumentException("padding (" + padH + ", " + padW
                    + ") must be at most half the kernel (" + kH + ", " + kW + ")");
        }
    }

    /** Square window; PyTorch's default stride is the kernel size, pass it explicitly here. */
    public static AvgPool2dSpec of(int kernel, int stride, int padding, boolean countIncludePad) {
        return new AvgPool2dSpec(kernel, kernel, stride, stride, padding, padding, countIncludePad);
    }

    public int outH(int inH) {
        return Checks.convOut("height", inH, kH, strideH, padH, 1);
    }

    public int outW(int inW) {
        return Checks.convOut("width", inW, kW, strideW, padW, 1);
    }
}
