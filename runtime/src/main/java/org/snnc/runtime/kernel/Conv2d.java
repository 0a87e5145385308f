package org.snnc.runtime.kernel;

import java.util.Arrays;

/**
 * Dense 2-D convolution (cross-correlation, as PyTorch) on NCHW float maps, as im2col plus
 * {@link Gemm}. Shapes: input {@code [n][cIn][h][w]}, weight {@code [cOut][cIn][kH][kW]}, bias
 * {@code [cOut]}, output {@code [n][cOut][oh][ow]} with {@code oh = spec.outH(h)},
 * {@code ow = spec.outW(w)}.
 *
 * <p>Forward overwrites its output. Every backward method <em>adds</em> into its gradient array,
 * so gradients over time steps and over branches accumulate without extra buffers; the caller
 * zeroes them when a new accumulation starts.
 *
 * <p>Results are bit-identical for every thread count: work is split over samples or over
 * output rows, never over a sum.
 */
public final class Conv2d {

    private Conv2d() {
    }

    /** Scratch of {@link #forward}, owned by the calling thread. */
    private static final ThreadLocal<FlatScratch> COL = FlatScratch.perThread();
    private static final ThreadLocal<FlatScratch> Y_COLS = FlatScratch.perThread();

    /**
     * {@code y[s][o][q] = sum_{r} W[o][r] * patch_s[r][q] (+ bias[o])}, summed in ascending
     * {@code r = (ci, ky, kx)} and the bias added last.
     *
     * <p>One product for several samples: their patch matrices side by side give GEMM rows
     * {@code samples * grid} long, which the vectorised inner loop needs on small maps. Patch
     * columns are built per sample, the product's rows (output channels) split across threads;
     * the blocking over samples changes no sum.
     *
     * @param bias {@code [cOut]}, or null when {@code spec.bias()} is false
     */
    public static void forward(Conv2dSpec spec, float[] x, int n, int h, int w,
                               float[] weight, float[] bias, float[] y, Parallel par) {
        int oh = spec.outH(h);
        int ow = spec.outW(w);
        int m = spec.cOut();
        int k = spec.patchSize();
        int grid = oh * ow;
        int inSize = spec.cIn() * h * w;
        checkShapes(spec, n, h, w, x, weight, bias);
        Checks.length("output", y, (long) n * m * grid);
        if ((long) k * n * grid > Integer.MAX_VALUE || (long) m * n * grid > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("patch matrix of " + k + " x " + n + " x " + grid + " is too large");
        }
        if (Gemm.vectorReady() && VectorConv.applies(spec, w)) {
            // Direct tiles: 1.2x (64 channels at 16x16) to 6x (16 channels at 64x64) im2col and
            // the product, whose packing costs more than the arithmetic on few channels.
            VectorConv.forward(spec, x, n, h, w, weight, bias, y, par);
        } else {
            productForward(spec, x, n, h, w, weight, bias, y, par);
        }
    }

    /** {@link #forward} as im2col and {@link Gemm}, for every spec. */
    static void productForward(Conv2dSpec spec, float[] x, int n, int h, int w,
                               float[] weight, float[] bias, float[] y, Parallel par) {
        int oh = spec.outH(h);
        int ow = spec.outW(w);
        int m = spec.cOut();
        int k = spec.patchSize();
        int grid = oh * ow;
        int inSize = spec.cIn() * h * w;
        Window g = spec.window();
        // Samples side by side up to rows of FORWARD_COLS (or one sample's grid): long enough
        // for the vector loop, while the patch matrix of a large map stays a few MB.
        int perBlock = Math.max(1, Math.min(n, FORWARD_COLS / grid));
        int maxCols = perBlock * grid;
        float[] col = COL.get().get(k * maxCols);
        float[] yCols = Y_COLS.get().get(m * maxCols);
        for (int s0 = 0; s0 < n; s0 += perBlock) {
            int first = s0;
            int samples = Math.min(perBlock, n - s0);
            int cols = samples * grid;
            par.forRange(samples, (from, to, chunk) -> {
                for (int s = from; s < to; s++) {
                    Im2col.im2col(x, (first + s) * inSize, spec.cIn(), h, w, g, oh, ow, col, s * grid, cols);
                }
            });
            par.forRange(m, (from, to, chunk) -> {
                Arrays.fill(yCols, from * cols, to * cols, 0f);
                Gemm.multiplyAdd(from, to, cols, k, weight, 0, k, col, 0, cols, yCols, 0, cols);
                for (int o = from; o < to; o++) {
                    for (int s = 0; s < samples; s++) {
                        int dst = ((first + s) * m + o) * grid;
                        System.arraycopy(yCols, o * cols + s * grid, y, dst, grid);
                        if (bias != null) {
                            float b = bias[o];
                            for (int q = dst; q < dst + grid; q++) {
                                y[q] += b;
                            }
                        }
                    }
                }
            });
        }
    }

