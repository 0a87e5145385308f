package org.snnc.runtime.kernel;

/**
 * 2-D average pooling on NCHW maps, input {@code [n][c][h][w]}, output
 * {@code [n][c][oh][ow]}. The divisor of each window is computed as PyTorch does: with padding
 * counted, the window clipped to the padded extent; without, clipped to the input. Planes are
 * independent and split across threads. Forward overwrites; backward adds.
 */
public final class AvgPool2d {

    private AvgPool2d() {
    }

    public static void forward(AvgPool2dSpec spec, float[] x, int n, int c, int h, int w, float[] y, Parallel par) {
        int oh = spec.outH(h);
        int ow = spec.outW(w);
        Checks.length("input", x, (long) n * c * h * w);
        Checks.length("output", y, (long) n * c * oh * ow);
        par.forRange(n * c, (from, to, chunk) -> {
            for (int p = from; p < to; p++) {
                int in = p * h * w;
                int out = p * oh * ow;
                for (int oy = 0; oy < oh; oy++) {
                    int y0 = oy * spec.strideH() - spec.padH();
                    int y1 = Math.min(y0 + spec.kH(), h + spec.padH());
                    int cy0 = Math.max(y0, 0);
                    int cy1 = Math.min(y1, h);
                    for (int ox = 0; ox < ow; ox++) {
                        int x0 = ox * spec.strideW() - spec.padW();
                        int x1 = Math.min(x0 + spec.kW(), w + spec.padW());
                        int cx0 = Math.max(x0, 0);
                        int cx1 = Math.min(x1, w);
                        float sum = 0f;
                        for (int iy = cy0; iy < cy1; iy++) {
                            int row = in + iy * w;
                            for (int ix = cx0; ix < cx1; ix++) {
                                sum += x[row + ix];
                            }
                        }
                        y[out + oy * ow + ox] = sum / divisor(spec, y0, y1, cy0, cy1, x0, x1, cx0, cx1);
                    }
                }
            }
        });
    }

    /** {@code dx += dL/dx}: each output gradient is spread evenly over its window's inputs. */
    public static void backward(AvgPool2dSpec spec, float[] dy, int n, int c, int h, int w, float[] dx, Parallel par) {
        int oh = spec.outH(h);
        int ow = spec.outW(w);
        Checks.length("output gradient", dy, (long) n * c * oh * ow);
        Checks.length("input gradient", dx, (long) n * c * h * w);
        par.forRange(n * c, (from, to, chunk) -> {
            for (int p = from; p < to; p++) {
                int in = p * h * w;
                int out = p * oh * ow;
                for (int oy = 0; oy < oh; oy++) {
                    int y0 = oy * spec.strideH() - spec.padH();
                    int y1 = Math.min(y0 + spec.kH(), h + spec.padH());
                    int cy0 = Math.max(y0, 0);
                    int cy1 = Math.min(y1, h);
                    for (int ox = 0; ox < ow; ox++) {
                        int x0 = ox * spec.strideW() - spec.padW();
                        int x1 = Math.min(x0 + spec.kW(), w + spec.padW());
                        int cx0 = Math.max(x0, 0);
                        int cx1 = Math.min(x1, w);
                        float g = dy[out + oy * ow + ox] / divisor(spec, y0, y1, cy0, cy1, x0, x1, cx0, cx1);
                        for (int iy = cy0; iy < cy1; iy++) {
                            int row = in + iy * w;
                            for (int ix = cx0; ix < cx1; ix++) {
                                dx[row + ix] += g;
                            }
                        }
                    }
                }
            }
        });
    }

    private static int divisor(AvgPool2dSpec spec, int y0, int y1, int cy0, int cy1, int x0, int x1, int cx0, int cx1) {
        return spec.countIncludePad() ? (y1 - y0) * (x1 - x0) : (cy1 - cy0) * (cx1 - cx0);
    }
}
