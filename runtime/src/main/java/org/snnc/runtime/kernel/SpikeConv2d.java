package org.snnc.runtime.kernel;

import java.util.Arrays;

/**
 * Convolution of a spike map, event-driven: only inputs that fired contribute, so the work grows
 * with the number of spikes, not with the size of the map (DESIGN.md section 8). Spikes are bytes
 * {@code [n][cIn][h][w]}, normally 0/1 (or -1/0/+1 for signed Poisson input); other values are
 * used as integer multipliers.
 *
 * <p>Both passes gather rather than scatter: an output row (the forward's {@code cOut} outputs of
 * one grid position, the weight gradient's {@code cOut} entries of one tap) lists the spikes that
 * reach it, then adds their contiguous rows of {@code cOut} floats four at a time with fused
 * multiply-adds. The row being built stays in L1 and is loaded and stored once per four terms;
 * a scatter reads and writes it for every term. Weights are read tap-major, {@code [cIn][kH][kW]}
 * rows of {@code cOut} floats ({@link TapMajor}), gradients likewise.
 *
 * <p>For every output element the terms arrive in the order {@link Conv2d} sums them in
 * (ascending {@code (ci, ky, kx)} in the forward, ascending sample then grid position in the
 * weight gradient), each as {@code fma(spike, w, acc)}, which with a spike of 1 or -1 rounds as
 * the dense product's {@code fma(w, spike, acc)}. So on spike inputs both kernels give the same
 * bits (zero terms of the dense sum change nothing but the sign of an exact zero), and callers may
 * pick either per layer on speed alone.
 */
public final class SpikeConv2d {