    /** Columns of one forward product: 4096, a batch of 4 on 32x32 maps or one 64x64 map. */
    private static final int FORWARD_COLS = 4096;

    /** Scratch of {@link #backwardInput}, owned by the calling thread. */
    private static final ThreadLocal<FlatScratch> WEIGHT_T = FlatScratch.perThread();

    /**
     * {@code dx += dL/dx} for output gradient {@code dy} ({@code [n][cOut][oh][ow]}).
     *
     * <p>One product for the whole batch, {@code dcol[r][s*grid + q] = sum_o W[o][r] dy[s][o][q]}
     * (summed in ascending {@code o}), then col2im per sample: the samples side by side make the
     * rows of the product {@code n * grid} long, which the vectorised GEMM needs when the maps are
     * small (an 8x8 map alone gives rows of 64). Rows of the product are split across threads,
     * then input channels; each element's sum is the same for every thread count.
     */
    public static void backwardInput(Conv2dSpec spec, float[] dy, int n, int h, int w,
                                     float[] weight, float[] dx, Parallel par) {
        Checks.length("weight", weight, spec.weightSize());
        int m = spec.cOut();
        int k = spec.patchSize();
        float[] weightT = WEIGHT_T.get().get(k * m);
        transposeWeight(weight, m, k, weightT, par);
        backwardInputTransposed(spec, dy, n, h, w, weightT, dx, par);
    }

    /**
     * {@code weightT[r * cOut + o] = weight[o * k + r]}, the layout {@link #backwardInputTransposed}
     * reads; output channels split across threads.
     */
    public static void transposeWeight(float[] weight, int cOut, int k, float[] weightT, Parallel par) {
        Checks.length("weight", weight, (long) cOut * k);
        Checks.atLeast("transposed weight", weightT, (long) cOut * k);
        // Sixteen output channels at a time: each step of r writes 16 contiguous floats and reads
        // 16 rows in step, where one channel at a time wrote every float cOut apart.
        int blocks = (cOut + 15) / 16;
        par.forRange(blocks, (from, to, chunk) -> {
            for (int b = from; b < to; b++) {
                int o0 = b * 16;
                int o1 = Math.min(cOut, o0 + 16);
                for (int r = 0; r < k; r++) {
                    int dst = r * cOut;
                    for (int o = o0; o < o1; o++) {
                        weightT[dst + o] = weight[o * k + r];
                    }
                }
            }
        });
    }

    /**
     * As {@link #backwardInput} with the weight given transposed ({@link #transposeWeight}), so a
     * layer back-propagating many time steps with the same weights transposes them once.
     *
     * <p>Input channels are split across threads and handled a few at a time: their rows of the
     * product are computed into an L2-sized block and added onto the map at once, so the whole
     * {@code k x n*grid} patch-gradient matrix (9 times the input) is never written out.
     */
    public static void backwardInputTransposed(Conv2dSpec spec, float[] dy, int n, int h, int w,
                                               float[] weightT, float[] dx, Parallel par) {
        int oh = spec.outH(h);
        int ow = spec.outW(w);
        int m = spec.cOut();
        int grid = oh * ow;
        int inSize = spec.cIn() * h * w;
        Checks.length("output gradient", dy, (long) n * m * grid);
        Checks.atLeast("transposed weight", weightT, spec.weightSize());
        Checks.length("input gradient", dx, (long) n * inSize);
        if ((long) n * grid > Integer.MAX_VALUE / 16) {
            throw new IllegalArgumentException("output of " + n + " x " + grid + " positions is too large");
        }
        if (Gemm.vectorReady() && VectorConv.appliesBackward(spec, w)) {
            VectorConv.backwardInput(spec, dy, n, h, w, weightT, dx, par);
            return;
        }
        productBackwardInput(spec, dy, n, h, w, weightT, dx, par);
    }

