package org.snnc.runtime.kernel;

/**
 * Convolution of a spike map, event-driven: for every input that fired, its weight taps are
 * scattered onto the outputs they reach, so the work grows with the number of spikes, not with
 * the size of the map (DESIGN.md section 8). Spikes are bytes {@code [n][cIn][h][w]}, normally
 * 0/1 (or -1/0/+1 for signed Poisson input); other values are used as integer multipliers.
 *
 * <p>Weights are scattered from a tap-major copy {@code [cIn][kH][kW][cOut]}, so each spike adds
 * one contiguous run of {@code cOut} floats. For every output element the terms arrive in
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
        float[] tapMajor = new float[k * m];
        Gemm.transpose(weight, 0, m, k, tapMajor, 0);
        Taps ty = rowTaps(spec, h, oh);
        Taps tx = columnTaps(spec, w, ow);
        if (n >= par.threads()) {
            par.forRange(n, (from, to, chunk) -> {
                float[] acc = new float[oh * ow * m];
                for (int s = from; s < to; s++) {
                    forwardSlice(spec, spikes, s, h, w, oh, ow, ty, tx, tapMajor, bias, 0, m, acc, y);
                }
            });
        } else {
            for (int s = 0; s < n; s++) {
                int sample = s;
                par.forRange(m, (from, to, chunk) -> {
                    float[] acc = new float[oh * ow * (to - from)];
                    forwardSlice(spec, spikes, sample, h, w, oh, ow, ty, tx, tapMajor, bias, from, to, acc, y);
                });
            }
        }
    }

    /** Output channels {@code [o0, o1)} of sample {@code s}; {@code acc} is {@code [oh][ow][o1-o0]}. */
    private static void forwardSlice(Conv2dSpec spec, byte[] spikes, int s, int h, int w, int oh, int ow,
                                     Taps ty, Taps tx, float[] tapMajor, float[] bias, int o0, int o1,
                                     float[] acc, float[] y) {
        int m = spec.cOut();
        int width = o1 - o0;
        int grid = oh * ow;
        java.util.Arrays.fill(acc, 0, grid * width, 0f);
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
                            int dst = (y0 * ow + tx.out[ix * kW + b]) * width;
                            int src = (tapRow * kW + tx.tap[ix * kW + b]) * m + o0;
                            if (v == 1) {
                                for (int j = 0; j < width; j++) {
                                    acc[dst + j] += tapMajor[src + j];
                                }
                            } else {
                                float f = v;
                                for (int j = 0; j < width; j++) {
                                    acc[dst + j] += f * tapMajor[src + j];
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
                y[dst + q] = acc[q * width + j];
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
     * {@code (s, ci, y*sH - pH + ky*dH, x*sW - pW + kx*dW)}. Output channels are split across
     * threads; each thread keeps a tap-major copy of its slice of {@code dW} and of {@code dy}.
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
        par.forRange(m, (o0, o1, chunk) -> {
            int width = o1 - o0;
            float[] dwT = new float[k * width];
            float[] dyT = new float[grid * width];
            // Start from the current dW so each element's additions continue its existing sum
            // exactly as the dense GEMM does.
            for (int o = o0; o < o1; o++) {
                for (int r = 0; r < k; r++) {
                    dwT[r * width + o - o0] = dWeight[o * k + r];
                }
            }
            for (int s = 0; s < n; s++) {
                int dyOff = s * m * grid;
                for (int o = o0; o < o1; o++) {
                    int src = dyOff + o * grid;
                    int j = o - o0;
                    for (int q = 0; q < grid; q++) {
                        dyT[q * width + j] = dy[src + q];
                    }
                }
                scatterGradient(spec, spikes, s, h, w, ow, ty, tx, dyT, width, dwT);
            }
            for (int o = o0; o < o1; o++) {
                for (int r = 0; r < k; r++) {
                    dWeight[o * k + r] = dwT[r * width + o - o0];
                }
            }
        });
    }

    private static void scatterGradient(Conv2dSpec spec, byte[] spikes, int s, int h, int w, int ow,
                                        Taps ty, Taps tx, float[] dyT, int width, float[] dwT) {
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
                            int src = (y0 * ow + tx.out[ix * kW + b]) * width;
                            int dst = (tapRow * kW + tx.tap[ix * kW + b]) * width;
                            if (v == 1) {
                                for (int j = 0; j < width; j++) {
                                    dwT[dst + j] += dyT[src + j];
                                }
                            } else {
                                float f = v;
                                for (int j = 0; j < width; j++) {
                                    dwT[dst + j] += f * dyT[src + j];
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
