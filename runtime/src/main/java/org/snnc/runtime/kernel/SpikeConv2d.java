package org.snnc.runtime.kernel;

/**
 * Convolution of a spike map, event-driven: for every input that fired, its weight taps are
 * scattered onto the outputs they reach, so the work grows with the number of spikes, not with
 * the size of the map (DESIGN.md section 8). Spikes are bytes {@code [n][cIn][h][w]}, normally
 * 0/1 (or -1/0/+1 for signed Poisson input); other values are used as integer multipliers.
 *
 * <p>Weights are scattered from a tap-major copy {@code [cIn][kH][kW][cOut]}, so each spike adds
 * one contiguous run of {@code cOut} floats (kept as separate row arrays, see {@link RowScratch}). For every output element the terms arrive in
 * ascending {@code (ci, ky, kx)} order, the order {@link Conv2d} sums them in, so on spike inputs
 * both kernels give the same bits (zero terms of the dense sum change nothing but the sign of an
 * exact zero).
 */
public final class SpikeConv2d {

    private SpikeConv2d() {
    }

    /**
     * As {@link Conv2d#forward} with input {@code x[i] = spikes[i]}.
     *
     * @param bias {@code [cOut]}, or null when {@code spec.bias()} is false
     * @param y    output {@code [n][cOut][oh][ow]}, overwritten
     */
    public static void forward(Conv2dSpec spec, byte[] spikes, int n, int h, int w,
                               float[] weight, float[] bias, float[] y, Parallel par) {
        int oh = spec.outH(h);
        int ow = spec.outW(w);
        int m = spec.cOut();
        int k = spec.patchSize();
        Checks.positive("batch", n);
        Checks.length("spikes", spikes, (long) n * spec.cIn() * h * w);
        Checks.length("weight", weight, spec.weightSize());
        Checks.length("output", y, (long) n * m * oh * ow);
        if (spec.bias() != (bias != null)) {
            throw new IllegalArgumentException("bias array must be given exactly when the spec has a bias");
        }
        Taps ty = rowTaps(spec, h, oh);
        Taps tx = columnTaps(spec, w, ow);
        if (n >= par.threads()) {
            // One tap-major copy, built by all threads and then read by all.
            float[][] taps = TAPS.get().rows(k, m);
            par.forRange(k, (from, to, chunk) -> transposeRows(weight, k, m, from, to, taps));
            par.forRange(n, (from, to, chunk) -> {
                float[][] acc = ACC.get().rows(oh * ow, m);
                for (int s = from; s < to; s++) {
                    forwardSlice(spec, spikes, s, h, w, oh, ow, ty, tx, taps, bias, 0, m, acc, y);
                }
            });
        } else {
            for (int s = 0; s < n; s++) {
                int sample = s;
                par.forRange(m, (from, to, chunk) -> {
                    float[][] taps = tapRows(weight, k, from, to);
                    float[][] acc = ACC.get().rows(oh * ow, to - from);
                    forwardSlice(spec, spikes, sample, h, w, oh, ow, ty, tx, taps, bias, from, to, acc, y);
                });
            }
        }
    }

    /** Scratch of the forward pass: the weights tap-major and the output position-major. */
    private static final ThreadLocal<RowScratch> TAPS = RowScratch.perThread();
    private static final ThreadLocal<RowScratch> ACC = RowScratch.perThread();
    /** Scratch of the weight gradient: its tap-major slice and the output gradient position-major. */
    private static final ThreadLocal<RowScratch> DW = RowScratch.perThread();
    private static final ThreadLocal<RowScratch> DY = RowScratch.perThread();

    /** {@code taps[r][o] = weight[o][r]} for taps {@code r} in {@code [r0, r1)}. */
    private static void transposeRows(float[] weight, int k, int m, int r0, int r1, float[][] taps) {
        for (int r = r0; r < r1; r++) {
            float[] row = taps[r];
            for (int o = 0; o < m; o++) {
                row[o] = weight[o * k + r];
            }
        }
    }

    /** {@code taps[r][j] = weight[o0 + j][r]} for output channels {@code [o0, o1)}, in this thread's rows. */
    private static float[][] tapRows(float[] weight, int k, int o0, int o1) {
        float[][] taps = TAPS.get().rows(k, o1 - o0);
        for (int o = o0; o < o1; o++) {
            int src = o * k;
            int j = o - o0;
            for (int r = 0; r < k; r++) {
                taps[r][j] = weight[src + r];
            }
        }
        return taps;
    }

    /**
     * Output channels {@code [o0, o1)} of sample {@code s}; {@code acc[q][j]} accumulates output
     * channel {@code o0 + j} at grid position {@code q}, {@code taps[r][j]} is its weight at tap
     * {@code r}.
     */
    private static void forwardSlice(Conv2dSpec spec, byte[] spikes, int s, int h, int w, int oh, int ow,
                                     Taps ty, Taps tx, float[][] taps, float[] bias, int o0, int o1,
                                     float[][] acc, float[] y) {
        int m = spec.cOut();
        int width = o1 - o0;
        int grid = oh * ow;
        for (int q = 0; q < grid; q++) {
            java.util.Arrays.fill(acc[q], 0, width, 0f);
        }
        int kH = spec.kH();
        int kW = spec.kW();
        int base = s * spec.cIn() * h * w;
        for (int ci = 0; ci < spec.cIn(); ci++) {
            for (int iy = 0; iy < h; iy++) {
                int row = base + (ci * h + iy) * w;
                for (int ix = 0; ix < w; ix++) {
                    byte v = spikes[row + ix];
                    if (v == 0) {
                        continue;
                    }
                    for (int a = 0; a < ty.count[iy]; a++) {
                        int y0 = ty.out[iy * kH + a];
                        int tapRow = ci * kH + ty.tap[iy * kH + a];
                        for (int b = 0; b < tx.count[ix]; b++) {
                            float[] dst = acc[y0 * ow + tx.out[ix * kW + b]];
                            float[] src = taps[tapRow * kW + tx.tap[ix * kW + b]];
                            if (v == 1) {
                                for (int j = 0; j < width; j++) {
                                    dst[j] += src[j];
                                }
                            } else {
                                float f = v;
                                for (int j = 0; j < width; j++) {
                                    dst[j] += f * src[j];
                                }
                            }
                        }
                    }
                }
            }
        }
        int yOff = s * m * grid;
        for (int o = o0; o < o1; o++) {
            int dst = yOff + o * grid;
            int j = o - o0;
            float b = bias == null ? 0f : bias[o];
            for (int q = 0; q < grid; q++) {
                y[dst + q] = acc[q][j];
            }
            if (bias != null) {
                for (int q = 0; q < grid; q++) {
                    y[dst + q] += b;
                }
            }
        }
    }