    /** {@link #backwardInputTransposed} as the product and col2im, for every spec. */
    static void productBackwardInput(Conv2dSpec spec, float[] dy, int n, int h, int w,
                                     float[] weightT, float[] dx, Parallel par) {
        int oh = spec.outH(h);
        int ow = spec.outW(w);
        int m = spec.cOut();
        int grid = oh * ow;
        int inSize = spec.cIn() * h * w;
        Window g = spec.window();
        int cols = n * grid;
        int taps = spec.kH() * spec.kW();
        // dy as m rows of n*grid floats (samples side by side): the B operand, built once, shared.
        float[] dyRows = DY_ROWS.get().get(m * cols);
        par.forRange(m, (from, to, chunk) -> {
            for (int o = from; o < to; o++) {
                for (int s = 0; s < n; s++) {
                    System.arraycopy(dy, (s * m + o) * grid, dyRows, o * cols + s * grid, grid);
                }
            }
        });
        int block = dcolBlock(taps, cols);
        par.forRange(spec.cIn(), (from, to, chunk) -> {
            float[] dcol = DCOL_ROWS.get().get(Math.min(block, to - from) * taps * cols);
            for (int c0 = from; c0 < to; c0 += block) {
                int c1 = Math.min(to, c0 + block);
                int rows = (c1 - c0) * taps;
                Arrays.fill(dcol, 0, rows * cols, 0f);
                Gemm.multiplyAdd(0, rows, cols, m, weightT, c0 * taps * m, m, dyRows, 0, cols, dcol, 0, cols);
                for (int s = 0; s < n; s++) {
                    // Patch row r of channel ci >= c0 sits at (r - c0 * taps) * cols.
                    Im2col.col2im(dcol, s * grid - c0 * taps * cols, cols, c0, c1, h, w, g, oh, ow, dx, s * inSize);
                }
            }
        });
    }

    /**
     * Input channels per block of patch-gradient rows: an L2-sized block, in whole multiples of
     * the matrix tiles' 8 rows where the taps allow (9 taps: 8 channels), so no tile runs with
     * rows of padding; at least that many even when their rows exceed the L2 budget.
     */
    static int dcolBlock(int taps, int cols) {
        int unit = 8 / gcd(taps, 8);
        int block = Math.max(1, DCOL_BLOCK_FLOATS / (taps * cols));
        return (block + unit - 1) / unit * unit;
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    /** Floats of patch-gradient rows one thread holds at a time: 32 K floats = 128 KiB, in L2. */
    private static final int DCOL_BLOCK_FLOATS = 32 * 1024;
    private static final ThreadLocal<FlatScratch> DY_ROWS = FlatScratch.perThread();
    private static final ThreadLocal<FlatScratch> DCOL_ROWS = FlatScratch.perThread();

    /**
     * {@code dW[o][r] += sum_s sum_q dy[s][o][q] * patch_s[r][q]}, terms added in ascending
     * sample then grid-position order (the order {@link SpikeConv2d#backwardWeight} reproduces).
     */
    public static void backwardWeight(Conv2dSpec spec, float[] x, float[] dy, int n, int h, int w,
                                      float[] dWeight, Parallel par) {
        int oh = spec.outH(h);
        int ow = spec.outW(w);
        int m = spec.cOut();
        int k = spec.patchSize();
        int grid = oh * ow;
        int inSize = spec.cIn() * h * w;
        Checks.length("input", x, (long) n * inSize);
        Checks.length("output gradient", dy, (long) n * m * grid);
        Checks.length("weight gradient", dWeight, spec.weightSize());
        Window g = spec.window();
        float[] colT = COL.get().get(grid * k);
        for (int s = 0; s < n; s++) {
            Im2col.im2colTransposed(x, s * inSize, spec.cIn(), h, w, g, oh, ow, colT);
            int dyOff = s * m * grid;
            par.forRange(m, (from, to, chunk) ->
                    Gemm.multiplyAdd(from, to, k, grid, dy, dyOff, grid, colT, 0, k, dWeight, 0, k));
        }
    }

    /** {@code dBias[o] += sum over samples and positions of dy[s][o][q]} (summed in double). */
    public static void backwardBias(Conv2dSpec spec, float[] dy, int n, int oh, int ow, float[] dBias, Parallel par) {
        int m = spec.cOut();
        Checks.length("output gradient", dy, (long) n * m * oh * ow);
        Checks.length("bias gradient", dBias, m);
        channelSums(dy, n, m, oh * ow, dBias, par);
    }

    /** {@code out[c] += sum_{s,q} v[s][c][q]} with a double accumulator per channel. */
    static void channelSums(float[] v, int n, int c, int grid, float[] out, Parallel par) {
        par.forRange(c, (from, to, chunk) -> {
            for (int ch = from; ch < to; ch++) {
                double acc = 0;
                for (int s = 0; s < n; s++) {
                    int base = (s * c + ch) * grid;
                    for (int q = 0; q < grid; q++) {
                        acc += v[base + q];
                    }
                }
                out[ch] += (float) acc;
            }
        });
    }

    static void checkShapes(Conv2dSpec spec, int n, int h, int w,
                            float[] x, float[] weight, float[] bias) {
        Checks.positive("batch", n);
        Checks.length("input", x, (long) n * spec.cIn() * h * w);
        Checks.length("weight", weight, spec.weightSize());
        if (spec.bias() != (bias != null)) {
            throw new IllegalArgumentException(spec.bias()
                    ? "spec has a bias but no bias array was given"
                    : "spec has no bias but a bias array was given");
        }
        if (bias != null) {
            Checks.length("bias", bias, spec.cOut());
        }
    }
}
