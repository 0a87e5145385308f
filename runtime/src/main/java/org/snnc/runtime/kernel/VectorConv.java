package org.snnc.runtime.kernel;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Direct convolution of stride 1 on the JDK's vector API, without im2col: a tile of 8 output
 * channels by 32 positions of one output row lives in sixteen registers while every tap
 * {@code r = (ci, ky, kx)} adds its 8 weights times 32 inputs of the (zero-padded) input row.
 *
 * <p>For layers with few channels on large maps (16 channels at 32x32: products of 16 rows by
 * 4,096 columns over 144 steps) im2col and packing cost more than the arithmetic: the patch matrix
 * is 9 times the input and packing B touches it again. This tile reads the input in place.
 *
 * <p>Same bits as {@link Conv2d#forward}: each output sums its terms from zero in ascending
 * {@code r} as {@code fma(w, x, acc)}, padding terms included as products with zero, and the bias
 * is added last. Loaded only when {@link Gemm#vectorReady()}.
 */
final class VectorConv {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_512;
    private static final int L = S.length();
    /** Output channels of a tile. */
    static final int OC = 8;
    /** Positions of a tile: two vectors of one output row. */
    static final int OX = 2 * L;

    /** Per thread: the tile's 8 x 32 sums when its row or channels run past the output. */
    private static final ThreadLocal<float[]> TILE = ThreadLocal.withInitial(() -> new float[OC * OX]);
    private static final ThreadLocal<FlatScratch> PADDED = FlatScratch.perThread();
    private static final ThreadLocal<FlatScratch> TAPS = FlatScratch.perThread();

    private VectorConv() {
    }

    /** Whether the direct kernel takes this layer: stride 1 and output rows of at least one vector. */
    static boolean applies(Conv2dSpec spec, int w) {
        return spec.strideH() == 1 && spec.strideW() == 1 && spec.outW(w) >= L;
    }

    /** As {@link Conv2d#forward} for a spec that {@link #applies}. */
    static void forward(Conv2dSpec spec, float[] x, int n, int h, int w, float[] weight, float[] bias, float[] y,
                        Parallel par) {
        int oh = spec.outH(h);
        int ow = spec.outW(w);
        int cIn = spec.cIn();
        int m = spec.cOut();
        int k = spec.patchSize();
        int kH = spec.kH();
        int kW = spec.kW();
        // Input planes with the padding made of zeros, each row long enough for the last tile's
        // vectors at the widest tap: every load stays inside its own row.
        int tilesX = (ow + OX - 1) / OX;
        int hp = h + 2 * spec.padH();
        int wp = Math.max(w + 2 * spec.padW(), tilesX * OX + (kW - 1) * spec.dilationW());
        int planeP = hp * wp;
        float[] xp = PADDED.get().get(n * cIn * planeP);
        par.forRange(n * cIn, (from, to, chunk) -> {
            for (int sc = from; sc < to; sc++) {
                int dst = sc * planeP;
                Arrays.fill(xp, dst, dst + planeP, 0f);
                for (int iy = 0; iy < h; iy++) {
                    System.arraycopy(x, (sc * h + iy) * w, xp, dst + (iy + spec.padH()) * wp + spec.padW(), w);
                }
            }
        });
        // Weights tap-major, channels padded to whole tiles with zeros: taps[r * mp + o] = W[o][r].
        int blocks = (m + OC - 1) / OC;
        int mp = blocks * OC;
        float[] taps = TAPS.get().get(k * mp);
        for (int r = 0; r < k; r++) {
            for (int o = 0; o < mp; o++) {
                taps[r * mp + o] = o < m ? weight[o * k + r] : 0f;
            }
        }
        int[] offsets = new int[k];
        for (int ci = 0, r = 0; ci < cIn; ci++) {
            for (int ky = 0; ky < kH; ky++) {
                for (int kx = 0; kx < kW; kx++, r++) {
                    offsets[r] = ci * planeP + ky * spec.dilationH() * wp + kx * spec.dilationW();
                }
            }
        }
        par.forRange(n * blocks * oh, (from, to, chunk) -> {
            float[] tile = TILE.get();
            for (int u = from; u < to; u++) {
                int oy = u % oh;
                int block = (u / oh) % blocks;
                int s = u / (oh * blocks);
                int o0 = block * OC;
                for (int tx = 0; tx < tilesX; tx++) {
                    int ox0 = tx * OX;
                    tile(xp, s * cIn * planeP, wp, oy, ox0, offsets, taps, mp, o0, tile);
                    int width = Math.min(OX, ow - ox0);
                    for (int r = 0; r < OC && o0 + r < m; r++) {
                        int dst = ((s * m + o0 + r) * oh + oy) * ow + ox0;
                        System.arraycopy(tile, r * OX, y, dst, width);
                        if (bias != null) {
                            float b = bias[o0 + r];
                            for (int q = dst; q < dst + width; q++) {
                                y[q] += b;
                            }
                        }
                    }
                }
            }
        });
    }

    /**
     * The sums of output row {@code oy}, positions {@code [ox0, ox0 + 32)}, channels
     * {@code [o0, o0 + 8)} into {@code tile} (8 rows of 32), over every tap in ascending order:
     * tap r's input row starts {@code offsets[r]} after the sample's padded row {@code oy}, its 8
     * weights at {@code taps[r * mp + o0]}. The input gradient runs it with output channels for
     * taps (see {@link #backwardInput}).
     */
    static void tile(float[] xp, int sampleAt, int wp, int oy, int ox0, int[] offsets,
                     float[] taps, int mp, int o0, float[] tile) {
        FloatVector z = FloatVector.zero(S);
        FloatVector x00 = z, x01 = z, x10 = z, x11 = z, x20 = z, x21 = z, x30 = z, x31 = z;
        FloatVector x40 = z, x41 = z, x50 = z, x51 = z, x60 = z, x61 = z, x70 = z, x71 = z;
        int base = sampleAt + oy * wp + ox0;
        // One flat loop over the taps (C2 keeps the sums in registers across one loop, not
        // across the three of (ci, ky, kx)).
        for (int r = 0; r < offsets.length; r++) {
            int at = base + offsets[r];
            FloatVector v0 = FloatVector.fromArray(S, xp, at);
            FloatVector v1 = FloatVector.fromArray(S, xp, at + L);
            int t = r * mp + o0;
            FloatVector c = FloatVector.broadcast(S, taps[t]);
            x00 = v0.fma(c, x00);
            x01 = v1.fma(c, x01);
            c = FloatVector.broadcast(S, taps[t + 1]);
            x10 = v0.fma(c, x10);
            x11 = v1.fma(c, x11);
            c = FloatVector.broadcast(S, taps[t + 2]);
            x20 = v0.fma(c, x20);
            x21 = v1.fma(c, x21);
            c = FloatVector.broadcast(S, taps[t + 3]);
            x30 = v0.fma(c, x30);
            x31 = v1.fma(c, x31);
            c = FloatVector.broadcast(S, taps[t + 4]);
            x40 = v0.fma(c, x40);
            x41 = v1.fma(c, x41);
            c = FloatVector.broadcast(S, taps[t + 5]);
            x50 = v0.fma(c, x50);
            x51 = v1.fma(c, x51);
            c = FloatVector.broadcast(S, taps[t + 6]);
            x60 = v0.fma(c, x60);
            x61 = v1.fma(c, x61);
            c = FloatVector.broadcast(S, taps[t + 7]);
            x70 = v0.fma(c, x70);
            x71 = v1.fma(c, x71);
        }
        x00.intoArray(tile, 0);
        x01.intoArray(tile, L);
        x10.intoArray(tile, OX);
        x11.intoArray(tile, OX + L);
        x20.intoArray(tile, 2 * OX);
        x21.intoArray(tile, 2 * OX + L);
        x30.intoArray(tile, 3 * OX);
        x31.intoArray(tile, 3 * OX + L);
        x40.intoArray(tile, 4 * OX);
        x41.intoArray(tile, 4 * OX + L);
        x50.intoArray(tile, 5 * OX);
        x51.intoArray(tile, 5 * OX + L);
        x60.intoArray(tile, 6 * OX);
        x61.intoArray(tile, 6 * OX + L);
        x70.intoArray(tile, 7 * OX);
        x71.intoArray(tile, 7 * OX + L);
    }

    /**
     * Whether {@link #backwardInput} takes this layer: stride 1, padding within the kernel's
     * reach, rows of a vector, and at most 16 output channels (the sum per tap is that long). On
     * 16 -> 16 channels the direct tiles took 0.57 ms against 0.87 (32x32) and 2.3 against 3.7
     * (64x64); with 32 or 64 output channels the product was as fast or faster (one thread, CPU
     * time, batch 4).
     */
    static boolean appliesBackward(Conv2dSpec spec, int w) {
        return spec.strideH() == 1 && spec.strideW() == 1 && w >= L && spec.cOut() <= 16
                && spec.padH() <= (spec.kH() - 1) * spec.dilationH()
                && spec.padW() <= (spec.kW() - 1) * spec.dilationW();
    }

    private static final ThreadLocal<FlatScratch> DY_PADDED = FlatScratch.perThread();
    private static final ThreadLocal<FlatScratch> TAPS_BY_INPUT = FlatScratch.perThread();

    /**
     * As {@link Conv2d#backwardInputTransposed} for a spec that
     * {@link #appliesBackward}: {@code dx += dL/dx}. A tile of 8 input channels by 32 positions
     * of an input row takes, tap by tap in ascending {@code (ky, kx)}, the sum over output
     * channels in ascending order from zero (the patch gradient's element) and adds it to
     * {@code dx}: the order of the product and col2im, so the same bits.
     */
    static void backwardInput(Conv2dSpec spec, float[] dy, int n, int h, int w, float[] weightT, float[] dx,
                              Parallel par) {
        int oh = spec.outH(h);
        int ow = spec.outW(w);
        int cIn = spec.cIn();
        int m = spec.cOut();
        int kH = spec.kH();
        int kW = spec.kW();
        int taps = kH * kW;
        // dy with (kH-1)*dH - padH zero rows above and (kW-1)*dW - padW zero columns left: input
        // row iy at tap ky reads padded row iy + (kH-1-ky)*dH, column ix at tap kx padded column
        // ix + (kW-1-kx)*dW; positions outside the output read zeros (sums of +0 that add nothing).
        int top = (kH - 1) * spec.dilationH() - spec.padH();
        int left = (kW - 1) * spec.dilationW() - spec.padW();
        int tilesX = (w + OX - 1) / OX;
        int hp = h + (kH - 1) * spec.dilationH();
        int wp = Math.max(ow + left, tilesX * OX + (kW - 1) * spec.dilationW());
        int planeP = hp * wp;
        float[] dyp = DY_PADDED.get().get(n * m * planeP);
        par.forRange(n * m, (from, to, chunk) -> {
            for (int so = from; so < to; so++) {
                int dst = so * planeP;
                Arrays.fill(dyp, dst, dst + planeP, 0f);
                for (int oy = 0; oy < oh; oy++) {
                    System.arraycopy(dy, (so * oh + oy) * ow, dyp, dst + (oy + top) * wp + left, ow);
                }
            }
        });
        // Weights by tap, output channel, then input channel (padded to whole tiles):
        // wr[(tap * m + o) * cp + ci] = W[o][ci][tap] = weightT[(ci * taps + tap) * m + o].
        int blocks = (cIn + OC - 1) / OC;
        int cp = blocks * OC;
        float[] wr = TAPS_BY_INPUT.get().get(taps * m * cp);
        for (int tap = 0; tap < taps; tap++) {
            for (int o = 0; o < m; o++) {
                int dst = (tap * m + o) * cp;
                for (int ci = 0; ci < cp; ci++) {
                    wr[dst + ci] = ci < cIn ? weightT[(ci * taps + tap) * m + o] : 0f;
                }
            }
        }
        int[] planes = new int[m];
        for (int o = 0; o < m; o++) {
            planes[o] = o * planeP;
        }
        par.forRange(n * blocks * h, (from, to, chunk) -> {
            float[] tile = TILE.get();
            for (int u = from; u < to; u++) {
                int iy = u % h;
                int block = (u / h) % blocks;
                int s = u / (h * blocks);
                int c0 = block * OC;
                for (int tx = 0; tx < tilesX; tx++) {
                    int ix0 = tx * OX;
                    int width = Math.min(OX, w - ix0);
                    for (int ky = 0, tap = 0; ky < kH; ky++) {
                        int row = s * m * planeP + (iy + (kH - 1 - ky) * spec.dilationH()) * wp + ix0;
                        for (int kx = 0; kx < kW; kx++, tap++) {
                            // The forward's tile with output channels for taps: term o reads
                            // dy plane o, the weights of (tap, o) for channels c0 and up.
                            tile(dyp, row + (kW - 1 - kx) * spec.dilationW(), 0, 0, 0, planes, wr, cp,
                                    tap * m * cp + c0, tile);
                            for (int r = 0; r < OC && c0 + r < cIn; r++) {
                                int d = ((s * cIn + c0 + r) * h + iy) * w + ix0;
                                int t = r * OX;
                                for (int q = 0; q < width; q++) {
                                    dx[d + q] += tile[t + q];
                                }
                            }
                        }
                    }
                }
            }
        });
    }

}