    /**
     * As {@link Conv2d#backwardWeight} with input {@code x[i] = spikes[i]}, touching only the
     * inputs that fired: {@code dW[o][ci][ky][kx] += dy[s][o][y][x]} for every spike at
     * {@code (s, ci, y*sH - pH + ky*dH, x*sW - pW + kx*dW)}. Input channels are split across
     * threads; each thread keeps a tap-major copy of its rows of {@code dW} and of {@code dy}.
     */
    public static void backwardWeight(Conv2dSpec spec, byte[] spikes, float[] dy, int n, int h, int w,
                                      float[] dWeight, Parallel par) {
        int oh = spec.outH(h);
        int ow = spec.outW(w);
        int m = spec.cOut();
        int k = spec.patchSize();
        int grid = oh * ow;
        Checks.positive("batch", n);
        Checks.length("spikes", spikes, (long) n * spec.cIn() * h * w);
        Checks.length("output gradient", dy, (long) n * m * grid);
        Checks.length("weight gradient", dWeight, spec.weightSize());
        Taps ty = rowTaps(spec, h, oh);
        Taps tx = columnTaps(spec, w, ow);
        int taps = spec.kH() * spec.kW();
        // Split over input channels, not output channels: each thread owns the dW rows of its
        // channels and scatters full rows of cOut floats, which C2 vectorises far better than
        // the half rows a split over output channels gives (loops of 128 or fewer floats stay
        // mostly scalar). Every element still sums in sample, then input-position order.
        par.forRange(spec.cIn(), (c0, c1, chunk) -> {
            int r0 = c0 * taps;
            int r1 = c1 * taps;
            float[][] dwT = DW.get().rows(r1 - r0, m);
            float[][] dyT = DY.get().rows(grid, m);
            // Start from the current dW so each element's additions continue its existing sum
            // exactly as the dense GEMM does.
            for (int o = 0; o < m; o++) {
                for (int r = r0; r < r1; r++) {
                    dwT[r - r0][o] = dWeight[o * k + r];
                }
            }
            for (int s = 0; s < n; s++) {
                int dyOff = s * m * grid;
                for (int o = 0; o < m; o++) {
                    int src = dyOff + o * grid;
                    for (int q = 0; q < grid; q++) {
                        dyT[q][o] = dy[src + q];
                    }
                }
                scatterGradient(spec, spikes, s, c0, c1, h, w, ow, ty, tx, dyT, m, dwT);
            }
            for (int o = 0; o < m; o++) {
                for (int r = r0; r < r1; r++) {
                    dWeight[o * k + r] = dwT[r - r0][o];
                }
            }
        });
    }

    /** Input channels {@code [c0, c1)} of sample {@code s}; {@code dwT[r - c0*kH*kW]} is tap row {@code r}. */
    private static void scatterGradient(Conv2dSpec spec, byte[] spikes, int s, int c0, int c1, int h, int w, int ow,
                                        Taps ty, Taps tx, float[][] dyT, int width, float[][] dwT) {
        int kH = spec.kH();
        int kW = spec.kW();
        int base = s * spec.cIn() * h * w;
        int rowBase = c0 * kH;
        for (int ci = c0; ci < c1; ci++) {
            for (int iy = 0; iy < h; iy++) {
                int row = base + (ci * h + iy) * w;
                for (int ix = 0; ix < w; ix++) {
                    byte v = spikes[row + ix];
                    if (v == 0) {
                        continue;
                    }
                    for (int a = 0; a < ty.count[iy]; a++) {
                        int y0 = ty.out[iy * kH + a];
                        int tapRow = ci * kH + ty.tap[iy * kH + a] - rowBase;
                        for (int b = 0; b < tx.count[ix]; b++) {
                            float[] src = dyT[y0 * ow + tx.out[ix * kW + b]];
                            float[] dst = dwT[tapRow * kW + tx.tap[ix * kW + b]];
                            if (v == 1) {
                                for (int j = 0; j < width; j++) {
                                    dst[j] += src[j];
                                }
                            } else {
                                float f = v;
                                for (int j = 0; j < width; j++) {
                                    dst[j] += f * src[j];
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    private static Taps rowTaps(Conv2dSpec spec, int h, int oh) {
        return new Taps(h, spec.kH(), spec.strideH(), spec.padH(), spec.dilationH(), oh);
    }

    private static Taps columnTaps(Conv2dSpec spec, int w, int ow) {
        return new Taps(w, spec.kW(), spec.strideW(), spec.padW(), spec.dilationW(), ow);
    }
}
