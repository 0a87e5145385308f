package org.snnc.runtime.kernel;

import java.util.Arrays;

/**
 * Patch matrices for convolution as matrix products. For one sample of a {@code [c][h][w]} map
 * and a {@link Window} giving an {@code oh x ow} grid, row {@code r = (ci * kH + ky) * kW + kx}
 * of the patch matrix holds, for every grid position {@code q = y * ow + x}, the input at
 * {@code (ci, y * sH - pH + ky * dH, x * sW - pW + kx * dW)}, or 0 where that is padding.
 */
final class Im2col {

    private Im2col() {
    }

    /** Fills {@code col[r][q]} ({@code [c*kH*kW][oh*ow]}) from {@code x[xOff ...]}. */
    static void im2col(float[] x, int xOff, int c, int h, int w, Window g, int oh, int ow, float[] col) {
        im2col(x, xOff, c, h, w, g, oh, ow, col, 0, oh * ow);
    }

    /**
     * As {@link #im2col(float[], int, int, int, int, Window, int, int, float[])} with
     * {@code col[r][q]} at {@code col[colOff + r * ld + q]}: one sample's columns of a patch
     * matrix that holds several samples side by side.
     */
    static void im2col(float[] x, int xOff, int c, int h, int w, Window g, int oh, int ow, float[] col, int colOff,
                       int ld) {
        int grid = oh * ow;
        int r = 0;
        for (int ci = 0; ci < c; ci++) {
            int plane = xOff + ci * h * w;
            for (int ky = 0; ky < g.kH(); ky++) {
                int offY = ky * g.dilationH() - g.padH();
                int y0 = Window.first(offY, g.strideH());
                int y1 = Window.end(offY, g.strideH(), h, oh);
                for (int kx = 0; kx < g.kW(); kx++, r++) {
                    int offX = kx * g.dilationW() - g.padW();
                    int x0 = Window.first(offX, g.strideW());
                    int x1 = Math.max(x0, Window.end(offX, g.strideW(), w, ow));
                    int rowBase = colOff + r * ld;
                    if (y1 <= y0 || x1 <= x0) {
                        Arrays.fill(col, rowBase, rowBase + grid, 0f);
                        continue;
                    }
                    Arrays.fill(col, rowBase, rowBase + y0 * ow, 0f);
                    for (int y = y0; y < y1; y++) {
                        int dst = rowBase + y * ow;
                        int src = plane + (y * g.strideH() + offY) * w + offX;
                        Arrays.fill(col, dst, dst + x0, 0f);
                        int sw = g.strideW();
                        for (int xx = x0; xx < x1; xx++) {
                            col[dst + xx] = x[src + xx * sw];
                        }
                        Arrays.fill(col, dst + x1, dst + ow, 0f);
                    }
                    Arrays.fill(col, rowBase + y1 * ow, rowBase + grid, 0f);
                }
            }
        }
    }

    /** Fills the transposed patch matrix {@code colT[q][r]} ({@code [oh*ow][c*kH*kW]}). */
    static void im2colTransposed(float[] x, int xOff, int c, int h, int w, Window g, int oh, int ow, float[] colT) {
        int patch = c * g.kH() * g.kW();
        Arrays.fill(colT, 0, oh * ow * patch, 0f);
        int r = 0;
        for (int ci = 0; ci < c; ci++) {
            int plane = xOff + ci * h * w;
            for (int ky = 0; ky < g.kH(); ky++) {
                int offY = ky * g.dilationH() - g.padH();
                int y0 = Window.first(offY, g.strideH());
                int y1 = Window.end(offY, g.strideH(), h, oh);
                for (int kx = 0; kx < g.kW(); kx++, r++) {
                    int offX = kx * g.dilationW() - g.padW();
                    int x0 = Window.first(offX, g.strideW());
                    int x1 = Window.end(offX, g.strideW(), w, ow);
                    for (int y = y0; y < y1; y++) {
                        int src = plane + (y * g.strideH() + offY) * w + offX;
                        int dst = y * ow * patch + r;
                        for (int xx = x0; xx < x1; xx++) {
                            colT[dst + xx * patch] = x[src + xx * g.strideW()];
                        }
                    }
                }
            }
        }
    }

    /**
     * Adds {@code col[r][q]} back onto the map: {@code dx[dxOff + (ci, iy, ix)] += col[r][q]}
     * for channels {@code [cFrom, cTo)}; padding positions are dropped. Each channel is owned by
     * one caller, so channel ranges may run concurrently.
     */
    static void col2im(float[] col, int cFrom, int cTo, int h, int w, Window g, int oh, int ow, float[] dx, int dxOff) {
        col2im(col, 0, oh * ow, cFrom, cTo, h, w, g, oh, ow, dx, dxOff);
    }

    /**
     * As {@link #col2im(float[], int, int, int, int, Window, int, int, float[], int)} with
     * {@code col[r][q]} at {@code col[colOff + r * ld + q]}: one sample's columns of a patch
     * matrix that holds several samples side by side.
     */
    static void col2im(float[] col, int colOff, int ld, int cFrom, int cTo, int h, int w, Window g, int oh, int ow,
                       float[] dx, int dxOff) {
        for (int ci = cFrom; ci < cTo; ci++) {
            int plane = dxOff + ci * h * w;
            int r = ci * g.kH() * g.kW();
            for (int ky = 0; ky < g.kH(); ky++) {
                int offY = ky * g.dilationH() - g.padH();
                int y0 = Window.first(offY, g.strideH());
                int y1 = Window.end(offY, g.strideH(), h, oh);
                for (int kx = 0; kx < g.kW(); kx++, r++) {
                    int offX = kx * g.dilationW() - g.padW();
                    int x0 = Window.first(offX, g.strideW());
                    int x1 = Window.end(offX, g.strideW(), w, ow);
                    addTap(col, colOff + r * ld, ow, y0, y1, x0, x1, plane + offY * w + offX, g.strideH() * w, g.strideW(), dx);
                }
            }
        }
    }

    /**
     * One tap's patch row added back into the input gradient: output row {@code y} of the row's
     * columns {@code src + y * ow + [x0, x1)} goes to {@code dst + y * rowStride + x * strideW}.
     */
    private static void addTap(float[] col, int src, int ow, int y0, int y1, int x0, int x1, int dst, int rowStride,
                               int strideW, float[] dx) {
        for (int y = y0; y < y1; y++) {
            int s = src + y * ow;
            int d = dst + y * rowStride;
            for (int xx = x0; xx < x1; xx++) {
                dx[d + xx * strideW] += col[s + xx];
            }
        }
    }
}