    /**
     * Floats of tap-major weight rows one pass of the forward reads for all its grid positions:
     * 64 K floats = 256 KiB, so a block of input channels stays in L2 while every position of
     * the thread's share gathers from it (a 256 -> 256 channel 3x3 layer has 2.4 MB of weights).
     */
    private static final int FORWARD_BLOCK_FLOATS = 64 * 1024;

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
        Checks.length("weight", weight, spec.weightSize());
        float[][] taps = TAPS.get().rows(spec.patchSize(), spec.cOut());
        TapMajor.fromWeights(weight, spec.cOut(), spec.patchSize(), taps, par);
        forwardTapMajor(spec, spikes, n, h, w, taps, bias, y, par);
    }

    /**
     * As {@link #forward} with the weights given tap-major, {@code taps[r][o] = W[o][r]} for
     * {@code r = (ci * kH + ky) * kW + kx} (see {@link TapMajor#fromWeights}), so a layer that
     * runs many time steps with the same weights transposes them once.
     */
    public static void forwardTapMajor(Conv2dSpec spec, byte[] spikes, int n, int h, int w,
                                       float[][] taps, float[] bias, float[] y, Parallel par) {
        int oh = spec.outH(h);
        int ow = spec.outW(w);
        int m = spec.cOut();
        int grid = oh * ow;
        Checks.positive("batch", n);
        Checks.length("spikes", spikes, (long) n * spec.cIn() * h * w);
        Checks.length("output", y, (long) n * m * grid);
        TapMajor.check(taps, spec.patchSize(), m);
        if (spec.bias() != (bias != null)) {
            throw new IllegalArgumentException("bias array must be given exactly when the spec has a bias");
        }
        int kk = spec.kH() * spec.kW();
        int cBlock = Math.max(1, FORWARD_BLOCK_FLOATS / (kk * m));
        int positions = n * grid;
        par.forRange(positions, (from, to, chunk) -> {
            float[][] acc = ACC.get().rows(to - from, m);
            for (int p = from; p < to; p++) {
                Arrays.fill(acc[p - from], 0, m, 0f);
            }
            Lists lists = LISTS.get().ensure(Math.min(spec.cIn(), cBlock) * kk + 1);
            int[] tapOffset = new int[kk];
            int[] tapIndex = new int[kk];
            for (int c0 = 0; c0 < spec.cIn(); c0 += cBlock) {
                int c1 = Math.min(spec.cIn(), c0 + cBlock);
                for (int p = from; p < to; p++) {
                    int s = p / grid;
                    int q = p - s * grid;
                    int valid = windowTaps(spec, q / ow, q % ow, h, w, tapOffset, tapIndex);
                    int count = 0;
                    for (int ci = c0; ci < c1; ci++) {
                        int plane = (s * spec.cIn() + ci) * h * w;
                        int rowBase = ci * kk;
                        for (int a = 0; a < valid; a++) {
                            // Branch-free: write every candidate, keep it by advancing the end.
                            // At 20-30% firing a branch here is mispredicted as often as not.
                            byte v = spikes[plane + tapOffset[a]];
                            lists.index[count] = rowBase + tapIndex[a];
                            lists.factor[count] = v;
                            count += v != 0 ? 1 : 0;
                        }
                    }
                    gather(acc[p - from], taps, lists.index, lists.factor, count, m);
                }
            }
            for (int o = 0; o < m; o++) {
                float b = bias == null ? 0f : bias[o];
                for (int p = from; p < to; p++) {
                    int s = p / grid;
                    float v = acc[p - from][o];
                    // The bias is added last, as the dense kernel does.
                    y[(s * m + o) * grid + p - s * grid] = bias == null ? v : v + b;
                }
            }
        });
    }

    /**
     * The taps of output position {@code (oy, ox)} that land inside the input, in ascending
     * {@code ky * kW + kx}: input offset {@code iy * w + ix} and tap index. Returns their number.
     */
    private static int windowTaps(Conv2dSpec spec, int oy, int ox, int h, int w, int[] offset, int[] index) {
        int valid = 0;
        for (int ky = 0; ky < spec.kH(); ky++) {
            int iy = oy * spec.strideH() - spec.padH() + ky * spec.dilationH();
            if (iy < 0 || iy >= h) {
                continue;
            }
            for (int kx = 0; kx < spec.kW(); kx++) {
                int ix = ox * spec.strideW() - spec.padW() + kx * spec.dilationW();
                if (ix < 0 || ix >= w) {
                    continue;
                }
                offset[valid] = iy * w + ix;
                index[valid] = ky * spec.kW() + kx;
                valid++;
            }
        }
        return valid;
    }

    /**
     * {@code acc[j] = fma(f[i], rows[index[i]][j], acc[j])} for {@code i = 0 .. count-1} in order,
     * {@code j < width}. Four rows per sweep: one load and store of {@code acc} per four terms, and
     * one vectorised loop (C2 vectorises a loop with one store; a second store leaves it scalar).
     */
    static void gather(float[] acc, float[][] rows, int[] index, float[] f, int count, int width) {
        if (Gemm.vectorReady()) {
            VectorGemm.gather(acc, rows, index, f, count, width);
        } else {
            scalarGather(acc, rows, index, f, count, width);
        }
    }

    /** {@link #gather} on C2's own vectorisation. */
    static void scalarGather(float[] acc, float[][] rows, int[] index, float[] f, int count, int width) {
        int i = 0;
        for (; i + 3 < count; i += 4) {
            float[] r0 = rows[index[i]];
            float[] r1 = rows[index[i + 1]];
            float[] r2 = rows[index[i + 2]];
            float[] r3 = rows[index[i + 3]];
            float f0 = f[i];
            float f1 = f[i + 1];
            float f2 = f[i + 2];
            float f3 = f[i + 3];
            for (int j = 0; j < width; j++) {
                acc[j] = Math.fma(f3, r3[j], Math.fma(f2, r2[j], Math.fma(f1, r1[j], Math.fma(f0, r0[j], acc[j]))));
            }
        }
        for (; i < count; i++) {
            float[] r0 = rows[index[i]];
            float f0 = f[i];
            for (int j = 0; j < width; j++) {
                acc[j] = Math.fma(f0, r0[j], acc[j]);
            }
        }
    }

    /** Scratch: tap-major weights and gradients, position rows of the output, gather lists. */
    private static final ThreadLocal<RowScratch> TAPS = RowScratch.perThread();
    private static final ThreadLocal<RowScratch> ACC = RowScratch.perThread();
    private static final ThreadLocal<RowScratch> DW = RowScratch.perThread();
    private static final ThreadLocal<RowScratch> DY = RowScratch.perThread();
    private static final ThreadLocal<Lists> LISTS = ThreadLocal.withInitial(Lists::new);

    /** A gather list: row indices and their factors (the spike values), one slot spare for branch-free filling. */
    private static final class Lists {
        int[] index = new int[0];
        float[] factor = new float[0];
        /** Input coordinates, for lists of spikes rather than of rows. */
        int[] y = new int[0];
        int[] x = new int[0];

        Lists ensure(int size) {
            if (index.length < size) {
                index = new int[size];
                factor = new float[size];
                y = new int[size];
                x = new int[size];
            }
            return this;
        }
    }

    /**
     * As {@link Conv2d#backwardWeight} with input {@code x[i] = spikes[i]}, touching only the
     * inputs that fired: {@code dW[o][ci][ky][kx] += dy[s][o][y][x]} for every spike at
     * {@code (s, ci, y*sH - pH + ky*dH, x*sW - pW + kx*dW)}.
     */
    public static void backwardWeight(Conv2dSpec spec, byte[] spikes, float[] dy, int n, int h, int w,
                                      float[] dWeight, Parallel par) {
        Checks.length("weight gradient", dWeight, spec.weightSize());
        int k = spec.patchSize();
        int m = spec.cOut();
        float[][] dwT = DW.get().rows(k, m);
        TapMajor.fromWeights(dWeight, m, k, dwT, par);
        backwardWeightTapMajor(spec, spikes, dy, n, h, w, dwT, par);
        TapMajor.toWeights(dwT, m, k, dWeight, par);
    }

    /**
     * As {@link #backwardWeight} into a tap-major gradient, {@code dwT[r][o] += dL/dW[o][r]}, so
     * a layer can keep its weight gradient tap-major over all time steps of a backward pass and
     * transpose it once. Input channels are split across threads, each owning the rows of its
     * channels; a row gathers the output-gradient rows (position-major, built once and shared)
     * of the positions its tap reached from a spike.
     */
    public static void backwardWeightTapMajor(Conv2dSpec spec, byte[] spikes, float[] dy, int n, int h, int w,
                                              float[][] dwT, Parallel par) {
        int oh = spec.outH(h);
        int ow = spec.outW(w);
        int m = spec.cOut();
        int grid = oh * ow;
        Checks.positive("batch", n);
        Checks.length("spikes", spikes, (long) n * spec.cIn() * h * w);
        Checks.length("output gradient", dy, (long) n * m * grid);
        TapMajor.check(dwT, spec.patchSize(), m);
        int positions = n * grid;
        float[][] dyT = DY.get().rows(positions, m);
        par.forRange(positions, (from, to, chunk) -> {
            for (int p = from; p < to; p++) {
                int s = p / grid;
                int src = s * m * grid + p - s * grid;
                float[] row = dyT[p];
                for (int o = 0; o < m; o++) {
                    row[o] = dy[src + o * grid];
                }
            }
        });
        int kH = spec.kH();
        int kW = spec.kW();
        boolean unitStride = spec.strideH() == 1 && spec.strideW() == 1;
        int plane = h * w;
        par.forRange(spec.cIn(), (c0, c1, chunk) -> {
            Lists lists = LISTS.get().ensure(positions + 1);
            Lists fired = FIRED.get().ensure(n * plane + 1);
            for (int ci = c0; ci < c1; ci++) {
                int spikesOfChannel = 0;
                if (unitStride) {
                    // The channel's spikes once, as (sample, y, x); each tap then shifts them,
                    // a quarter of the work of scanning every position per tap at 25% firing.
                    for (int s = 0; s < n; s++) {
                        int base = (s * spec.cIn() + ci) * plane;
                        for (int iy = 0; iy < h; iy++) {
                            for (int ix = 0; ix < w; ix++) {
                                byte v = spikes[base + iy * w + ix];
                                fired.index[spikesOfChannel] = s * grid;
                                fired.y[spikesOfChannel] = iy;
                                fired.x[spikesOfChannel] = ix;
                                fired.factor[spikesOfChannel] = v;
                                spikesOfChannel += v != 0 ? 1 : 0;
                            }
                        }
                    }
                }
                for (int ky = 0; ky < kH; ky++) {
                    int offY = ky * spec.dilationH() - spec.padH();
                    int y0 = Window.first(offY, spec.strideH());
                    int y1 = Window.end(offY, spec.strideH(), h, oh);
                    for (int kx = 0; kx < kW; kx++) {
                        int offX = kx * spec.dilationW() - spec.padW();
                        int x0 = Window.first(offX, spec.strideW());
                        int x1 = Window.end(offX, spec.strideW(), w, ow);
                        int count = 0;
                        if (unitStride) {
                            // Input (iy, ix) reaches output (iy - offY, ix - offX): ascending
                            // inputs give ascending positions, the dense order.
                            for (int e = 0; e < spikesOfChannel; e++) {
                                int oy = fired.y[e] - offY;
                                int ox = fired.x[e] - offX;
                                lists.index[count] = fired.index[e] + oy * ow + ox;
                                lists.factor[count] = fired.factor[e];
                                count += oy >= y0 && oy < y1 && ox >= x0 && ox < x1 ? 1 : 0;
                            }
                        } else {
                            for (int s = 0; s < n; s++) {
                                int base = (s * spec.cIn() + ci) * plane;
                                for (int yy = y0; yy < y1; yy++) {
                                    int row = base + (yy * spec.strideH() + offY) * w + offX;
                                    int pos = s * grid + yy * ow;
                                    for (int xx = x0; xx < x1; xx++) {
                                        byte v = spikes[row + xx * spec.strideW()];
                                        lists.index[count] = pos + xx;
                                        lists.factor[count] = v;
                                        count += v != 0 ? 1 : 0;
                                    }
                                }
                            }
                        }
                        gather(dwT[(ci * kH + ky) * kW + kx], dyT, lists.index, lists.factor, count, m);
                    }
                }
            }
        });
    }

    /** Scratch of the weight gradient: one input channel's spikes. */
    private static final ThreadLocal<Lists> FIRED = ThreadLocal.withInitial(Lists::new);
}
