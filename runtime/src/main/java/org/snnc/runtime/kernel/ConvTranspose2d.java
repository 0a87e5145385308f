package org.snnc.runtime.kernel;

import java.util.Arrays;

/**
 * Transposed 2-D convolution (PyTorch {@code conv_transpose2d}) on NCHW float maps: input
 * {@code [n][cIn][h][w]}, weight {@code [cIn][cOut][kH][kW]}, bias {@code [cOut]}, output
 * {@code [n][cOut][oh][ow]} with {@code oh = spec.outH(h)}: every input value scatters
 * {@code x[ci][y][x] * W[ci][co][ky][kx]} onto output {@code (co, y*sH - pH + ky*dH, x*sW - pW + kx*dW)},
 * positions outside the output being cropped.
 *
 * <p>As a matrix product: the weight is the {@code cIn x (cOut kH kW)} matrix, the forward is
 * {@code col = W^T x} followed by col2im onto the output, and both gradients are products with
 * the im2col of the output gradient. Forward overwrites; backward methods add.
 */
public final class ConvTranspose2d {

    private ConvTranspose2d() {
    }

    /** @param bias {@code [cOut]}, or null when {@code spec.bias()} is false */
    public static void forward(ConvTranspose2dSpec spec, float[] x, int n, int h, int w,
                               float[] weight, float[] bias, float[] y, Parallel par) {
        int oh = spec.outH(h);
        int ow = spec.outW(w);
        int grid = h * w;
        int r = spec.patchSize();
        int ci = spec.cIn();
        int outSize = spec.cOut() * oh * ow;
        Checks.positive("batch", n);
        Checks.length("input", x, (long) n * ci * grid);
        Checks.length("weight", weight, spec.weightSize());
        Checks.length("output", y, (long) n * outSize);
        if (spec.bias() != (bias != null)) {
            throw new IllegalArgumentException("bias array must be given exactly when the spec has a bias");
        }
        Window g = spec.window();
        float[] weightT = new float[r * ci];
        Gemm.transpose(weight, 0, ci, r, weightT, 0);
        par.forRange(n, (from, to, chunk) -> {
            float[] col = new float[r * grid];
            for (int s = from; s < to; s++) {
                Arrays.fill(col, 0f);
                Gemm.multiplyAdd(0, r, grid, ci, weightT, 0, ci, x, s * ci * grid, grid, col, 0, grid);
                Arrays.fill(y, s * outSize, (s + 1) * outSize, 0f);
                Im2col.col2im(col, 0, spec.cOut(), oh, ow, g, h, w, y, s * outSize);
                if (bias != null) {
                    int plane = oh * ow;
                    for (int co = 0; co < spec.cOut(); co++) {
                        float b = bias[co];
                        int base = s * outSize + co * plane;
                        for (int q = 0; q < plane; q++) {
                            y[base + q] += b;
                        }
                    }
                }
            }
        });
    }

    /** {@code dx += dL/dx} for output gradient {@code dy} ({@code [n][cOut][oh][ow]}). */
    public static void backwardInput(ConvTranspose2dSpec spec, float[] dy, int n, int h, int w,
                                     float[] weight, float[] dx, Parallel par) {
        int oh = spec.outH(h);
        int ow = spec.outW(w);
        int grid = h * w;
        int r = spec.patchSize();
        int ci = spec.cIn();
        int outSize = spec.cOut() * oh * ow;
        Checks.length("output gradient", dy, (long) n * outSize);
        Checks.length("weight", weight, spec.weightSize());
        Checks.length("input gradient", dx, (long) n * ci * grid);
        Window g = spec.window();
        par.forRange(n, (from, to, chunk) -> {
            float[] col = new float[r * grid];
            for (int s = from; s < to; s++) {
                Im2col.im2col(dy, s * outSize, spec.cOut(), oh, ow, g, h, w, col);
                Gemm.multiplyAdd(0, ci, grid, r, weight, 0, r, col, 0, grid, dx, s * ci * grid, grid);
            }
        });
    }

    /** {@code dW[ci][co][ky][kx] += sum_s sum_q x[s][ci][q] * patch(dy_s)[(co,ky,kx)][q]}. */
    public static void backwardWeight(ConvTranspose2dSpec spec, float[] x, float[] dy, int n, int h, int w,
                                      float[] dWeight, Parallel par) {
        int oh = spec.outH(h);
        int ow = spec.outW(w);
        int grid = h * w;
        int r = spec.patchSize();
        int ci = spec.cIn();
        int outSize = spec.cOut() * oh * ow;
        Checks.length("input", x, (long) n * ci * grid);
        Checks.length("output gradient", dy, (long) n * outSize);
        Checks.length("weight gradient", dWeight, spec.weightSize());
        Window g = spec.window();
        float[] colT = new float[grid * r];
        for (int s = 0; s < n; s++) {
            Im2col.im2colTransposed(dy, s * outSize, spec.cOut(), oh, ow, g, h, w, colT);
            int xOff = s * ci * grid;
            par.forRange(ci, (from, to, chunk) ->
                    Gemm.multiplyAdd(from, to, r, grid, x, xOff, grid, colT, 0, r, dWeight, 0, r));
        }
    }

    /** {@code dBias[co] += sum over samples and positions of dy[s][co][q]}. */
    public static void backwardBias(ConvTranspose2dSpec spec, float[] dy, int n, int oh, int ow,
                                    float[] dBias, Parallel par) {
        Checks.length("output gradient", dy, (long) n * spec.cOut() * oh * ow);
        Checks.length("bias gradient", dBias, spec.cOut());
        Conv2d.channelSums(dy, n, spec.cOut(), oh * ow, dBias, par);
    }
}
